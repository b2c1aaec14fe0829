package web

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
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
	if len(key) > auth.MaxAttemptKeyLen {
		return errQuizTampered
	}
	answers, raw, ranks, unranked, err := parseQuizForm(c, m.Quiz, key)
	if err != nil {
		return err
	}
	userID := state(c).user.ID
	if !s.attempts.Valid(key, userID, co.ID, m.ID) {
		// A key the server did not issue to this person for this quiz: made up, copied from
		// someone else, or from another quiz. Nothing is recorded; the form comes back under
		// a key of their own with everything they filled in.
		fresh := s.attempts.Issue(userID, co.ID, m.ID)
		raw, ranks = carryOver(m.Quiz, key, fresh, raw, ranks)
		f := s.buildQuizForm(c, co, m, fresh, raw, ranks)
		f.Error = state(c).loc.T("error_quiz_attempt_key")
		if err := s.loadQuizHistory(c, f); err != nil {
			return err
		}
		return s.renderTitled(c, fiber.StatusUnprocessableEntity, "quiz", f.Title.Text, f)
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
		return s.renderTitled(c, fiber.StatusUnprocessableEntity, "quiz", f.Title.Text, f)
	case isTampered(err):
		return errQuizTampered
	case err != nil:
		return err
	}
	stored, _ := json.Marshal(answers)
	attempt, _, err := s.store.RecordQuizAttempt(c.UserContext(), &model.QuizAttempt{
		UserID: userID, CourseID: co.ID, QuizID: m.ID, AttemptKey: key,
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
