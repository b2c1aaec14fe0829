package web

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/quiz"
)

// submitQuiz grades an attempt on the server and records it once. An incomplete form comes
// back with what was filled in and the gaps marked; a form that does not fit the quiz is
// refused. Neither is recorded.
func (s *Server) submitQuiz(c *fiber.Ctx) error {
	co, m, err := s.quizFromPath(c)
	if err != nil {
		return err
	}
	key := c.FormValue("attempt_key")
	if !attemptKeyRE.MatchString(key) {
		return errQuizTampered
	}
	answers, raw, ranks, unranked, err := parseQuizForm(c, m.Quiz, key)
	if err != nil {
		return err
	}
	ui := lang(c)
	result, err := quiz.Grade(m.Quiz, ui, co.DefaultLanguage, answers)
	var missing *quiz.MissingError
	switch {
	case errors.As(err, &missing) || len(unranked) > 0:
		f := s.buildQuizForm(c, co, m, key, raw, ranks)
		if missing != nil {
			for _, id := range missing.IDs {
				f.Missing[id] = true
			}
		}
		for _, id := range unranked {
			f.Missing[id] = true
		}
		f.Error = state(c).loc.N("error_quiz_missing", len(f.Missing))
		if err := s.loadQuizHistory(c, f); err != nil {
			return err
		}
		return s.renderTitled(c, fiber.StatusUnprocessableEntity, "quiz", f.Title, f)
	case isTampered(err):
		return errQuizTampered
	case err != nil:
		return err
	}
	stored, _ := json.Marshal(answers)
	attempt, _, err := s.store.RecordQuizAttempt(c.UserContext(), &model.QuizAttempt{
		UserID: state(c).user.ID, CourseID: co.ID, QuizID: m.ID, AttemptKey: key,
		CourseVersion: co.Version, Lang: ui, Score: result.Score, MaxScore: result.Max,
		Percent: result.Percent, Passed: result.Passed, Answers: string(stored),
	})
	if err != nil {
		return err
	}
	if result.Passed {
		if err := s.checkCompletion(c, co.ID); err != nil {
			return err
		}
	}
	return redirect(c, "/courses/"+co.ID+"/quizzes/"+m.ID+"/attempts/"+strconv.FormatInt(attempt.ID, 10))
}

// keyOf is used by the results page to recover the attempt's order.
func keyOf(a *model.QuizAttempt) string { return strings.TrimSpace(a.AttemptKey) }
