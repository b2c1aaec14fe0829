package course

import (
	"bytes"
	"fmt"
	"html/template"
	"path"
	"regexp"
	"strings"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// imageTypes are the image formats lessons may use. SVG is left out on purpose: Tor Browser
// at its Safest level does not display it.
var imageTypes = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true}

// sitePages are the pages of the site itself that content may link to by path.
var sitePages = map[string]bool{"/first-aid": true, "/device-traces": true}

var calloutRE = regexp.MustCompile(`^\[!(TIP|WARNING|NOTE)\]`)

// headingIDRE is the anchors the sanitiser keeps on headings: an id given by hand
// ({#…}) that does not match is dropped from the HTML, so it is no anchor either.
var headingIDRE = regexp.MustCompile(`^[\p{L}\p{M}\p{N}_-]+$`)

// markdown renders lessons: GitHub-flavoured Markdown, heading anchors, callouts, checked
// internal links and local images, then a strict sanitiser.
type markdown struct {
	md       goldmark.Markdown
	inlineMD goldmark.Markdown // quiz texts: inline markup only
	policy   *bluemonday.Policy
	label    func(lang, kind string) string
	tables   func(lang string) string
}

func newMarkdown(opts Options) *markdown {
	p := bluemonday.UGCPolicy()
	p.RequireNoReferrerOnLinks(true)
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^callout callout-(tip|warning|note)$`)).OnElements("blockquote")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^callout-title$`)).OnElements("strong")
	// Heading anchors in every script, not just ASCII (bluemonday's default id pattern).
	p.AllowAttrs("id").Matching(headingIDRE).OnElements("h1", "h2", "h3", "h4", "h5", "h6")
	// Any alt text: bluemonday's default keeps only letters and a little punctuation and
	// silently drops the whole attribute otherwise (a semicolon, a question mark, Arabic
	// commas), which would leave figures with no text alternative. Values are escaped.
	p.AllowAttrs("alt").OnElements("img")
	// Links whose text is an address, isolated left to right by the stylesheet (bidi.go).
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^` + urlClass + `$`)).OnElements("a")
	// The box a table scrolls in (bidi.go): focusable, a named region.
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^table-scroll$`)).OnElements("div")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^region$`)).OnElements("div")
	p.AllowAttrs("tabindex").Matching(regexp.MustCompile(`^0$`)).OnElements("div")
	p.AllowAttrs("aria-label").OnElements("div")
	label, tables := opts.CalloutLabel, opts.TableLabel
	if label == nil {
		label = func(_, kind string) string { return kind }
	}
	if tables == nil {
		tables = func(string) string { return "Table" }
	}
	return &markdown{
		md: goldmark.New(
			goldmark.WithExtensions(extension.GFM),
			goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
			goldmark.WithRendererOptions(tableRendererOption()),
		),
		inlineMD: newInline(),
		policy:   p,
		label:    label,
		tables:   tables,
	}
}

// lessonContext tells the renderer where a lesson lives and what it may link to.
type lessonContext struct {
	file       string // for problems
	bodyLine   int    // line of the file on which the Markdown body starts
	lang       string
	courseID   string
	mediaDir   string // module/lesson; "" where images are not allowed (trainer notes)
	hasImage   func(name string) bool
	hasLesson  func(id string) bool
	hasQuiz    func(moduleID string) bool
	usedImages map[string]bool
	ps         *problems
	// links collects links to lessons of other courses, checked once every course is
	// loaded; nil where such links are not allowed (the first-aid page).
	links *[]courseLink
}

// courseLink is a link to a lesson of another course, /courses/<course>/lessons/<lesson>,
// with an optional anchor (#heading), made from a file in lang.
type courseLink struct {
	file, lang, dest, course, lesson, anchor string
	line                                     int
}

// courseLinkRE matches a link to a lesson of a course by its path, with an optional anchor.
// The ids are then checked against the id rule, so nothing but [a-z0-9-] reaches the path:
// no dot segments, slashes, backslashes, percent escapes or query.
var courseLinkRE = regexp.MustCompile(`^/courses/([^/#?]+)/lessons/([^/#?]+)(?:#([^#]*))?$`)

// render returns sanitised HTML, the number of words and the headings that carry an anchor,
// reporting problems as it goes.
func (m *markdown) render(src []byte, lc *lessonContext) (template.HTML, int, []Heading) {
	var headings []Heading
	doc := m.md.Parser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext(parser.WithIDs(newHeadingIDs()))))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if dest := m.linkTarget(string(n.Destination), lc, lineOf(n, src)+lc.bodyLine-1); dest != "" {
				n.Destination = []byte(dest)
			}
			markAddressLink(n, src)
		case *ast.AutoLink:
			markAddressLink(n, src)
		case *ast.Image:
			line := lineOf(n, src) + lc.bodyLine - 1
			if n.FirstChild() == nil {
				lc.ps.warnf(lc.file, line, "image %q has no alt text: describe it for people who cannot see it", string(n.Destination))
			}
			if dest := m.imageTarget(string(n.Destination), lc, line); dest != "" {
				n.Destination = []byte(dest)
			}
		case *ast.HTMLBlock, *ast.RawHTML:
			lc.ps.warnf(lc.file, lineOf(n, src)+lc.bodyLine-1, "raw HTML is removed from lessons; use Markdown")
		case *ast.Blockquote:
			m.callout(n, src, lc.lang)
		case *ast.Heading:
			if id, ok := n.AttributeString("id"); ok {
				if b, ok := id.([]byte); ok && headingIDRE.Match(b) {
					headings = append(headings, Heading{ID: string(b), Text: plainText(n, src), Level: n.Level})
				}
			}
		}
		return ast.WalkContinue, nil
	})
	bareAddresses(doc, src, lc.lang, func(addr string, n ast.Node) {
		lc.ps.warnf(lc.file, lineOf(n, src)+lc.bodyLine-1, "%q is written as plain right-to-left text: put it in a code span (`%s`) so it reads left to right with its punctuation where it belongs", addr, addr)
	})
	wrapTables(doc, m.tables(lc.lang))
	var buf bytes.Buffer
	if err := m.md.Renderer().Render(&buf, src, doc); err != nil {
		lc.ps.errorf(lc.file, 0, "render Markdown: %v", err)
	}
	safe := m.policy.SanitizeBytes(buf.Bytes())
	return template.HTML(safe), countWords(src), headings //nolint:gosec // sanitised just above
}

func (m *markdown) linkTarget(dest string, lc *lessonContext, line int) string {
	switch {
	case strings.HasPrefix(dest, "lesson:"):
		id := strings.TrimPrefix(dest, "lesson:")
		if !lc.hasLesson(id) {
			lc.ps.errorf(lc.file, line, "broken link %q: no lesson %q in this course", dest, id)
			return ""
		}
		return "/courses/" + lc.courseID + "/lessons/" + id
	case strings.HasPrefix(dest, "quiz:"):
		id := strings.TrimPrefix(dest, "quiz:")
		if !lc.hasQuiz(id) {
			lc.ps.errorf(lc.file, line, "broken link %q: module %q has no quiz", dest, id)
			return ""
		}
		return "/courses/" + lc.courseID + "/quizzes/" + id
	case strings.HasPrefix(dest, "#"), strings.HasPrefix(dest, "https://"), strings.HasPrefix(dest, "http://"), strings.HasPrefix(dest, "mailto:"):
		return ""
	case sitePages[strings.SplitN(dest, "#", 2)[0]]:
		return ""
	case courseLinkRE.MatchString(dest):
		m := courseLinkRE.FindStringSubmatch(dest)
		switch {
		case lc.links == nil:
			lc.ps.errorf(lc.file, line, "link %q: only lessons, quizzes and trainer notes can link to a course's lessons", dest)
		case !validID(m[1]) || !validID(m[2]):
			lc.ps.errorf(lc.file, line, "link %q: course and lesson ids are lowercase letters, digits and hyphens, starting with a letter", dest)
		case m[1] == lc.courseID:
			lc.ps.errorf(lc.file, line, "link %q: link lessons of this course as lesson:%s", dest, m[2])
		default:
			*lc.links = append(*lc.links, courseLink{
				file: lc.file, lang: lc.lang, line: line, dest: dest, course: m[1], lesson: m[2], anchor: m[3],
			})
		}
		return ""
	}
	lc.ps.errorf(lc.file, line, "link %q: link lessons as lesson:<id>, quizzes as quiz:<module-id>, other courses' lessons as /courses/<course-id>/lessons/<lesson-id>, the first-aid page as /first-aid, the device-traces page as /device-traces, other sites with https://", dest)
	return ""
}

func (m *markdown) imageTarget(dest string, lc *lessonContext, line int) string {
	if lc.mediaDir == "" {
		lc.ps.errorf(lc.file, line, "image %q: trainer notes cannot show images; put the image in a lesson and link to it", dest)
		return ""
	}
	if strings.Contains(dest, "://") || strings.HasPrefix(dest, "//") || strings.HasPrefix(dest, "data:") {
		lc.ps.errorf(lc.file, line, "image %q: images must be files next to the lesson; a remote image would make every reader's browser contact another site", dest)
		return ""
	}
	name := path.Clean(dest)
	if name != dest || strings.Contains(name, "/") || strings.HasPrefix(name, ".") {
		lc.ps.errorf(lc.file, line, "image %q: put images in the lesson's own folder and refer to them by file name", dest)
		return ""
	}
	if !imageTypes[strings.ToLower(path.Ext(name))] {
		lc.ps.errorf(lc.file, line, "image %q: use PNG, JPEG, GIF or WebP (SVG does not show in Tor Browser's Safest mode)", dest)
		return ""
	}
	if !lc.hasImage(name) {
		lc.ps.errorf(lc.file, line, "missing image %q: no such file next to the lesson", dest)
		return ""
	}
	lc.usedImages[name] = true
	return "/courses/" + lc.courseID + "/media/" + lc.mediaDir + "/" + name
}

// callout turns a blockquote whose first line is [!TIP], [!WARNING] or [!NOTE] into a
// labelled box (GitHub's alert syntax). The parser splits "[" into its own text node, so the
// marker is matched on the source line and its nodes are then removed.
func (m *markdown) callout(bq *ast.Blockquote, src []byte, lang string) {
	para, ok := bq.FirstChild().(*ast.Paragraph)
	if !ok || para.Lines().Len() == 0 {
		return
	}
	first := para.Lines().At(0)
	match := calloutRE.FindSubmatch(bytes.TrimSpace(first.Value(src)))
	if match == nil {
		return
	}
	for c := para.FirstChild(); c != nil; {
		next := c.NextSibling()
		t, ok := c.(*ast.Text)
		if !ok || t.Segment.Start >= first.Stop {
			break
		}
		para.RemoveChild(para, c)
		if t.SoftLineBreak() || t.HardLineBreak() {
			break
		}
		c = next
	}
	kind := strings.ToLower(string(match[1]))
	bq.SetAttributeString("class", []byte("callout callout-"+kind))
	title := ast.NewEmphasis(2)
	title.SetAttributeString("class", []byte("callout-title"))
	title.AppendChild(title, ast.NewString([]byte(m.label(lang, kind))))
	if fc := para.FirstChild(); fc != nil {
		para.InsertBefore(para, fc, title)
	} else {
		para.AppendChild(para, title)
	}
}

// lineOf finds the 1-based line (within src) where a node starts.
func lineOf(n ast.Node, src []byte) int {
	offset := -1
	for c := n; c != nil && offset < 0; c = c.Parent() {
		if t, ok := c.(*ast.Text); ok {
			offset = t.Segment.Start
			break
		}
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			offset = c.Lines().At(0).Start
			break
		}
		if fc, ok := c.FirstChild().(*ast.Text); ok {
			offset = fc.Segment.Start
			break
		}
	}
	if offset < 0 {
		return 1
	}
	return 1 + bytes.Count(src[:offset], []byte("\n"))
}

func countWords(src []byte) int {
	n, in := 0, false
	for _, r := range string(src) {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
		if word && !in {
			n++
		}
		in = word
	}
	return n
}

// headingIDs makes heading anchors from the heading text in any script: lowercase letters,
// marks and digits, words joined by hyphens, numbered when repeated. goldmark's own
// generator keeps only ASCII, which turns an Arabic heading into "-".
type headingIDs struct{ used map[string]int }

func newHeadingIDs() *headingIDs { return &headingIDs{used: map[string]int{}} }

func (h *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(string(value)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	id := b.String()
	if id == "" {
		id = "section"
	}
	if n := h.used[id]; n > 0 {
		h.used[id] = n + 1
		id = fmt.Sprintf("%s-%d", id, n)
	} else {
		h.used[id] = 1
	}
	return []byte(id)
}

func (h *headingIDs) Put(value []byte) { h.used[string(value)]++ }
