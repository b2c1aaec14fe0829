package browser_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/web"
	"github.com/cairn-lms/cairn/app/web/webtest"
)

const chromiumPath = "/usr/bin/chromium"

// startChromium starts headless Chromium (with extra flags, if any) and returns its root
// context, skipping when it is not installed unless CAIRN_TEST_REQUIRE_BROWSER=1 (CI) makes
// that a failure.
func startChromium(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
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
	opts = append(opts, extra...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelRoot(); cancelAlloc() })
	if err := chromedp.Do(root, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return root
}

// withTimeout bounds a browser context for the test's duration.
func withTimeout(t *testing.T, ctx context.Context) context.Context {
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// newBrowser is one tab with page JavaScript disabled, as at Tor Browser's Safest level.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	ctx := withTimeout(t, startChromium(t, extra...))
	noScript := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(ctx, noScript); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
	return ctx
}

// newBrowserContexts is two isolated browser contexts (separate cookies), JavaScript on: the
// live console is the one page that needs it.
func newBrowserContexts(t *testing.T) (context.Context, context.Context) {
	t.Helper()
	root := startChromium(t)
	a, cancelA := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	b, cancelB := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(func() { cancelA(); cancelB() })
	return withTimeout(t, a), withTimeout(t, b)
}

// startServer serves the shipped curriculum from db on a loopback port.
func startServer(t *testing.T, db *bun.DB) string {
	t.Helper()
	return startServerWith(t, db, nil)
}

// startServerWith serves the given courses (nil: the shipped ones) from db.
func startServerWith(t *testing.T, db *bun.DB, courses *web.CoursesSource) string {
	t.Helper()
	cfg := config.Defaults()
	cfg.Argon2Memory, cfg.Argon2Time, cfg.Argon2Threads = 1024, 1, 1
	srv, err := web.New(web.Deps{Config: cfg, DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Courses: courses})
	if err != nil {
		t.Fatal(err)
	}
	return webtest.Serve(t, srv)
}

// scrollWidth is how wide the page is laid out: more than the viewport means sideways
// scrolling.
func scrollWidth(t *testing.T, ctx context.Context) int {
	t.Helper()
	w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	return w
}
