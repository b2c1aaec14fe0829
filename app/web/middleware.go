package web

import (
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

const (
	stateKey     = "cairn.state"
	csrfField    = "csrf_token"
	langCookie   = "cairn_lang"
	flashCookie  = "cairn_flash"
	sessionName  = "cairn_session"
	csrfName     = "cairn_csrf"
	touchEvery   = time.Minute
	mfaPendingTT = 10 * time.Minute
)

// contentSecurityPolicy allows nothing from anywhere but this origin, and no inline script.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// reqState is what the middleware learns about a request, for handlers and templates.
type reqState struct {
	loc     *locale.Localizer
	user    *model.User    // set only when fully signed in
	session *model.Session // the current session, also while the second factor is pending
	csrf    string
	flash   string
	flashID string // the message id of flash, for a page that shows it somewhere else
	inst    *instanceSettings
}

func state(c *fiber.Ctx) *reqState {
	if st, ok := c.Locals(stateKey).(*reqState); ok {
		return st
	}
	st := &reqState{}
	c.Locals(stateKey, st)
	return st
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals("requestid").(string)
	return id
}

func (s *Server) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", contentSecurityPolicy)
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Cross-Origin-Resource-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
	if s.cfg.SecureCookies() {
		c.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	return c.Next()
}

// logRequests logs one line per request: method, route pattern (never the raw path, which
// may carry a reset token), status and duration. No IP or user agent unless the operator
// opted in with CAIRN_LOG_IPS.
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := s.handleError(c, err); herr != nil {
			s.log.Error("error handler failed", "err", herr)
		}
	}
	s.Metrics.ObserveRequest(c.Route().Path, c.Method(), c.Response().StatusCode(), time.Since(start))
	attrs := []any{
		"method", c.Method(),
		"route", c.Route().Path,
		"status", c.Response().StatusCode(),
		"ms", time.Since(start).Milliseconds(),
		"request_id", requestID(c),
	}
	if s.cfg.LogIPs {
		attrs = append(attrs, "ip", s.clientIP(c).String())
	}
	level := slog.LevelInfo
	if c.Response().StatusCode() >= 500 {
		level = slog.LevelError
	}
	s.log.Log(c.UserContext(), level, "request", attrs...)
	return nil
}

func (s *Server) logPanic(c *fiber.Ctx, e any) {
	s.log.Error("panic", "err", e, "route", c.Route().Path, "request_id", requestID(c))
}

// negotiateLocale picks among the languages the instance offers: ?lang= (remembered in a
// cookie), the cookie, then Accept-Language, then the instance default.
func (s *Server) negotiateLocale(c *fiber.Ctx) error {
	st := state(c)
	st.inst = s.instance(c.UserContext())
	offer := st.inst.offer
	chosen := c.Query("lang")
	if chosen != "" {
		if l, ok := offer.Lookup(chosen); ok {
			s.setCookie(c, langCookie, l.Lang.Tag, 365*24*time.Hour)
		}
	} else {
		chosen = s.cookie(c, langCookie)
	}
	st.loc = offer.Negotiate(chosen, c.Get(fiber.HeaderAcceptLanguage))
	c.Set(fiber.HeaderContentLanguage, st.loc.Lang.Tag)
	c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)
	return c.Next()
}

// loadSession finds the signed-in user from the session cookie, enforcing the idle and
// absolute expiry, and refreshes last-seen at most once a minute.
func (s *Server) loadSession(c *fiber.Ctx) error {
	st := state(c)
	if id := s.cookie(c, flashCookie); id != "" {
		// The cookie is the client's to change: only flash messages of the catalogue are
		// shown, anything else is dropped unread; a day (flashDay) only if it is one.
		id, dayText, hasDay := strings.Cut(id, ":")
		day, dayErr := time.Parse(time.DateOnly, dayText)
		switch {
		case !strings.HasPrefix(id, "flash_") || !s.locales.Has(id):
		case hasDay && dayErr == nil:
			st.flash, st.flashID = st.loc.T(id, "Day", st.loc.Day(day)), strings.Clone(id)
		case !hasDay:
			st.flash, st.flashID = st.loc.T(id), id
		}
		s.clearCookie(c, flashCookie)
	}
	token := s.cookie(c, sessionName)
	if token == "" {
		return c.Next()
	}
	sess, err := s.store.SessionByTokenHash(c.UserContext(), auth.HashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		s.clearCookie(c, sessionName)
		return c.Next()
	}
	if err != nil {
		return err
	}
	now := s.now().UTC()
	idle := s.cfg.SessionIdleTimeout
	if sess.SharedDevice {
		idle = min(idle, sharedDeviceIdle)
	}
	// Disabling an account deletes its sessions; one that slipped in meanwhile ends here.
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= idle || sess.User != nil && sess.User.Disabled() {
		if err := s.store.DeleteSessionByID(c.UserContext(), sess.ID); err != nil {
			return err
		}
		s.clearCookie(c, sessionName)
		return c.Next()
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		// To the minute: an exact time of the last request would line up with an anonymous
		// question or vote sent by a plain form in the same instant.
		if err := s.store.TouchSession(c.UserContext(), sess.ID, now.Truncate(touchEvery)); err != nil {
			return err
		}
	}
	if day := model.ActiveDay(now); !sess.MFAPending && sess.User != nil && sess.User.ActiveOn.Before(day) {
		if err := s.store.MarkActive(c.UserContext(), sess.UserID, day); err != nil {
			return err
		}
		sess.User.ActiveOn = day
	}
	st.session = sess
	if !sess.MFAPending {
		st.user = sess.User
	}
	return c.Next()
}

func (s *Server) requireUser(c *fiber.Ctx) error {
	if state(c).user == nil {
		return c.Redirect("/login"+nextQuery(safeNext(c.OriginalURL())), fiber.StatusSeeOther)
	}
	return c.Next()
}

func (s *Server) requireTrainer(c *fiber.Ctx) error {
	u := state(c).user
	if u == nil {
		return c.Redirect("/login"+nextQuery(safeNext(c.OriginalURL())), fiber.StatusSeeOther)
	}
	if !u.HasRole(model.RoleTrainer) {
		return fiber.ErrForbidden
	}
	return c.Next()
}

func (s *Server) requireAdmin(c *fiber.Ctx) error {
	u := state(c).user
	if u == nil {
		return c.Redirect("/login"+nextQuery(safeNext(c.OriginalURL())), fiber.StatusSeeOther)
	}
	if !u.HasRole(model.RoleAdmin) {
		return fiber.ErrForbidden
	}
	return c.Next()
}
