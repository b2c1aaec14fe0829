package cohort_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/cohort"
	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/quiz"
)

func testCourse() *course.Course {
	c := &course.Course{ID: "c", DefaultLanguage: "en", Title: map[string]string{"en": "C"}}
	m := &course.Module{ID: "m", Course: c, Title: map[string]string{"en": "M"}, Quiz: &quiz.Quiz{ID: "m", PassMark: 50, Questions: []*quiz.Question{
		{ID: "easy", Type: quiz.TrueFalse, Answer: true, Texts: map[string]*quiz.Text{"en": {Stem: "Easy?"}}},
		{ID: "hard", Type: quiz.Single, Options: []quiz.Option{{ID: "a", Correct: true}, {ID: "b"}}, Texts: map[string]*quiz.Text{"en": {Stem: "Hard?"}}},
	}}}
	l1 := &course.Lesson{ID: "l1", Module: m, Index: 0}
	l2 := &course.Lesson{ID: "l2", Module: m, Index: 1}
	m.Lessons = []*course.Lesson{l1, l2}
	c.Modules, c.Lessons = []*course.Module{m}, []*course.Lesson{l1, l2}
	return c
}

func attempt(id, user int64, percent int, answers quiz.Answers) model.QuizAttempt {
	b, _ := json.Marshal(answers)
	return model.QuizAttempt{ID: id, UserID: user, QuizID: "m", Percent: percent, Passed: percent >= 50, Answers: string(b), Lang: "en"}
}

func TestLearnersAndQuizStatistics(t *testing.T) {
	c := testCourse()
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	members := []model.CohortMember{
		{UserID: 1, Role: model.CohortLearner, User: &model.User{Username: "ana"}},
		{UserID: 2, Role: model.CohortLearner, User: &model.User{Username: "=cmd|evil", DisplayName: "=HYPERLINK(\"x\")"}},
		{UserID: 3, Role: model.CohortTrainer, User: &model.User{Username: "trainer"}},
		{UserID: 4, Role: model.CohortLearner, User: &model.User{Username: "zed"}},
	}
	done := map[int64]map[string]bool{1: {"l1": true, "l2": true}, 2: {"l1": true}}
	recent, old := now.Add(-24*time.Hour), now.Add(-30*24*time.Hour)
	enrollments := map[int64]*model.Enrollment{1: {LastActivityAt: recent}, 2: {LastActivityAt: old}}
	attempts := []model.QuizAttempt{
		attempt(1, 1, 50, quiz.Answers{"easy": {"true"}, "hard": {"b"}}),
		attempt(2, 1, 100, quiz.Answers{"easy": {"true"}, "hard": {"a"}}),
		attempt(3, 2, 0, quiz.Answers{"easy": {"false"}, "hard": {"b"}}),
	}
	rows := cohort.Learners(c, members, done, enrollments, attempts, now, 7*24*time.Hour)
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3 learners (trainers are not listed)", len(rows))
	}
	byName := map[string]cohort.LearnerRow{}
	for _, r := range rows {
		byName[r.Name] = r
	}
	ana := byName["ana"]
	if !ana.Standing.Complete || ana.BestPercent["m"] != 100 || ana.Inactive || !ana.ModulesDone["m"] {
		t.Fatalf("ana: %+v", ana)
	}
	if !byName["zed"].Inactive || !byName[`=HYPERLINK("x")`].Inactive {
		t.Fatal("a learner with no or old activity is inactive")
	}

	stats := cohort.Quizzes(c, attempts, "en")
	if len(stats) != 1 || stats[0].Learners != 2 {
		t.Fatalf("stats: %+v", stats)
	}
	// best scores: 100 (ana) and 0 (second learner)
	if d := stats[0].Distribution; d[0] != 1 || d[4] != 1 {
		t.Fatalf("distribution %v", d)
	}
	// latest attempts: ana got both right, the other got both wrong
	q := stats[0].Questions
	if q[0].Answers != 2 || q[0].Right != 1 || q[0].Percent != 50 {
		t.Fatalf("difficulty %+v", q)
	}

	var buf bytes.Buffer
	if err := cohort.WriteCSV(&buf, c, rows, []string{"learner", "done", "total", "progress", "last"}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "\n=HYPERLINK") || !strings.Contains(out, `'=HYPERLINK`) || !strings.Contains(out, "quiz:m") {
		t.Fatalf("CSV must neutralise formulas:\n%s", out)
	}
}
