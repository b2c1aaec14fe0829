package web

import (
	"encoding/json"
	"html/template"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/quiz"
)

// resultView holds quiz texts as the HTML rendered (and sanitised) when the course loaded;
// what the learner typed and interface words are escaped into it.
type resultView struct {
	Number      int
	Lang        string // of the question's text
	Stem        template.HTML
	Correct     bool
	Show        quiz.Visible    // what the quiz's review settings let the learner see
	Given       []template.HTML // what the learner answered
	Expected    []template.HTML // the right answer
	AnswerLang  string          // of Given and Expected: the interface's for true or false
	Sep         string          // between answers, as their language writes a list ("; ", "؛ ")
	Feedback    []template.HTML // feedback of the options the learner chose
	Explanation template.HTML
}

type attemptData struct {
	Course      *course.Course
	Module      *course.Module
	Title       course.Text
	CourseTitle course.Text
	Attempt     *model.QuizAttempt
	Results     []resultView
	Next        *course.Module // the next module with lessons, to continue
	NextLesson  *course.Lesson
	HeldBack    bool // some right answers or explanations wait for a pass
}

// showQuizAttempt shows a graded attempt: each question with the learner's answer, and, as
// far as the quiz's review settings allow, whether it was right, the feedback of what they
// chose, the right answer and the explanation.
func (s *Server) showQuizAttempt(c *fiber.Ctx) error {
	co, m, err := s.quizFromPath(c)
	if err != nil {
		return err
	}
	id, err := c.ParamsInt("attempt")
	if err != nil {
		return fiber.ErrNotFound
	}
	a, err := s.store.QuizAttempt(c.UserContext(), state(c).user.ID, int64(id))
	if err != nil {
		return err
	}
	if a.CourseID != co.ID || a.QuizID != m.ID {
		return fiber.ErrNotFound
	}
	var answers quiz.Answers
	if err := json.Unmarshal([]byte(a.Answers), &answers); err != nil {
		return err
	}
	passed, err := s.store.QuizPassed(c.UserContext(), state(c).user.ID, co.ID, m.ID)
	if err != nil {
		return err
	}
	ui := lang(c)
	d := attemptData{Course: co, Module: m, Title: co.TextIn(m.Title, ui), CourseTitle: co.TextIn(co.Title, ui), Attempt: a}
	loc := state(c).loc
	for i, p := range m.Quiz.Present(keyOf(a)) {
		t := p.Text(ui, co.DefaultLanguage)
		def := p.Text(co.DefaultLanguage, co.DefaultLanguage)
		optText := func(id string) template.HTML {
			if v := t.OptionsHTML[id]; v != "" {
				return v
			}
			return def.OptionsHTML[id]
		}
		r := resultView{Number: i + 1, Lang: t.Lang, AnswerLang: t.Lang, Stem: t.StemHTML, Explanation: t.ExplanationHTML}
		given := answers[p.ID]
		switch p.Type {
		case quiz.Single, quiz.Multiple:
			for _, id := range p.OptionIDs {
				if slices.Contains(given, id) {
					r.Given = append(r.Given, optText(id))
					if fb := t.FeedbackHTML[id]; fb != "" {
						r.Feedback = append(r.Feedback, fb)
					}
				}
			}
			for _, o := range p.Options {
				if o.Correct {
					r.Expected = append(r.Expected, optText(o.ID))
				}
			}
			r.Correct = gradedCorrect(p.Question, ui, co.DefaultLanguage, given)
		case quiz.TrueFalse:
			if len(given) == 1 {
				r.Given = []template.HTML{escaped(loc.T("quiz_" + given[0]))}
				if fb := t.FeedbackHTML[given[0]]; fb != "" {
					r.Feedback = append(r.Feedback, fb)
				}
			}
			r.Expected = []template.HTML{escaped(loc.T("quiz_" + boolWord(p.Answer)))}
			r.AnswerLang = ui
			r.Correct = gradedCorrect(p.Question, ui, co.DefaultLanguage, given)
		case quiz.Short:
			for _, g := range given {
				r.Given = append(r.Given, escaped(g))
			}
			if len(t.Accept) > 0 {
				r.Expected = []template.HTML{escaped(t.Accept[0])}
			}
			r.Correct = gradedCorrect(p.Question, ui, co.DefaultLanguage, given)
		case quiz.Ordering:
			for _, id := range given {
				r.Given = append(r.Given, optText(id))
			}
			for _, o := range p.Options {
				r.Expected = append(r.Expected, optText(o.ID))
			}
			r.Correct = gradedCorrect(p.Question, ui, co.DefaultLanguage, given)
		}
		r.Sep = s.localizerFor(r.AnswerLang).T("list_separator")
		r.Show = m.Quiz.Review.For(passed, r.Correct)
		if !r.Show.Answer {
			r.Expected = nil
		}
		if !r.Show.Feedback {
			r.Feedback, r.Explanation = nil, ""
		}
		if !r.Show.Correctness {
			r.Correct = false // nothing on the page may tell it
		}
		d.HeldBack = d.HeldBack || (!passed && ((!r.Show.Answer && m.Quiz.Review.Answers == quiz.ShowAfterPass) ||
			(!r.Show.Feedback && m.Quiz.Review.Feedback == quiz.ShowAfterPass)))
		d.Results = append(d.Results, r)
	}
	if idx := slices.Index(co.Modules, m); idx >= 0 && idx+1 < len(co.Modules) {
		d.Next = co.Modules[idx+1]
		d.NextLesson = d.Next.Lessons[0]
	}
	return s.renderTitled(c, fiber.StatusOK, "quiz_attempt", d.Title.Text, d)
}

func boolWord(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// gradedCorrect re-grades one stored answer, so the page never disagrees with the grader.
func gradedCorrect(q *quiz.Question, lang, fallback string, given []string) bool {
	one := &quiz.Quiz{Questions: []*quiz.Question{q}, PassMark: 100}
	res, err := quiz.Grade(one, lang, fallback, quiz.Answers{q.ID: given})
	return err == nil && res.Score == 1
}
