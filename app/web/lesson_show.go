package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
)

type lessonData struct {
	Course       *course.Course
	CourseTitle  course.Text
	ModuleTitle  course.Text
	Lesson       *course.Lesson
	Version      *course.LessonVersion
	FellBack     bool
	Notice       translationNotice // the translation may be out of date or is unreviewed
	Translations []langOption
	Prev, Next   *lessonLink
	QuizAfter    *course.Module
	SignedIn     bool
	Done         bool
	Standing     *course.Standing
	// The "what now" checklist at the end, with the signed-in learner's ticks.
	Checklist      []checkItem
	ChecklistDone  int
	ChecklistSaved bool // just saved: the confirmation goes next to the checklist
}

type checkItem struct {
	ID, Text string
	Ticked   bool
}

// showLesson renders a lesson from memory; for a signed-in learner it costs one indexed
// query (the lessons they completed in this course, and their ticks of this lesson's
// checklist).
func (s *Server) showLesson(c *fiber.Ctx) error {
	co, l, err := s.lessonFromPath(c)
	if err != nil {
		return err
	}
	ui := lang(c)
	v, fellBack := l.Version(ui)
	d := lessonData{
		Course: co, CourseTitle: co.TextIn(co.Title, ui), ModuleTitle: co.TextIn(l.Module.Title, ui),
		Lesson: l, Version: v, FellBack: fellBack, Notice: s.translationNotice(co, v.Provenance),
	}
	for _, tag := range l.LanguageList() {
		d.Translations = append(d.Translations, langOption{Tag: tag, Name: s.languageName(tag)})
	}
	if p := l.Prev(); p != nil {
		pv, _ := p.Version(ui)
		d.Prev = &lessonLink{Lesson: p, Title: pv.Title, Lang: pv.Lang}
	}
	if n := l.Next(); n != nil {
		nv, _ := n.Version(ui)
		d.Next = &lessonLink{Lesson: n, Title: nv.Title, Lang: nv.Lang}
	}
	if l.LastInModule() && l.Module.Quiz != nil {
		d.QuizAfter = l.Module
	}
	for _, it := range v.Checklist {
		d.Checklist = append(d.Checklist, checkItem{ID: it.ID, Text: it.Text})
	}
	st := state(c)
	if u := st.user; u != nil {
		d.SignedIn = true
		var done, ticked map[string]bool
		if len(d.Checklist) > 0 {
			done, ticked, err = s.store.CompletedLessonsAndTicks(c.UserContext(), u.ID, co.ID, l.ID)
		} else {
			done, err = s.store.CompletedLessons(c.UserContext(), u.ID, co.ID)
		}
		if err != nil {
			return err
		}
		for i := range d.Checklist {
			if ticked[d.Checklist[i].ID] {
				d.Checklist[i].Ticked = true
				d.ChecklistDone++
			}
		}
		if st.flashID == flashChecklistSaved {
			d.ChecklistSaved, st.flash = true, ""
		}
		d.Done = done[l.ID]
		// Quiz passes are not loaded here: the bar counts lessons, to keep this page to one query.
		standing := co.StandingOf(done, nil)
		d.Standing = &standing
	}
	return s.renderTitled(c, fiber.StatusOK, "lesson", v.Title, d)
}
