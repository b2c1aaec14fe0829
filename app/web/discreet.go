package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/locale"
)

// Discreet mode: for someone whose device may be looked at, every page is titled with a
// neutral name ("Notes" in the reader's language) instead of the page's and the instance's,
// the header shows that name without mark or logo, and quick exit stays on screen. The admin
// turns it on for everyone (store.SettingDiscreetMode, on the admin page); a reader turns
// it on for this browser from the footer, a cookie that lasts a year (a session cookie would
// drop it when the browser closes, when a titled page would then show). What it does not
// hide (addresses, page text) is in docs/quick-exit.md.

const (
	discreetCookie = "cairn_discreet"
	discreetMaxAge = 365 * 24 * time.Hour
)

// discreetSite is the neutral identity a discreet page shows.
func discreetSite(loc *locale.Localizer, forced bool) *siteView {
	return &siteView{Name: localText{Text: loc.T("discreet_site_name"), Lang: loc.Lang.Tag}, Discreet: true, Forced: forced}
}

// updateDiscreet turns discreet mode on or off for this browser and goes back to the page
// the reader was on.
func (s *Server) updateDiscreet(c *fiber.Ctx) error {
	if c.FormValue("on") == "1" {
		s.setCookie(c, discreetCookie, "1", discreetMaxAge)
	} else {
		s.clearCookie(c, discreetCookie)
	}
	return redirect(c, safeNext(c.FormValue("back")))
}
