package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/store"
)

// firstAidSource is the language the first-aid page is written in first; a language without
// its own version falls back to the instance's default language, then to this one.
const firstAidSource = "en"

// firstAidPage is the first-aid text in one language, rendered once at start.
type firstAidPage struct {
	Lang string
	Dir  string
	HTML template.HTML
}

type firstAidData struct {
	Page     *firstAidPage
	FellBack bool
	Contacts template.HTML // the operator's local contacts; empty when there are none
}

// loadFirstAid renders pages/first-aid.<lang>.md in every language it exists in. The text
// ships in the binary, so a problem in it is a bug: the server refuses to start.
func (s *Server) loadFirstAid(fsys fs.FS) (map[string]*firstAidPage, error) {
	files, err := fs.Glob(fsys, "pages/first-aid.*.md")
	if err != nil {
		return nil, err
	}
	pages := map[string]*firstAidPage{}
	for _, f := range files {
		tag := strings.TrimSuffix(strings.TrimPrefix(path.Base(f), "first-aid."), ".md")
		src, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		html, problems := course.RenderPage(src, "assets/"+f, tag, s.courseOptions())
		if len(problems) > 0 {
			return nil, fmt.Errorf("first-aid page: %s", problems[0])
		}
		dir := "ltr"
		if l, ok := s.locales.Lookup(tag); ok {
			dir = l.Lang.Dir
		}
		pages[tag] = &firstAidPage{Lang: tag, Dir: dir, HTML: html}
	}
	if pages[firstAidSource] == nil {
		return nil, fmt.Errorf("no pages/first-aid.%s.md", firstAidSource)
	}
	return pages, nil
}

// showFirstAid is the digital first-aid page: what to do in the first hour after a
// suspected compromise, and who helps. Anyone may read it, signed in or not, whatever the
// content-access setting: the person who needs it may be locked out of their account.
func (s *Server) showFirstAid(c *fiber.Ctx) error {
	d := firstAidData{Page: s.firstAid[lang(c)]}
	if d.Page == nil {
		d.FellBack = true
		if d.Page = s.firstAid[s.cfg.DefaultLocale]; d.Page == nil {
			d.Page = s.firstAid[firstAidSource]
		}
	}
	// The page must still help when the database does not answer: without local contacts.
	contacts, err := s.store.Setting(c.UserContext(), store.SettingFirstAidContacts, "")
	if err != nil {
		s.log.Warn("first-aid page without local contacts", "err", err, "request_id", requestID(c))
	}
	if contacts != "" {
		d.Contacts = freetext.Linkify(contacts)
	}
	return s.render(c, fiber.StatusOK, "first_aid", "first_aid_title", d)
}
