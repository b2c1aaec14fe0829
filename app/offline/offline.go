// Package offline builds a course's static offline copy: a zip of HTML pages, the site's
// stylesheet, the lesson images and a small quiz script, every link relative, that opens from
// a USB stick or a phone's file manager in any browser, with no server, no network and no
// JavaScript needed (quizzes show each answer behind a <details> control; with JavaScript on,
// the script grades them in the page). It knows nothing of HTTP: the web server and the
// command line both call it, and sign what it writes (app/signing).
package offline

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/signing"
)

// Files of the bundle outside the language folders. The script is a file, never inline: the
// pages' Content-Security-Policy allows scripts from the bundle only.
const (
	styleFile   = "cairn.css"
	offlineCSS  = "offline.css"
	scriptFile  = "quiz.js"
	mediaFolder = "media"
)

// Builder renders bundles; it is safe for concurrent use.
type Builder struct {
	locales *locale.Bundle
	pages   map[string]*template.Template
	static  map[string][]byte // styleFile, offlineCSS, scriptFile
}

// NewBuilder reads the offline templates (templates/offline/) and static files (static/) from
// the site's assets, so the offline copy looks like the site and follows its stylesheet.
func NewBuilder(assets fs.FS, locales *locale.Bundle) (*Builder, error) {
	b := &Builder{locales: locales, pages: map[string]*template.Template{}, static: map[string][]byte{}}
	for name, src := range map[string]string{styleFile: "static/css/cairn.css", offlineCSS: "static/css/offline.css", scriptFile: "static/js/offline_quiz.js"} {
		body, err := fs.ReadFile(assets, src)
		if err != nil {
			return nil, fmt.Errorf("offline bundle: %w", err)
		}
		b.static[name] = body
	}
	for _, name := range []string{"index", "course", "lesson", "quiz"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(assets, "templates/offline/layout.html", "templates/offline/"+name+".html", "templates/partials/lesson_intro.html")
		if err != nil {
			return nil, fmt.Errorf("offline template %s: %w", name, err)
		}
		b.pages[name] = t
	}
	return b, nil
}

// ErrLanguage is returned for a language the course is not complete in.
var ErrLanguage = errors.New("the course is not available in that language")

// Languages checks the languages asked for against the course's and returns them in the
// course's order (its default first); none asked means every language of the course.
func Languages(c *course.Course, asked []string) ([]string, error) {
	if len(asked) == 0 {
		return slices.Clone(c.Languages), nil
	}
	var out []string
	for _, l := range c.Languages {
		if slices.Contains(asked, l) {
			out = append(out, l)
		}
	}
	for _, l := range asked {
		if !slices.Contains(c.Languages, l) {
			return nil, fmt.Errorf("%w: %q (it has %s)", ErrLanguage, l, strings.Join(c.Languages, ", "))
		}
	}
	return out, nil
}

// Manifest is what the bundle's signature says about it.
func Manifest(c *course.Course, langs []string, made time.Time) signing.Manifest {
	return signing.Manifest{Kind: signing.KindOfflineBundle, Course: c.ID, Version: c.Version, Languages: slices.Clone(langs), Date: made}
}

// FileName is the bundle's file name: course, version and languages, so copies of different
// versions or languages passed around on one stick do not overwrite each other.
func FileName(c *course.Course, langs []string) string {
	m := Manifest(c, langs, time.Time{})
	fields := strings.Fields(m.Comment()) // the manifest's cleaned values: safe in a file name
	value := func(i int) string { _, v, _ := strings.Cut(fields[i], ":"); return v }
	return fmt.Sprintf("%s-%s-%s-offline.zip", value(1), value(2), strings.ReplaceAll(value(3), ",", "-"))
}

// Write writes the bundle of course c in langs (checked with Languages), made at made, as a
// zip to w. Every file sits in one top folder named after the file, so unzipping it anywhere
// makes one folder, whose index.html is the way in.
func (b *Builder) Write(w io.Writer, c *course.Course, langs []string, made time.Time) error {
	if len(langs) == 0 {
		return fmt.Errorf("%w: no language", ErrLanguage)
	}
	zw := zip.NewWriter(w)
	top := strings.TrimSuffix(FileName(c, langs), ".zip") + "/"
	add := func(name string, body []byte, compress bool) error {
		h := &zip.FileHeader{Name: top + name, Method: zip.Store, Modified: made.UTC()}
		if compress {
			h.Method = zip.Deflate
		}
		f, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		_, err = f.Write(body)
		return err
	}
	for _, name := range []string{styleFile, offlineCSS, scriptFile} {
		if err := add(name, b.static[name], true); err != nil {
			return err
		}
	}
	// Images are already compressed: stored as they are.
	media := make([]string, 0, len(c.Media))
	for p := range c.Media {
		media = append(media, p)
	}
	slices.Sort(media)
	for _, p := range media {
		if err := add(mediaFolder+"/"+p, c.Media[p], false); err != nil {
			return err
		}
	}
	site := &site{b: b, course: c, langs: langs, made: made}
	pages, err := site.pages()
	if err != nil {
		return err
	}
	for _, p := range pages {
		if err := add(p.name, p.body, true); err != nil {
			return err
		}
	}
	return zw.Close()
}

// page is one rendered HTML file of the bundle.
type page struct {
	name string
	body []byte
}

// render executes template name for one page of the bundle.
func (b *Builder) render(name string, v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := b.pages[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		return nil, fmt.Errorf("offline page %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// localizer is the interface language tag, or the default one where the site has no
// translation of its own words in it (a course in a language the interface lacks).
func (b *Builder) localizer(tag string) *locale.Localizer {
	if l, ok := b.locales.Lookup(tag); ok && l.Lang.Tag == tag {
		return l
	}
	return b.locales.Default()
}

func (b *Builder) languageName(tag string) string {
	if l, ok := b.locales.Lookup(tag); ok && l.Lang.Tag == tag {
		return l.Lang.Name
	}
	return tag
}

// mediaPath is the path of a lesson image inside the bundle.
func mediaPath(p string) string { return mediaFolder + "/" + path.Clean(p) }
