package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"
)

const flashChecklistSaved = "flash_checklist_saved"

// updateChecklist saves which items of a lesson's "what now" checklist the learner has
// done: the form sends the ticked ones, so an item left out is unticked. Ids the lesson
// does not have (a forged form, or an item removed since the page was loaded) are ignored.
// It answers with the lesson again, at its checklist.
func (s *Server) updateChecklist(c *fiber.Ctx) error {
	co, l, err := s.lessonFromPath(c)
	if err != nil {
		return err
	}
	// Every language of a lesson has the same items (courses/README.md): the default one
	// is the reference.
	items := l.Versions[co.DefaultLanguage].Checklist
	if len(items) == 0 {
		return fiber.ErrNotFound
	}
	sent := c.Request().PostArgs().PeekMulti("item")
	var ticked []string
	for _, it := range items {
		if slices.ContainsFunc(sent, func(b []byte) bool { return string(b) == it.ID }) {
			ticked = append(ticked, it.ID)
		}
	}
	if err := s.store.SetChecklistTicks(c.UserContext(), state(c).user.ID, co.ID, l.ID, ticked); err != nil {
		return err
	}
	s.flash(c, flashChecklistSaved)
	return redirect(c, "/courses/"+co.ID+"/lessons/"+l.ID+"#checklist")
}
