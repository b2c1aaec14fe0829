package web

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
)

// cookieName adds the __Host- prefix under HTTPS: such a cookie cannot be set by another
// subdomain or over plain HTTP, which closes cookie-tossing attacks on CSRF and sessions.
func (s *Server) cookieName(name string) string {
	if s.cfg.SecureCookies() {
		return "__Host-" + name
	}
	return name
}

func (s *Server) cookie(c *fiber.Ctx, name string) string { return c.Cookies(s.cookieName(name)) }

// setCookie sets an HttpOnly, SameSite=Lax cookie; maxAge 0 makes it last until the browser closes.
func (s *Server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	ck := &fiber.Cookie{
		Name:     s.cookieName(name),
		Value:    value,
		Path:     "/",
		HTTPOnly: true,
		Secure:   s.cfg.SecureCookies(),
		SameSite: fiber.CookieSameSiteLaxMode,
	}
	if maxAge > 0 {
		ck.MaxAge = int(maxAge.Seconds())
		ck.Expires = s.now().Add(maxAge)
	}
	c.Cookie(ck)
}

func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{
		Name:     s.cookieName(name),
		Path:     "/",
		HTTPOnly: true,
		Secure:   s.cfg.SecureCookies(),
		SameSite: fiber.CookieSameSiteLaxMode,
		MaxAge:   -1,
		Expires:  time.Unix(0, 0),
	})
}

// flash shows a message on the next page, by id only: no user data travels in the cookie.
// The next request shows it only if it is a flash_ message of the catalogue (loadSession).
func (s *Server) flash(c *fiber.Ctx, messageID string) {
	if !s.locales.Has(messageID) {
		s.log.Warn("flash message not in the catalogue", "id", messageID)
	}
	s.setCookie(c, flashCookie, messageID, time.Minute)
}

// flashDay is flash with a day in the message ({{.Day}}), carried as "id:2006-01-02": a
// date, not user data; loadSession shows it only if the day parses.
func (s *Server) flashDay(c *fiber.Ctx, messageID string, day time.Time) {
	if !s.locales.Has(messageID) {
		s.log.Warn("flash message not in the catalogue", "id", messageID)
	}
	s.setCookie(c, flashCookie, messageID+":"+day.UTC().Format(time.DateOnly), time.Minute)
}

// redirect answers a form POST with 303 See Other, so reloading never re-submits it.
func redirect(c *fiber.Ctx, to string) error { return c.Redirect(to, fiber.StatusSeeOther) }

// startSession signs user in on this browser with a new token, replacing (rotating) any
// session the browser had, so a token planted or seen before sign-in is worthless after.
// A pending session only allows the second-factor step and expires within minutes.
func (s *Server) startSession(c *fiber.Ctx, user *model.User, mfaPending bool, keep sessionKeep) error {
	st := state(c)
	token, hash := auth.NewToken()
	now := s.now().UTC().Truncate(time.Microsecond)
	sess := &model.Session{
		TokenHash: hash, UserID: user.ID, MFAPending: mfaPending,
		CreatedAt: now, LastSeenAt: now.Truncate(touchEvery), ExpiresAt: now.Add(s.cfg.SessionMaxAge),
	}
	switch {
	case mfaPending:
		sess.ExpiresAt = now.Add(mfaPendingTT)
	case keep == keepSharedDevice:
		sess.SharedDevice = true
		sess.ExpiresAt = now.Add(min(sharedDeviceMaxAge, s.cfg.SessionMaxAge))
	}
	var oldID int64
	if st.session != nil {
		oldID = st.session.ID
	}
	if err := s.store.RotateSession(c.UserContext(), oldID, sess); err != nil {
		return err
	}
	sess.User = user
	maxAge := time.Duration(0)
	if keep == keepRemembered && !mfaPending {
		maxAge = s.cfg.SessionMaxAge
	}
	s.setCookie(c, sessionName, token, maxAge)
	st.session = sess
	st.user = nil
	if !mfaPending {
		st.user = user
	}
	// The page answering this request already carries the new session's token.
	s.bindCSRF(c)
	return nil
}

// endSession signs this browser out.
func (s *Server) endSession(c *fiber.Ctx) error {
	st := state(c)
	if st.session != nil {
		if err := s.store.DeleteSessionByID(c.UserContext(), st.session.ID); err != nil {
			return err
		}
	}
	s.clearCookie(c, sessionName)
	st.session, st.user = nil, nil
	s.bindCSRF(c)
	return nil
}

// problem localises a validation error from a domain package.
func (s *Server) problem(c *fiber.Ctx, err error) string {
	var m *locale.Message
	if errors.As(err, &m) {
		return state(c).loc.Message(m)
	}
	return state(c).loc.T("error_text_400")
}
