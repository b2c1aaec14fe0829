package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
)

// views holds one parsed template set per page: the base layout, the partials and the page.
type views struct {
	pages map[string]*template.Template
}

var templateFuncs = template.FuncMap{
	"list": func(items ...string) []string { return items },
	"inc":  func(i int) int { return i + 1 },
	// isolate wraps a person's text that is put inside a translated sentence (where a <bdi>
	// element cannot go) in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, the plain-text
	// <bdi>: the name takes its own direction and cannot reorder the sentence around it.
	"isolate": func(s string) string { return "\u2068" + s + "\u2069" },
	// Bar charts drawn on the server (trainer pages; learners' pages use no SVG).
	"chartHeight": func(rows int) int { return rows*22 + 4 },
	"barY":        func(i, offset int) int { return i*22 + offset },
	"barWidth": func(n, total, full int) int {
		if total == 0 {
			return 0
		}
		return n * full / total
	},
	"barEnd": func(n, total, full, start int) int {
		if total == 0 {
			return start
		}
		return start + n*full/total
	},
	// dirOf is the direction of content written in a language (lang and dir on content).
	"dirOf": locale.Dir,
	// langDir writes the lang and dir attributes of content written in lang, which may not
	// be the interface's: <h2 {{langDir .Lang}}>.
	"langDir": langDir,
	// content pairs a text with the language it is in, for TContent.
	"content": func(text, lang string) course.Text { return course.Text{Text: text, Lang: lang} },
	// with bundles the page and a value for partials that need both.
	"with2": func(page *Page, standing any) map[string]any {
		return map[string]any{"Page": page, "Standing": standing}
	},
	"livePoll": livePoll, // scale and open-text polls (live_poll_part.go)
}

func loadViews(fsys fs.FS) (*views, error) {
	layouts, err := fs.Glob(fsys, "templates/layouts/*.html")
	if err != nil {
		return nil, err
	}
	partials, err := fs.Glob(fsys, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	pages, err := fs.Glob(fsys, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	uses, err := templateUses(fsys, append(append(append([]string{}, layouts...), partials...), pages...), partials)
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		files := append(append([]string{}, layouts...), uses.partialsFor(append(append([]string{}, layouts...), p), partials)...)
		files = append(files, p)
		t, err := template.New(name).Funcs(templateFuncs).ParseFS(fsys, files...)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", p, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("template %s defines no \"content\"", p)
		}
		v.pages[name] = t
	}
	return v, nil
}

// A page's template set holds the layouts, the page and only the partials it calls, directly
// or through other partials: every set parsed with every partial kept 31 MB of parse trees
// (50 pages × 17 partials), memory a crowded live session needs (docs/BENCHMARKS.md,
// 2026-12-07, session 8). Template names in {{template}} and {{block}} are always string
// constants, so the calls are found in the text.
var (
	defineRE = regexp.MustCompile(`\{\{-?\s*(?:define|block)\s+"([^"]+)"`)
	callRE   = regexp.MustCompile(`\{\{-?\s*(?:template|block)\s+"([^"]+)"`)
)

// templateFiles is what each template file calls, and which partials define each name.
type templateFiles struct {
	calls     map[string][]string // file → names it calls
	definedIn map[string][]string // name → partials that define it
}

// templateUses reads the calls of files and the definitions of the partials among them
// (every page defines "content", which must not pull the other pages in).
func templateUses(fsys fs.FS, files, partials []string) (*templateFiles, error) {
	u := &templateFiles{calls: map[string][]string{}, definedIn: map[string][]string{}}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		if slices.Contains(partials, f) {
			for _, m := range defineRE.FindAllSubmatch(b, -1) {
				u.definedIn[string(m[1])] = append(u.definedIn[string(m[1])], f)
			}
		}
		for _, m := range callRE.FindAllSubmatch(b, -1) {
			u.calls[f] = append(u.calls[f], string(m[1]))
		}
	}
	return u, nil
}

// partialsFor returns the partials (in their given order) that files call, directly or
// through one another.
func (u *templateFiles) partialsFor(files, partials []string) []string {
	need := map[string]bool{}
	queue := append([]string{}, files...)
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		for _, name := range u.calls[f] {
			for _, g := range u.definedIn[name] {
				if !need[g] {
					need[g] = true
					queue = append(queue, g)
				}
			}
		}
	}
	var out []string
	for _, p := range partials {
		if need[p] {
			out = append(out, p)
		}
	}
	return out
}

// langTagRE is what a language tag may look like in an attribute.
var langTagRE = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)

func langDir(lang string) template.HTMLAttr {
	if !langTagRE.MatchString(lang) {
		return ""
	}
	return template.HTMLAttr(`lang="` + lang + `" dir="` + locale.Dir(lang) + `"`) //nolint:gosec // checked just above
}

// Page is what every template receives. Translation methods come from the embedded
// Localizer: {{.T "id"}}, {{.N "id" count}}; inside range use {{$.T "id"}}.
type Page struct {
	*locale.Localizer
	Title     string
	Languages []locale.Language // offered by the instance (the language switcher)
	// Site is the instance's name, description and logo for this page's language.
	Site      *siteView
	User      *model.User
	CSRF      string
	Flash     string
	RequestID string
	Data      any
	// LinksNeedBaseURL: links meant to be sent are shown as paths, since the instance does
	// not know its public address (links.go).
	LinksNeedBaseURL bool

	path   string
	query  url.Values
	assets *staticAssets
}

// Asset returns the cache-busting URL of a static file.
func (p *Page) Asset(name string) (string, error) { return p.assets.URL(name) }

// LangURL is the current page in another language.
// Path is the page's path, for forms that come back to it.
func (p *Page) Path() string { return p.path }

func (p *Page) LangURL(tag string) string {
	q := url.Values{}
	for k, v := range p.query {
		q[k] = v
	}
	q.Set("lang", tag)
	return p.path + "?" + q.Encode()
}

// TContent translates id with a piece of course content in place of key, marked with the
// content's language and direction: a module's title inside "Quiz: …" of the interface.
func (p *Page) TContent(id, key string, content course.Text) template.HTML {
	const mark = "\uFFFF" // a noncharacter: never in a message or in content
	before, after, ok := strings.Cut(p.T(id, key, mark), mark)
	if !ok {
		return template.HTML(template.HTMLEscapeString(before)) //nolint:gosec // escaped
	}
	return template.HTML(template.HTMLEscapeString(before) + "<span " + string(langDir(content.Lang)) + ">" + //nolint:gosec // escaped
		template.HTMLEscapeString(content.Text) + "</span>" + template.HTMLEscapeString(after))
}

// IsAdmin tells the layout whether to show the admin link.
func (p *Page) IsAdmin() bool { return p.User != nil && p.User.HasRole(model.RoleAdmin) }

// IsTrainer tells the layout whether to show the session plans link.
func (p *Page) IsTrainer() bool { return p.User != nil && p.User.HasRole(model.RoleTrainer) }

// render writes page name with status, titled by the message id titleID.
func (s *Server) render(c *fiber.Ctx, status int, name, titleID string, data any) error {
	return s.renderTitled(c, status, name, state(c).loc.T(titleID), data)
}

// renderTitled writes page name with a title that is already text (a course or lesson title).
func (s *Server) renderTitled(c *fiber.Ctx, status int, name, title string, data any) error {
	body, err := s.execute(c, "base", name, title, data)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	// Pages may show private data (recovery codes, sessions): never keep them in a cache.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).Send(body)
}

// execute renders page name inside layout (a template of templates/layouts).
func (s *Server) execute(c *fiber.Ctx, layout, name, title string, data any) ([]byte, error) {
	t, ok := s.views.pages[name]
	if !ok {
		return nil, fmt.Errorf("no template %q", name)
	}
	st := state(c)
	site := s.siteOf(c) // also reads the settings when no middleware did
	p := &Page{
		Localizer:        st.loc,
		Title:            title,
		Languages:        st.inst.offer.Languages(),
		Site:             site,
		User:             st.user,
		CSRF:             st.csrf,
		Flash:            st.flash,
		RequestID:        requestID(c),
		Data:             data,
		LinksNeedBaseURL: s.cfg.BaseURL == "",
		path:             c.Path(),
		query:            queryWithout(c, "lang"),
		assets:           s.static,
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, layout, p); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

func queryWithout(c *fiber.Ctx, drop string) url.Values {
	q, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
	q.Del(drop)
	return q
}
