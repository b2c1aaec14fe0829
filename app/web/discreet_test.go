package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The words a title must not carry in discreet mode, in every interface language.
var telltaleWords = []string{"Cairn", "ecurity", "eguridad", "écurité", "أمن", "امنیت", "ourse", "urso", "دورة", "دوره", "▲"}

func TestDiscreetModeTitlesEveryPageNeutrallyForThisBrowserOnly(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("quiet")
		pages := []string{"/", "/courses", "/courses/sample", "/courses/sample/lessons/first-steps", "/account", "/first-aid"}
		if got := title(t, b.get("/courses/sample")); !strings.Contains(got, "Cairn") {
			t.Fatalf("before discreet mode the title is %q", got)
		}
		p := b.get("/courses")
		mustContain(t, p, `action="/discreet"`, "Discreet mode: neutral page titles on this device")
		b.post("/discreet", url.Values{"on": {"1"}, "back": {"/courses"}})
		for _, lang := range []string{"en", "ar"} {
			want := map[string]string{"en": "Notes", "ar": "ملاحظات"}[lang]
			for _, path := range pages {
				p := b.get(path + "?lang=" + lang)
				mustStatus(t, p, http.StatusOK)
				if got := title(t, p); got != want {
					t.Fatalf("%s in %s is titled %q in discreet mode, want %q", path, lang, got, want)
				}
				brand, _, _ := strings.Cut(p.Body[strings.Index(p.Body, `<a class="brand"`):], "</a>")
				for _, w := range telltaleWords {
					if strings.Contains(brand, w) {
						t.Fatalf("%s: the header's name carries %q in discreet mode: %s", path, w, brand)
					}
				}
				mustContain(t, p, `<body class="discreet">`, `id="quick-exit"`)
			}
		}
		// Another browser is not discreet; this one leaves the mode from the footer.
		if got := title(t, ts.browser(t).get("/courses?lang=en")); got == "Notes" {
			t.Fatal("discreet mode reached another browser")
		}
		mustContain(t, b.get("/courses?lang=en"), "Leave discreet mode")
		b.post("/discreet", url.Values{"on": {"0"}, "back": {"/courses"}})
		if got := title(t, b.get("/courses")); got == "Notes" {
			t.Fatal("leaving discreet mode left the neutral title")
		}
		// Quick exit forgets the choice with the rest.
		b.post("/discreet", url.Values{"on": {"1"}, "back": {"/"}})
		b.getNoFollow("/exit")
		if got := title(t, b.get("/courses")); got == "Notes" {
			t.Fatal("the discreet choice survived quick exit")
		}
	})
}

func TestTheAdminTurnsDiscreetModeOnForEveryone(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := adminBrowser(t, ts, "keeper")
		p := admin.post("/admin/quick-exit", url.Values{"url": {"https://www.wikipedia.org/"}, "discreet": {"on"}})
		mustContain(t, p, "Settings saved.", `name="discreet" type="checkbox" value="on" aria-describedby="discreet-hint" checked`)
		visitor := ts.browser(t)
		for _, path := range []string{"/", "/login", "/courses/sample"} {
			p := visitor.get(path + "?lang=fr")
			if got := title(t, p); got != "Notes" {
				t.Fatalf("%s is titled %q with discreet mode on for everyone", path, got)
			}
			if strings.Contains(p.Body, `action="/discreet"`) {
				t.Fatalf("%s offers to leave a discreet mode the instance chose", path)
			}
		}
		mustContain(t, admin.get("/admin/audit"), "discreet mode turned on")
		admin.post("/admin/quick-exit", url.Values{"url": {"https://www.wikipedia.org/"}})
		if got := title(t, visitor.get("/courses/sample")); got == "Notes" {
			t.Fatal("discreet mode stayed on after the admin turned it off")
		}
	})
}
