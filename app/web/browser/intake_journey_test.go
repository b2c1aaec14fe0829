package browser_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/database/dbtest"
)

// TestARiskIntakeGivesAPlanWithoutJavaScriptInArabicAndEnglish: on a phone-sized screen
// with scripts off, a reader answers the intake of the shipped courses, in Arabic and in
// English, and gets a plan that opens with threat modelling and says why each step is
// there, at an address that holds no answer; nothing scrolls sideways; printed, the plan
// keeps its steps and drops its forms. Signed in, a learner saves the plan and finds it on
// the account page.
func TestARiskIntakeGivesAPlanWithoutJavaScriptInArabicAndEnglish(t *testing.T) {
	ctx := newBrowser(t)
	base := startServer(t, dbtest.Open(t, "sqlite"))
	type css = chromedp.CSS
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang, first, why, doFirst string
	}{
		{"ar", "ما نموذج التهديدات، ولماذا تبدأ منه", "كل خطة تبدأ من هنا", "أولًا"},
		{"en", "What a threat model is, and why to start there", "Every plan starts here", "Do first"},
	} {
		err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/my-plan?lang="+tc.lang),
			chromedp.WaitVisible(css(`form.intake`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		if w := scrollWidth(t, ctx); w > 360 {
			t.Errorf("%s: the questions are %d px wide at 360", tc.lang, w)
		}
		_, err = chromedp.RunResponse(ctx,
			chromedp.Click(css(`#a-team-group`)),
			chromedp.Click(css(`#a-devices-android`)),
			chromedp.Click(css(`#a-adversaries-authorities`)),
			chromedp.Click(css(`#a-worries-device-taken`)),
			chromedp.Click(css(`#a-worries-spyware`)),
			chromedp.Click(css(`#a-urgent-no`)),
			chromedp.Click(css(`form.intake button[type="submit"]`)),
		)
		if err != nil {
			t.Fatalf("%s: send the answers: %v", tc.lang, err)
		}
		if err := chromedp.Do(ctx, chromedp.WaitVisible(css(`#group-start`))); err != nil {
			t.Fatal(err)
		}
		url, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil || !strings.HasSuffix(url, "/my-plan") {
			t.Errorf("%s: the plan is at %q (%v): the answers must stay out of the address", tc.lang, url, err)
		}
		dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dir`))
		if err != nil || (tc.lang == "ar") != (dir == "rtl") {
			t.Errorf("%s: the page's direction is %q (%v)", tc.lang, dir, err)
		}
		if first := plain(text(t, ctx, `.intake-step h3`)); first != tc.first {
			t.Errorf("%s: the plan opens with %q, want %q", tc.lang, first, tc.first)
		}
		page := text(t, ctx, `main`)
		for _, want := range []string{tc.why, tc.doFirst} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the plan does not say %q:\n%s", tc.lang, want, page)
			}
		}
		if w := scrollWidth(t, ctx); w > 360 {
			t.Errorf("%s: the plan is %d px wide at 360", tc.lang, w)
		}
		steps, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.intake-step').length`))
		if err != nil || steps < 8 {
			t.Errorf("%s: %d steps (%v), want the opening and the rules' steps", tc.lang, steps, err)
		}
	}

	// On paper: the steps stay, whole; the forms go; the caution appears.
	printed := func(media string) {
		t.Helper()
		err := chromedp.Do(ctx, chromedp.Func(func(c context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(c, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
			return err
		}))
		if err != nil {
			t.Fatal(err)
		}
	}
	printed("print")
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`['.intake-keep form', '.site-header', '.print-only', '.intake-step'].map(s => getComputedStyle(document.querySelector(s)).display)`))
	if err != nil || len(shown) != 4 || shown[0] != "none" || shown[1] != "none" || shown[2] == "none" || shown[3] == "none" {
		t.Errorf("printed, the display of the form, header, caution and a step: %v (%v)", shown, err)
	}
	printed("")

	// Signed in: save the plan, find it on the account page.
	const password = "a plan kept on purpose"
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/signup?lang=en"),
		chromedp.WaitVisible(css(`#username`)),
		chromedp.SendKeys(css(`#username`), "Planner"),
		chromedp.SendKeys(css(`#password`), password),
		chromedp.SendKeys(css(`#password_confirm`), password),
		chromedp.Submit(css(`#username`)),
		chromedp.WaitVisible(css(`ol.codes`)),
		chromedp.Navigate(base+"/my-plan?lang=ar"),
		chromedp.WaitVisible(css(`form.intake`)),
		chromedp.Click(css(`#a-worries-accounts`)),
		chromedp.Click(css(`form.intake button[type="submit"]`)),
		chromedp.WaitVisible(css(`#intake-save`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if status := text(t, ctx, `label[for="intake-progress"]`); !strings.Contains(status, "الخطوات المنجزة") {
		t.Errorf("a signed-in learner's plan shows no progress: %q", status)
	}
	if w := scrollWidth(t, ctx); w > 360 {
		t.Errorf("the signed-in Arabic plan is %d px wide at 360", w)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(css(`#intake-save`)),
		chromedp.WaitVisible(css(`form[action="/my-plan/delete"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if page := text(t, ctx, `main`); !strings.Contains(page, "حُفظت خطتك في حسابك.") {
		t.Errorf("after saving:\n%s", page)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/account"),
		chromedp.WaitVisible(css(`#my-plan a[href="/my-plan/saved"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if w := scrollWidth(t, ctx); w > 360 {
		t.Errorf("the Arabic account page with a saved plan is %d px wide at 360", w)
	}
}
