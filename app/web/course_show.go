package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
)

type courseData struct {
	Course    *course.Course
	Title     course.Text
	Summary   course.Text
	Languages []langOption
	// Languages whose lessons or quiz texts include translations no second reader has
	// checked yet.
	ReviewPending []string
	Modules       []moduleView
	Standing      *course.Standing
	Started       bool
	First         *course.Lesson
	// Courses best taken first that this instance publishes.
	Prerequisites []courseLink
	// Trainers and admins get links to each module's trainer notes.
	ForTrainers bool
	// The signed offline copy to download (course_offline_download.go); nil when the
	// instance cannot sign.
	Offline *offlineOffer
}

type courseLink struct {
	ID    string
	Title course.Text
}

type moduleView struct {
	Module      *course.Module
	Title       course.Text
	Lessons     []lessonLink
	HasQuiz     bool
	BestPercent int
	Attempted   bool
	Passed      bool
	Level       string        // the module's level when it differs from the course's
	After       []course.Text // titles of the modules best done first
	HasNotes    bool          // the module has trainer notes
}

type lessonLink struct {
	Lesson  *course.Lesson
	Title   string
	Lang    string // of Title
	Minutes int
	Done    bool
}

func (s *Server) showCourse(c *fiber.Ctx) error {
	co, err := s.courseFromPath(c)
	if err != nil {
		return err
	}
	ui := lang(c)
	d := courseData{Course: co, Title: co.TextIn(co.Title, ui), Summary: co.TextIn(co.Summary, ui), First: co.Lessons[0]}
	for _, l := range co.Languages {
		d.Languages = append(d.Languages, langOption{Tag: l, Name: s.languageName(l)})
	}
	for _, l := range co.ReviewPending {
		d.ReviewPending = append(d.ReviewPending, s.languageName(l))
	}
	// A prerequisite this instance does not publish is left out: there is nothing to link.
	for _, id := range co.Prerequisites {
		if pre := s.catalog().Course(id); pre != nil {
			d.Prerequisites = append(d.Prerequisites, courseLink{ID: pre.ID, Title: pre.TextIn(pre.Title, ui)})
		}
	}
	var done, passed map[string]bool
	best := map[string]int{}
	if u := state(c).user; u != nil {
		d.ForTrainers = u.HasRole(model.RoleTrainer)
		p, err := s.store.LearnerProgress(c.UserContext(), u.ID, co.ID)
		if err != nil {
			return err
		}
		done, passed = lessonSet(p, co.ID), passedSet(p, co.ID)
		if b := p.BestPercent[co.ID]; b != nil {
			best = b
		}
		st := co.StandingOf(done, passed)
		d.Standing = &st
		d.Started = p.Enrollments[co.ID] != nil
	}
	for _, m := range co.Modules {
		mv := moduleView{Module: m, Title: co.TextIn(m.Title, ui), HasQuiz: m.Quiz != nil, Passed: passed[m.ID], HasNotes: len(m.TrainerNotes) > 0}
		if m.Level != co.Level {
			mv.Level = m.Level
		}
		for _, id := range m.Prerequisites {
			if pre := co.Module(id); pre != nil {
				mv.After = append(mv.After, co.TextIn(pre.Title, ui))
			}
		}
		mv.BestPercent, mv.Attempted = best[m.ID]
		for _, l := range m.Lessons {
			v, _ := l.Version(ui)
			mv.Lessons = append(mv.Lessons, lessonLink{Lesson: l, Title: v.Title, Lang: v.Lang, Minutes: v.Minutes, Done: done[l.ID]})
		}
		d.Modules = append(d.Modules, mv)
	}
	d.Offline = s.offlineOffer(co, ui, d.Languages)
	return s.renderTitled(c, fiber.StatusOK, "course", d.Title.Text, d)
}
