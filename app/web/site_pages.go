package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"github.com/cairn-lms/cairn/app/course"
)

// sitePageSource is the language the site's own pages (first aid, device traces) are
// written in first; a language without its own version falls back to the instance's
// default language, then to this one.
const sitePageSource = "en"

// sitePage is one of the site's own pages in one language, rendered once at start.
type sitePage struct {
	Lang string
	Dir  string
	HTML template.HTML
}

// sitePages is one page of the site in every language it is written in.
type sitePages map[string]*sitePage

// loadSitePages renders pages/<name>.<lang>.md in every language it exists in. The text
// ships in the binary, so a problem in it is a bug: the server refuses to start.
func (s *Server) loadSitePages(fsys fs.FS, name string) (sitePages, error) {
	files, err := fs.Glob(fsys, "pages/"+name+".*.md")
	if err != nil {
		return nil, err
	}
	pages := sitePages{}
	for _, f := range files {
		tag := strings.TrimSuffix(strings.TrimPrefix(path.Base(f), name+"."), ".md")
		src, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		html, problems := course.RenderPage(src, "assets/"+f, tag, s.courseOptions())
		if len(problems) > 0 {
			return nil, fmt.Errorf("%s page: %s", name, problems[0])
		}
		dir := "ltr"
		if l, ok := s.locales.Lookup(tag); ok {
			dir = l.Lang.Dir
		}
		pages[tag] = &sitePage{Lang: tag, Dir: dir, HTML: html}
	}
	if pages[sitePageSource] == nil {
		return nil, fmt.Errorf("no pages/%s.%s.md", name, sitePageSource)
	}
	return pages, nil
}

// pick is the page in lang, or else in the instance's default language, or else in the
// source language; fellBack says the reader's language had none.
func (p sitePages) pick(lang, defaultLang string) (page *sitePage, fellBack bool) {
	if page = p[lang]; page != nil {
		return page, false
	}
	if page = p[defaultLang]; page == nil {
		page = p[sitePageSource]
	}
	return page, true
}
