package browser_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/web"
	"github.com/cairn-lms/cairn/courses"
	"github.com/cairn-lms/cairn/i18n"
)

// phoneWidth is the narrowest common phone screen, in CSS pixels.
const sweepWidth = 360

// layout is what the sweep measures on a page: how wide it is laid out against the
// viewport, the elements that stick out (for the report), and the quiz questions whose
// text starts above the inside of their card (on its top border).
type layout struct {
	ScrollWidth int      `json:"scrollWidth"`
	ClientWidth int      `json:"clientWidth"`
	Culprits    []string `json:"culprits"`
	CutLegends  []string `json:"cutLegends"`
	LooseTables int      `json:"looseTables"`
}

const measureLayout = `(() => {
  const se = document.scrollingElement, cw = se.clientWidth;
  const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "");
  const culprits = [];
  if (se.scrollWidth > cw) {
    for (const e of document.body.querySelectorAll("*")) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && (r.right > cw + 1 || r.left < -1)) {
        // Only the outermost element that sticks out: its children follow it.
        let p = e.parentElement, inner = false;
        while (p && p !== document.body) { const pr = p.getBoundingClientRect(); if (pr.right > cw + 1 || pr.left < -1) { inner = true; break; } p = p.parentElement; }
        if (!inner) culprits.push(name(e) + " " + Math.round(r.left) + ".." + Math.round(r.right) + ": " + (e.textContent || "").trim().slice(0, 50));
        if (culprits.length >= 3) break;
      }
    }
  }
  const cut = [];
  for (const f of document.querySelectorAll("fieldset.question")) {
    const lg = f.querySelector(":scope > legend");
    if (!lg) continue;
    const inside = f.getBoundingClientRect().top + parseFloat(getComputedStyle(f).borderTopWidth);
    if (lg.getBoundingClientRect().top < inside - 0.5) cut.push(f.id);
  }
  const loose = [...document.querySelectorAll(".prose table")].filter(t => !t.parentElement.classList.contains("table-scroll")).length;
  return {scrollWidth: se.scrollWidth, clientWidth: cw, culprits: culprits, cutLegends: cut, looseTables: loose};
})()`

// sweepPage is one page of the sweep and what it is.
type sweepPage struct{ path, kind string }

// sweepPages lists every page showing course content, from the catalogue the server serves
// (the shipped courses): each course page, lesson, quiz and trainer notes in every language
// it exists in that the interface also speaks, and the catalogue, the first-aid page and the
// device-traces page in each interface language. Courses and translations added later are
// swept without a change here.
func sweepPages(t *testing.T, ui []string) []sweepPage {
	t.Helper()
	cat, _ := course.Load(courses.FS, "courses", course.Options{})
	if len(cat.All()) == 0 {
		t.Fatal("no shipped course")
	}
	var out []sweepPage
	for _, lang := range ui {
		out = append(out, sweepPage{"/courses?lang=" + lang, "catalog"}, sweepPage{"/first-aid?lang=" + lang, "first aid"},
			sweepPage{"/my-plan?lang=" + lang, "risk intake"},
			sweepPage{"/device-traces?lang=" + lang, "device traces"})
	}
	speaks := func(lang string) bool { return slices.Contains(ui, lang) }
	for _, c := range cat.All() {
		for _, lang := range ui {
			if c.Title[lang] != "" {
				out = append(out, sweepPage{"/courses/" + c.ID + "?lang=" + lang, "course"})
			}
		}
		for _, l := range c.Lessons {
			for _, lang := range l.LanguageList() {
				if speaks(lang) {
					out = append(out, sweepPage{"/courses/" + c.ID + "/lessons/" + l.ID + "?lang=" + lang, "lesson"})
				}
			}
		}
		for _, m := range c.Modules {
			if m.Quiz != nil {
				langs := map[string]bool{}
				for _, q := range m.Quiz.Questions {
					for lang := range q.Texts {
						langs[lang] = true
					}
				}
				for _, lang := range ui {
					if langs[lang] {
						out = append(out, sweepPage{"/courses/" + c.ID + "/quizzes/" + m.ID + "?lang=" + lang, "quiz"})
					}
				}
			}
			for _, lang := range ui {
				if m.TrainerNotes[lang] != nil {
					out = append(out, sweepPage{"/courses/" + c.ID + "/trainer-notes/" + m.ID + "?lang=" + lang, "trainer notes"})
				}
			}
		}
	}
	return out
}

// TestNoPageScrollsSidewaysOnAPhone opens every page that shows course content, in every
// language, at 360 CSS pixels with JavaScript off (Tor Browser's Safest level), signed in
// as a trainer (who sees everything a learner does, and the trainer notes), and fails on
// any page laid out wider than the screen, naming it, its width and what sticks out. On
// the same pages it checks that no quiz question starts on its card's top border and that
// every table of a lesson is in its scrolling box.
func TestNoPageScrollsSidewaysOnAPhone(t *testing.T) {
	started := time.Now()
	// The whole sweep runs in one tab: not newBrowser, whose 90 s (meant for one journey) a
	// longer timeout derived from it could not lift; ~350 pages under -race on two busy cores
	// took more than that.
	ctx, cancel := context.WithTimeout(startChromium(t), 15*time.Minute)
	defer cancel()
	noJavaScript(t, ctx)
	db := dbtest.Open(t, "sqlite")
	base := startServer(t, db)
	bundle, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	var ui []string
	for _, l := range bundle.Languages() {
		ui = append(ui, l.Tag)
	}
	pages := sweepPages(t, ui)

	ctxb := context.Background()
	st := store.New(db, nil)
	hasher, _ := auth.NewHasher(1024, 1, 1, 1)
	const password = "a phone-sized passphrase"
	hash, _ := hasher.Hash(ctxb, password)
	u := &model.User{Username: "sweeper", UsernameKey: "sweeper", UsernameSkeleton: auth.UsernameSkeleton("sweeper"), PasswordHash: hash, Role: model.RoleTrainer}
	if err := st.CreateAccount(ctxb, store.NewAccount{User: u}); err != nil {
		t.Fatal(err)
	}
	signInAs(t, ctx, base, "sweeper", password)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(sweepWidth, 740)); err != nil {
		t.Fatal(err)
	}

	// The measure must be able to fail: a page with a wide table outside any box.
	if err := chromedp.Do(ctx, chromedp.Navigate(`data:text/html,<meta name="viewport" content="width=device-width"><div class="prose"><table><tr><td>`+strings.Repeat("x", 120)+`</td></tr></table></div>`)); err != nil {
		t.Fatal(err)
	}
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[layout](measureLayout)); err != nil || got.ScrollWidth <= got.ClientWidth || got.LooseTables != 1 || len(got.Culprits) == 0 {
		t.Fatalf("the measure misses a wide page: %+v, %v", got, err)
	}

	var report strings.Builder
	counts := map[string]int{}
	for _, p := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+p.path)); err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[layout](measureLayout))
		if err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		counts[p.kind]++
		if got.ScrollWidth > got.ClientWidth {
			fmt.Fprintf(&report, "%s scrolls sideways: %d px wide on a %d px screen; sticking out: %s\n", p.path, got.ScrollWidth, got.ClientWidth, strings.Join(got.Culprits, " | "))
		}
		if len(got.CutLegends) > 0 {
			fmt.Fprintf(&report, "%s: question text on the card's top border: %v\n", p.path, got.CutLegends)
		}
		if got.LooseTables > 0 {
			fmt.Fprintf(&report, "%s: %d table(s) outside a scrolling box\n", p.path, got.LooseTables)
		}
	}
	if counts["lesson"] == 0 || counts["quiz"] == 0 || counts["course"] == 0 || counts["catalog"] != len(ui) || counts["device traces"] != len(ui) {
		t.Fatalf("the sweep missed a kind of page: %v", counts)
	}
	t.Logf("swept %d pages at %d px (%v) in %s", len(pages), sweepWidth, counts, time.Since(started).Round(time.Second))
	if report.Len() > 0 {
		t.Fatalf("pages that do not fit a %d px phone:\n%s", sweepWidth, report.String())
	}
}

// mixedCourse is an English course with one question also in Arabic, served in the
// Arabic interface: content of one direction inside pages of the other.
func mixedCourse() fstest.MapFS {
	return fstest.MapFS{
		"mixed/course.yaml": {Data: []byte("id: mixed\nversion: \"1\"\ndefault_language: en\nlevel: beginner\nminutes: 5\nlicence: CC-BY-SA-4.0\n" +
			"title: {en: An English course}\nsummary: {en: Only in English.}\n" +
			"modules:\n  - id: m\n    title: {en: Reading addresses}\n    lessons: [one, two]\n    quiz: true\n")},
		"mixed/m/one/en.md":    {Data: []byte("---\ntitle: The first lesson\n---\nText.\n")},
		"mixed/m/two/en.md":    {Data: []byte("---\ntitle: The second lesson\n---\nText.\n")},
		"mixed/m/quiz.yaml":    {Data: []byte("pass_mark: 50\nquestions:\n  - id: q\n    type: single\n    options: [{id: a, correct: true}, {id: b}]\n")},
		"mixed/m/quiz.en.yaml": {Data: []byte("q:\n  stem: \"Your organisation's website is `example-ngo.org`. Which address is real?\"\n  options: {a: \"`https://mail.example-ngo.org`\", b: \"`https://example-ngo.org.login-check.net`\"}\n")},
		"mixed/m/quiz.ar.yaml": {Data: []byte("q:\n  stem: \"موقع منظمتك الإلكتروني هو `example-ngo.org`. أيّ هذه العناوين حقيقي؟\"\n  options: {a: \"`https://mail.example-ngo.org`\", b: \"`https://example-ngo.org.login-check.net`\"}\n")},
	}
}

// TestDirectionsHoldWhereLanguagesMix is what a reader of Arabic sees of an English course
// (and of an address in an Arabic question): the arrows and the breadcrumb trail go the
// way the page reads, the English text is laid out as English, and a domain keeps the full
// stop after it on the side where the sentence goes on.
func TestDirectionsHoldWhereLanguagesMix(t *testing.T) {
	ctx := newBrowser(t)
	db := dbtest.Open(t, "sqlite")
	base := startServerWith(t, db, &web.CoursesSource{FS: mixedCourse(), Label: "mixed"})
	ctxb := context.Background()
	st := store.New(db, nil)
	hasher, _ := auth.NewHasher(1024, 1, 1, 1)
	hash, _ := hasher.Hash(ctxb, "a mixed-direction passphrase")
	u := &model.User{Username: "mixer", UsernameKey: "mixer", UsernameSkeleton: auth.UsernameSkeleton("mixer"), PasswordHash: hash, Role: model.RoleLearner}
	if err := st.CreateAccount(ctxb, store.NewAccount{User: u}); err != nil {
		t.Fatal(err)
	}
	signInAs(t, ctx, base, "mixer", "a mixed-direction passphrase")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1000, 800)); err != nil {
		t.Fatal(err)
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	for _, tc := range []struct{ lang, next, prev, crumbs string }{
		{"ar", "\u2190", "\u2192", "right-to-left"},
		{"en", "\u2192", "\u2190", "left-to-right"},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/courses/mixed/lessons/one?lang="+tc.lang)); err != nil {
			t.Fatal(err)
		}
		if got := eval(`getComputedStyle(document.querySelector(".pager a[rel=next]"), "::after").content`); !strings.Contains(got, tc.next) {
			t.Errorf("%s: the next lesson's arrow is %s, want %s", tc.lang, got, tc.next)
		}
		// The trail "Courses › An English course › Reading addresses" in the page's order,
		// though the titles are English.
		got := eval(`(() => { const li = [...document.querySelectorAll(".breadcrumbs li")].map(e => e.getBoundingClientRect());
			if (li.length !== 3) return "items: " + li.length;
			const rtl = li[0].left > li[1].right - 1 && li[1].left > li[2].right - 1, ltr = li[0].right < li[1].left + 1 && li[1].right < li[2].left + 1;
			return rtl ? "right-to-left" : ltr ? "left-to-right" : "mixed"; })()`)
		if got != tc.crumbs {
			t.Errorf("%s: breadcrumbs laid out %s, want %s", tc.lang, got, tc.crumbs)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/courses/mixed/lessons/two?lang="+tc.lang)); err != nil {
			t.Fatal(err)
		}
		if got := eval(`getComputedStyle(document.querySelector(".pager a[rel=prev]"), "::before").content`); !strings.Contains(got, tc.prev) {
			t.Errorf("%s: the previous lesson's arrow is %s, want %s", tc.lang, got, tc.prev)
		}
	}
	// The English course in the Arabic catalogue is English: left to right, aligned left.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/courses?lang=ar")); err != nil {
		t.Fatal(err)
	}
	if got := eval(`(() => { const h = document.querySelector(".course-card h2"), s = getComputedStyle(h); return h.lang + " " + s.direction + " " + (h.querySelector("a").getBoundingClientRect().left - h.getBoundingClientRect().left < 2); })()`); got != "en ltr true" {
		t.Errorf("the English course's card title in Arabic: %s, want en ltr, at the left", got)
	}
	// In the Arabic question, the full stop after the domain is to its left, where the
	// Arabic sentence goes on, not drawn against it as if it were part of the address.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/courses/mixed/quizzes/m?lang=ar")); err != nil {
		t.Fatal(err)
	}
	got := eval(`(() => { const code = document.querySelector(".stem code"); if (!code) return "no code";
		const s = getComputedStyle(code); const dot = code.nextSibling; if (!dot || dot.nodeType !== 3 || dot.data[0] !== ".") return "no full stop";
		const r = document.createRange(); r.setStart(dot, 0); r.setEnd(dot, 1); const d = r.getBoundingClientRect(), c = code.getBoundingClientRect();
		return s.unicodeBidi + " " + s.direction + " " + (d.right <= c.left + 1 ? "left of the domain" : "at " + Math.round(d.left) + ", domain " + Math.round(c.left) + ".." + Math.round(c.right)); })()`)
	if got != "isolate ltr left of the domain" {
		t.Errorf("the domain in the Arabic question: %s", got)
	}
}
