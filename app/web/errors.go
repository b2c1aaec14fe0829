package web

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/store"
)

// errorPages have their own title and explanation; other codes use the generic ones.
var errorPages = map[int]bool{400: true, 403: true, 404: true, 405: true, 413: true, 429: true, 500: true, 503: true}

// retrySafe are the forms that do the same thing when sent twice (a set value, an upsert,
// a once-per-key record): after an outage they may be sent again without doubt. Other
// forms (create a cohort, ask a question, use a one-time code) could be done twice, or
// fail the second time, so their message asks the reader to check first.
var retrySafe = map[string]bool{
	"/login":                                     true, // a second sign-in is harmless
	"/logout":                                    true,
	"/account/profile":                           true,
	"/account/sessions/revoke-others":            true,
	"/account/sessions/revoke-all":               true,
	"/account/sessions/:id/revoke":               true,
	"/account/2fa/disable":                       true,
	"/account/export":                            true, // reads only
	"/admin/users/:id/export":                    true,
	"/courses/:course/lessons/:lesson/complete":  true,
	"/courses/:course/lessons/:lesson/checklist": true, // sets the whole set of ticks
	"/courses/:course/quizzes/:module":           true, // once per attempt key: a resend finds the first
	"/cohorts/:cohort/code/revoke":               true,
	"/cohorts/:cohort/members/:user/remove":      true,
	"/live/:session/start":                       true,
	"/live/:session/vote":                        true, // once per person and poll
	"/live/:session/upvote":                      true,
	"/live/:session/plan/next":                   true, // only from the position the form names
	"/plans/:plan":                               true,
	"/plans/:plan/steps/:step":                   true,
	"/live/:session/console/step":                true, // sets the step
	"/live/:session/console/close":               true,
	"/live/:session/console/reveal":              true,
	"/live/:session/console/end":                 true,
	"/live/:session/console/answered":            true, // sets a flag
	"/live/:session/console/hide":                true,
	"/live/:session/console/hide-word":           true, // a word hidden twice is hidden once
	"/admin/registration":                        true,
	"/admin/content-access":                      true,
	"/admin/first-aid":                           true,
	"/admin/retention":                           true, // sets the periods
	"/admin/invites/:id/revoke":                  true,
	"/admin/users/:id/role":                      true,
	"/admin/users/:id/disable":                   true, // disabling twice keeps the first date
	"/admin/users/:id/enable":                    true,
}

// unavailableText is what a 503 says. A write can reach the database and be committed
// while its answer is lost (the connection broke after COMMIT), so no change is ever
// promised unsaved: a page that reads says try again; a form says it is unsure, and
// whether sending it again is safe.
func unavailableText(c *fiber.Ctx) string {
	switch {
	case c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead:
		return "error_text_503"
	case retrySafe[c.Route().Path] || c.Route().Method != c.Method():
		// (A route of another method is a middleware's: the form's own action never ran.)
		return "error_text_503_resend"
	default:
		return "error_text_503_check"
	}
}

type errorData struct {
	Status  int
	Message string
}

// handleError turns any error into a localised page with the right status. The reader sees
// what happened and what to do; the log gets the detail; nobody sees a stack trace.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status := fiber.StatusInternalServerError
	var fe *fiber.Error
	var se *statusError
	switch {
	case errors.As(err, &fe):
		status = fe.Code
	case errors.As(err, &se):
		status = se.status
	case errors.Is(err, store.ErrNotFound):
		status = fiber.StatusNotFound
	case database.IsUnavailable(err):
		status = fiber.StatusServiceUnavailable
	}
	if status >= 500 {
		s.noteFailure(err)
		s.log.Error("request failed", "status", status, "route", c.Route().Path, "request_id", requestID(c), "err", err)
	}
	st := state(c)
	if st.loc == nil {
		// The error happened before the locale middleware (e.g. an oversized body).
		st.inst = s.instance(c.UserContext())
		st.loc = st.inst.offer.Negotiate(s.cookie(c, langCookie), c.Get(fiber.HeaderAcceptLanguage))
	}
	page := status
	if !errorPages[page] {
		page = 500
		if status < 500 {
			page = 400
		}
	}
	data := errorData{Status: status, Message: st.loc.T(fmt.Sprintf("error_text_%d", page))}
	if status == fiber.StatusServiceUnavailable {
		data.Message = st.loc.T(unavailableText(c))
	}
	if fe != nil && strings.HasPrefix(fe.Message, "error_") {
		data.Message = st.loc.Message(locale.Problem(fe.Message))
	}
	if se != nil {
		data.Message = st.loc.Message(se.msg)
	}
	if status == fiber.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, "30")
	}
	if rerr := s.render(c, status, "error", fmt.Sprintf("error_title_%d", page), data); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		return c.Status(status).SendString(fmt.Sprintf("%d %s", status, st.loc.T(fmt.Sprintf("error_title_%d", page))))
	}
	return nil
}
