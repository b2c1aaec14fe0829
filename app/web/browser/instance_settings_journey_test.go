package browser_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/model"
)

// TestAnAdminNamesTheInstanceUploadsALogoAndOffersTwoLanguages: on a 360-pixel screen with
// scripts off, an admin names the instance in English and Arabic, uploads a logo and offers
// only English and Arabic; a visitor then sees the name, the logo and only those two
// languages in the switcher, and cannot get French.
func TestAnAdminNamesTheInstanceUploadsALogoAndOffersTwoLanguages(t *testing.T) {
	ctx := newBrowser(t)
	f := newLiveJourneyFixture(t, false)
	f.account(t, "site-admin", model.RoleAdmin)
	type css = chromedp.CSS
	logoFile := filepath.Join(t.TempDir(), "logo.png")
	img := image.NewNRGBA(image.Rect(0, 0, 600, 200))
	for y := range 200 {
		for x := range 600 {
			img.Set(x, y, color.NRGBA{R: 20, G: uint8(x / 3), B: uint8(y), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(logoFile, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740)); err != nil {
		t.Fatal(err)
	}
	f.signIn(t, ctx, "site-admin")
	for _, lang := range []string{"en", "ar"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(f.base+"/admin?lang="+lang), chromedp.WaitVisible(css(`#languages`))); err != nil {
			t.Fatal(err)
		}
		fitsWidth(t, ctx, "the admin page in "+lang)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(f.base+"/admin?lang=en"),
		chromedp.WaitVisible(css(`#name-en`)),
		chromedp.SendKeys(css(`#name-en`), "Safe Haven"),
		chromedp.SendKeys(css(`#name-ar`), "الملاذ الآمن"),
		chromedp.SendKeys(css(`#description-ar`), "تدريب على الأمن الرقمي"),
		chromedp.Click(css(`form[action="/admin/instance"] button[type="submit"]`)),
		chromedp.WaitVisible(css(`main > .notice`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, `main > .notice`); got != "Settings saved." {
		t.Fatalf("after saving the name: %q", got)
	}
	err = chromedp.Do(ctx,
		chromedp.SetUploadFiles(css(`#logo-file`), []string{logoFile}),
		chromedp.Click(css(`form[action="/admin/logo"] button[type="submit"]`)),
		chromedp.WaitVisible(css(`img.logo-preview`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, `main > .notice`); got != "Logo saved." {
		t.Fatalf("after the upload: %q", got)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(css(`#offer-es`)),
		chromedp.Click(css(`#offer-fa`)),
		chromedp.Click(css(`#offer-fr`)),
		chromedp.SetValue(css(`#default-language`), "en"),
		chromedp.Click(css(`form[action="/admin/languages"] button[type="submit"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The page before had a notice too (the logo's): wait for the new one.
	if !until(t, ctx, `document.querySelector('main > .notice')?.textContent === 'Settings saved.'`, 30*time.Second) {
		t.Fatal("no confirmation after saving the languages")
	}
	for _, lang := range []string{"en", "ar"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(f.base+"/admin?lang="+lang), chromedp.WaitVisible(css(`#languages`))); err != nil {
			t.Fatal(err)
		}
		fitsWidth(t, ctx, "the admin page with a logo in "+lang)
		for _, v := range axeCheckScriptsOff(t, ctx) {
			t.Errorf("the admin page in %s: %s (%s) %s %v", lang, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
	// A refused upload: the message is next to the field, the page still fits.
	fake := filepath.Join(t.TempDir(), "drawing.png")
	if err := os.WriteFile(fake, []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), 0o600); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.SetUploadFiles(css(`#logo-file`), []string{fake}),
		chromedp.Click(css(`form[action="/admin/logo"] button[type="submit"]`)),
		chromedp.WaitVisible(css(`#logo-error .field-error`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, `#logo-error`); !strings.HasPrefix(got, "هذا الملف ليس صورة PNG أو JPEG.") {
		t.Errorf("the refused SVG got %q", got)
	}
	fitsWidth(t, ctx, "the admin page with a refused upload in ar")
	// Signed out once the page offers to sign in: waiting for <main> returned at once, on the
	// page being left, and the next navigation then cut the sign-out short (ERR_ABORTED).
	if err := chromedp.Do(ctx, chromedp.Click(css(`form[action="/logout"] button`)), chromedp.WaitVisible(css(`.nav a[href="/login"]`))); err != nil {
		t.Fatal(err)
	}

	// A visitor, signed out.
	for _, tc := range []struct{ lang, name, dir string }{{"ar", "الملاذ الآمن", "rtl"}, {"en", "Safe Haven", "ltr"}} {
		if err := chromedp.Do(ctx, chromedp.Navigate(f.base+"/?lang="+tc.lang), chromedp.WaitVisible(css(`.hero h1`))); err != nil {
			t.Fatal(err)
		}
		if got := text(t, ctx, `.hero h1`); got != tc.name {
			t.Errorf("%s home heading %q, want %q", tc.lang, got, tc.name)
		}
		if got := evaluate[string](t, ctx, `document.title`); !strings.HasSuffix(got, " · "+tc.name) {
			t.Errorf("%s title %q", tc.lang, got)
		}
		logo := evaluate[[]any](t, ctx, `(() => { const i = document.querySelector('header img.brand-logo'); return i ? [i.alt, i.complete && i.naturalWidth, i.getBoundingClientRect().height] : [] })()`)
		if len(logo) != 3 || logo[0] != tc.name || logo[1].(float64) != 512 || logo[2].(float64) <= 0 {
			t.Errorf("%s header logo [alt, natural width, height] = %v, want the name, 512 and shown", tc.lang, logo)
		}
		langs := evaluate[[]string](t, ctx, `[...document.querySelectorAll('.languages a')].map(a => a.lang)`)
		if strings.Join(langs, ",") != "ar,en" {
			t.Errorf("%s switcher offers %v, want ar and en only", tc.lang, langs)
		}
		if got := evaluate[string](t, ctx, `document.documentElement.dir`); got != tc.dir {
			t.Errorf("%s page dir %q", tc.lang, got)
		}
		fitsWidth(t, ctx, "the home page with a logo in "+tc.lang)
		for _, v := range axeCheckScriptsOff(t, ctx) {
			t.Errorf("the home page in %s: %s (%s) %s %v", tc.lang, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
	// Only Arabic has a description: English falls back to the default language's (English,
	// none), then to the built-in introduction.
	if got := text(t, ctx, `.hero .lead`); !strings.HasPrefix(got, "Courses and live sessions") {
		t.Errorf("the English page's description is %q, want the built-in one", got)
	}
	// French is shipped but not offered: asking for it keeps the page in English.
	if err := chromedp.Do(ctx, chromedp.Navigate(f.base+"/courses?lang=fr"), chromedp.WaitVisible(css(`main`))); err != nil {
		t.Fatal(err)
	}
	if got := evaluate[string](t, ctx, `document.documentElement.lang`); got != "en" {
		t.Errorf("asking for French gave a page in %q", got)
	}
}

// axeCheckScriptsOff runs axe on a page shown with scripts off: axe needs them, so they are
// on for the check only (the page is not reloaded, so its own scripts stay unrun).
func axeCheckScriptsOff(t *testing.T, ctx context.Context) []axeViolation {
	t.Helper()
	scripts := func(disabled bool) {
		err := chromedp.Do(ctx, chromedp.Func(func(c context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(c, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: disabled})
			return err
		}))
		if err != nil {
			t.Fatal(err)
		}
	}
	scripts(false)
	defer scripts(true)
	return axeCheck(t, ctx)
}
