package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/adminsetting"
	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/store"
)

// defaultQuickExitURL is where quick exit leads when the admin chose nowhere else: a site
// that is harmless to be seen on and reachable in most places.
const defaultQuickExitURL = adminsetting.DefaultQuickExitURL

// quickExitBudget bounds the database work of an exit: leaving must never wait on it.
const quickExitBudget = 2 * time.Second

// quickExit leaves Cairn at once, from a plain link on every page (no JavaScript, no form,
// no token: whoever is fleeing the page must not be stopped by an expired form). It ends the
// sign-in on the server, so the cookie is worthless even where the browser keeps it, asks the
// browser to forget this site's cookies, storage and cache (Clear-Site-Data), and sends the
// person to a neutral site. It runs before the session middleware so that it works when the
// database does not. What it cannot erase is said in docs/quick-exit.md. Signing out by a
// link can be forced by another site; that costs the person a sign-in, the price of an exit
// that always works.
func (s *Server) quickExit(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), quickExitBudget)
	defer cancel()
	if token := s.cookie(c, sessionName); token != "" {
		if err := s.store.DeleteSessionByTokenHash(ctx, auth.HashToken(token)); err != nil {
			s.log.Warn("quick exit could not end the sign-in on the server", "err", err)
		}
	}
	for _, name := range []string{sessionName, flashCookie, langCookie, csrfName, discreetCookie} {
		s.clearCookie(c, name)
	}
	c.Set("Clear-Site-Data", `"cache", "cookies", "storage"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	to, err := s.store.Setting(ctx, store.SettingQuickExitURL, "")
	if err != nil || !adminsetting.ValidQuickExitURL(to) {
		to = defaultQuickExitURL
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}
