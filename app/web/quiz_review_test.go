package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/web"
	"github.com/cairn-lms/cairn/app/web/webtest"
)

var checkedRE = regexp.MustCompile(`name="q\.([a-z0-9-]+)" value="[0-9a-z]+" checked><label for="[^"]+">([^<]+)</label>`)

// userID looks up a learner's id, as an attacker who knows it would use it.
func userID(t *testing.T, db *bun.DB, name string) int64 {
	t.Helper()
	var id int64
	if err := db.NewSelect().Table("users").Column("id").Where("username = ?", name).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// signerOf is the server's own key signer, rebuilt from the secret it keeps in the database:
// a key for the right person but another quiz is then a real, validly signed key.
func signerOf(t *testing.T, db *bun.DB) *auth.AttemptKeys {
	t.Helper()
	master, err := store.New(db, nil).InstanceSecret(context.Background())
	if err != nil {
		t.Fatalf("no instance secret in the settings table: %v", err)
	}
	k, err := auth.AttemptKeysFrom(master)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestQuizAttemptKeysAreIssuedByTheServerForOnePersonAndQuiz(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		alice, bob := ts.browser(t), ts.browser(t)
		alice.signUp("alice")
		bob.signUp("bob")
		alicePage := alice.get("/courses/sample/quizzes/basics").Body
		bobPage := bob.get("/courses/sample/quizzes/basics").Body
		own := rightAnswers(t, alicePage)
		signer := signerOf(t, ts.DB)
		aliceID := userID(t, ts.DB, "alice")
		if !signer.Valid(own.Get("attempt_key"), aliceID, "sample", "basics") {
			t.Fatal("the key on the page is not signed for its learner and quiz")
		}
		// Bob's page shows its own order: his answers, read from it, go with his key.
		bobsKey := rightAnswers(t, bobPage)
		for name, key := range map[string]string{
			"another person's key": bobsKey.Get("attempt_key"),
			"another quiz's key":   signer.Issue(aliceID, "sample", "practice"),
			"another course's key": signer.Issue(aliceID, "other", "basics"),
			"a made-up key":        strings.Repeat("A", 22) + "." + strings.Repeat("B", 22),
			"an unsigned old key":  strings.Repeat("x", 43),
		} {
			t.Run(name, func(t *testing.T) {
				f := rightAnswers(t, alicePage)
				if name == "another person's key" {
					f = bobsKey
				}
				f.Set("attempt_key", key)
				sb := *alice
				sb.t = t
				p := sb.post("/courses/sample/quizzes/basics", f)
				mustStatus(t, p, http.StatusUnprocessableEntity)
				mustContain(t, p, "This form was not issued to you for this quiz", `value="  tor   BROWSER! "`)
				if n := countRows(t, ts.DB, "quiz_attempts"); n != 0 {
					t.Fatalf("a refused key recorded an attempt (%d)", n)
				}
				// What was chosen comes back chosen, under a fresh key of Alice's own.
				checked := map[string]string{}
				for _, m := range checkedRE.FindAllStringSubmatch(p.Body, -1) {
					checked[m[1]] = m[2]
				}
				// Positions in a form mean what they meant under the key it came with; only
				// Bob's key came with a page, so only there can the choices be compared.
				if checked["is-it"] != "False" || (name == "another person's key" && (checked["pick-one"] != "The right one" || checked["pick-many"] == "Option C")) {
					t.Fatalf("answers not kept: %v", checked)
				}
				fresh := attemptKeyRE.FindStringSubmatch(p.Body)
				if fresh == nil || fresh[1] == key || !signer.Valid(fresh[1], aliceID, "sample", "basics") {
					t.Fatalf("the form did not come back with a fresh key of Alice's: %v", fresh)
				}
			})
		}
		// Her own key counts, once.
		first := alice.post("/courses/sample/quizzes/basics", own)
		mustContain(t, first, "You passed: 5 of 5 right")
		again := alice.post("/courses/sample/quizzes/basics", own)
		if again.URL != first.URL || countRows(t, ts.DB, "quiz_attempts") != 1 {
			t.Fatalf("own key twice: %s then %s, %d attempts", first.URL, again.URL, countRows(t, ts.DB, "quiz_attempts"))
		}
	})
}

// reviewCourse has one module per review setting under test, each with a two-question quiz
// that needs both right to pass.
func reviewCourse(reviews map[string]string) fstest.MapFS {
	course := "id: rev\nversion: \"1\"\ndefault_language: en\nlevel: beginner\nminutes: 5\nlicence: CC-BY-SA-4.0\n" +
		"title: {en: Reviews}\nsummary: {en: S}\nmodules:\n"
	fsys := fstest.MapFS{}
	for mod, review := range reviews {
		course += "  - id: " + mod + "\n    title: {en: " + mod + "}\n    lessons: [" + mod + "-lesson]\n    quiz: true\n"
		fsys["rev/"+mod+"/"+mod+"-lesson/en.md"] = &fstest.MapFile{Data: []byte("---\ntitle: L\n---\nText.\n")}
		fsys["rev/"+mod+"/quiz.yaml"] = &fstest.MapFile{Data: []byte("pass_mark: 100\n" + review + "questions:\n" +
			"  - id: one\n    type: single\n    options: [{id: a, correct: true}, {id: b}]\n" +
			"  - id: two\n    type: single\n    options: [{id: a, correct: true}, {id: b}]\n")}
		fsys["rev/"+mod+"/quiz.en.yaml"] = &fstest.MapFile{Data: []byte(
			"one:\n  stem: First?\n  options: {a: One-Right, b: One-Wrong}\n  feedback: {a: One-Feedback-Good, b: One-Feedback-Bad}\n  explanation: One-Explained\n" +
				"two:\n  stem: Second?\n  options: {a: Two-Right, b: Two-Wrong}\n  feedback: {a: Two-Feedback-Good, b: Two-Feedback-Bad}\n  explanation: Two-Explained\n")}
	}
	fsys["rev/course.yaml"] = &fstest.MapFile{Data: []byte(course)}
	return fsys
}

func startReviewServer(t *testing.T, db *bun.DB, fsys fstest.MapFS) *testServer {
	t.Helper()
	srv, err := web.New(web.Deps{Config: testConfigFor(t), DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Courses: &web.CoursesSource{FS: fsys, Label: "mem"}})
	if err != nil {
		t.Fatal(err)
	}
	if problems := srv.ReloadCourses(); len(problems) != 0 {
		t.Fatalf("review course: %v", problems)
	}
	return &testServer{URL: webtest.Serve(t, srv), DB: db, Srv: srv}
}

// answerReview submits a quiz of the review course, choosing the options with these texts.
func answerReview(t *testing.T, b *browser, mod string, pick ...string) page {
	t.Helper()
	path := "/courses/rev/quizzes/" + mod
	body := b.get(path).Body
	m := attemptKeyRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no attempt key:\n%s", body)
	}
	form := url.Values{"attempt_key": {m[1]}}
	for _, o := range optionRE.FindAllStringSubmatch(body, -1) {
		for _, p := range pick {
			if o[3] == p {
				form.Set("q."+o[1], o[2])
			}
		}
	}
	return b.post(path, form)
}

func TestQuizReviewShowsWhatEachSettingAllows(t *testing.T) {
	reviews := map[string]string{
		"dflt":   "",
		"open":   "review: {correctness: always, answers: always, feedback: always}\n",
		"closed": "review: {correctness: never, answers: never, feedback: never}\n",
		"later":  "review: {correctness: after_pass, answers: after_pass, feedback: never}\n",
	}
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := startReviewServer(t, db, reviewCourse(reviews))
		b := ts.browser(t)
		b.signUp("reviewer")
		absent := func(p page, texts ...string) {
			t.Helper()
			for _, s := range texts {
				if strings.Contains(p.Body, s) {
					t.Fatalf("%s shows %q", p.URL, s)
				}
			}
		}
		const right, wrong = "— right</h2>", "— not right</h2>"

		// Default, failed: right or wrong is shown; the missed question's answer, feedback and
		// explanation wait for a pass; the question got right keeps its explanation.
		failed := answerReview(t, b, "dflt", "One-Right", "Two-Wrong")
		mustContain(t, failed, "Not passed yet", right, wrong, "One-Explained", "One-Feedback-Good",
			"The right answers and explanations of the questions you missed appear once you pass")
		absent(failed, "Two-Right", "Two-Explained", "Two-Feedback-Bad", "Right answer")
		// Once passed, the earlier failed attempt shows everything.
		mustContain(t, answerReview(t, b, "dflt", "One-Right", "Two-Right"), "You passed")
		before := b.get(failed.URL)
		mustContain(t, before, "Right answer", "Two-Right", "Two-Explained", "Two-Feedback-Bad")
		absent(before, "appear once you pass")

		// always: everything at once, even on a failed attempt.
		p := answerReview(t, b, "open", "One-Wrong", "Two-Wrong")
		mustContain(t, p, "Not passed yet", wrong, "Right answer", "One-Right", "Two-Right", "One-Explained", "Two-Feedback-Bad")
		absent(p, "appear once you pass")

		// never: not even which were right, after a pass.
		p = answerReview(t, b, "closed", "One-Right", "Two-Right")
		mustContain(t, p, "You passed")
		absent(p, right, wrong, "Right answer", "Explained", "Feedback")

		// after_pass for right or wrong: a failed attempt shows neither per question.
		p = answerReview(t, b, "later", "One-Right", "Two-Wrong")
		mustContain(t, p, "Not passed yet", "appear once you pass")
		absent(p, right, wrong, "Right answer", "One-Explained", "Two-Explained", "Feedback")
		p = answerReview(t, b, "later", "One-Right", "Two-Right")
		mustContain(t, p, "You passed", right)
		absent(p, wrong, "Explained", "Feedback")
	})
}
