package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
)

func TestCatalogFiltersAndSearch(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		p := b.get("/courses")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "A sample course", "Beginner", `<span lang="en" dir="ltr">English</span>, <span lang="ar" dir="rtl">العربية</span>`)
		for _, q := range []string{"?q=sample", "?q=SAMPLE+course", "?level=beginner", "?tag=testing", "?language=ar", "?q=%D8%AA%D8%AC%D8%B1%D9%8A%D8%A8%D9%8A%D8%A9"} {
			mustContain(t, b.get("/courses"+q), `href="/courses/sample"`)
		}
		for _, q := range []string{"?q=nothing-like-this", "?level=advanced", "?tag=unknown", "?language=fr"} {
			p := b.get("/courses" + q)
			mustStatus(t, p, http.StatusOK)
			if strings.Contains(p.Body, `href="/courses/sample"`) {
				t.Fatalf("%s should not list the sample course", q)
			}
			mustContain(t, p, "No course matches")
		}
	})
}

func TestReadingNeedsNoAccountUnlessMembersOnly(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		anon := ts.browser(t)
		p := anon.get("/courses/sample/lessons/first-steps")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Keep your recovery codes on paper", "Sign in</a> — sign in to save your progress")
		if strings.Contains(p.Body, "Mark as complete") {
			t.Fatal("anonymous readers cannot record progress, so no button")
		}
		admin := ts.browser(t)
		admin.signUp("gatekeeper")
		makeAdmin(t, ts, "gatekeeper")
		admin.signIn("gatekeeper", strongPassword)
		admin.post("/admin/content-access", url.Values{"content_access": {"members"}})
		if p := anon.get("/courses/sample/lessons/first-steps"); p.URL != "/login" {
			t.Fatalf("members-only content shown to a visitor (%s)", p.URL)
		}
		mustStatus(t, admin.get("/courses/sample/lessons/first-steps"), http.StatusOK)
	})
}

func TestLessonPageRendersMarkdownSafelyWithNavigation(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		p := b.get("/courses/sample/lessons/first-steps")
		mustContain(t, p,
			`<h1 id="first-steps">First steps</h1>`,
			`href="/courses/sample/lessons/second-steps"`,
			`href="/courses/sample/quizzes/basics"`,
			`class="callout callout-tip"`, `<strong class="callout-title">Tip</strong>`,
			`<img src="/courses/sample/media/basics/first-steps/square.png" alt="A tiny square">`,
			"<table>", "Reading time: about 3 min",
		)
		// Every page loads the quick-exit script (<script src=…>); the lesson's own raw
		// <script> must not arrive.
		if strings.Contains(p.Body, "alert(1)") || strings.Contains(p.Body, "<script>") {
			t.Fatal("raw HTML from the lesson reached the page")
		}
		img := b.get("/courses/sample/media/basics/first-steps/square.png")
		mustStatus(t, img, http.StatusOK)
		if img.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("image type %q", img.Header.Get("Content-Type"))
		}
		mustStatus(t, b.get("/courses/sample/media/basics/first-steps/en.md"), http.StatusNotFound)
		p = b.get("/courses/sample/lessons/drill")
		mustContain(t, p, `rel="nofollow noreferrer"`)
	})
}

func TestLessonFallsBackToTheDefaultLanguageWithANotice(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		p := b.get("/courses/sample/lessons/first-steps?lang=ar")
		mustContain(t, p, `<html lang="ar" dir="rtl">`, `<article class="lesson" lang="ar" dir="rtl">`, "الخطوات الأولى")
		if strings.Contains(p.Body, `class="notice warning" role="note"`) {
			t.Fatal("an Arabic lesson exists: no fallback notice expected")
		}
		p = b.get("/courses/sample/lessons/first-steps?lang=es")
		mustContain(t, p, `<html lang="es"`, `<article class="lesson" lang="en" dir="ltr">`, `class="notice warning" role="note"`)
	})
}

func TestUnknownCourseOrLessonIsALocalised404(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.header.Set("Accept-Language", "fr")
		for _, path := range []string{"/courses/nope", "/courses/sample/lessons/nope", "/courses/sample/quizzes/practice", "/courses/nope/lessons/first-steps"} {
			p := b.get(path)
			if path == "/courses/sample/quizzes/practice" {
				// quizzes need an account first
				continue
			}
			mustStatus(t, p, http.StatusNotFound)
			mustContain(t, p, `lang="fr"`)
		}
	})
}

func TestMarkCompleteIsIdempotentAndMovesTheProgressBar(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("reader")
		p := b.get("/courses/sample")
		mustContain(t, p, `<progress max="100" value="0"`, "Start the course")

		form := url.Values{"csrf_token": {b.csrf()}}
		p = b.post("/courses/sample/lessons/first-steps/complete", form)
		if p.URL != "/courses/sample/lessons/second-steps" {
			t.Fatalf("after completing, landed on %s", p.URL)
		}
		// The same form again (double click, retry) records nothing new.
		b.post("/courses/sample/lessons/first-steps/complete", form)
		if n := countRows(t, ts.DB, "lesson_progress"); n != 1 {
			t.Fatalf("lesson_progress rows: %d, want 1", n)
		}
		p = b.get("/courses/sample")
		// 1 of 3 lessons + 0 of 1 quiz = 25 %
		mustContain(t, p, `<progress max="100" value="25"`, "Continue where you left off", `href="/courses/sample/lessons/second-steps">Continue`)
		p = b.post("/courses/sample/lessons/second-steps/complete", nil)
		if p.URL != "/courses/sample/quizzes/basics" {
			t.Fatalf("after the module's last lesson, landed on %s (want its quiz)", p.URL)
		}
		mustContain(t, b.get("/learning"), "A sample course", `value="50"`)
	})
}

var (
	attemptKeyRE = regexp.MustCompile(`name="attempt_key" value="([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22})"`)
	questionRE   = regexp.MustCompile(`(?s)<fieldset class="question[^"]*" id="q-([a-z0-9-]+)">.*?</fieldset>`)
	optionRE     = regexp.MustCompile(`<input type="(?:radio|checkbox)" id="[^"]+" name="q\.([a-z0-9-]+)" value="([0-9a-z]+)"[^>]*><label for="[^"]+">([^<]+)</label>`)
	orderRE      = regexp.MustCompile(`<label for="q-([a-z0-9-]+)-(\d+)"[^>]*>([^<]+)</label>`)
)

// rightAnswers fills the sample quiz correctly from what the page shows, by option text.
func rightAnswers(t *testing.T, page string) url.Values {
	t.Helper()
	m := attemptKeyRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no attempt key:\n%s", page)
	}
	form := url.Values{"attempt_key": {m[1]}}
	want := map[string]bool{"The right one": true, "Option A": true, "Option B": true, "False": true}
	for _, o := range optionRE.FindAllStringSubmatch(page, -1) {
		if want[o[3]] {
			form.Add("q."+o[1], o[2])
		}
	}
	rank := map[string]string{"First": "1", "Second": "2", "Third": "3"}
	for _, o := range orderRE.FindAllStringSubmatch(page, -1) {
		if r, ok := rank[o[3]]; ok && o[1] == "sort-them" {
			form.Set("q.sort-them."+o[2], r)
		}
	}
	form.Set("q.type-it", "  tor   BROWSER! ")
	return form
}

func TestQuizHidesAnswersGradesOnServerAndRecordsOnce(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("examinee")
		p := b.get("/courses/sample/quizzes/basics")
		mustStatus(t, p, http.StatusOK)
		if n := len(questionRE.FindAllString(p.Body, -1)); n != 5 {
			t.Fatalf("quiz shows %d questions, want 5", n)
		}
		// Quiz texts are inline Markdown.
		mustContain(t, p, "Which <em>one</em> is right?", "Which ones apply? <code>A</code>, <code>B</code> or <code>C</code>")
		// Nothing that gives the answer away: no option ids, feedback, explanations or accepted answers.
		for _, secret := range []string{"right", "wrong", "also-wrong", "Well done", "Only one is right", "A and B apply", "Tor Browser", "correct", "Metadata stays visible"} {
			if strings.Contains(p.Body, `"`+secret+`"`) || strings.Contains(p.Body, ">"+secret) || strings.Contains(p.Body, secret+"<") {
				t.Fatalf("quiz page leaks %q before submission", secret)
			}
		}
		form := rightAnswers(t, p.Body)
		p = b.post("/courses/sample/quizzes/basics", form)
		mustStatus(t, p, http.StatusOK)
		if !strings.Contains(p.URL, "/courses/sample/quizzes/basics/attempts/") {
			t.Fatalf("after submitting, landed on %s", p.URL)
		}
		mustContain(t, p, "You passed: 5 of 5 right (100%)", "Well done.", "Only one is right.", "Right, metadata stays visible.",
			"<code>A</code> and <code>B</code> apply.")
		// Replaying the same form (same attempt key) records nothing new.
		again := b.post("/courses/sample/quizzes/basics", form)
		if again.URL != p.URL || countRows(t, ts.DB, "quiz_attempts") != 1 {
			t.Fatalf("replayed form: %s, attempts %d", again.URL, countRows(t, ts.DB, "quiz_attempts"))
		}
		mustContain(t, b.get("/courses/sample"), "Passed", "Best score: 100%")
		// Another learner cannot open this attempt.
		other := ts.browser(t)
		other.signUp("snoop")
		mustStatus(t, other.get(p.URL), http.StatusNotFound)
	})
}

func TestWrongAnswersShowFeedbackAndTheRightAnswer(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("learner-two")
		page := b.get("/courses/sample/quizzes/basics").Body
		form := rightAnswers(t, page)
		for _, o := range optionRE.FindAllStringSubmatch(page, -1) {
			if o[1] == "pick-one" && o[3] == "A wrong one" {
				form.Set("q.pick-one", o[2])
			}
		}
		form.Set("q.type-it", "firefox")
		p := b.post("/courses/sample/quizzes/basics", form)
		mustContain(t, p, "You passed: 3 of 5 right (60%)", "Not this one.", "Right answer", "The right one", "Tor Browser")
		var passed bool
		if err := ts.DB.NewSelect().Table("quiz_attempts").Column("passed").Scan(context.Background(), &passed); err != nil {
			t.Fatal(err)
		}
		// pass_mark is 60: 60 % passes.
		if !passed {
			t.Fatal("60% should pass a quiz with pass_mark 60")
		}
	})
}

func TestTamperedOrIncompleteQuizFormsAreNotRecorded(t *testing.T) {
	cfg := testConfig()
	cfg.BodyLimitBytes = 16 * 1024
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("tamperer")
		page := b.get("/courses/sample/quizzes/basics").Body
		good := rightAnswers(t, page)
		cases := []struct {
			name   string
			change func(url.Values)
			status int
			text   string
		}{
			{"unknown option", func(f url.Values) { f.Set("q.pick-one", "99") }, 400, "do not match the quiz"},
			{"option id instead of position", func(f url.Values) { f.Set("q.pick-one", "right") }, 400, "do not match the quiz"},
			{"answer for another quiz", func(f url.Values) { f.Set("q.question-from-elsewhere", "0") }, 400, "do not match the quiz"},
			{"two answers to a single-choice question", func(f url.Values) { f.Add("q.pick-one", "1") }, 400, "do not match the quiz"},
			{"true/false forged", func(f url.Values) { f.Set("q.is-it", "maybe") }, 400, "do not match the quiz"},
			{"rank out of range", func(f url.Values) { f.Set("q.sort-them.0", "9") }, 400, "do not match the quiz"},
			{"made-up attempt key", func(f url.Values) { f.Set("attempt_key", "short") }, 422, "was not issued to you"},
			{"over-long attempt key", func(f url.Values) { f.Set("attempt_key", strings.Repeat("k", 65)) }, 400, "do not match the quiz"},
			{"missing answer", func(f url.Values) { f.Del("q.pick-one") }, 422, "1 question has no answer yet"},
			{"repeated rank", func(f url.Values) {
				f.Set("q.sort-them.0", "1")
				f.Set("q.sort-them.1", "1")
				f.Set("q.sort-them.2", "1")
			}, 422, "no answer yet"},
			{"huge form", func(f url.Values) { f.Set("q.type-it", strings.Repeat("x", 20*1024)) }, 413, ""},
			{"over-long short answer", func(f url.Values) { f.Set("q.type-it", strings.Repeat("x", 201)) }, 400, "do not match the quiz"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				f := url.Values{}
				for k, v := range good {
					f[k] = append([]string(nil), v...)
				}
				tc.change(f)
				sb := *b
				sb.t, sb.header = t, http.Header{}
				p := sb.post("/courses/sample/quizzes/basics", f)
				mustStatus(t, p, tc.status)
				if tc.text != "" {
					mustContain(t, p, tc.text)
				}
				if n := countRows(t, ts.DB, "quiz_attempts"); n != 0 {
					t.Fatalf("a rejected submission was recorded (%d attempts)", n)
				}
			})
		}
		// The incomplete form comes back with what was already chosen.
		f := url.Values{}
		for k, v := range good {
			f[k] = v
		}
		f.Del("q.is-it")
		p := b.post("/courses/sample/quizzes/basics", f)
		mustContain(t, p, "checked", `class="question missing" id="q-is-it"`, `value="  tor   BROWSER! "`)
	})
}

func TestCourseCompletesWhenEveryLessonIsDoneAndEveryQuizPassed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := startServer(t, db, testConfig())
		b := ts.browser(t)
		b.signUp("finisher")
		for _, l := range []string{"first-steps", "second-steps", "drill"} {
			b.post("/courses/sample/lessons/"+l+"/complete", nil)
		}
		p := b.get("/learning")
		mustContain(t, p, "In progress")
		page := b.get("/courses/sample/quizzes/basics").Body
		p = b.post("/courses/sample/quizzes/basics", rightAnswers(t, page))
		mustContain(t, p, "Congratulations: you have completed the course.")
		p = b.get("/learning")
		mustContain(t, p, "Completed")
		if strings.Contains(p.Body, "In progress") {
			t.Fatal("a completed course is still listed in progress")
		}
		var completed int
		if err := db.NewSelect().Table("enrollments").ColumnExpr("COUNT(*)").Where("completed_at IS NOT NULL").Scan(context.Background(), &completed); err != nil || completed != 1 {
			t.Fatalf("enrolment not stamped complete: %d %v", completed, err)
		}
	})
}
