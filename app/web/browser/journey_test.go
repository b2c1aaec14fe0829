// Package browser_test drives a real headless Chromium, with JavaScript disabled as in Tor
// Browser's Safest level, through the real server.
package browser_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/database/dbtest"
)

func TestSignUpSeeCodesSignOutSignInWithoutJavaScript(t *testing.T) {
	ctx := newBrowser(t)
	base := startServer(t, dbtest.Open(t, "sqlite"))
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
