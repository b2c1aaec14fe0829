package web_test

import (
	"io/fs"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/assets"
)

// Right-to-left and small screens (issue 13): what the server writes. What the browser
// lays out (no sideways scrolling, the arrows' direction) is checked in app/web/browser.
// These pages read no more than other pages do, so one database is enough.

func TestLessonTablesScrollInsideTheirOwnNamedBox(t *testing.T) {
	ts := startServer(t, dbtest.Open(t, "sqlite"), testConfig())
	b := ts.browser(t)
	mustContain(t, b.get("/courses/sample/lessons/first-steps?lang=en"),
		"<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table\">\n<table>")
	// The box is named in the lesson's language: an Arabic lesson in a French interface.
	mustContain(t, b.get("/courses/sample/lessons/first-steps?lang=ar"), `aria-label="جدول"`)
}

func TestCourseContentIsMarkedWithTheLanguageItIsWrittenIn(t *testing.T) {
	ts := startServer(t, dbtest.Open(t, "sqlite"), testConfig())
	b := ts.browser(t)
	// The sample course is in English and Arabic. In a Spanish interface it is shown in
	// English, marked as such; in an Arabic one, in Arabic.
	mustContain(t, b.get("/courses?lang=es"),
		`<h2 lang="en" dir="ltr"><a href="/courses/sample">A sample course</a></h2>`,
		`<p lang="en" dir="ltr">Used by the tests.</p>`,
		`<span lang="ar" dir="rtl">العربية</span>`)
	mustContain(t, b.get("/courses?lang=ar"), `<h2 lang="ar" dir="rtl"><a href="/courses/sample">دورة تجريبية</a></h2>`)
	mustContain(t, b.get("/courses/sample?lang=es"),
		`<h1 lang="en" dir="ltr">A sample course</h1>`,
		`<p class="lead" lang="en" dir="ltr">Used by the tests.</p>`,
		`: <span lang="en" dir="ltr">Basics</span></h2>`,
		`<a href="/courses/sample/lessons/first-steps" lang="en" dir="ltr">First steps</a>`)
	lesson := b.get("/courses/sample/lessons/first-steps?lang=fr")
	mustContain(t, lesson,
		`<li><a href="/courses/sample" lang="en" dir="ltr">A sample course</a></li><li><span lang="en" dir="ltr">Basics</span></li>`,
		`<article class="lesson" lang="en" dir="ltr">`,
		`<a rel="next" href="/courses/sample/lessons/second-steps"><span lang="en" dir="ltr">Second steps</span></a>`)

	b.signUp("polyglot")
	quiz := b.get("/courses/sample/quizzes/basics?lang=es")
	mustContain(t, quiz, `<h1>Cuestionario: <span lang="en" dir="ltr">Basics</span></h1>`, `<span class="stem" lang="en" dir="ltr">`,
		`<div class="field checkbox" lang="en" dir="ltr"><input type="radio"`)
	// True or false are the interface's words.
	mustContain(t, quiz, `<div class="field checkbox" lang="es" dir="ltr"><input type="radio"`)
	arQuiz := b.get("/courses/sample/quizzes/basics?lang=ar")
	mustContain(t, arQuiz, `<span class="stem" lang="ar" dir="rtl">أيها الصحيح؟</span>`)
	if strings.Contains(arQuiz.Body, `<span class="stem" lang="en"`) {
		t.Error("an Arabic quiz text is marked as English")
	}
	b.post("/courses/sample/lessons/first-steps/complete", nil)
	mustContain(t, b.get("/learning?lang=es"), `<h3 lang="en" dir="ltr"><a href="/courses/sample">A sample course</a></h3>`)
}

// arrowRE finds arrows and chevrons written into a page: they point one way whatever the
// page's direction, where the stylesheet's point the way the page reads.
var arrowRE = regexp.MustCompile(`[←→›‹]`)

func TestBreadcrumbsAndPagerCarryNoFixedArrows(t *testing.T) {
	ts := startServer(t, dbtest.Open(t, "sqlite"), testConfig())
	b := ts.browser(t)
	for _, path := range []string{"/courses/sample?lang=ar", "/courses/sample/lessons/first-steps?lang=ar", "/courses/sample/lessons/second-steps?lang=ar"} {
		p := b.get(path)
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, `<nav class="breadcrumbs" aria-label="أنت هنا"><ol><li><a href="/courses">`)
		main := p.Body[strings.Index(p.Body, "<main"):strings.Index(p.Body, "</main>")]
		if m := arrowRE.FindString(main); m != "" {
			t.Errorf("%s writes %q into the page", path, m)
		}
	}
}

func TestQuizResultsListAnswersWithTheSeparatorOfTheirLanguage(t *testing.T) {
	ts := startServer(t, dbtest.Open(t, "sqlite"), testConfig())
	for _, tc := range []struct{ lang, sep string }{{"en", "; "}, {"ar", "؛ "}} {
		b := ts.browser(t)
		b.signUp("lister-" + tc.lang)
		page := b.get("/courses/sample/quizzes/basics?lang=" + tc.lang).Body
		form := rightAnswers(t, page)
		form.Del("q.pick-many")
		for _, o := range optionRE.FindAllStringSubmatch(page, -1) {
			if o[1] == "pick-many" || form.Get("q."+o[1]) == "" { // pick-many: every option, two right and one wrong
				form.Add("q."+o[1], o[2])
			}
		}
		for _, o := range orderRE.FindAllStringSubmatch(page, -1) {
			if o[1] == "sort-them" && form.Get("q.sort-them."+o[2]) == "" {
				pos, _ := strconv.Atoi(o[2])
				form.Set("q.sort-them."+o[2], strconv.Itoa(pos+1))
			}
		}
		p := b.post("/courses/sample/quizzes/basics?lang="+tc.lang, form)
		mustStatus(t, p, http.StatusOK)
		// The options are in the order of this attempt: any two of them, joined.
		joined := regexp.MustCompile(`Option [ABC]` + regexp.QuoteMeta(tc.sep) + `Option [ABC]`)
		if !joined.MatchString(p.Body) {
			t.Errorf("%s: answers not joined with %q:\n%s", tc.lang, tc.sep, p.Body)
		}
		if other := map[string]string{"en": "؛", "ar": "; "}[tc.lang]; regexp.MustCompile(`Option [ABC]` + other).MatchString(p.Body) {
			t.Errorf("%s: answers joined with %q", tc.lang, other)
		}
	}
}

func TestNumbersAndDatesAreWrittenInTheReadersLanguage(t *testing.T) {
	ts := startServer(t, dbtest.Open(t, "sqlite"), testConfig())
	b := ts.browser(t)
	mustContain(t, b.get("/courses/sample/lessons/first-steps?lang=en"), "Reading time: about 3 minutes")
	mustContain(t, b.get("/courses/sample/lessons/first-steps?lang=ar"), "مدة القراءة: دقيقة واحدة تقريبًا")
	b.signUp("dated")
	mustContain(t, b.get("/account?lang=ar"), "23 نوفمبر 2026، الساعة 12:00 (UTC)")
	mustContain(t, b.get("/account?lang=fr"), "23 novembre 2026 à 12:00 UTC")
	// Topics: the sample course's tags have no name in the interface, so they show as they are.
	mustContain(t, b.get("/courses?lang=ar"), `<option value="testing">testing</option>`)
}

// TestTheStylesheetKeepsQuizQuestionsOffTheCardsBorder: a fieldset's legend is drawn on
// its top border, and a long question wrapped over two or three lines ran across it. The
// legend is floated, which lays it out inside the card; "float: inline-start" did that only
// in browsers from 2023 on (Chromium 118), while many phones' WebViews are older and drop
// the declaration, leaving the question on the border. The legend is as wide as the card,
// so "left" is right in either direction and understood everywhere.
func TestTheStylesheetKeepsQuizQuestionsOffTheCardsBorder(t *testing.T) {
	css, err := fs.ReadFile(assets.FS, "static/css/cairn.css")
	if err != nil {
		t.Fatal(err)
	}
	rule := regexp.MustCompile(`\.quiz \.question > legend \{([^}]*)\}`).FindSubmatch(css)
	if rule == nil {
		t.Fatal("no rule for the quiz questions' legends")
	}
	if !regexp.MustCompile(`float:\s*left`).Match(rule[1]) || !regexp.MustCompile(`(inline-size|width):\s*100%`).Match(rule[1]) {
		t.Errorf("the legend is not floated across the card: %s", rule[1])
	}
	if m := regexp.MustCompile(`(float|clear):\s*inline-(start|end)`).Find(css); m != nil {
		t.Errorf("the stylesheet uses %q, which browsers before Chromium 118 drop", m)
	}
}
