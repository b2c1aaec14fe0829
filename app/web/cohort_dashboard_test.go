package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// filterFormRE is the dashboard's GET form over the learner table, up to its button.
var filterFormRE = regexp.MustCompile(`(?s)<form method="get" action="/cohorts/\d+"[^>]*>.*?<button[^>]*>([^<]*)</button>`)

func TestTheQuietFilterButtonSaysWhatItDoesInEveryLanguage(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "label-trainer")
		path, _ := newCohort(t, tr, "0")
		want := map[string]string{"en": "Show learners", "es": "Mostrar participantes", "fr": "Afficher les personnes", "ar": "عرض الأشخاص", "fa": "نمایش یادگیرندگان"}
		for lang, label := range want {
			p := tr.get(path + "?lang=" + lang)
			mustStatus(t, p, http.StatusOK)
			m := filterFormRE.FindStringSubmatch(p.Body)
			if m == nil {
				t.Fatalf("%s: no filter form on the dashboard:\n%s", lang, p.Body)
			}
			if got := strings.TrimSpace(m[1]); got != label {
				t.Errorf("%s: the filter button says %q, want %q", lang, got, label)
			}
		}
	})
}

// learnerRow returns the dashboard's row (or card) of one learner.
func learnerRow(t *testing.T, p page, name string) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)<tr[^>]*>\s*<t[hd][^>]*><bdi>` + regexp.QuoteMeta(name) + `</bdi>.*?</tr>`)
	m := re.FindString(p.Body)
	if m == "" {
		t.Fatalf("no row for %s on %s:\n%s", name, p.URL, p.Body)
	}
	return m
}

func TestJoiningAndAttendingALiveSessionCountAsActivity(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "activity-trainer")
		path, code := newCohort(t, tr, "0")
		newcomer := ts.browser(t)
		newcomer.signUp("newcomer")
		newcomer.post("/join", url.Values{"code": {code}})

		// Minutes after joining, the newcomer is not quiet: joining is activity.
		ts.Clock.Advance(5 * time.Minute)
		p := tr.get(path)
		mustContain(t, p, "0 learners have been quiet for more than 7 days.")
		row := learnerRow(t, p, "newcomer")
		if strings.Contains(row, "never") || strings.Contains(row, `class="badge"`) || !strings.Contains(row, "23 November 2026") {
			t.Fatalf("a learner who just joined shows as quiet or never active:\n%s", row)
		}

		// Ten days later they attend a live session, and nothing else: not quiet either.
		ts.Clock.Advance(10 * 24 * time.Hour)
		st := store.New(ts.DB, ts.Clock.Now)
		ctx := context.Background()
		ls := startCheckIn(t, st, path)
		span, err := st.JoinAttendance(ctx, ls.ID, userID(t, ts.DB, "newcomer"), "test")
		if err != nil {
			t.Fatal(err)
		}
		ts.Clock.Advance(time.Hour)
		if err := st.LeaveAttendance(ctx, span); err != nil {
			t.Fatal(err)
		}
		tr.signIn("activity-trainer", strongPassword) // ten idle days ended the session
		p = tr.get(path)
		mustContain(t, p, "0 learners have been quiet for more than 7 days.")
		if row := learnerRow(t, p, "newcomer"); !strings.Contains(row, "3 December 2026") {
			t.Fatalf("last activity is not the end of the attended session:\n%s", row)
		}
	})
}

func TestModuleTitlesAndQuestionsFollowTheReadersLanguageWithAFallbackNotice(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "lang-trainer")
		path, code := newCohort(t, tr, "0") // the cohort's sessions are in English
		l := ts.browser(t)
		l.signUp("polyglot")
		l.post("/join", url.Values{"code": {code}})
		form := l.get("/courses/sample/quizzes/basics").Body
		l.post("/courses/sample/quizzes/basics", rightAnswers(t, form))

		// Arabic reader, Arabic course text: the module titles on the dashboard, the quiz's
		// title and its questions on the quiz's page.
		for _, p := range []page{tr.get(path + "?lang=ar"), tr.get(path + "/quizzes/basics?lang=ar")} {
			mustStatus(t, p, http.StatusOK)
			mustContain(t, p, "الأساسيات")
			for _, english := range []string{">Basics<", "Quiz: Basics", "Which one is right?"} {
				if strings.Contains(p.Body, english) {
					t.Errorf("the Arabic page %s shows %q", p.URL, english)
				}
			}
			if strings.Contains(p.Body, `class="notice warning fallback"`) {
				t.Errorf("%s: a fallback notice although the course is in Arabic", p.URL)
			}
		}
		mustContain(t, tr.get(path+"/quizzes/basics?lang=ar"), "أيها الصحيح؟")

		// Spanish reader, no Spanish course text: the course's language, said so, and marked.
		p := tr.get(path + "?lang=es")
		mustContain(t, p, `class="notice warning fallback"`, `<th scope="col" lang="en" dir="ltr">Basics</th>`)
		p = tr.get(path + "/quizzes/basics?lang=es")
		mustContain(t, p, `class="notice warning fallback"`, `<td lang="en" dir="ltr">Which one is right?</td>`)
	})
}

// largeCohort stores a cohort of the sample course with the given learners (and a trainer
// first) directly, as the load tool does, and returns its path and the trainer's browser.
func largeCohort(t *testing.T, ts *testServer, learners []string) (string, *browser) {
	t.Helper()
	ctx := context.Background()
	st := store.New(ts.DB, ts.Clock.Now)
	run := &store.LoadTestRun{Name: "Large", CourseID: "sample", Expires: 30 * 24 * time.Hour}
	var trainerToken string
	for i, name := range append([]string{"coach-of-" + learners[0]}, learners...) {
		token, hash := auth.NewToken()
		if i == 0 {
			trainerToken = token
		}
		run.Users = append(run.Users, model.User{Username: name, UsernameKey: auth.UsernameKey(name), UsernameSkeleton: auth.UsernameSkeleton(name),
			PasswordHash: "$argon2id$test", Role: model.RoleLearner, Locale: "en"})
		run.TokenHashes = append(run.TokenHashes, hash)
	}
	if err := st.CreateLoadTestRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	b := ts.browser(t)
	b.setCookie("cairn_session", trainerToken)
	return "/cohorts/" + strconv.FormatInt(run.CohortID, 10), b
}

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%04d", prefix, i+1)
	}
	return out
}

var (
	rowNameRE = regexp.MustCompile(`<th scope="row"><bdi>([^<]+)</bdi>`)
	nextRE    = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)

	learnersTableRE = regexp.MustCompile(`(?s)<table class="learners">.*?</table>`)
)

// rowNames lists the learners of the learner table, in order.
func rowNames(p page) []string {
	var out []string
	table := learnersTableRE.FindString(p.Body)
	for _, m := range rowNameRE.FindAllStringSubmatch(table, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func TestTheLearnerTableIsPagedSortedAndSearchedWithPlainLinks(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		path, tr := largeCohort(t, ts, append(numbered("pupil", 119), "Zoë Ñandú"))
		st := store.New(ts.DB, ts.Clock.Now)
		if _, err := st.CompleteLesson(context.Background(), userID(t, ts.DB, "pupil-0077"), "sample", "first-steps"); err != nil {
			t.Fatal(err)
		}

		p := tr.get(path)
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "120 learners", "Learners 1–50 of 120", "Page 1 of 3", `aria-sort="ascending"`, "Average progress: 0%")
		if names := rowNames(p); len(names) != 50 || names[0] != "pupil-0001" || names[49] != "pupil-0050" {
			t.Fatalf("page 1: %d rows, %v … %v", len(names), names[:1], names[len(names)-1:])
		}
		next := nextRE.FindStringSubmatch(p.Body)
		if next == nil || html.UnescapeString(next[1]) != path+"?page=2" {
			t.Fatalf("next link %v", next)
		}
		p = tr.get(html.UnescapeString(next[1]))
		mustContain(t, p, "Learners 51–100 of 120", `rel="prev"`)
		// A page past the end shows the last one.
		p = tr.get(path + "?page=99")
		mustContain(t, p, "Learners 101–120 of 120", "Page 3 of 3")
		if names := rowNames(p); len(names) != 20 || names[19] != "Zoë Ñandú" || strings.Contains(p.Body, `rel="next"`) {
			t.Fatalf("last page: %v", names)
		}

		// Sorted by progress, most first; the links keep the choice and start again at page 1.
		p = tr.get(path + "?sort=progress&order=desc&page=2")
		if names := rowNames(p); names[0] != "pupil-0050" { // pupil-0077, then ties by name
			t.Fatalf("progress, page 2: %v", names[:3])
		}
		p = tr.get(path + "?sort=progress&order=desc")
		if names := rowNames(p); names[0] != "pupil-0077" {
			t.Fatalf("progress, most first: %v", names[:3])
		}
		mustContain(t, p, `aria-sort="descending"`, `href="`+path+`?sort=progress"`, `href="`+path+`?order=desc&amp;page=2&amp;sort=progress"`)

		// Search ignores case and accents; the quiet filter keeps its own count.
		p = tr.get(path + "?q=" + url.QueryEscape("zoe nandu"))
		mustContain(t, p, "1 learner", `value="zoe nandu"`, "Show every learner")
		if names := rowNames(p); len(names) != 1 || names[0] != "Zoë Ñandú" {
			t.Fatalf("search: %v", names)
		}
		p = tr.get(path + "?q=nobody-at-all")
		mustContain(t, p, "No learner matches.", "120 learners")
		ts.Clock.Advance(4 * 24 * time.Hour)
		p = tr.get(path + "?quiet=1&days=3")
		mustContain(t, p, "120 learners have been quiet for more than 3 days.", "Learners 1–50 of 120", `name="quiet" value="1" checked`)
	})
}

func TestTheCSVExportStreamsEveryLearner(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		learners := append(numbered("csv", 1199), "=SUM(A1)")
		path, tr := largeCohort(t, ts, learners)
		req, err := http.NewRequest(http.MethodGet, ts.URL+path+"/export.csv", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := tr.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("status %d, type %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		// Streamed: the length is not known in advance (chunked), and gzip applies.
		if len(resp.TransferEncoding) == 0 || resp.TransferEncoding[0] != "chunked" {
			t.Fatalf("the export was not streamed: transfer encoding %v, length %d", resp.TransferEncoding, resp.ContentLength)
		}
		if !resp.Uncompressed {
			t.Error("the export was not compressed")
		}
		lines := strings.Split(strings.TrimSpace(string(body)), "\n")
		// In the order the accounts were made (three chunks), formulas neutralised.
		if len(lines) != 1201 || !strings.HasPrefix(lines[0], "Learner,Lessons done,") || !strings.HasPrefix(lines[1], "csv-0001,0,3,0,2026-11-23") ||
			!strings.HasPrefix(lines[1199], "csv-1199,") || !strings.HasPrefix(lines[1200], "'=SUM(A1),") {
			t.Fatalf("%d lines; first %q, %q, %q; last %q", len(lines), lines[0], lines[1], lines[2], lines[len(lines)-1])
		}
	})
}

func TestTheDashboardRunsTheSameFewQueriesForThreeLearnersOrThreeHundred(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		counter := &queryCounter{}
		ts := startServer(t, db.WithQueryHook(counter), testConfig())
		small, smallTrainer := largeCohort(t, ts, numbered("few", 3))
		large, largeTrainer := largeCohort(t, ts, numbered("many", 300))
		cost := func(b *browser, path string) int64 {
			t.Helper()
			b.get(path) // the once-a-minute session touch happens here, if due
			counter.n.Store(0)
			mustStatus(t, b.get(path), http.StatusOK)
			return counter.n.Load()
		}
		const budget = 12
		few := cost(smallTrainer, small)
		for _, q := range []string{"", "?page=4", "?sort=progress&order=desc", "?sort=activity", "?q=many-02&quiet=1"} {
			if n := cost(largeTrainer, large+q); n > few || n > budget {
				t.Errorf("dashboard%s of 300 learners ran %d queries; 3 learners: %d; budget %d", q, n, few, budget)
			}
		}
		few = cost(smallTrainer, small+"/quizzes/basics")
		if n := cost(largeTrainer, large+"/quizzes/basics"); n > few || n > 8 {
			t.Errorf("a quiz's page for 300 learners ran %d queries; 3 learners: %d", n, few)
		}
	})
}

func TestALargeCohortsTotalsAreCountedOnceAMinuteAndAfterARemoval(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		path, tr := largeCohort(t, ts, numbered("crowd", 2000))
		mustContain(t, tr.get(path), "2000 learners", "Learners 1–50 of 2000")
		ctx := context.Background()
		st := store.New(ts.DB, ts.Clock.Now)
		late := &model.User{Username: "latecomer", UsernameKey: "latecomer", UsernameSkeleton: auth.UsernameSkeleton("latecomer"), PasswordHash: "$argon2id$test", Role: model.RoleLearner}
		if err := st.CreateAccount(ctx, store.NewAccount{User: late}); err != nil {
			t.Fatal(err)
		}
		if err := st.JoinCohort(ctx, cohortIDOf(t, path), late.ID, 0); err != nil {
			t.Fatal(err)
		}
		ts.Clock.Advance(30 * time.Second)
		p := tr.get(path)
		mustContain(t, p, "2000 learners", "Counted at 23 November 2026, 12:00 UTC")
		ts.Clock.Advance(31 * time.Second)
		p = tr.get(path)
		mustContain(t, p, "2001 learners", "Learners 1–50 of 2001")
		if strings.Contains(p.Body, "Counted at") {
			t.Fatal("fresh totals said to be counted earlier")
		}
		// The trainer's own change shows at once.
		tr.post(path+"/members/"+strconv.FormatInt(late.ID, 10)+"/remove", url.Values{"confirm": {"yes"}})
		mustContain(t, tr.get(path), "2000 learners")
	})
}

// startCheckIn starts a live session, "Check-in", for the cohort at path (its dashboard URL).
func startCheckIn(t *testing.T, st *store.Store, path string) *model.LiveSession {
	t.Helper()
	ctx := context.Background()
	co, err := st.Cohort(ctx, cohortIDOf(t, path))
	if err != nil {
		t.Fatal(err)
	}
	ls := &model.LiveSession{CohortID: co.ID, Title: "Check-in"}
	if err := st.CreateLiveSession(ctx, ls, true); err != nil {
		t.Fatal(err)
	}
	return ls
}
