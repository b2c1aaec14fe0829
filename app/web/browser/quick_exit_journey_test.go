package browser_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/store"
)

// neutralSite stands for the harmless site quick exit leads to.
func neutralSite(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>Weather</title><p id="neutral">Sunny</p>`))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// cookiesOf lists the names of the cookies the browser holds for base.
func cookiesOf(t *testing.T, ctx context.Context, base string) []string {
	t.Helper()
	var names []string
	err := chromedp.Do(ctx, chromedp.Func(func(c context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(c, tg, network.GetCookies, network.GetCookiesParams{URLs: []string{base}})
		for _, ck := range res.Cookies {
			names = append(names, ck.Name)
		}
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func signUpInBrowser(t *testing.T, ctx context.Context, base, name string) {
	t.Helper()
	const password = "leaving in a hurry, safely"
	type css = chromedp.CSS
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/signup"),
		chromedp.WaitVisible(css(`#username`)),
		chromedp.SendKeys(css(`#username`), name),
		chromedp.SendKeys(css(`#password`), password),
		chromedp.SendKeys(css(`#password_confirm`), password),
		chromedp.Submit(css(`#username`)),
		chromedp.WaitVisible(css(`ol.codes`)),
	)
	if err != nil {
		t.Fatal(err)
	}
}

func TestQuickExitLeavesWithoutJavaScriptAndForgetsTheSite(t *testing.T) {
	ctx := newBrowser(t)
	db := dbtest.Open(t, "sqlite")
	base := startServer(t, db)
	neutral := neutralSite(t)
	if err := store.New(db, nil).SetSetting(context.Background(), store.SettingQuickExitURL, neutral); err != nil {
		t.Fatal(err)
	}
	type css = chromedp.CSS
	signUpInBrowser(t, ctx, base, "swift")
	for _, lang := range []string{"ar", "en"} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740), chromedp.Navigate(base+"/courses?lang="+lang), chromedp.WaitVisible(css(`#quick-exit`))); err != nil {
			t.Fatal(err)
		}
		fitsWidth(t, ctx, "the courses page with quick exit at 360 px in "+lang)
		// First in the keyboard order after the skip link.
		if got := evaluate[string](t, ctx, `[...document.querySelectorAll("a[href], button")][1].id`); got != "quick-exit" {
			t.Fatalf("%s: the second focusable element is %q, want the quick exit", lang, got)
		}
	}
	if len(cookiesOf(t, ctx, base)) == 0 {
		t.Fatal("no cookies before the exit: the test would prove nothing")
	}
	if err := chromedp.Do(ctx, chromedp.Click(css(`#quick-exit`)), chromedp.WaitVisible(css(`#neutral`))); err != nil {
		t.Fatal(err)
	}
	if got := cookiesOf(t, ctx, base); len(got) != 0 {
		t.Fatalf("the browser still holds %v for Cairn after quick exit", got)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/account"), chromedp.WaitVisible(css(`#password`))); err != nil {
		t.Fatalf("after quick exit the account page did not ask to sign in: %v", err)
	}
}

func TestQuickExitByKeyboardReplacesThePageInTheHistory(t *testing.T) {
	ctx := withTimeout(t, startChromium(t))
	db := dbtest.Open(t, "sqlite")
	base := startServer(t, db)
	neutral := neutralSite(t)
	if err := store.New(db, nil).SetSetting(context.Background(), store.SettingQuickExitURL, neutral); err != nil {
		t.Fatal(err)
	}
	type css = chromedp.CSS
	signUpInBrowser(t, ctx, base, "quick")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/courses"), chromedp.WaitVisible(css(`#quick-exit[title]`))); err != nil {
		t.Fatal(err)
	}
	before := evaluate[int](t, ctx, `history.length`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	if !until(t, ctx, `document.getElementById("neutral") !== null`, 20*time.Second) {
		t.Fatal("pressing Escape three times did not leave")
	}
	if after := evaluate[int](t, ctx, `history.length`); after != before {
		t.Fatalf("history grew from %d to %d entries: the page left behind is still one Back away", before, after)
	}
	if got := cookiesOf(t, ctx, base); len(got) != 0 {
		t.Fatalf("the browser still holds %v for Cairn after quick exit", got)
	}
}
