// Package browser_test drives a real headless Chromium, with JavaScript disabled as in Tor
// Browser's Safest level, through the real server.
package browser_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/web"
)

const chromiumPath = "/usr/bin/chromium"

// newBrowser starts headless Chromium, skipping when it is not installed unless
// CAIRN_TEST_REQUIRE_BROWSER=1 (CI) makes that a failure.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CAIRN_TEST_REQUIRE_BROWSER") == "1" {
			t.Fatalf("Chromium required but not found at %s", chromiumPath)
		}
		t.Skipf("browser test skipped: no Chromium at %s (install the chromium package)", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	// Tor Browser's Safest level: no page JavaScript at all.
	noScript := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(ctx, noScript); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

func startServer(t *testing.T) string {
	t.Helper()
	cfg := config.Defaults()
	cfg.Argon2Memory, cfg.Argon2Time, cfg.Argon2Threads = 1024, 1, 1
	srv, err := web.New(web.Deps{Config: cfg, DB: dbtest.Open(t, "sqlite"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.App.Listener(ln) }()
	t.Cleanup(func() { _ = srv.App.Shutdown() })
	return "http://" + ln.Addr().String()
}

func TestSignUpSeeCodesSignOutSignInWithoutJavaScript(t *testing.T) {
	ctx := newBrowser(t)
	base := startServer(t)
	const password = "a journey without scripts"
	type css = chromedp.CSS

	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.Click(css(`main a[href="/signup"]`)),
		chromedp.WaitVisible(css(`#username`)),
		chromedp.SendKeys(css(`#username`), "Wayfarer"),
		chromedp.SendKeys(css(`#password`), password),
		chromedp.SendKeys(css(`#password_confirm`), password),
		chromedp.Submit(css(`#username`)),
		chromedp.WaitVisible(css(`ol.codes`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	codes := text(t, ctx, `ol.codes`)
	if n := strings.Count(strings.TrimSpace(codes), "\n") + 1; n != 10 {
		t.Fatalf("saw %d recovery codes, want 10:\n%s", n, codes)
	}

	err = chromedp.Do(ctx,
		chromedp.Click(css(`main a.button`)),
		chromedp.WaitVisible(css(`form[action="/account/profile"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if h := text(t, ctx, `main h1`); h != "Your account" {
		t.Fatalf("after sign-up the page heading is %q", h)
	}

	err = chromedp.Do(ctx,
		chromedp.Click(css(`header form[action="/logout"] button`)),
		chromedp.WaitVisible(css(`p.notice`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if nav := text(t, ctx, `header nav`); !strings.Contains(nav, "Sign in") {
		t.Fatalf("after sign-out the header shows %q", nav)
	}

	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css(`#username`)),
		chromedp.SendKeys(css(`#username`), "wayfarer"),
		chromedp.SendKeys(css(`#password`), password),
		chromedp.Submit(css(`#username`)),
		chromedp.WaitVisible(css(`form[action="/account/profile"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if account := text(t, ctx, `main`); !strings.Contains(account, "Wayfarer") || !strings.Contains(account, "10 recovery codes left") {
		t.Fatalf("account page after sign-in:\n%s", account)
	}
}

func text(t *testing.T, ctx context.Context, selector string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		t.Fatalf("read %s: %v", selector, err)
	}
	return strings.TrimSpace(s)
}
