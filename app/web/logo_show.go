package web

import (
	"errors"
	"regexp"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// logoVersionRE is what a logo's version looks like: the hex SHA-256 of its PNG.
var logoVersionRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// showLogo serves the instance's logo. Its URL names its version, so a browser may keep it
// for a year: a new logo has a new URL. Anyone may fetch it (it is on the sign-in page).
func (s *Server) showLogo(c *fiber.Ctx) error {
	v := c.Params("version")
	if !logoVersionRE.MatchString(v) {
		return fiber.ErrNotFound
	}
	l, err := s.logoVersion(c, v)
	if err != nil {
		return err
	}
	etag := `"` + l.ETag + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(l.PNG)
}

// logoVersion returns the logo of version v, kept in memory while it is the current one.
// A version this instance does not know yet may have been stored by another one a moment
// ago (the page naming it came from there), and the one it knows may have been replaced or
// removed: unless the settings name v, the database decides.
func (s *Server) logoVersion(c *fiber.Ctx, v string) (*model.InstanceLogo, error) {
	cache := &s.settings.logo
	if l := cache.Load(); l != nil && l.ETag == v && s.instance(c.UserContext()).logoETag == v {
		return l, nil
	}
	l, err := s.store.Logo(c.UserContext())
	if errors.Is(err, store.ErrNotFound) || err == nil && l.ETag != v {
		return nil, fiber.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	cache.Store(l)
	return l, nil
}
