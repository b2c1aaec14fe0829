package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/i18n"
)

// externalLoadRE finds anything a page would make the browser fetch by itself.
var externalLoadRE = regexp.MustCompile(`(?i)<(?:img|script|iframe|link|source|video|audio|object|embed)\b[^>]*\b(?:src|href|data)="(?:https?:)?//`)

func TestFirstAidPageIsPublicInEveryLanguageAndLoadsNothingFromElsewhere(t *testing.T) {
	cases := []struct{ lang, title, dir, asOf, step, pin string }{
		{"en", "Digital first aid", "ltr", "December 2026", "Do not wipe, reset or reinstall", "they cannot be recovered"},
		{"es", "Primeros auxilios digitales", "ltr", "diciembre de 2026", "No borres, restablezcas ni reinstales", "número de caso y tu PIN"},
		{"fr", "Premiers secours numériques", "ltr", "décembre 2026", "N&#39;effacez pas", "ils sont irrécupérables"},
		{"ar", "الإسعافات الأولية الرقمية", "rtl", "ديسمبر 2026", "لا تمسح الجهاز", "رقم الحالة ورمز PIN"},
		{"fa", "کمک\u200cهای اولیهٔ دیجیتال", "rtl", "دسامبر ۲۰۲۶", "دستگاه مشکوک را پاک نکنید", "شمارهٔ پرونده و پین (PIN)"},
	}
	// Every interface language has its own page: a reader whose interface is in Persian must
	// not be handed the English text.
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
			t.Errorf("the interface speaks %s but this test does not check a first-aid page in it: write assets/pages/first-aid.%s.md and add it here", l.Tag, l.Tag)
		}
	}
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		// Even on an instance whose courses are for members only, no sign-in is needed.
		if err := store.New(ts.DB, nil).SetSetting(context.Background(), "content_access", "members"); err != nil {
			t.Fatal(err)
		}
		b := ts.browser(t)
		for _, tc := range cases {
			p := b.get("/first-aid?lang=" + tc.lang)
			mustStatus(t, p, http.StatusOK)
			mustContain(t, p, `<html lang="`+tc.lang+`" dir="`+tc.dir+`"`, "<h1>"+tc.title+"</h1>",
				`<div class="prose" lang="`+tc.lang+`" dir="`+tc.dir+`">`, tc.asOf, tc.step,
				`href="mailto:help@accessnow.org"`, "+353\u00a01\u00a0210\u00a00489", `href="https://www.civicert.org/"`,
				"Digital Defenders Partnership", `href="https://securitylab.amnesty.org/get-help/"`,
				// The services against intimate images shared or threatened, and the warning
				// that StopNCII cannot give back a lost case number or PIN.
				"<strong>StopNCII", `href="https://stopncii.org/"`, "<strong>Take It Down</strong>",
				`href="https://takeitdown.ncmec.org/"`, tc.pin)
			if strings.Contains(p.Body, "first_aid_fallback") || strings.Contains(p.Body, `class="notice warning"`) {
				t.Errorf("%s: the page says it fell back to another language", tc.lang)
			}
			if strings.Contains(p.Body, "local-contacts") {
				t.Errorf("%s: a local contacts section with no contacts set", tc.lang)
			}
			if m := externalLoadRE.FindString(p.Body); m != "" {
				t.Errorf("%s: the page loads something from another site: %s", tc.lang, m)
			}
		}
	})
}

func TestFirstAidIsLinkedFromEveryPagesFooterAndFromLessons(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		for _, path := range []string{"/", "/courses", "/login", "/no-such-page", "/courses/sample/lessons/first-steps?lang=ar"} {
			p := b.get(path)
			footer := p.Body[strings.Index(p.Body, `<footer class="site-footer">`):]
			if !strings.Contains(footer, `<a href="/first-aid">`) {
				t.Errorf("%s: no first-aid link in the site footer", path)
			}
		}
		p := b.get("/courses/sample/lessons/first-steps?lang=en")
		aside := p.Body[strings.Index(p.Body, `<aside class="card lesson-footer">`):]
		if !strings.Contains(aside[:strings.Index(aside, "</aside>")], `<a href="/first-aid">Something wrong right now? Digital first aid</a>`) {
			t.Errorf("the lesson footer has no first-aid link:\n%s", aside)
		}
	})
}

func TestAdminsSetLocalFirstAidContactsThatShowAsEscapedLinkedText(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		st := store.New(ts.DB, nil)
		admin := ts.browser(t)
		admin.signUp("first-admin")
		makeAdmin(t, ts, "first-admin")
		admin.signIn("first-admin", strongPassword)
		learner := ts.browser(t)
		learner.signUp("plain-learner")
		trainer := ts.trainer(t, "plain-trainer")

		contacts := "Lawyers' collective: +254 20 123 4567\r\n\r\nHelp desk <b>bold</b>: https://help.example.org/desk, desk@example.org\r\nمكتب المساعدة: +961 1 234 567\r\nوکیل: +۹۸ ۲۱ ۱۲۳۴ ۵۶۷۸"
		// Learners and trainers are refused, and nothing is stored.
		for _, who := range []*browser{learner, trainer} {
			p, _ := who.postNoFollow("/admin/first-aid", url.Values{"contacts": {"hijacked https://evil.example"}})
			mustStatus(t, p, http.StatusForbidden)
		}
		// A forged form (no token, another browser's token) is refused too.
		p, _ := admin.doNoFollow(formRequest(t, ts.URL+"/admin/first-aid", url.Values{"contacts": {"forged"}}))
		mustStatus(t, p, http.StatusForbidden)
		p, _ = admin.doNoFollow(formRequest(t, ts.URL+"/admin/first-aid", url.Values{"contacts": {"forged"}, "csrf_token": {learner.csrf()}}))
		mustStatus(t, p, http.StatusForbidden)
		if v, err := st.Setting(ctx, store.SettingFirstAidContacts, "unset"); err != nil || v != "unset" {
			t.Fatalf("refused forms stored contacts: %q, %v", v, err)
		}

		p = admin.post("/admin/first-aid", url.Values{"contacts": {contacts}})
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Settings saved.")
		stored, err := st.Setting(ctx, store.SettingFirstAidContacts, "")
		if err != nil || strings.Contains(stored, "\r") {
			t.Fatalf("stored contacts %q, %v: want Unix line breaks", stored, err)
		}
		if !strings.Contains(admin.get("/admin").Body, "Help desk &lt;b&gt;bold&lt;/b&gt;") {
			t.Fatal("the admin form does not show the stored contacts")
		}

		for _, lang := range []string{"en", "ar", "fa"} {
			p = ts.browser(t).get("/first-aid?lang=" + lang)
			mustContain(t, p, `<section class="local-contacts"`,
				`<a href="tel:+254201234567" dir="ltr" rel="noreferrer">+254 20 123 4567</a>`,
				`Help desk &lt;b&gt;bold&lt;/b&gt;: <a href="https://help.example.org/desk" dir="ltr" rel="noreferrer">https://help.example.org/desk</a>, <a href="mailto:desk@example.org" dir="ltr" rel="noreferrer">desk@example.org</a><br>`,
				`مكتب المساعدة: <a href="tel:+9611234567"`,
				// A number typed in Persian digits is shown as typed and dialled in Western digits.
				`وکیل: <a href="tel:+982112345678" dir="ltr" rel="noreferrer">+۹۸ ۲۱ ۱۲۳۴ ۵۶۷۸</a>`)
		}

		// Too long: refused with a localised message, the text kept in the form, nothing stored.
		p = admin.post("/admin/first-aid?lang=es", url.Values{"contacts": {strings.Repeat("ñ", 601)}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "Limita los contactos locales a 600 caracteres y 12 líneas", strings.Repeat("ñ", 601))
		p = admin.post("/admin/first-aid?lang=es", url.Values{"contacts": {strings.Repeat("a\n", 13)}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		if v, _ := st.Setting(ctx, store.SettingFirstAidContacts, ""); v != stored {
			t.Fatalf("a refused update changed the contacts to %q", v)
		}

		// Emptying the field removes the section.
		mustStatus(t, admin.post("/admin/first-aid", url.Values{"contacts": {" \r\n "}}), http.StatusOK)
		if strings.Contains(ts.browser(t).get("/first-aid").Body, "local-contacts") {
			t.Fatal("the local contacts section is still shown after the contacts were removed")
		}
	})
}

func formRequest(t *testing.T, target string, form url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}
