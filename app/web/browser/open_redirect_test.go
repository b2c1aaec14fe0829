package browser_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/database/dbtest"
)

// TestSignInWithAHostileNextStaysOnThisSite follows destinations a naive check lets
// through but a browser's URL parser reads as another host: as a link to the sign-in page
// followed while signed in (answered with a plain redirect), and through the sign-in form,
// whose hidden field carries next through the page, the POST and the redirect (there the
// CSP's form-action also stops Chromium; the check must not rely on it). evil.example
// resolves, in this browser only, to a local page that says so, so a browser that leaves
// the site is seen arriving there.
func TestSignInWithAHostileNextStaysOnThisSite(t *testing.T) {
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>evil</title><h1 id="evil">another site</h1>`))
	}))
	t.Cleanup(evil.Close)
	ctx := newBrowser(t, chromedp.Flag("host-resolver-rules", "MAP evil.example "+evil.Listener.Addr().String()))
	base := startServer(t, dbtest.Open(t, "sqlite"))
	site, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	const password = "a path that stays home"
	type css = chromedp.CSS
	// Either this site's account page (the fallback destination) or the other site's page.
	const landed = `form[action="/account/profile"], #evil`
	mustBeHome := func(next string) {
		t.Helper()
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		if u, err := url.Parse(loc); err != nil || u.Host != site.Host || u.Path != "/account" {
			t.Fatalf("next=%q: the browser ended at %q, not on this site's account page", next, loc)
		}
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/signup"),
		chromedp.WaitVisible(css(`#username`)),
		chromedp.SendKeys(css(`#username`), "homebody"),
		chromedp.SendKeys(css(`#password`), password),
		chromedp.SendKeys(css(`#password_confirm`), password),
		chromedp.Submit(css(`#username`)),
		chromedp.WaitVisible(css(`ol.codes`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	hostile := []string{"/\t/evil.example", "/\t\\evil.example", "/\n/evil.example", `/\evil.example`, " //evil.example", "/.//evil.example", "https:evil.example"}
	for _, next := range hostile {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/login?next="+url.QueryEscape(next)), chromedp.WaitVisible(css(landed))); err != nil {
			t.Fatalf("signed in, next=%q: %v", next, err)
		}
		mustBeHome(next)
	}
	for _, next := range hostile {
		err := chromedp.Do(ctx,
			chromedp.Click(css(`header form[action="/logout"] button`)),
			chromedp.WaitVisible(css(`header a[href="/signup"]`)), // only signed-out pages have it
			chromedp.Navigate(base+"/login?next="+url.QueryEscape(next)),
			chromedp.WaitVisible(css(`#username`)),
			chromedp.SendKeys(css(`#username`), "homebody"),
			chromedp.SendKeys(css(`#password`), password),
			chromedp.Submit(css(`#username`)),
			chromedp.WaitVisible(css(landed)),
		)
		if err != nil {
			t.Fatalf("signing in, next=%q: %v", next, err)
		}
		mustBeHome(next)
	}
}
