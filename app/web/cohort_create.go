package web

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// createCohort makes a cohort for a course; its creator becomes its trainer.
func (s *Server) createCohort(c *fiber.Ctx) error {
	loc := state(c).loc
	f := s.newCohortForm(c)
	f.CourseID, f.Name, f.Lang = c.FormValue("course"), freetext.Clean(c.FormValue("name")), c.FormValue("lang")
	f.StartsOn, f.EndsOn, f.Seats = c.FormValue("starts_on"), c.FormValue("ends_on"), strings.TrimSpace(c.FormValue("seats"))
	if s.catalog().Course(f.CourseID) == nil {
		f.Errors["course"] = loc.T("error_cohort_course")
	}
	if n := utf8.RuneCountInString(f.Name); n < 1 || n > 100 {
		f.Errors["name"] = loc.T("error_cohort_name")
	}
	if _, ok := s.locales.Lookup(f.Lang); !ok {
		f.Errors["lang"] = loc.T("error_cohort_lang")
	}
	for field, v := range map[string]string{"starts_on": f.StartsOn, "ends_on": f.EndsOn} {
		if v != "" && !dateRE.MatchString(v) {
			f.Errors[field] = loc.T("error_cohort_date")
		}
	}
	if f.StartsOn != "" && f.EndsOn != "" && f.EndsOn < f.StartsOn {
		f.Errors["ends_on"] = loc.T("error_cohort_dates_order")
	}
	seats, err := strconv.Atoi(f.Seats)
	if f.Seats == "" {
		seats, err = 0, nil
	}
	if err != nil || seats < 0 || seats > 100000 {
		f.Errors["seats"] = loc.T("error_cohort_seats")
	}
	if len(f.Errors) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "cohort_new", "cohort_new_title", f)
	}
	code := newJoinCode()
	co := &model.Cohort{CourseID: f.CourseID, Name: f.Name, Lang: f.Lang, StartsOn: f.StartsOn, EndsOn: f.EndsOn, SeatLimit: seats, JoinCode: &code}
	if err := s.store.CreateCohort(c.UserContext(), co, state(c).user.ID); err != nil {
		return err
	}
	s.audit(c, store.AuditCohortCreate, store.ThingTarget(model.TargetCohort, co.ID, co.Name), store.AuditDetail("course", co.CourseID))
	s.flash(c, "flash_cohort_created")
	return redirect(c, "/cohorts/"+strconv.FormatInt(co.ID, 10))
}
