package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
)

func (s *Server) quizFromPath(c *fiber.Ctx) (*course.Course, *course.Module, error) {
	co, err := s.courseFromPath(c)
	if err != nil {
		return nil, nil, err
	}
	m := co.Module(c.Params("module"))
	if m == nil || m.Quiz == nil {
		return nil, nil, fiber.ErrNotFound
	}
	return co, m, nil
}

// showQuiz starts a new attempt: a fresh key, issued and signed by the server for this
// person and quiz, fixes this attempt's order and makes its submission count once.
func (s *Server) showQuiz(c *fiber.Ctx) error {
	co, m, err := s.quizFromPath(c)
	if err != nil {
		return err
	}
	key := s.attempts.Issue(state(c).user.ID, co.ID, m.ID)
	f := s.buildQuizForm(c, co, m, key, nil, nil)
	if err := s.loadQuizHistory(c, f); err != nil {
		return err
	}
	return s.renderTitled(c, fiber.StatusOK, "quiz", f.Title.Text, f)
}

func (s *Server) loadQuizHistory(c *fiber.Ctx, f *quizForm) error {
	attempts, err := s.store.QuizAttempts(c.UserContext(), state(c).user.ID, f.Course.ID, f.Module.ID)
	if err != nil {
		return err
	}
	f.History = attempts
	for _, a := range attempts {
		f.Attempted = true
		if a.Percent > f.Best {
			f.Best = a.Percent
		}
	}
	return nil
}
