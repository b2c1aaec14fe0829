package web

import (
	"github.com/gofiber/fiber/v2"
)

// completeLesson records the lesson as done (idempotent) and moves on: to the module's quiz
// after its last lesson, else to the next lesson, else back to the course page.
func (s *Server) completeLesson(c *fiber.Ctx) error {
	co, l, err := s.lessonFromPath(c)
	if err != nil {
		return err
	}
	u := state(c).user
	ctx := c.UserContext()
	if _, err := s.store.CompleteLesson(ctx, u.ID, co.ID, l.ID); err != nil {
		return err
	}
	if err := s.checkCompletion(c, co.ID); err != nil {
		return err
	}
	switch {
	case l.LastInModule() && l.Module.Quiz != nil:
		return redirect(c, "/courses/"+co.ID+"/quizzes/"+l.Module.ID)
	case l.Next() != nil:
		return redirect(c, "/courses/"+co.ID+"/lessons/"+l.Next().ID)
	}
	return redirect(c, "/courses/"+co.ID)
}

// checkCompletion stamps the enrolment when the course has just become complete.
func (s *Server) checkCompletion(c *fiber.Ctx, courseID string) error {
	co := s.catalog().Course(courseID)
	u := state(c).user
	p, err := s.store.LearnerProgress(c.UserContext(), u.ID, courseID)
	if err != nil {
		return err
	}
	if e := p.Enrollments[courseID]; e == nil || e.CompletedAt != nil {
		return nil
	}
	if co.StandingOf(lessonSet(p, courseID), passedSet(p, courseID)).Complete {
		if err := s.store.MarkCourseCompleted(c.UserContext(), u.ID, courseID); err != nil {
			return err
		}
		s.flash(c, "flash_course_completed")
	}
	return nil
}
