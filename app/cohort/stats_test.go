package cohort_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/cohort"
	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/quiz"
)

func testCourse() *course.Course {
	c := &course.Course{ID: "c", DefaultLanguage: "en", Title: map[string]string{"en": "C"}}
	m := &course.Module{ID: "m", Course: c, Title: map[string]string{"en": "M"}, Quiz: &quiz.Quiz{ID: "m", PassMark: 50, Questions: []*quiz.Question{
		{ID: "easy", Type: quiz.TrueFalse, Answer: true, Texts: map[string]*quiz.Text{"en": {Stem: "Easy?"}, "ar": {Stem: "سهل؟"}}},
		{ID: "hard", Type: quiz.Single, Options: []quiz.Option{{ID: "a", Correct: true}, {ID: "b"}}, Texts: map[string]*quiz.Text{"en": {Stem: "Hard?"}}},
	}}}
	l1 := &course.Lesson{ID: "l1", Module: m, Index: 0}
	l2 := &course.Lesson{ID: "l2", Module: m, Index: 1}
	m.Lessons = []*course.Lesson{l1, l2}
	c.Modules, c.Lessons = []*course.Module{m}, []*course.Lesson{l1, l2}
	return c
}

func answers(t *testing.T, a quiz.Answers) string {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestALearnersRowCountsOnlyTheCoursesLessonsAndQuizzes(t *testing.T) {
	c := testCourse()
	last := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	r := cohort.Learner(c, 1, "ana", map[string]bool{"l1": true, "l2": true, "gone": true}, map[string]int{"m": 100}, map[string]bool{"m": true}, last, false)
	if !r.Standing.Complete || r.Standing.Percent != 100 || !r.ModulesDone["m"] || !r.Attempted["m"] || r.BestPercent["m"] != 100 || !r.LastActivity.Equal(last) {
		t.Fatalf("ana: %+v", r)
	}
	r = cohort.Learner(c, 2, "zed", map[string]bool{"l1": true}, nil, nil, last, true)
	if r.Standing.Percent != 33 || r.ModulesDone["m"] || r.Attempted["m"] || !r.Inactive {
		t.Fatalf("zed: %+v", r)
	}
}

func TestQuizStatisticsFromBandCountsAndStreamedLatestAttempts(t *testing.T) {
	c := testCourse()
	d := cohort.NewDifficulty(c)
	// Latest attempts: one learner got both right, the other both wrong, a third answered
	// before the hard question existed; unknown quizzes and broken JSON are skipped.
	d.Add("m", "en", answers(t, quiz.Answers{"easy": {"true"}, "hard": {"a"}}))
	d.Add("m", "ar", answers(t, quiz.Answers{"easy": {"false"}, "hard": {"b"}}))
	d.Add("m", "en", answers(t, quiz.Answers{"easy": {"true"}}))
	d.Add("gone", "en", answers(t, quiz.Answers{"easy": {"false"}}))
	d.Add("m", "en", "{not json")
	bands := []cohort.BandCount{{QuizID: "m", Band: 0, Learners: 1}, {QuizID: "m", Band: 4, Learners: 2}, {QuizID: "gone", Band: 2, Learners: 9}}

	stats := cohort.Quizzes(c, bands, d, "ar")
	if len(stats) != 1 || stats[0].Learners != 3 {
		t.Fatalf("stats: %+v", stats)
	}
	if dist := stats[0].Distribution; dist[0] != 1 || dist[4] != 2 || dist[2] != 0 {
		t.Fatalf("distribution %v", dist)
	}
	q := stats[0].Questions
	if q[0].ID != "hard" || q[0].Answers != 2 || q[0].Right != 1 || q[0].Percent != 50 || q[0].Stem != "Hard?" {
		t.Fatalf("hardest first, in the course's language when the question has none in Arabic: %+v", q[0])
	}
	if q[1].ID != "easy" || q[1].Answers != 3 || q[1].Right != 2 || q[1].Stem != "سهل؟" {
		t.Fatalf("easy: %+v", q[1])
	}
}

func TestBandRangesCoverZeroToAHundred(t *testing.T) {
	var got []int
	for i := range cohort.Bands {
		from, to := cohort.BandRange(i)
		got = append(got, from, to)
	}
	want := []int{0, 19, 20, 39, 40, 59, 60, 79, 80, 100}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("bands %v, want %v", got, want)
		}
	}
}

func TestCSVNeutralisesFormulasInNamesAndHeaders(t *testing.T) {
	c := testCourse()
	var buf bytes.Buffer
	status := func(disabled bool) string {
		if disabled {
			return "off"
		}
		return "on"
	}
	out, err := cohort.NewCSV(&buf, c, []string{"learner", "done", "total", "progress", "last", "account"}, status)
	if err != nil {
		t.Fatal(err)
	}
	last := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	rows := []cohort.LearnerRow{
		cohort.Learner(c, 1, `=HYPERLINK("x")`, map[string]bool{"l1": true}, map[string]int{"m": 0}, nil, last, true),
		cohort.Learner(c, 2, "ana", map[string]bool{"l1": true, "l2": true}, map[string]int{"m": 100}, map[string]bool{"m": true}, last, false),
	}
	rows[1].Disabled = true
	if err := out.Write(rows...); err != nil {
		t.Fatal(err)
	}
	if err := out.Flush(); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	if strings.Contains(got, "\n=HYPERLINK") || !strings.Contains(got, `'=HYPERLINK`) || !strings.Contains(got, "quiz:m") ||
		!strings.Contains(got, "ana,2,2,100,2026-11-23,off,100\n") || !strings.Contains(got, "2026-11-23,on,0\n") {
		t.Fatalf("CSV:\n%s", got)
	}
}
