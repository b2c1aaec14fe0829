// Package cohort computes what a trainer's dashboard shows: each learner's progress, score
// distributions and which questions learners miss. Pure functions over rows the store has
// read (a page of learners, counts the database made, attempts streamed one at a time); no
// HTTP, no storage.
package cohort

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/cairn-lms/cairn/app/course"
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
	LastActivity time.Time // joining, course work or live attendance, whichever is latest
	Inactive     bool      // quiet for the trainer's number of days (never when Disabled)
	// Disabled: an administrator disabled the account; the learner and their progress stay.
	Disabled bool
}

// Day is the date of the learner's last activity (the table needs no more to say who is
// quiet for days).
func (r LearnerRow) Day() string { return r.LastActivity.UTC().Format("2006-01-02") }

// Learner builds one learner's row from the lessons they completed, their best score and
// whether they passed in each quiz, and their last activity.
func Learner(c *course.Course, userID int64, name string, done map[string]bool, best map[string]int, passed map[string]bool, last time.Time, quiet bool) LearnerRow {
	r := LearnerRow{
		UserID: userID, Name: name, Standing: c.StandingOf(done, passed),
		ModulesDone: map[string]bool{}, BestPercent: best, Attempted: map[string]bool{},
		LastActivity: last, Inactive: quiet,
	}
	for id := range best {
		r.Attempted[id] = true
	}
	for _, mod := range c.Modules {
		all := true
		for _, l := range mod.Lessons {
			all = all && done[l.ID]
		}
		r.ModulesDone[mod.ID] = all
	}
	return r
}

// Score bands of the distribution: band i holds best scores from i*BandWidth to
// i*BandWidth+BandWidth-1, the last one up to 100.
const (
	BandWidth = 20
	Bands     = 5
)

// BandRange returns the lowest and highest score of band i, in percent.
func BandRange(i int) (from, to int) {
	from = i * BandWidth
	if i == Bands-1 {
		return from, 100
	}
	return from, from + BandWidth - 1
}

// BandCount is how many learners' best score in a quiz falls in one band (the database
// counts them).
type BandCount struct {
	QuizID   string
	Band     int
	Learners int
}

// QuizStats is one quiz's distribution and per-question difficulty.
type QuizStats struct {
	Module       *course.Module
	Title        string // the module's title in the reader's language, else the course's
	TitleLang    string // the language Title is in
	Learners     int    // learners who attempted it
	Distribution []int  // learners per band, by best score
	Questions    []QuestionStat
}

// QuestionStat says how many learners got a question right in their latest attempt.
type QuestionStat struct {
	ID      string
	Stem    string
	Lang    string // the language Stem is in
	Right   int
	Answers int
	Percent int // right / answers
}

// Difficulty tallies, question by question, the latest attempts of a cohort's learners as
// they stream from the database: its memory grows with the course's questions, not with the
// cohort. Each attempt is re-graded against the quiz as it is now.
type Difficulty struct {
	c     *course.Course
	byID  map[string]*course.Module
	tally map[string]map[string]*QuestionStat // quiz → question → counts
	// graded remembers the grade of an answer already seen: a cohort gives the same few
	// answers to a question thousands of times, and grading one (normalising a typed
	// answer, checking an order) costs more than looking it up. Bounded by maxGraded.
	graded map[gradedKey]bool
}

type gradedKey struct {
	quiz, question, lang, given string
}

// maxGraded bounds the memory of graded answers (typed answers can all differ).
const maxGraded = 100_000

// NewDifficulty starts an empty tally for the course's quizzes.
func NewDifficulty(c *course.Course) *Difficulty {
	d := &Difficulty{c: c, byID: map[string]*course.Module{}, tally: map[string]map[string]*QuestionStat{}, graded: map[gradedKey]bool{}}
	for _, m := range c.Quizzes() {
		d.byID[m.ID] = m
		d.tally[m.ID] = map[string]*QuestionStat{}
		for _, q := range m.Quiz.Questions {
			d.tally[m.ID][q.ID] = &QuestionStat{ID: q.ID}
		}
	}
	return d
}

// Add counts one learner's latest attempt at a quiz: its language and its answers as stored
// (JSON). Attempts at quizzes the course no longer has, and unreadable ones, are skipped.
func (d *Difficulty) Add(quizID, lang, answersJSON string) {
	m := d.byID[quizID]
	if m == nil {
		return
	}
	var answers quiz.Answers
	if json.Unmarshal([]byte(answersJSON), &answers) != nil {
		return
	}
	for _, q := range m.Quiz.Questions {
		given, ok := answers[q.ID]
		if !ok {
			continue // question added after this attempt
		}
		st := d.tally[quizID][q.ID]
		st.Answers++
		key := gradedKey{quizID, q.ID, lang, strings.Join(given, "\x00")}
		right, seen := d.graded[key]
		if !seen {
			ok, err := quiz.GradeOne(q, lang, d.c.DefaultLanguage, given)
			right = err == nil && ok
			if len(d.graded) < maxGraded {
				d.graded[key] = right
			}
		}
		if right {
			st.Right++
		}
	}
}

// InLanguage picks a course text in lang, else in the course's default language, and says
// which language it picked (the page marks text that is not in its own language).
func InLanguage(c *course.Course, text map[string]string, lang string) (string, string) {
	if t := text[lang]; t != "" {
		return t, lang
	}
	return text[c.DefaultLanguage], c.DefaultLanguage
}

// Quizzes puts together the statistics of every quiz of the course: the distribution from
// the database's band counts and, with a tally (d not nil), the difficulty of each question,
// its text in lang (the course's default language where the question has none in lang).
func Quizzes(c *course.Course, bands []BandCount, d *Difficulty, lang string) []QuizStats {
	var out []QuizStats
	for _, m := range c.Quizzes() {
		st := QuizStats{Module: m, Distribution: make([]int, Bands)}
		st.Title, st.TitleLang = InLanguage(c, m.Title, lang)
		for _, b := range bands {
			if b.QuizID == m.ID && b.Band >= 0 && b.Band < Bands {
				st.Distribution[b.Band] += b.Learners
				st.Learners += b.Learners
			}
		}
		if d == nil {
			out = append(out, st)
			continue
		}
		for _, q := range m.Quiz.Questions {
			qs := QuestionStat{ID: q.ID, Stem: q.Text(lang, c.DefaultLanguage).Stem, Lang: lang}
			if _, ok := q.Texts[lang]; !ok {
				qs.Lang = c.DefaultLanguage
			}
			if t := d.tally[m.ID][q.ID]; t != nil {
				qs.Right, qs.Answers = t.Right, t.Answers
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
