package web

import (
	"github.com/gofiber/fiber/v2"
)

type cohortForm struct {
	Courses  []langOption // course id and title
	Langs    []langOption
	CourseID string
	Name     string
	Lang     string
	StartsOn string
	EndsOn   string
	Seats    string
	Errors   map[string]string
}

func (s *Server) newCohortForm(c *fiber.Ctx) *cohortForm {
	f := &cohortForm{Errors: map[string]string{}, Lang: lang(c), Seats: "0"}
	for _, co := range s.catalog().All() {
		f.Courses = append(f.Courses, langOption{Tag: co.ID, Name: co.In(co.Title, lang(c))})
	}
	for _, l := range s.locales.Languages() {
		f.Langs = append(f.Langs, langOption{Tag: l.Tag, Name: l.Name})
	}
	return f
}

func (s *Server) showNewCohort(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "cohort_new", "cohort_new_title", s.newCohortForm(c))
}
