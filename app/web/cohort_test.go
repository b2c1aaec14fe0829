package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

func setRole(t *testing.T, ts *testServer, username, role string) {
	t.Helper()
	st := store.New(ts.DB, nil)
	u, err := st.UserByUsernameKey(context.Background(), auth.UsernameKey(username))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetRole(context.Background(), u.ID, role); err != nil {
		t.Fatal(err)
	}
}

// trainer signs up a user, makes them a trainer and signs them back in.
func (ts *testServer) trainer(t *testing.T, name string) *browser {
	b := ts.browser(t)
	b.signUp(name)
	setRole(t, ts, name, model.RoleTrainer)
	b.signIn(name, strongPassword)
	return b
}

var (
	cohortURLRE = regexp.MustCompile(`^/cohorts/(\d+)$`)
	joinCodeRE  = regexp.MustCompile(`<code dir="ltr" class="secret">([a-z0-9]{5}-[a-z0-9]{5})</code>`)
)

// newCohort creates a cohort for the sample course and returns its path and join code.
func newCohort(t *testing.T, tr *browser, seats string) (string, string) {
	t.Helper()
	p := tr.post("/cohorts", url.Values{"course": {"sample"}, "name": {"Spring group"}, "lang": {"en"}, "seats": {seats}})
	if !cohortURLRE.MatchString(p.URL) {
		t.Fatalf("creating a cohort led to %s (%d)\n%s", p.URL, p.Status, p.Body)
	}
	m := joinCodeRE.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no join code on the dashboard:\n%s", p.Body)
	}
	return p.URL, m[1]
}

func TestTrainerCreatesCohortLearnersJoinWithCodeOrLink(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "coach")
		path, code := newCohort(t, tr, "2")

		learner := ts.browser(t)
		learner.signUp("first-learner")
		p := learner.get("/join?code=" + strings.ReplaceAll(code, "-", ""))
		mustContain(t, p, "You are joining \u2068Spring group\u2069") // the name isolated inside the sentence
		if countRows(t, ts.DB, "cohort_members") != 1 {
			t.Fatal("following a join link must not join by itself")
		}
		p = learner.post("/join", url.Values{"code": {strings.ToUpper(code)}})
		if p.URL != path {
			t.Fatalf("joining led to %s", p.URL)
		}
		mustContain(t, learner.get("/learning"), "Spring group")

		second := ts.browser(t)
		second.signUp("second-learner")
		second.post("/join", url.Values{"code": {code}})
		third := ts.browser(t)
		third.signUp("third-learner")
		p = third.post("/join", url.Values{"code": {code}})
		mustStatus(t, p, http.StatusConflict)
		mustContain(t, p, "This cohort is full")

		// A new code makes the old one useless; closing joining stops everyone.
		p = tr.post(path+"/code", nil)
		newCode := joinCodeRE.FindStringSubmatch(p.Body)[1]
		if newCode == code {
			t.Fatal("the code did not change")
		}
		p = third.post("/join", url.Values{"code": {code}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "This join code is not valid")
		tr.post(path+"/code/revoke", nil)
		mustStatus(t, third.post("/join", url.Values{"code": {newCode}}), http.StatusUnprocessableEntity)
	})
}

func TestCohortsAreVisibleOnlyToTheirMembersTrainersAndAdmins(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		owner := ts.trainer(t, "owner-trainer")
		path, code := newCohort(t, owner, "0")
		other := ts.trainer(t, "other-trainer")
		mustStatus(t, other.get(path), http.StatusNotFound)
		mustStatus(t, other.get(path+"/export.csv"), http.StatusNotFound)
		mustStatus(t, other.post(path+"/code", nil), http.StatusNotFound)

		learner := ts.browser(t)
		learner.signUp("member-learner")
		mustStatus(t, learner.get("/cohorts/new"), http.StatusForbidden)
		learner.post("/join", url.Values{"code": {code}})
		p := learner.get(path)
		mustStatus(t, p, http.StatusOK)
		if strings.Contains(p.Body, "Join code") || strings.Contains(p.Body, "export.csv") {
			t.Fatal("a learner sees the trainer's dashboard")
		}
		mustStatus(t, learner.get(path+"/export.csv"), http.StatusForbidden)
		mustStatus(t, learner.post(path+"/code/revoke", nil), http.StatusForbidden)

		admin := ts.browser(t)
		admin.signUp("the-admin")
		makeAdmin(t, ts, "the-admin")
		admin.signIn("the-admin", strongPassword)
		mustContain(t, admin.get("/cohorts"), "Spring group")
		mustContain(t, admin.get(path), "Join code")

		// A co-trainer gets the dashboard; a removed learner loses the cohort.
		owner.post(path+"/trainers", url.Values{"username": {"other-trainer"}})
		mustContain(t, other.get(path), "Join code")
		var uid int64
		if err := ts.DB.NewSelect().Table("users").Column("id").Where("username_key = ?", "member-learner").Scan(context.Background(), &uid); err != nil {
			t.Fatal(err)
		}
		owner.post(path+"/members/"+strconvI(uid)+"/remove", url.Values{"confirm": {"yes"}})
		mustStatus(t, learner.get(path), http.StatusNotFound)
	})
}

func TestDashboardShowsProgressQuizStatsInactivityAndExports(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "dash-trainer")
		path, code := newCohort(t, tr, "0")
		active := ts.browser(t)
		active.signUp("busy-bee")
		active.post("/join", url.Values{"code": {code}})
		for _, l := range []string{"first-steps", "second-steps"} {
			active.post("/courses/sample/lessons/"+l+"/complete", nil)
		}
		page := active.get("/courses/sample/quizzes/basics").Body
		active.post("/courses/sample/quizzes/basics", rightAnswers(t, page))
		quiet := ts.browser(t)
		quiet.signUp("quiet-one")
		quiet.post("/join", url.Values{"code": {code}})

		p := tr.get(path)
		mustStatus(t, p, http.StatusOK)
		// Joining is activity: nobody is quiet yet.
		mustContain(t, p, "busy-bee", "quiet-one", `<progress max="100" value="75" aria-hidden="true">`, "100%",
			"0 learners have been quiet for more than 7 days.", "1 learner has taken this quiz.", "Average progress: 37%",
			"0 learners have completed the course.", "<caption>Best scores</caption>", `<a href="`+path+`/quizzes/basics">Questions, hardest first</a>`)
		// Which questions learners miss: on the quiz's own page.
		mustContain(t, tr.get(path+"/quizzes/basics"), `<h1>Quiz: <span lang="en" dir="ltr">Basics</span></h1>`, "1 learner has taken this quiz.", "Which one is right?", "1 of 1 (100%)")
		mustStatus(t, tr.get(path+"/quizzes/practice"), http.StatusNotFound) // a module without a quiz
		ts.Clock.Advance(8 * 24 * time.Hour)
		tr.signIn("dash-trainer", strongPassword) // eight idle days ended the session
		mustContain(t, tr.get(path), "2 learners have been quiet for more than 7 days.")
		mustContain(t, tr.get(path+"?days=30"), "0 learners have been quiet for more than 30 days.")

		csv := tr.get(path + "/export.csv")
		mustStatus(t, csv, http.StatusOK)
		if !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") || !strings.Contains(csv.Body, "busy-bee,2,3,75,") || !strings.Contains(csv.Body, "quiz:basics") {
			t.Fatalf("CSV:\n%s", csv.Body)
		}
	})
}

// "Remove" on the dashboard asks first, without JavaScript: a page that names the learner
// and says what happens to their access, progress and attendance, in the reader's
// language, whose form (with the token) removes. A form sent without the confirmation only
// leads to that page.
func TestRemovingALearnerAsksFirstAndSaysWhatHappens(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "remove-coach")
		path, code := newCohort(t, tr, "0")
		learner := ts.browser(t)
		learner.signUp("leaving-learner")
		learner.post("/join", url.Values{"code": {code}})
		var uid int64
		if err := ts.DB.NewSelect().Table("users").Column("id").Where("username_key = ?", "leaving-learner").Scan(context.Background(), &uid); err != nil {
			t.Fatal(err)
		}
		confirm := path + "/members/" + strconvI(uid) + "/remove"
		stillIn := func(want bool) {
			t.Helper()
			if got := learner.get(path).Status == http.StatusOK; got != want {
				t.Fatalf("the learner still in the cohort: %v, want %v", got, want)
			}
		}

		// The dashboard's "Remove" is a link to the question, not a form that removes.
		p := tr.get(path)
		mustContain(t, p, `<a class="button small secondary" href="`+confirm+`">Remove<span class="visually-hidden"> <bdi>leaving-learner</bdi></span></a>`)
		if strings.Contains(p.Body, `action="`+confirm+`"`) {
			t.Fatal("the dashboard still removes in one click")
		}

		// The question, in every language.
		p = tr.get(confirm)
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "<h1>Remove from the cohort</h1>", "Remove \u2068leaving-learner\u2069 from \u2068Spring group\u2069?",
			"They will no longer see the cohort&#39;s page or its live sessions.",
			"Their progress in the course (lessons completed, checklists, quiz results) stays in their own account.",
			"Their attendance at the cohort&#39;s past live sessions is kept", "as “No longer in the cohort”.",
			`<form method="post" action="`+confirm+`">`, `name="csrf_token"`, `<input type="hidden" name="confirm" value="yes">`,
			`<a href="`+path+`">Keep in the cohort</a>`)
		for lang, want := range map[string]string{
			"es": "¿Quitar a \u2068leaving-learner\u2069 de \u2068Spring group\u2069?",
			"fr": "Retirer \u2068leaving-learner\u2069 de \u2068Spring group\u2069\u202f?",
			"ar": "هل تريد إزالة \u2068leaving-learner\u2069 من \u2068Spring group\u2069؟",
		} {
			p := tr.get(confirm + "?lang=" + lang)
			mustContain(t, p, `<html lang="`+lang+`"`, want)
			if strings.Contains(p.Body, "Their progress") {
				t.Fatalf("the %s question is partly in English", lang)
			}
		}
		mustContain(t, tr.get(confirm+"?lang=ar"), `dir="rtl"`, "«لم يعد في المجموعة»")
		tr.get(confirm + "?lang=en") // the language chosen is kept: back to English

		// Without the confirmation, or without the token, nobody is removed.
		if _, to := tr.postNoFollow(confirm, url.Values{}); to != confirm {
			t.Fatalf("a removal without confirmation led to %q, want the question", to)
		}
		stillIn(true)
		mustStatus(t, tr.postRaw(confirm, url.Values{"confirm": {"yes"}}.Encode()), http.StatusForbidden)
		stillIn(true)

		// Only the cohort's trainers are asked, never about themselves.
		mustStatus(t, learner.get(confirm), http.StatusForbidden)
		var self int64
		if err := ts.DB.NewSelect().Table("users").Column("id").Where("username_key = ?", "remove-coach").Scan(context.Background(), &self); err != nil {
			t.Fatal(err)
		}
		mustStatus(t, tr.get(path+"/members/"+strconvI(self)+"/remove"), http.StatusBadRequest)

		// Confirmed: removed, back on the dashboard, which says so.
		p = tr.post(confirm, url.Values{"confirm": {"yes"}})
		if p.URL != path {
			t.Fatalf("the confirmed removal led to %s", p.URL)
		}
		mustContain(t, p, "Removed from the cohort.")
		stillIn(false)
		mustStatus(t, tr.get(confirm), http.StatusNotFound)
	})
}
