package course_test

import (
	"flag"
	"io/fs"
	"os"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/quiz"
)

var update = flag.Bool("update", false, "rewrite testdata/broken.golden")

func problemLines(ps []course.Problem) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

// TestBrokenCoursesReportEveryProblemWithFileAndLine checks the checker's whole output on
// folders that each break rules on purpose; testdata/broken.golden is the expected output.
func TestBrokenCoursesReportEveryProblemWithFileAndLine(t *testing.T) {
	cat, ps := course.Load(os.DirFS("testdata/broken"), "broken", course.Options{})
	if n := len(cat.All()); n != 0 {
		t.Fatalf("%d broken courses were published", n)
	}
	got := problemLines(ps)
	if *update {
		if err := os.WriteFile("testdata/broken.golden", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/broken.golden")
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("problems differ from testdata/broken.golden (run go test -update to accept):\n--- got\n%s--- want\n%s", got, want)
	}
	for _, must := range []string{
		"bad-yaml/course.yaml:7: error:",
		`bad-quiz/m1/quiz.yaml:3: error: question "q1": unknown type "essay"`,
		`bad-quiz/m1/quiz.yaml:5: error: question "q2": a single-choice question needs exactly one correct option, found 0`,
		`bad-quiz/m1/quiz.yaml:10: error: duplicate question id "q2"`,
		`bad-quiz/m1/quiz.yaml:20: error: review correctness "sometimes": use always, after_pass, never`,
		`bad-content/m1/l1/en.md:8: error: missing image "missing.png"`,
		`bad-content/m1/l1/en.md:6: error: broken link "lesson:nowhere"`,
		`bad-content/course.yaml:15: error: lesson "l3" is missing in the default language`,
		`bad-content/m1/l1: warning: lesson "l1" has no fr.md`,
		`wrong-folder/course.yaml:7: error: unknown field "colour"`,
		`bad-format/course.yaml:10: error: prerequisite "Not An Id": give the id of a course`,
		`bad-format/course.yaml:11: error: prerequisite "bad-format": a course cannot be its own prerequisite`,
		`bad-format/course.yaml:16: error: module "m1": level "expert"`,
		`bad-format/course.yaml:17: error: module "m1": prerequisite "m2" is not an earlier module of this course`,
		`bad-format/course.yaml:23: error: module "m2": prerequisite "m2" is not an earlier module of this course`,
		`bad-format/m1/l1/en.md:5: error: empty objective`,
		`bad-format/m1/l1/en.md:9: error: checklist id "Bad_Id"`,
		`bad-format/m1/l1/en.md:11: error: duplicate checklist id "do-this" (first on line 7)`,
		`bad-format/m1/l1/en.md:13: error: checklist item "no-text" has no text`,
		`bad-format/m1/l1/en.md:16: error: link "/admin"`,
		`bad-format/m1/l1/fr.md:4: error: checklist ids [do-that] differ from the en version's`,
		`bad-format/m1/l2/en.md:3: error: objectives: give a list`,
		`bad-format/m1/l2/fr.md:4: error: a checklist item is a mapping with id and text`,
		`bad-format/m1/trainer.en.md:4: error: empty material`,
		`bad-format/m1/trainer.en.md:9: error: agenda stage "lecture"`,
		`bad-format/m1/trainer.en.md:10: error: agenda step 2: minutes must be a positive estimate`,
		`bad-format/m1/trainer.en.md:11: error: agenda step 2 has no title`,
		`bad-format/m1/trainer.en.md:12: error: agenda lesson "l3" is not a lesson of module "m1"`,
		`bad-format/m1/trainer.en.md:20: error: image "pic.png": trainer notes cannot show images`,
		`bad-format/m1/trainer.fr.md:3: error: agenda [activity 20 min; synthesis 10 min] differs from the en version's`,
		`bad-format/m2/trainer.ar.md:1: error: missing front matter`,
		`bad-format/m2/trainer.fr.md: error: trainer notes in "fr" but not in the default language`,
	} {
		if !strings.Contains(got, must) {
			t.Errorf("missing problem %q", must)
		}
	}
}

func TestValidCourseLoadsRendersAndIndexes(t *testing.T) {
	cat, ps := course.Load(os.DirFS("testdata/valid"), "valid", course.Options{
		CalloutLabel: func(lang, kind string) string { return lang + ":" + kind },
	})
	for _, p := range ps {
		if !p.Warning {
			t.Fatalf("unexpected error: %s", p)
		}
	}
	c := cat.Course("sample")
	if c == nil {
		t.Fatal("sample not published")
	}
	if strings.Join(c.Languages, ",") != "en,ar" {
		t.Fatalf("languages %v", c.Languages)
	}
	var ids []string
	for _, l := range c.Lessons {
		ids = append(ids, l.ID)
	}
	if strings.Join(ids, ",") != "first-steps,second-steps,drill" {
		t.Fatalf("lesson order %v", ids)
	}
	first := c.Lesson("first-steps")
	v, fell := first.Version("en")
	if fell || v.Title != "First steps" || v.Minutes != 3 {
		t.Fatalf("en version: %+v fell=%v", v, fell)
	}
	html := string(v.HTML)
	for _, want := range []string{`<h1 id="first-steps">`, `href="/courses/sample/lessons/second-steps"`, `<strong class="callout-title">en:tip</strong>`, "<table>", `src="/courses/sample/media/basics/first-steps/square.png"`} {
		if !strings.Contains(html, want) {
			t.Fatalf("rendered lesson lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<script") {
		t.Fatal("script survived sanitising")
	}
	if _, fell := first.Version("fr"); !fell {
		t.Fatal("a missing language must fall back")
	}
	if len(c.Media["basics/first-steps/square.png"]) == 0 {
		t.Fatal("image not loaded")
	}
	if first.Next().ID != "second-steps" || first.Prev() != nil || !c.Lesson("second-steps").LastInModule() {
		t.Fatal("navigation is wrong")
	}
	z := c.Module("basics").Quiz
	if z == nil || len(z.Questions) != 5 || z.PassMark != 60 || z.Question("type-it").Texts["en"].Accept[0] != "Tor Browser" {
		t.Fatalf("quiz: %+v", z)
	}
	for _, f := range []course.Filter{{Query: "sample"}, {Query: "تجريبية"}, {Level: "beginner", Tag: "testing", Language: "ar"}} {
		if len(cat.Find(f)) != 1 {
			t.Fatalf("filter %+v found nothing", f)
		}
	}
	if len(cat.Find(course.Filter{Language: "fr"})) != 0 {
		t.Fatal("a course without French must not match the French filter")
	}
}

// courseFS builds a course in memory with the given lesson ids in one module.
func courseFS(lessons ...string) fstest.MapFS {
	fsys := fstest.MapFS{"c/course.yaml": {Data: []byte(
		"id: c\nversion: \"2\"\ndefault_language: en\nlevel: beginner\nminutes: 5\nlicence: CC-BY-SA-4.0\n" +
			"title: {en: C}\nsummary: {en: S}\nmodules:\n  - id: m\n    title: {en: M}\n    lessons: [" + strings.Join(lessons, ", ") + "]\n")}}
	for _, l := range lessons {
		fsys["c/m/"+l+"/en.md"] = &fstest.MapFile{Data: []byte("---\ntitle: " + l + "\n---\nText.\n")}
	}
	return fsys
}

func TestProgressFollowsLessonIDsAcrossEdits(t *testing.T) {
	done := map[string]bool{"intro": true, "passwords": true, "removed-later": true}
	v1, _ := course.Load(courseFS("intro", "passwords", "removed-later"), "v1", course.Options{})
	st := v1.Course("c").StandingOf(done, nil)
	if !st.Complete || st.Percent != 100 {
		t.Fatalf("v1 standing %+v", st)
	}
	// v2 re-orders, drops a lesson and adds one: the completed ids still count, the removed
	// lesson no longer does, and the new lesson is next.
	v2, _ := course.Load(courseFS("passwords", "intro", "new-lesson"), "v2", course.Options{})
	st = v2.Course("c").StandingOf(done, nil)
	if st.LessonsDone != 2 || st.Lessons != 3 || st.Complete || st.Next.ID != "new-lesson" {
		t.Fatalf("v2 standing %+v", st)
	}
}

func TestHeadingAnchorsWorkInEveryScript(t *testing.T) {
	fsys := courseFS("l")
	fsys["c/m/l/ar.md"] = &fstest.MapFile{Data: []byte("---\ntitle: ع\n---\n## كلمات المرور القوية\n\n## كلمات المرور القوية\n\n## Two-step: the basics\n")}
	cat, ps := course.Load(fsys, "x", course.Options{})
	if len(cat.All()) != 1 {
		t.Fatalf("not loaded: %v", ps)
	}
	v, _ := cat.Course("c").Lesson("l").Version("ar")
	for _, want := range []string{`<h2 id="كلمات-المرور-القوية">`, `<h2 id="كلمات-المرور-القوية-1">`, `<h2 id="two-step-the-basics">`} {
		if !strings.Contains(string(v.HTML), want) {
			t.Fatalf("missing %s in\n%s", want, v.HTML)
		}
	}
}

func TestLessonHeadingsListEveryAnchorTheHTMLKeeps(t *testing.T) {
	fsys := courseFS("l")
	fsys["c/m/l/ar.md"] = &fstest.MapFile{Data: []byte("---\ntitle: ع\n---\n" +
		"## كلمات *المرور* القوية\n\nنص.\n\n### `diceware` & dice\n\n## Own anchor {#mine}\n\n## Dropped anchor {#a.b}\n\n## كلمات المرور القوية\n")}
	cat, ps := course.Load(fsys, "x", course.Options{})
	if len(cat.All()) != 1 {
		t.Fatalf("not loaded: %v", ps)
	}
	v, _ := cat.Course("c").Lesson("l").Version("ar")
	want := []course.Heading{
		{ID: "كلمات-المرور-القوية", Text: "كلمات المرور القوية", Level: 2},
		// Code is isolated left to right in plain text too (U+2066 … U+2069).
		{ID: "diceware-dice", Text: "\u2066diceware\u2069 & dice", Level: 3},
		{ID: "mine", Text: "Own anchor", Level: 2},
		{ID: "كلمات-المرور-القوية-1", Text: "كلمات المرور القوية", Level: 2},
	}
	if len(v.Headings) != len(want) {
		t.Fatalf("headings %+v, want %+v", v.Headings, want)
	}
	for i, h := range want {
		if v.Headings[i] != h {
			t.Fatalf("heading %d is %+v, want %+v", i, v.Headings[i], h)
		}
		// Every heading offered is an anchor of the page as served.
		if !strings.Contains(string(v.HTML), ` id="`+h.ID+`"`) {
			t.Fatalf("no element with id %q in\n%s", h.ID, v.HTML)
		}
	}
	if v.Heading("mine") == nil || v.Heading("a.b") != nil {
		t.Fatal("Heading looks anchors up wrong")
	}
	en, _ := cat.Course("c").Lesson("l").Version("en")
	if len(en.Headings) != 0 {
		t.Fatalf("a lesson without headings lists %+v", en.Headings)
	}
}

// quizCourse is a course whose one module has a one-question quiz with the given extra
// quiz.yaml lines (the review settings).
func quizCourse(extra string) fstest.MapFS {
	fsys := courseFS("l")
	fsys["c/course.yaml"].Data = []byte(strings.Replace(string(fsys["c/course.yaml"].Data), "lessons: [l]", "lessons: [l]\n    quiz: true", 1))
	fsys["c/m/quiz.yaml"] = &fstest.MapFile{Data: []byte("pass_mark: 50\n" + extra +
		"questions:\n  - id: q\n    type: single\n    options: [{id: yes, correct: true}, {id: no}]\n")}
	fsys["c/m/quiz.en.yaml"] = &fstest.MapFile{Data: []byte("q:\n  stem: Q?\n  options: {\"yes\": Yes, \"no\": Nope}\n")}
	return fsys
}

func TestQuizReviewSettingsDefaultAndRefuseUnknownValues(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       quiz.Review
		problem    string
	}{
		{"default", "", quiz.DefaultReview, ""},
		{"all given", "review:\n  correctness: never\n  answers: always\n  feedback: never\n",
			quiz.Review{Correctness: "never", Answers: "always", Feedback: "never"}, ""},
		{"one given, the rest default", "review: {feedback: always}\n",
			quiz.Review{Correctness: "always", Answers: "after_pass", Feedback: "always"}, ""},
		{"unknown value", "review:\n  correctness: always\n  answers: sometimes\n", quiz.Review{},
			`c/m/quiz.yaml:4: error: review answers "sometimes": use always, after_pass, never`},
		{"unknown part", "review:\n  explanations: never\n", quiz.Review{}, `c/m/quiz.yaml:3: error: unknown field "explanations"`},
		{"not a mapping", "review: never\n", quiz.Review{}, `c/m/quiz.yaml:2: error:`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cat, ps := course.Load(quizCourse(tc.yaml), "", course.Options{})
			got := problemLines(ps)
			if tc.problem != "" {
				if !strings.Contains(got, tc.problem) {
					t.Fatalf("problems:\n%s\nwant %q", got, tc.problem)
				}
				return
			}
			if len(ps) != 0 {
				t.Fatalf("problems:\n%s", got)
			}
			if r := cat.Course("c").Module("m").Quiz.Review; r != tc.want {
				t.Fatalf("review %+v, want %+v", r, tc.want)
			}
		})
	}
}

func TestObjectivesChecklistLevelsPrerequisitesAndTrainerNotesReachTheModel(t *testing.T) {
	cat, ps := course.Load(os.DirFS("testdata/valid"), "valid", course.Options{})
	c := cat.Course("sample")
	if c == nil {
		t.Fatalf("sample not published: %v", ps)
	}
	if got := problemLines(ps); !strings.Contains(got, `valid/sample/course.yaml:12: warning: prerequisite "threat-modelling" is not among the published courses`) {
		t.Fatalf("no warning for the unknown course prerequisite:\n%s", got)
	}
	if strings.Join(c.Prerequisites, ",") != "threat-modelling" {
		t.Fatalf("course prerequisites %v", c.Prerequisites)
	}
	basics, practice := c.Module("basics"), c.Module("practice")
	if basics.Level != "beginner" || practice.Level != "intermediate" || strings.Join(practice.Prerequisites, ",") != "basics" || len(basics.Prerequisites) != 0 {
		t.Fatalf("module levels/prerequisites: %+v %+v", basics, practice)
	}
	v, _ := c.Lesson("first-steps").Version("en")
	if strings.Join(v.Objectives, "|") != "Tell the next lesson from the quiz|Keep recovery codes on paper" {
		t.Fatalf("objectives %q", v.Objectives)
	}
	if len(v.Checklist) != 2 || v.Checklist[0] != (course.ChecklistItem{ID: "print-codes", Text: "Print your recovery codes"}) {
		t.Fatalf("checklist %+v", v.Checklist)
	}
	ar, _ := c.Lesson("first-steps").Version("ar")
	if len(ar.Checklist) != 2 || ar.Checklist[1].ID != "store-apart" || len(ar.Objectives) != 1 {
		t.Fatalf("ar checklist %+v objectives %q", ar.Checklist, ar.Objectives)
	}

	en, fell := basics.TrainerNotesIn("en")
	if en == nil || fell || en.Lang != "en" || strings.Join(en.Materials, ",") != "Printed cards" || len(en.Agenda) != 3 {
		t.Fatalf("en trainer notes %+v fell=%v", en, fell)
	}
	if en.Agenda[1] != (course.AgendaStep{Stage: "input", Title: "Recovery codes", Lesson: "first-steps", Minutes: 20}) ||
		en.Agenda[0].Notes != "Pairs share only what they are comfortable with." {
		t.Fatalf("agenda %+v", en.Agenda)
	}
	html := string(en.HTML)
	for _, want := range []string{`<h2 id="before-the-session">`, `href="/courses/sample/lessons/first-steps"`, `href="/first-aid"`} {
		if !strings.Contains(html, want) {
			t.Fatalf("trainer notes lack %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<script") {
		t.Fatal("script survived sanitising in trainer notes")
	}
	if n, fell := basics.TrainerNotesIn("ar"); n == nil || fell || n.Agenda[2].Title != "شيء واحد هذا الأسبوع" {
		t.Fatalf("ar trainer notes %+v", n)
	}
	if n, fell := basics.TrainerNotesIn("fr"); n != en || !fell {
		t.Fatal("a missing language must fall back to the default")
	}
	if n, fell := practice.TrainerNotesIn("en"); n != nil || fell {
		t.Fatal("a module without notes has none")
	}
	for name := range c.Media {
		if strings.Contains(name, "trainer") {
			t.Fatalf("trainer notes served as media: %s", name)
		}
	}
	if len(c.Lessons) != 3 {
		t.Fatalf("trainer notes became lessons: %d lessons", len(c.Lessons))
	}
	for _, p := range ps {
		if strings.Contains(p.File, "trainer") && !strings.Contains(p.Msg, "raw HTML") {
			t.Fatalf("problem about a valid trainer file: %s", p)
		}
	}
}

func TestCoursePrerequisiteAmongLoadedCoursesIsNotWarned(t *testing.T) {
	fsys := courseFS("l")
	fsys["c/course.yaml"].Data = []byte(strings.Replace(string(fsys["c/course.yaml"].Data), "modules:", "prerequisites: [d, gone]\nmodules:", 1))
	for name, f := range courseFS("l") {
		fsys["d/"+strings.TrimPrefix(name, "c/")] = &fstest.MapFile{Data: []byte(strings.Replace(string(f.Data), "id: c\n", "id: d\n", 1))}
	}
	cat, ps := course.Load(fsys, "x", course.Options{})
	if len(cat.All()) != 2 {
		t.Fatalf("not loaded: %v", ps)
	}
	if got := problemLines(ps); got != "x/c/course.yaml:9: warning: prerequisite \"gone\" is not among the published courses\n" {
		t.Fatalf("problems:\n%s", got)
	}
}

// shortQuizCourse is a course whose quiz has one short question with the given match line
// ("" for none) and accepted answers.
func shortQuizCourse(match string, accept ...string) fstest.MapFS {
	fsys := quizCourse("")
	spec := "pass_mark: 50\nquestions:\n  - id: q\n    type: short\n"
	if match != "" {
		spec += "    match: " + match + "\n"
	}
	fsys["c/m/quiz.yaml"].Data = []byte(spec)
	fsys["c/m/quiz.en.yaml"].Data = []byte("q:\n  stem: Q?\n  accept: [\"" + strings.Join(accept, `", "`) + "\"]\n")
	return fsys
}

func TestShortAnswerMatchIsCheckedAndReachesTheQuestion(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fsys      fstest.MapFS
		wantMatch string
		problem   string
	}{
		{"default", shortQuizCourse("", "Tor"), "", ""},
		{"exact", shortQuizCourse("exact", "Tor"), quiz.MatchExact, ""},
		{"domain with host names", shortQuizCourse("domain", "example-bank.com", "www.example-bank.com", "bücher.example"), quiz.MatchDomain, ""},
		{"unknown mode", shortQuizCourse("fuzzy", "Tor"), "",
			`c/m/quiz.yaml:5: error: question "q": match "fuzzy": use words, exact, domain`},
		{"domain with a URL", shortQuizCourse("domain", "example-bank.com", "https://example-bank.com/login"), "",
			`c/m/quiz.en.yaml:3: error: question "q": accepted answer "https://example-bank.com/login" is not a host name`},
		{"domain with a space", shortQuizCourse("domain", "example bank.com"), "",
			`c/m/quiz.en.yaml:3: error: question "q": accepted answer "example bank.com" is not a host name`},
		{"match on a choice question", func() fstest.MapFS {
			f := quizCourse("")
			f["c/m/quiz.yaml"].Data = []byte(strings.Replace(string(f["c/m/quiz.yaml"].Data), "type: single\n", "type: single\n    match: exact\n", 1))
			return f
		}(), "", `c/m/quiz.yaml:5: error: question "q": match: is only for short-answer questions`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cat, ps := course.Load(tc.fsys, "", course.Options{})
			got := problemLines(ps)
			if tc.problem != "" {
				if !strings.Contains(got, tc.problem) {
					t.Fatalf("problems:\n%s\nwant %q", got, tc.problem)
				}
				return
			}
			if len(ps) != 0 {
				t.Fatalf("problems:\n%s", got)
			}
			if m := cat.Course("c").Module("m").Quiz.Question("q").Match; m != tc.wantMatch {
				t.Fatalf("match %q, want %q", m, tc.wantMatch)
			}
		})
	}
}

func TestQuizTextsAreInlineMarkdownRenderedOnceAndSanitised(t *testing.T) {
	fsys := quizCourse("")
	fsys["c/m/quiz.en.yaml"].Data = []byte(`q:
  stem: "Is ` + "`report.pdf.exe`" + ` a *document*? See [the lesson](lesson:l) or https://examp1e-ngo.org/login"
  options:
    "yes": "1. Turn it **on** <script>alert(1)</script>"
    "no": "[click](javascript:alert(1))"
  feedback: {"no": "Read [first aid](/first-aid) &amp; breathe", "yes": 'Not \*all\* 2*3'}
  explanation: |
    First paragraph with ` + "`code`" + `.

    Second _paragraph_.
`)
	cat, ps := course.Load(fsys, "", course.Options{})
	if got := problemLines(ps); !strings.Contains(got, `c/m/quiz.en.yaml:2: error: link "javascript:alert(1)"`) {
		t.Fatalf("a javascript: link must be refused:\n%s", got)
	}
	if len(cat.All()) != 0 {
		t.Fatal("published despite the error")
	}

	fsys["c/m/quiz.en.yaml"].Data = []byte(strings.Replace(string(fsys["c/m/quiz.en.yaml"].Data), "[click](javascript:alert(1))", "No <img src=x onerror=alert(1)>", 1))
	cat, ps = course.Load(fsys, "", course.Options{})
	if len(cat.All()) != 1 {
		t.Fatalf("not published: %s", problemLines(ps))
	}
	txt := cat.Course("c").Module("m").Quiz.Question("q").Texts["en"]
	for _, tc := range []struct{ name, got, want string }{
		{"stem html", string(txt.StemHTML), `Is <code>report.pdf.exe</code> a <em>document</em>? See <a href="/courses/c/lessons/l" rel="nofollow noreferrer">the lesson</a> or https://examp1e-ngo.org/login`},
		{"stem text", txt.Stem, "Is \u2066report.pdf.exe\u2069 a document? See the lesson or https://examp1e-ngo.org/login"},
		{"option html", string(txt.OptionsHTML["yes"]), `1. Turn it <strong>on</strong> &lt;script&gt;alert(1)&lt;/script&gt;`},
		{"option text", txt.Options["yes"], "1. Turn it on <script>alert(1)</script>"},
		{"raw html is text", string(txt.OptionsHTML["no"]), `No &lt;img src=x onerror=alert(1)&gt;`},
		{"feedback html", string(txt.FeedbackHTML["no"]), `Read <a href="/first-aid" rel="nofollow noreferrer">first aid</a> &amp; breathe`},
		{"feedback text", txt.Feedback["no"], "Read first aid & breathe"},
		{"escapes", txt.Feedback["yes"] + " | " + string(txt.FeedbackHTML["yes"]), "Not *all* 2*3 | Not *all* 2*3"},
		{"explanation html", string(txt.ExplanationHTML), "First paragraph with <code>code</code>.<br>\nSecond <em>paragraph</em>."},
		{"explanation text", txt.Explanation, "First paragraph with \u2066code\u2069.\nSecond paragraph."},
	} {
		if tc.got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, tc.got, tc.want)
		}
	}
}

// linkProblems is problemLines without the warnings about missing translations.
func linkProblems(ps []course.Problem) string {
	var out []course.Problem
	for _, p := range ps {
		if strings.Contains(p.Msg, "link ") {
			out = append(out, p)
		}
	}
	return problemLines(out)
}

// otherCourse adds course d, whose lesson k has a heading in English and in French, to fsys.
func otherCourse(fsys fstest.MapFS) {
	for name, f := range courseFS("k") {
		fsys["d/"+strings.TrimPrefix(name, "c/")] = &fstest.MapFile{Data: []byte(strings.Replace(string(f.Data), "id: c\n", "id: d\n", 1))}
	}
	fsys["d/m/k/en.md"].Data = []byte("---\ntitle: k\n---\n## A heading\n\nText.\n")
	fsys["d/m/k/fr.md"] = &fstest.MapFile{Data: []byte("---\ntitle: k\n---\n## Un titre\n\nTexte.\n")}
}

func TestLinksToOtherCoursesLessonsAreCheckedOnceAllCoursesLoad(t *testing.T) {
	fsys := quizCourse("")
	otherCourse(fsys)
	fsys["c/m/l/en.md"].Data = []byte("---\ntitle: l\n---\n" +
		"See [d's lesson](/courses/d/lessons/k#a-heading), [a missing one](/courses/d/lessons/gone)\n" +
		"and [a missing course](/courses/nowhere/lessons/k).\n\n" +
		"[No such heading](/courses/d/lessons/k#gone), [no checklist](/courses/d/lessons/k#checklist).\n")
	// A translation links to the heading as it is in its own language: the English anchor
	// does not exist in the French lesson.
	fsys["c/m/l/fr.md"] = &fstest.MapFile{Data: []byte("---\ntitle: l\n---\n" +
		"[Bon](/courses/d/lessons/k#un-titre), [encodé](/courses/d/lessons/k#un%2Dtitre), [anglais](/courses/d/lessons/k#a-heading).\n")}
	// Quiz texts and trainer notes are checked the same way.
	fsys["c/m/quiz.en.yaml"].Data = []byte("q:\n  stem: Q?\n  options: {\"yes\": Yes, \"no\": Nope}\n" +
		"  explanation: See [it](/courses/d/lessons/gone).\n")
	fsys["c/m/trainer.en.md"] = &fstest.MapFile{Data: []byte("---\nagenda:\n  - stage: activity\n    minutes: 5\n    title: T\n---\n" +
		"Read [this](/courses/nowhere/lessons/k) first.\n")}
	cat, ps := course.Load(fsys, "x", course.Options{})
	if len(cat.All()) != 2 {
		t.Fatalf("not loaded: %v", ps)
	}
	want := "x/c/m/l/en.md:4: warning: link \"/courses/d/lessons/gone\": course \"d\" has no lesson \"gone\"\n" +
		"x/c/m/l/en.md:5: warning: link \"/courses/nowhere/lessons/k\": course \"nowhere\" is not among the published courses\n" +
		"x/c/m/l/en.md:7: warning: link \"/courses/d/lessons/k#checklist\": lesson \"k\" of course \"d\" has no heading #checklist in en\n" +
		"x/c/m/l/en.md:7: warning: link \"/courses/d/lessons/k#gone\": lesson \"k\" of course \"d\" has no heading #gone in en\n" +
		"x/c/m/l/fr.md:4: warning: link \"/courses/d/lessons/k#a-heading\": lesson \"k\" of course \"d\" has no heading #a-heading in fr\n" +
		"x/c/m/quiz.en.yaml:2: warning: link \"/courses/d/lessons/gone\": course \"d\" has no lesson \"gone\"\n" +
		"x/c/m/trainer.en.md:7: warning: link \"/courses/nowhere/lessons/k\": course \"nowhere\" is not among the published courses\n"
	if got := linkProblems(ps); got != want {
		t.Fatalf("problems:\n%s\nwant:\n%s", got, want)
	}
	html := string(cat.Course("c").Lesson("l").Versions["en"].HTML)
	if !strings.Contains(html, `<a href="/courses/d/lessons/k#a-heading" rel="nofollow noreferrer">`) {
		t.Fatalf("the link did not survive rendering:\n%s", html)
	}
	if !strings.Contains(string(cat.Course("d").Lesson("k").Versions["en"].HTML), `id="a-heading"`) {
		t.Fatal("the anchor the link points to is not on the lesson")
	}
	// A lesson with a checklist has the page's #checklist anchor.
	fsys["d/m/k/en.md"].Data = []byte("---\ntitle: k\nchecklist:\n  - id: x\n    text: X\n---\n## A heading\n")
	fsys["d/m/k/fr.md"].Data = []byte("---\ntitle: k\nchecklist:\n  - id: x\n    text: X\n---\n## Un titre\n")
	if _, ps := course.Load(fsys, "x", course.Options{}); strings.Contains(problemLines(ps), "#checklist") {
		t.Fatalf("#checklist refused on a lesson with a checklist:\n%s", problemLines(ps))
	}
	// Checked on its own, a course cannot see the others: nothing to report.
	sub, err := fs.Sub(fsys, "c")
	if err != nil {
		t.Fatal(err)
	}
	if _, ps := course.LoadOne(sub, "c", "c", course.Options{}); linkProblems(ps) != "\n" {
		t.Fatalf("a single course reported links it cannot check: %v", ps)
	}
}

func TestLinksToCourseLessonsRefuseBadIdsAndTheCourseItself(t *testing.T) {
	fsys := courseFS("l", "k")
	fsys["c/m/l/en.md"].Data = []byte("---\ntitle: l\n---\n" +
		"[own](/courses/c/lessons/k) [bad](/courses/Other/lessons/k)\n")
	_, ps := course.Load(fsys, "x", course.Options{})
	want := "x/c/m/l/en.md:4: error: link \"/courses/Other/lessons/k\": course and lesson ids are lowercase letters, digits and hyphens, starting with a letter\n" +
		"x/c/m/l/en.md:4: error: link \"/courses/c/lessons/k\": link lessons of this course as lesson:k\n"
	if got := problemLines(ps); got != want {
		t.Fatalf("problems:\n%s\nwant:\n%s", got, want)
	}
	if _, ps := course.RenderPage([]byte("[x](/courses/c/lessons/k)\n"), "first-aid.en.md", "en", course.Options{}); len(ps) != 1 || ps[0].Warning {
		t.Fatalf("the first-aid page may not link to course lessons: %v", ps)
	}
}

// TestLinksToCourseLessonsCannotLeaveTheSite feeds path links that a browser could read as
// another site, another page of this one, or a path with dot segments: each is an error, so
// the course is not published, and none reaches the HTML of a lesson.
func TestLinksToCourseLessonsCannotLeaveTheSite(t *testing.T) {
	for _, dest := range []string{
		"//evil.example/courses/d/lessons/k",
		"/courses/d/lessons/k?next=https://evil.example",
		"/courses/d/lessons/../../admin",
		"/courses/d/lessons/k/",
		"/courses/d/lessons/k/complete",
		"/courses/d%2F..%2F..%2Fadmin/lessons/k",
		"/courses/d/lessons/%2e%2e",
		"/courses/d/lessons/k%3Fx",
		`/courses/d\evil.example/lessons/k`,
		"/courses/d/lessons/",
		"/courses//lessons/k",
		"/Courses/d/lessons/k",
		"/courses/d/quizzes/m",
	} {
		fsys := courseFS("l")
		otherCourse(fsys)
		fsys["c/m/l/en.md"].Data = []byte("---\ntitle: l\n---\n[x](<" + dest + ">)\n")
		cat, ps := course.Load(fsys, "x", course.Options{})
		got := problemLines(ps)
		if !strings.Contains(got, "x/c/m/l/en.md:4: error: link ") {
			t.Errorf("%s: no error:\n%s", dest, got)
		}
		if cat.Course("c") != nil {
			t.Errorf("%s: published", dest)
		}
	}
}
