package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/adminsetting"
	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/store"
)

// Content access modes, an instance setting.
const (
	settingContentAccess = adminsetting.SettingContentAccess
	accessPublic         = adminsetting.AccessPublic
	accessMembers        = adminsetting.AccessMembers
)

// courseFromPath finds the course named in the URL, or answers 404.
func (s *Server) courseFromPath(c *fiber.Ctx) (*course.Course, error) {
	co := s.catalog().Course(c.Params("course"))
	if co == nil {
		return nil, fiber.ErrNotFound
	}
	return co, nil
}

// lessonFromPath finds the course and lesson named in the URL, or answers 404.
func (s *Server) lessonFromPath(c *fiber.Ctx) (*course.Course, *course.Lesson, error) {
	co, err := s.courseFromPath(c)
	if err != nil {
		return nil, nil, err
	}
	l := co.Lesson(c.Params("lesson"))
	if l == nil {
		return nil, nil, fiber.ErrNotFound
	}
	return co, l, nil
}

// mayRead enforces the instance's content-access setting: public content is readable by
// anyone; members-only content sends visitors to sign in.
func (s *Server) mayRead(c *fiber.Ctx) (bool, error) {
	if state(c).user != nil {
		return true, nil
	}
	access, err := s.store.Setting(c.UserContext(), settingContentAccess, accessPublic)
	if err != nil {
		return false, err
	}
	return access != accessMembers, nil
}

func (s *Server) requireReader(c *fiber.Ctx) error {
	ok, err := s.mayRead(c)
	if err != nil {
		return err
	}
	if !ok {
		return c.Redirect("/login"+nextQuery(safeNext(c.OriginalURL())), fiber.StatusSeeOther)
	}
	return c.Next()
}

// lang is the reader's UI language, used to pick course texts.
func lang(c *fiber.Ctx) string { return state(c).loc.Lang.Tag }

// passedSet and lessonSet pick one course out of a learner's progress (nil-safe).
func lessonSet(p *store.Progress, courseID string) map[string]bool {
	if p == nil {
		return nil
	}
	return p.Lessons[courseID]
}

func passedSet(p *store.Progress, courseID string) map[string]bool {
	if p == nil {
		return nil
	}
	return p.Passed[courseID]
}

// languageName is the name a language gives itself, for "available in" lists.
func (s *Server) languageName(tag string) string {
	if l, ok := s.locales.Lookup(tag); ok {
		return l.Lang.Name
	}
	return tag
}

// translationNotice tells a reader that the translation in front of them may be out of date
// (its source changed after it was translated) or awaits a second reader, and links to the
// course's source language the way the lesson page's language list does (?lang=).
type translationNotice struct {
	Stale, Pending bool
	Source         langOption
}

func (s *Server) translationNotice(co *course.Course, p course.Provenance) translationNotice {
	return translationNotice{
		Stale: p.Stale, Pending: p.ReviewPending,
		Source: langOption{Tag: co.DefaultLanguage, Name: s.languageName(co.DefaultLanguage)},
	}
}
