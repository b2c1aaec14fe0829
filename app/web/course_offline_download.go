package web

import (
	"errors"
	"os"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/offline"
)

// offlineOffer is the course page's form to download the offline copy: the languages to
// tick (the reader's own ticked, or the course's default when it lacks it) and the key id
// the copy is signed with.
type offlineOffer struct {
	Languages []offlineLanguage
	KeyID     string
	Example   string // the file name of the copy in the reader's language, for the verify command
}

type offlineLanguage struct {
	Tag, Name string
	Checked   bool
}

func (s *Server) offlineOffer(co *course.Course, ui string, langs []langOption) *offlineOffer {
	k, err := s.offline.Key()
	if err != nil {
		s.log.Error("signing key", "err", err)
		return nil
	}
	pick := co.DefaultLanguage
	if co.HasLanguage(ui) {
		pick = ui
	}
	o := &offlineOffer{KeyID: k.Public.ID(), Example: offline.FileName(co, []string{pick})}
	for _, l := range langs {
		o.Languages = append(o.Languages, offlineLanguage{Tag: l.Tag, Name: l.Name, Checked: l.Tag == pick})
	}
	return o
}

// offlineLanguages reads the languages asked for (?lang=en&lang=ar; none means every
// language of the course) and checks them against the course's.
func offlineLanguages(c *fiber.Ctx) []string {
	var langs []string
	for _, v := range c.Context().QueryArgs().PeekMulti("lang") {
		if l := string(v); l != "" && !slices.Contains(langs, l) && len(langs) < 16 {
			langs = append(langs, l)
		}
	}
	return langs
}

// bundleFromPath finds the signed offline copy the URL asks for, building it on first
// request; with open, the zip is opened too (the caller closes it).
func (s *Server) bundleFromPath(c *fiber.Ctx, open bool) (*offlineBundle, *os.File, error) {
	co, err := s.courseFromPath(c)
	if err != nil {
		return nil, nil, err
	}
	langs, err := offline.Languages(co, offlineLanguages(c))
	if errors.Is(err, offline.ErrLanguage) {
		return nil, nil, fiber.NewError(fiber.StatusBadRequest, "error_offline_language")
	}
	if err != nil {
		return nil, nil, err
	}
	var b *offlineBundle
	var f *os.File
	if open {
		b, f, err = s.offline.Open(co, langs)
	} else {
		b, err = s.offline.Get(co, langs)
	}
	if err != nil {
		s.log.Error("offline copy", "course", co.ID, "err", err)
		return nil, nil, fiber.NewError(fiber.StatusServiceUnavailable, "error_offline_unavailable")
	}
	return b, f, nil
}

// downloadOfflineCourse sends a course's offline copy: a zip of static pages (app/offline).
func (s *Server) downloadOfflineCourse(c *fiber.Ctx) error {
	b, f, err := s.bundleFromPath(c, true)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Attachment(b.name)
	return c.SendStream(f, int(info.Size())) // fasthttp closes f once sent
}

// downloadOfflineSignature sends the minisign signature of the same offline copy.
func (s *Server) downloadOfflineSignature(c *fiber.Ctx) error {
	b, _, err := s.bundleFromPath(c, false)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Attachment(b.name + ".minisig")
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	return c.Send(b.signature)
}

// showSigningKey sends the instance's public signing key, in minisign's file format.
func (s *Server) showSigningKey(c *fiber.Ctx) error {
	k, err := s.offline.Key()
	if err != nil {
		s.log.Error("signing key", "err", err)
		return fiber.NewError(fiber.StatusServiceUnavailable, "error_offline_unavailable")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Attachment("cairn.pub")
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	return c.Send(k.Public.File())
}

// isZipDownload tells the compression middleware to leave offline copies as they are.
func isZipDownload(c *fiber.Ctx) bool { return strings.HasSuffix(c.Path(), ".zip") }
