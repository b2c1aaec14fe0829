package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// testClock is a settable clock for the store.
type testClock struct{ t time.Time }

func (c *testClock) Now() time.Time          { return c.t }
func (c *testClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

// dashboardCohort is a cohort of course "c" (lessons l1–l3, quizzes q1 and q2) and its
// learners by name.
type dashboardCohort struct {
	st       *store.Store
	clock    *testClock
	cohort   *model.Cohort
	trainer  *model.User
	learners map[string]*model.User
}

func newDashboardCohort(t *testing.T, db *bun.DB, names ...string) *dashboardCohort {
	t.Helper()
	ctx := context.Background()
	clk := &testClock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	d := &dashboardCohort{st: store.New(db, clk.Now), clock: clk, learners: map[string]*model.User{}}
	d.trainer = createUser(t, d.st, "dash-trainer")
	d.cohort = &model.Cohort{CourseID: "c", Name: "Dashboard", Lang: "en"}
	if err := d.st.CreateCohort(ctx, d.cohort, d.trainer.ID); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		u := newUser(n)
		if err := d.st.CreateAccount(ctx, store.NewAccount{User: u}); err != nil {
			t.Fatal(err)
		}
		if err := d.st.JoinCohort(ctx, d.cohort.ID, u.ID, 0); err != nil {
			t.Fatal(err)
		}
		d.learners[n] = u
	}
	return d
}

func (d *dashboardCohort) filter() store.LearnerFilter {
	return store.LearnerFilter{CohortID: d.cohort.ID, CourseID: "c", Lessons: []string{"l1", "l2", "l3"}, Quizzes: []string{"q1", "q2"},
		QuietSince: d.clock.Now().Add(-7 * 24 * time.Hour), Sort: store.SortByName}
}

func (d *dashboardCohort) complete(t *testing.T, name string, lessons ...string) {
	t.Helper()
	for _, l := range lessons {
		if _, err := d.st.CompleteLesson(context.Background(), d.learners[name].ID, "c", l); err != nil {
			t.Fatal(err)
		}
	}
}

func (d *dashboardCohort) attempt(t *testing.T, name, quizID string, percent int) {
	t.Helper()
	a := &model.QuizAttempt{UserID: d.learners[name].ID, CourseID: "c", QuizID: quizID, AttemptKey: fmt.Sprintf("%s-%s-%d-%d", name, quizID, percent, d.clock.Now().UnixNano()),
		CourseVersion: "1", Lang: "en", Score: percent, MaxScore: 100, Percent: percent, Passed: percent >= 50, Answers: `{}`}
	if _, _, err := d.st.RecordQuizAttempt(context.Background(), a); err != nil {
		t.Fatal(err)
	}
}

func names(lines []store.LearnerLine) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l.Name())
	}
	return out
}

func TestJoiningAndAttendingCountAsALearnersLastActivity(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		d := newDashboardCohort(t, db, "joiner", "worker", "attendee")
		joined := d.clock.Now()
		d.clock.Advance(20 * 24 * time.Hour)
		d.complete(t, "worker", "l1")
		ls := &model.LiveSession{CohortID: d.cohort.ID, Title: "Live"}
		if err := d.st.CreateLiveSession(ctx, ls, true); err != nil {
			t.Fatal(err)
		}
		// Another cohort's session does not count for this one.
		other := &model.Cohort{CourseID: "c", Name: "Other", Lang: "en"}
		if err := d.st.CreateCohort(ctx, other, d.trainer.ID); err != nil {
			t.Fatal(err)
		}
		otherSession := &model.LiveSession{CohortID: other.ID, Title: "Elsewhere"}
		if err := d.st.CreateLiveSession(ctx, otherSession, true); err != nil {
			t.Fatal(err)
		}
		if _, err := d.st.JoinAttendance(ctx, otherSession.ID, d.learners["joiner"].ID, "test"); err != nil {
			t.Fatal(err)
		}
		span, err := d.st.JoinAttendance(ctx, ls.ID, d.learners["attendee"].ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		d.clock.Advance(90 * time.Minute)
		if err := d.st.LeaveAttendance(ctx, span); err != nil {
			t.Fatal(err)
		}
		now := d.clock.Now()

		f := d.filter()
		f.QuietSince = now.Add(-7 * 24 * time.Hour)
		lines, err := d.st.CohortLearners(ctx, f, 50, 0)
		if err != nil {
			t.Fatal(err)
		}
		last := map[string]time.Time{}
		for _, l := range lines {
			last[l.Name()] = l.LastActivity
		}
		if !last["joiner"].Equal(joined) || !last["worker"].Equal(now.Add(-90*time.Minute)) || !last["attendee"].Equal(now) {
			t.Fatalf("last activity: joined %s, worked %s, left a live session %s; got %v", joined, now.Add(-90*time.Minute), now, last)
		}
		totals, err := d.st.CohortTotals(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if totals.Learners != 3 || totals.Quiet != 1 {
			t.Fatalf("totals %+v: only the one who joined 20 days ago and did nothing since is quiet", totals)
		}
		// Someone still in a session (no end yet) was active when they came in.
		if _, err := d.st.JoinAttendance(ctx, ls.ID, d.learners["joiner"].ID, "test"); err != nil {
			t.Fatal(err)
		}
		f.Sort, f.Desc = store.SortByActivity, true
		lines, err = d.st.CohortLearners(ctx, f, 50, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(lines); !slices.Equal(got, []string{"attendee", "joiner", "worker"}) {
			t.Fatalf("by last activity, latest first: %v", got)
		}
	})
}

func TestLearnersArePagedSortedAndSearchedWhileTotalsCoverTheCohort(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		d := newDashboardCohort(t, db, "amara", "bruno", "chidi", "dolores", "emile", "farah")
		// Display names with accents and other cases are searched and sorted by their key.
		if err := d.st.UpdateProfile(ctx, d.learners["emile"].ID, "Émile", "fr"); err != nil {
			t.Fatal(err)
		}
		if err := d.st.UpdateProfile(ctx, d.learners["dolores"].ID, "DOLORES", "es"); err != nil {
			t.Fatal(err)
		}
		d.complete(t, "amara", "l1", "l2", "l3", "gone") // a removed lesson does not count
		d.attempt(t, "amara", "q1", 100)
		d.attempt(t, "amara", "q2", 80)
		d.complete(t, "bruno", "l1")
		d.attempt(t, "bruno", "q1", 40)
		d.attempt(t, "bruno", "q1", 60) // passed on a second try
		d.complete(t, "farah", "l1", "l2")
		d.clock.Advance(10 * 24 * time.Hour)
		d.complete(t, "chidi", "l1")
		f := d.filter()
		f.QuietSince = d.clock.Now().Add(-7 * 24 * time.Hour)

		page := func(f store.LearnerFilter, limit, offset int) []string {
			t.Helper()
			lines, err := d.st.CohortLearners(ctx, f, limit, offset)
			if err != nil {
				t.Fatal(err)
			}
			return names(lines)
		}
		if got := page(f, 4, 0); !slices.Equal(got, []string{"amara", "bruno", "chidi", "DOLORES"}) {
			t.Fatalf("page 1 by name: %v", got)
		}
		if got := page(f, 4, 4); !slices.Equal(got, []string{"Émile", "farah"}) {
			t.Fatalf("page 2 by name: %v", got)
		}
		f.Desc = true
		if got := page(f, 2, 0); !slices.Equal(got, []string{"farah", "Émile"}) {
			t.Fatalf("by name, Z to A: %v", got)
		}
		f.Sort, f.Desc = store.SortByProgress, true
		// amara 5/5, bruno 2/5, farah 2/5, chidi 1/5; ties by name.
		if got := page(f, 4, 0); !slices.Equal(got, []string{"amara", "bruno", "farah", "chidi"}) {
			t.Fatalf("by progress, most first: %v", got)
		}
		f.Desc = false
		if got := page(f, 3, 0); !slices.Equal(got, []string{"DOLORES", "Émile", "chidi"}) {
			t.Fatalf("by progress, least first: %v", got)
		}
		f.Sort = store.SortByName
		f.Search = "EMI"
		if got := page(f, 50, 0); !slices.Equal(got, []string{"Émile"}) {
			t.Fatalf("search ignores case and accents: %v", got)
		}
		f.Search = "émilé"
		if got := page(f, 50, 0); !slices.Equal(got, []string{"Émile"}) {
			t.Fatalf("search with accents: %v", got)
		}
		f.Search = "%"
		if got := page(f, 50, 0); len(got) != 0 {
			t.Fatalf("%% is a character, not a wildcard: %v", got)
		}
		f.Search = "lo"
		totals, err := d.st.CohortTotals(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		// Quiet: everyone but chidi (amara, bruno, dolores, emile, farah) for more than 7 days.
		// Progress: 100 + 40 + 20 + 0 + 0 + 40 = 200. Matching "lo": dolores.
		if totals.Learners != 6 || totals.Matching != 1 || totals.Quiet != 5 || totals.Complete != 1 || totals.PercentSum != 200 {
			t.Fatalf("totals %+v", totals)
		}
		f.Search, f.OnlyQuiet, f.Sort = "", true, store.SortByName
		if got := page(f, 50, 0); !slices.Equal(got, []string{"amara", "bruno", "DOLORES", "Émile", "farah"}) {
			t.Fatalf("only the quiet: %v", got)
		}
		if totals, err = d.st.CohortTotals(ctx, f); err != nil || totals.Matching != 5 {
			t.Fatalf("matching the quiet: %+v %v", totals, err)
		}

		// The page's details: lessons done, best scores, passes.
		det, err := d.st.CohortLearnerDetails(ctx, "c", []int64{d.learners["bruno"].ID, d.learners["amara"].ID})
		if err != nil {
			t.Fatal(err)
		}
		b := d.learners["bruno"].ID
		if !det.Done[b]["l1"] || det.Best[b]["q1"] != 60 || !det.Passed[b]["q1"] || len(det.Done[d.learners["amara"].ID]) != 4 {
			t.Fatalf("details %+v", det)
		}

		// Every learner, chunk by chunk, in the order their accounts were made.
		var all []string
		f = d.filter()
		chunks := 0
		if err := d.st.EachCohortLearner(ctx, f, 4, func(lines []store.LearnerLine) error {
			chunks++
			all = append(all, names(lines)...)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if chunks != 2 || !slices.Equal(all, []string{"amara", "bruno", "chidi", "DOLORES", "Émile", "farah"}) {
			t.Fatalf("%d chunks: %v", chunks, all)
		}
	})
}

func TestScoreBandsAndLatestAttemptsCountOnlyTheCohortsLearners(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		d := newDashboardCohort(t, db, "ana", "ben", "cy")
		d.attempt(t, "ana", "q1", 10)
		d.attempt(t, "ana", "q1", 85) // best 85: top band
		d.attempt(t, "ben", "q1", 100)
		d.attempt(t, "ben", "q2", 39)
		d.attempt(t, "cy", "q1", 20)
		outsider := createUser(t, d.st, "outsider")
		a := &model.QuizAttempt{UserID: outsider.ID, CourseID: "c", QuizID: "q1", AttemptKey: "x", CourseVersion: "1", Lang: "en", Percent: 0, Answers: `{}`}
		if _, _, err := d.st.RecordQuizAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
		bands, err := d.st.CohortScoreBands(ctx, d.cohort.ID, "c", "", 20, 5)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, b := range bands {
			got[fmt.Sprintf("%s/%d", b.QuizID, b.Band)] = b.Learners
		}
		want := map[string]int{"q1/4": 2, "q1/1": 1, "q2/1": 1}
		if len(got) != len(want) {
			t.Fatalf("bands %v, want %v", got, want)
		}
		for k, n := range want {
			if got[k] != n {
				t.Fatalf("bands %v, want %v", got, want)
			}
		}
		if only, err := d.st.CohortScoreBands(ctx, d.cohort.ID, "c", "q2", 20, 5); err != nil || len(only) != 1 || only[0].QuizID != "q2" {
			t.Fatalf("bands of q2 alone: %v %v", only, err)
		}
		latest := 0
		if err := d.st.EachLatestAttempt(ctx, d.cohort.ID, "c", "q1", func(a store.LatestAnswers) error {
			if a.QuizID != "q1" {
				t.Errorf("an attempt at %s", a.QuizID)
			}
			latest++
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if latest != 3 { // ana's second, ben's, cy's
			t.Fatalf("%d latest attempts at q1, want 3", latest)
		}
	})
}

// A learner whose account an administrator disabled stays in the cohort with their
// progress, marked; they count in the cohort's totals (and apart), never among the quiet,
// and the trainer may leave them out of the table.
func TestDisabledLearnersStayMarkedButAreNeverQuiet(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		d := newDashboardCohort(t, db, "active", "gone", "later")
		d.complete(t, "gone", "l1", "l2", "l3")
		d.attempt(t, "gone", "q1", 90)
		d.attempt(t, "gone", "q2", 90)
		d.clock.Advance(10 * 24 * time.Hour)
		d.complete(t, "later", "l1")
		if err := d.st.DisableUser(ctx, d.learners["gone"].ID); err != nil {
			t.Fatal(err)
		}
		f := d.filter()
		f.QuietSince = d.clock.Now().Add(-7 * 24 * time.Hour)

		lines, err := d.st.CohortLearners(ctx, f, 50, 0)
		if err != nil {
			t.Fatal(err)
		}
		disabled := map[string]bool{}
		for _, l := range lines {
			disabled[l.Username] = l.Disabled
		}
		if len(lines) != 3 || !disabled["gone"] || disabled["active"] || disabled["later"] {
			t.Fatalf("lines %+v", lines)
		}
		totals, err := d.st.CohortTotals(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		// "active" is quiet (nothing for 10 days); "gone" as well, but disabled. Everyone is
		// counted: gone completed the course (5/5), later 1/5.
		if totals.Learners != 3 || totals.Matching != 3 || totals.Quiet != 1 || totals.Disabled != 1 || totals.Complete != 1 || totals.PercentSum != 120 {
			t.Fatalf("totals %+v", totals)
		}

		page := func(f store.LearnerFilter) []string {
			t.Helper()
			lines, err := d.st.CohortLearners(ctx, f, 50, 0)
			if err != nil {
				t.Fatal(err)
			}
			return names(lines)
		}
		f.OnlyQuiet = true
		if got := page(f); !slices.Equal(got, []string{"active"}) {
			t.Fatalf("only the quiet: %v", got)
		}
		if totals, err = d.st.CohortTotals(ctx, f); err != nil || totals.Matching != 1 {
			t.Fatalf("matching the quiet: %+v %v", totals, err)
		}

		f.OnlyQuiet, f.HideDisabled = false, true
		for _, sort := range []store.LearnerSort{store.SortByName, store.SortByProgress} {
			f.Sort = sort
			if got := page(f); !slices.Equal(got, []string{"active", "later"}) && !slices.Equal(got, []string{"later", "active"}) {
				t.Fatalf("without the disabled, by %s: %v", sort, got)
			}
		}
		if totals, err = d.st.CohortTotals(ctx, f); err != nil || totals.Matching != 2 || totals.Learners != 3 || totals.Disabled != 1 {
			t.Fatalf("totals without the disabled: %+v %v", totals, err)
		}

		// The export reads everyone, the disabled marked.
		var all []string
		if err := d.st.EachCohortLearner(ctx, f, 10, func(lines []store.LearnerLine) error {
			for _, l := range lines {
				all = append(all, fmt.Sprintf("%s:%v", l.Username, l.Disabled))
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(all, []string{"active:false", "gone:true", "later:false"}) {
			t.Fatalf("export: %v", all)
		}
	})
}
