package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/store"
)

type catalogCard struct {
	Course    *course.Course
	Title     string
	Summary   string
	Languages []string // names
	Standing  *course.Standing
}

type catalogData struct {
	Cards     []catalogCard
	Filter    course.Filter
	Levels    []string
	Tags      []string
	Languages []langOption
	Total     int
}

type langOption struct{ Tag, Name string }

func (s *Server) listCatalog(c *fiber.Ctx) error {
	cat := s.catalog()
	f := course.Filter{
		Language: c.Query("language"),
		Level:    c.Query("level"),
		Tag:      c.Query("tag"),
		Query:    strings.TrimSpace(c.Query("q")),
	}
	if len([]rune(f.Query)) > 100 {
		f.Query = string([]rune(f.Query)[:100])
	}
	found := cat.Find(f)
	var progress *store.Progress
	if u := state(c).user; u != nil {
		p, err := s.store.LearnerProgress(c.UserContext(), u.ID)
		if err != nil {
			return err
		}
		progress = p
	}
	ui := lang(c)
	d := catalogData{Filter: f, Levels: course.Levels, Tags: cat.Tags(), Total: len(cat.All())}
	for _, tag := range cat.Languages() {
		d.Languages = append(d.Languages, langOption{Tag: tag, Name: s.languageName(tag)})
	}
	for _, co := range found {
		card := catalogCard{Course: co, Title: co.In(co.Title, ui), Summary: co.In(co.Summary, ui)}
		for _, l := range co.Languages {
			card.Languages = append(card.Languages, s.languageName(l))
		}
		if progress != nil && progress.Enrollments[co.ID] != nil {
			st := co.StandingOf(lessonSet(progress, co.ID), passedSet(progress, co.ID))
			card.Standing = &st
		}
		d.Cards = append(d.Cards, card)
	}
	return s.render(c, fiber.StatusOK, "catalog", "catalog_title", d)
}
