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

type errorData struct {
	Status  int
	Message string
}

// handleError turns any error into a localised page with the right status. The reader sees
// what happened and what to do; the log gets the detail; nobody sees a stack trace.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status := fiber.StatusInternalServerError
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		status = fe.Code
	case errors.Is(err, store.ErrNotFound):
		status = fiber.StatusNotFound
	case database.IsUnavailable(err):
		status = fiber.StatusServiceUnavailable
	}
	if status >= 500 {
		s.log.Error("request failed", "status", status, "route", c.Route().Path, "request_id", requestID(c), "err", err)
	}
	st := state(c)
	if st.loc == nil {
		// The error happened before the locale middleware (e.g. an oversized body).
		st.loc = s.locales.Negotiate(s.cookie(c, langCookie), c.Get(fiber.HeaderAcceptLanguage))
	}
	page := status
	if !errorPages[page] {
		page = 500
		if status < 500 {
			page = 400
		}
	}
	data := errorData{Status: status, Message: st.loc.T(fmt.Sprintf("error_text_%d", page))}
	if fe != nil && strings.HasPrefix(fe.Message, "error_") {
		data.Message = st.loc.Message(locale.Problem(fe.Message))
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
