package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/i18n"
)

// proseTagRE counts the structure of the page's text: sections, browsers, and steps.
var proseTagRE = regexp.MustCompile(`<(h2|h3|li)\b`)

func TestDeviceTracesPageIsPublicInEveryLanguageAndComplete(t *testing.T) {
	// Each language: its title, the date the menus were checked, and Firefox's item for one
	// site as Firefox itself words it in that language (its own translations, browser/places.ftl).
	cases := []struct{ lang, title, dir, asOf, firefox string }{
		{"en", "What this site leaves on your device", "ltr", "December 2026", "Forget About This Site…"},
		{"es", "Lo que este sitio deja en tu dispositivo", "ltr", "diciembre de 2026", "Olvidar este sitio…"},
		{"fr", "Ce que ce site laisse sur votre appareil", "ltr", "décembre 2026", "Oublier ce site…"},
		{"ar", "ما يتركه هذا الموقع على جهازك", "rtl", "ديسمبر 2026", "انسَ هذا الموقع…"},
		{"fa", "آنچه این سایت روی دستگاه شما باقی می\u200cگذارد", "rtl", "دسامبر ۲۰۲۶", "فراموش کردن این سایت…"},
	}
	checked := map[string]bool{}
	for _, tc := range cases {
		checked[tc.lang] = true
	}
	bundle, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range bundle.Languages() {
		if !checked[l.Tag] {
			t.Errorf("the interface speaks %s but this test does not check a device-traces page in it: write assets/pages/device-traces.%s.md and add it here", l.Tag, l.Tag)
		}
	}
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		// Even on an instance whose courses are for members only, no sign-in is needed.
		if err := store.New(ts.DB, nil).SetSetting(context.Background(), "content_access", "members"); err != nil {
			t.Fatal(err)
		}
		b := ts.browser(t)
		var want map[string]int // the English page's headings and list items
		for _, tc := range cases {
			p := b.get("/device-traces?lang=" + tc.lang)
			mustStatus(t, p, http.StatusOK)
			mustContain(t, p, `<html lang="`+tc.lang+`" dir="`+tc.dir+`"`, "<h1>"+tc.title+"</h1>",
				`<div class="prose" lang="`+tc.lang+`" dir="`+tc.dir+`">`, tc.asOf, tc.firefox,
				// Seven browsers, each under its own heading, named as their makers name them.
				"Chrome", "Firefox", "Safari", "Samsung Internet", "Tor",
				// The path confirmed on Chrome's help page, kept in English with a gloss, and
				// Firefox's item in English beside the translation.
				"Third-party cookies", "See all site data and permissions", "Forget About This Site",
				"no-store", "myactivity.google.com")
			if strings.Contains(p.Body, `class="notice warning"`) {
				t.Errorf("%s: the page says it fell back to another language", tc.lang)
			}
			if m := externalLoadRE.FindString(p.Body); m != "" {
				t.Errorf("%s: the page loads something from another site: %s", tc.lang, m)
			}
			// A translation has every section, browser and step of the English page.
			got := map[string]int{}
			for _, m := range proseTagRE.FindAllStringSubmatch(p.Body[strings.Index(p.Body, `<div class="prose"`):], -1) {
				got[m[1]]++
			}
			if want == nil {
				want = got
				if got["h3"] != 7 || got["h2"] < 5 {
					t.Fatalf("the English page has %d browser sections and %d sections, want 7 and at least 5", got["h3"], got["h2"])
				}
			} else if len(got) != len(want) || got["h2"] != want["h2"] || got["h3"] != want["h3"] || got["li"] != want["li"] {
				t.Errorf("%s: %v headings and list items, the English page has %v", tc.lang, got, want)
			}
		}
	})
}

func TestDeviceTracesIsLinkedFromTheAccountAndSignInPages(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		p := b.get("/login?lang=ar")
		hint := p.Body[strings.Index(p.Body, `id="shared-hint"`):]
		if !strings.Contains(hint[:strings.Index(hint, "</p>")], `<a href="/device-traces">ما يتركه هذا الموقع على الجهاز، وكيف تزيله</a>`) {
			t.Errorf("the shared-device hint of the sign-in page does not link the device-traces page:\n%s", hint)
		}
		b.signUp("trace-reader")
		p = b.get("/account?lang=en")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "<h2>Traces on this device</h2>", "history, with their titles and addresses",
			`<a href="/device-traces">What this site leaves on your device, and how to remove it, browser by browser</a>`)
	})
}
