package web

import (
	"github.com/gofiber/fiber/v2"
)

type planPrintData struct {
	*planPageData
	Materials []string // the shipped module's, for a plan that began as its agenda
}

// printPlan is the plan laid out for paper: every step with its time, stage, what it
// shows and the trainer's notes; the site's header, footer and forms are not printed.
func (s *Server) printPlan(c *fiber.Ctx) error {
	p, own, err := s.planAccess(c)
	if err != nil {
		return err
	}
	d, err := s.planPage(c, p, own)
	if err != nil {
		return err
	}
	d.Adds = nil
	out := planPrintData{planPageData: d}
	if crs := s.planCourse(p); crs != nil && p.SourceModule != "" {
		if mod := crs.Module(p.SourceModule); mod != nil {
			if notes, _ := mod.TrainerNotesIn(p.Lang); notes != nil {
				out.Materials = notes.Materials
			}
		}
	}
	return s.renderTitled(c, fiber.StatusOK, "plan_print", p.Title, out)
}
