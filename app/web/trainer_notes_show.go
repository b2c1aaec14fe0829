package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
)

type trainerNotesData struct {
	Course       *course.Course
	CourseTitle  course.Text
	Module       *course.Module
	ModuleTitle  course.Text
	Notes        *course.TrainerNotes
	FellBack     bool
	Notice       translationNotice
	Agenda       []agendaRow
	TotalMinutes int
	Translations []langOption
}

type agendaRow struct {
	course.AgendaStep
	LessonTitle string // of the step's lesson, when it names one
	LessonLang  string // of LessonTitle
}

// showTrainerNotes is a module's plan for running it as a workshop: materials, an agenda in
// the ADIDS rhythm and the notes. Behind requireTrainer (routes.go), like the other pages
// only trainers use: anonymous visitors are sent to sign in, learners get 403. Not a 404:
// the notes are part of the openly licensed course (anyone can read them in its files), so
// hiding that they exist protects nothing, and a learner who follows a shared link is told
// why they cannot see them.
func (s *Server) showTrainerNotes(c *fiber.Ctx) error {
	co, err := s.courseFromPath(c)
	if err != nil {
		return err
	}
	m := co.Module(c.Params("module"))
	if m == nil {
		return fiber.ErrNotFound
	}
	ui := lang(c)
	n, fellBack := m.TrainerNotesIn(ui)
	if n == nil {
		return fiber.ErrNotFound
	}
	d := trainerNotesData{
		Course: co, CourseTitle: co.TextIn(co.Title, ui), Module: m, ModuleTitle: co.TextIn(m.Title, ui),
		Notes: n, FellBack: fellBack, Notice: s.translationNotice(co, n.Provenance),
	}
	for _, st := range n.Agenda {
		row := agendaRow{AgendaStep: st}
		if l := co.Lesson(st.Lesson); l != nil {
			v, _ := l.Version(ui)
			row.LessonTitle, row.LessonLang = v.Title, v.Lang
		}
		d.Agenda = append(d.Agenda, row)
		d.TotalMinutes += st.Minutes
	}
	langs := make([]string, 0, len(m.TrainerNotes))
	for tag := range m.TrainerNotes {
		langs = append(langs, tag)
	}
	slices.Sort(langs)
	for _, tag := range langs {
		d.Translations = append(d.Translations, langOption{Tag: tag, Name: s.languageName(tag)})
	}
	return s.renderTitled(c, fiber.StatusOK, "trainer_notes", state(c).loc.T("trainer_notes_title", "Module", d.ModuleTitle.Text), d)
}
