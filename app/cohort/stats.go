// Package cohort computes what a trainer's dashboard shows: each learner's progress, who has
// gone quiet, score distributions and which questions learners miss. Pure functions over
// rows already loaded; no HTTP, no storage.
package cohort

import (
	"encoding/json"
	"sort"
	"time"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/quiz"
)

// LearnerRow is one learner's line on the dashboard.
type LearnerRow struct {
	UserID       int64
	Name         string
	Standing     course.Standing
	ModulesDone  map[string]bool // module id → every lesson done
	BestPercent  map[string]int  // quiz (module) id → best score
	Attempted    map[string]bool
	LastActivity *time.Time
	Inactive     bool
}

// Learners builds the learner rows. A learner is inactive when their last activity is older
// than inactiveAfter, or when they have never done anything.
func Learners(c *course.Course, members []model.CohortMember, done map[int64]map[string]bool,
	enrollments map[int64]*model.Enrollment, attempts []model.QuizAttempt, now time.Time, inactiveAfter time.Duration) []LearnerRow {
	best := map[int64]map[string]int{}
	passed := map[int64]map[string]bool{}
	for _, a := range attempts {
		if best[a.UserID] == nil {
			best[a.UserID], passed[a.UserID] = map[string]int{}, map[string]bool{}
		}
		if cur, ok := best[a.UserID][a.QuizID]; !ok || a.Percent > cur {
			best[a.UserID][a.QuizID] = a.Percent
		}
		if a.Passed {
			passed[a.UserID][a.QuizID] = true
		}
	}
	var rows []LearnerRow
	for _, m := range members {
		if m.Role != model.CohortLearner || m.User == nil {
			continue
		}
		r := LearnerRow{
			UserID: m.UserID, Name: m.User.Name(),
			Standing:    c.StandingOf(done[m.UserID], passed[m.UserID]),
			ModulesDone: map[string]bool{}, BestPercent: best[m.UserID], Attempted: map[string]bool{},
		}
		for id := range best[m.UserID] {
			r.Attempted[id] = true
		}
		for _, mod := range c.Modules {
			all := true
			for _, l := range mod.Lessons {
				all = all && done[m.UserID][l.ID]
			}
			r.ModulesDone[mod.ID] = all
		}
		if e := enrollments[m.UserID]; e != nil {
			t := e.LastActivityAt
			r.LastActivity = &t
		}
		r.Inactive = r.LastActivity == nil || now.Sub(*r.LastActivity) > inactiveAfter
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	return rows
}

// Buckets of the score distribution, in percent.
var Buckets = []string{"0–19", "20–39", "40–59", "60–79", "80–100"}

// QuizStats is one quiz's distribution and per-question difficulty.
type QuizStats struct {
	Module       *course.Module
	Learners     int   // learners who attempted it
	Distribution []int // learners per bucket, by best score
	Questions    []QuestionStat
}

// QuestionStat says how many learners got a question right in their latest attempt.
type QuestionStat struct {
	ID      string
	Stem    string
	Right   int
	Answers int
	Percent int // right / answers
}

// Quizzes computes statistics for every quiz of the course from the cohort's attempts.
// Difficulty uses each learner's latest attempt, re-graded question by question against the
// quiz as it is now.
func Quizzes(c *course.Course, attempts []model.QuizAttempt, lang string) []QuizStats {
	var out []QuizStats
	for _, m := range c.Quizzes() {
		st := QuizStats{Module: m, Distribution: make([]int, len(Buckets))}
		best := map[int64]int{}
		latest := map[int64]model.QuizAttempt{}
		for _, a := range attempts {
			if a.QuizID != m.ID {
				continue
			}
			if cur, ok := best[a.UserID]; !ok || a.Percent > cur {
				best[a.UserID] = a.Percent
			}
			if prev, ok := latest[a.UserID]; !ok || a.ID > prev.ID {
				latest[a.UserID] = a
			}
		}
		st.Learners = len(best)
		for _, p := range best {
			st.Distribution[bucket(p)]++
		}
		for _, q := range m.Quiz.Questions {
			qs := QuestionStat{ID: q.ID, Stem: q.Text(lang, c.DefaultLanguage).Stem}
			for _, a := range latest {
				var answers quiz.Answers
				if json.Unmarshal([]byte(a.Answers), &answers) != nil {
					continue
				}
				given, ok := answers[q.ID]
				if !ok {
					continue // question added after this attempt
				}
				qs.Answers++
				one := &quiz.Quiz{Questions: []*quiz.Question{q}, PassMark: 100}
				if res, err := quiz.Grade(one, a.Lang, c.DefaultLanguage, quiz.Answers{q.ID: given}); err == nil && res.Score == 1 {
					qs.Right++
				}
			}
			if qs.Answers > 0 {
				qs.Percent = qs.Right * 100 / qs.Answers
			}
			st.Questions = append(st.Questions, qs)
		}
		// Hardest first: the questions most learners miss.
		sort.SliceStable(st.Questions, func(i, j int) bool { return st.Questions[i].Percent < st.Questions[j].Percent })
		out = append(out, st)
	}
	return out
}

func bucket(percent int) int {
	b := percent / 20
	if b > len(Buckets)-1 {
		b = len(Buckets) - 1
	}
	if b < 0 {
		b = 0
	}
	return b
}
