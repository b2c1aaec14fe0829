package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
)

type courseData struct {
	Course    *course.Course
	Title     string
	Summary   string
	Languages []string
	Modules   []moduleView
	Standing  *course.Standing
	Started   bool
	First     *course.Lesson
}

type moduleView struct {
	Module      *course.Module
	Title       string
	Lessons     []lessonLink
	HasQuiz     bool
	BestPercent int
	Attempted   bool
	Passed      bool
}

type lessonLink struct {
	Lesson  *course.Lesson
	Title   string
	Minutes int
	Done    bool
}

func (s *Server) showCourse(c *fiber.Ctx) error {
	co, err := s.courseFromPath(c)
	if err != nil {
		return err
	}
	ui := lang(c)
	d := courseData{Course: co, Title: co.In(co.Title, ui), Summary: co.In(co.Summary, ui), First: co.Lessons[0]}
	for _, l := range co.Languages {
		d.Languages = append(d.Languages, s.languageName(l))
	}
	var done, passed map[string]bool
	best := map[string]int{}
	if u := state(c).user; u != nil {
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
		mv := moduleView{Module: m, Title: co.In(m.Title, ui), HasQuiz: m.Quiz != nil, Passed: passed[m.ID]}
		mv.BestPercent, mv.Attempted = best[m.ID]
		for _, l := range m.Lessons {
			v, _ := l.Version(ui)
			mv.Lessons = append(mv.Lessons, lessonLink{Lesson: l, Title: v.Title, Minutes: v.Minutes, Done: done[l.ID]})
		}
		d.Modules = append(d.Modules, mv)
	}
	return s.renderTitled(c, fiber.StatusOK, "course", d.Title, d)
}
