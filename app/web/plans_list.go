package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
)

type planLine struct {
	Plan        model.SessionPlan
	CourseTitle course.Text
	Dir         string
	Steps       int
	Minutes     int
}

type plansData struct {
	Mine   []planLine
	Shared []planLine // other trainers' shared plans
}

// listPlans shows a trainer their own plans and the plans other trainers share.
func (s *Server) listPlans(c *fiber.Ctx) error {
	u := state(c).user
	ctx := c.UserContext()
	plans, err := s.store.VisiblePlans(ctx, u.ID, "")
	if err != nil {
		return err
	}
	ids := make([]int64, len(plans))
	for i, p := range plans {
		ids[i] = p.ID
	}
	totals, err := s.store.PlanTotals(ctx, ids)
	if err != nil {
		return err
	}
	var d plansData
	for _, p := range plans {
		line := planLine{Plan: p, CourseTitle: course.Text{Text: p.CourseID}, Dir: s.textDir(p.Lang), Steps: totals[p.ID].Steps, Minutes: totals[p.ID].Minutes}
		if crs := s.planCourse(&p); crs != nil {
			line.CourseTitle = crs.TextIn(crs.Title, lang(c))
		}
		if p.OwnerID == u.ID {
			d.Mine = append(d.Mine, line)
		} else {
			d.Shared = append(d.Shared, line)
		}
	}
	return s.render(c, fiber.StatusOK, "plans", "plans_title", d)
}
