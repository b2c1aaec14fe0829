package gift

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	gmparser "github.com/yuin/goldmark/parser"
	gmtext "github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"
)

// Markers the converter puts in a text while it works: a line break the author asked for
// (\n, <br>, a new paragraph) and the missing-word blank. They are private-use characters;
// one already in a GIFT file is replaced (with a warning) before conversion.
const (
	brk        = '\uE000'
	blankMark  = '\uE001'
	blankWord  = "_____"
	lineBreak  = "\n\n" // how Cairn's inline Markdown writes a line break: a blank line
	codeMarker = "`"
)

// converted is a text in Cairn's inline Markdown, and the text a reader sees.
type converted struct {
	md, visible string
}

// textConv converts the texts of one question, reporting into ps.
type textConv struct {
	ps *problems
}

// located is a text being converted, with the line each of its bytes came from.
type located struct {
	starts []int // byte offsets where a new line of the GIFT file begins, ascending
	lines  []int
	first  int
}

// lineAt returns the GIFT line of the byte at off.
func (l located) lineAt(off int) int {
	i := sort.SearchInts(l.starts, off+1) // the first start after off
	if i == 0 {
		return l.first
	}
	return l.lines[i-1]
}

// markdown turns a GIFT text into Cairn's inline Markdown. Plain text is escaped so it shows
// as written; HTML (and Moodle's auto-format, which allows HTML) keeps bold, italic, code,
// links and line breaks, strips presentational tags with a warning and refuses the rest;
// Markdown is kept, with what Cairn's inline Markdown cannot show reported.
func (c textConv) markdown(t Text) converted {
	src, loc := c.source(t)
	var out converted
	switch t.Format {
	case FormatPlain:
		s := collapseSpaces(src)
		out = converted{md: escapeMarkdown(s), visible: s}
	case FormatMarkdown:
		out = c.fromMarkdown(src, loc)
	default:
		out = c.fromHTML(src, loc)
	}
	out.md = finish(out.md, t.Format == FormatMarkdown && strings.ContainsRune(strings.ReplaceAll(out.md, `\_`, ""), '_'))
	out.visible = finish(out.visible, false)
	// Text with nothing Markdown reads (most of it) shows as it is; the rest is rendered.
	if t.Format != FormatMarkdown && strings.ContainsAny(out.md, "\\`*_[]<>&!\n") {
		if shown := renderVisible(out.md); normalizeSpace(shown) != normalizeSpace(out.visible) {
			c.ps.warnf(t.Line, "the converted text may not show as written: Cairn would show %q for %q; check its Markdown", shown, out.visible)
		}
	}
	return out
}

// source is the text with the author's line breaks and the blank marked, and the file's own
// line ends (the wrapping of a long line) read as spaces.
func (c textConv) source(t Text) (string, located) {
	var b strings.Builder
	loc := located{first: t.Line}
	replaced := false
	for i, cl := range t.cells {
		if n := len(loc.lines); n == 0 || loc.lines[n-1] != cl.line {
			loc.starts, loc.lines = append(loc.starts, b.Len()), append(loc.lines, cl.line)
		}
		switch {
		case cl.blank:
			if i == 0 || !t.cells[i-1].blank {
				b.WriteRune(blankMark)
			}
		case cl.esc && cl.r == '\n':
			b.WriteRune(brk)
		case cl.r == '\n' || cl.r == '\r':
			b.WriteByte(' ')
		case cl.r == brk || cl.r == blankMark:
			b.WriteRune(unicode.ReplacementChar)
			replaced = true
		default:
			b.WriteRune(cl.r)
		}
	}
	if replaced {
		c.ps.warnf(t.Line, "a private-use character (U+E000 or U+E001) was replaced with U+FFFD")
	}
	return b.String(), loc
}

// finish writes the markers: runs of line breaks (with the spaces around them) become one
// Cairn line break, and the blank becomes "_____" (escaped where other underscores could
// pair with it).
func finish(s string, escapeBlank bool) string {
	b := make([]byte, 0, len(s))
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case brk:
			j := i
			for j < len(rs) && (rs[j] == brk || rs[j] == ' ') {
				j++
			}
			// Trailing spaces before the break go too.
			for len(b) > 0 && b[len(b)-1] == ' ' {
				b = b[:len(b)-1]
			}
			b = append(b, lineBreak...)
			i = j - 1
		case blankMark:
			if escapeBlank {
				b = append(b, strings.Repeat(`\_`, len(blankWord))...)
			} else {
				b = append(b, blankWord...)
			}
		default:
			b = utf8.AppendRune(b, rs[i])
		}
	}
	return strings.Trim(doubleSpaceRE.ReplaceAllString(string(b), " "), " \n")
}

var doubleSpaceRE = regexp.MustCompile(` {2,}`)

var spacesRE = regexp.MustCompile(`[ \t\f\r\n]+`)

func collapseSpaces(s string) string { return spacesRE.ReplaceAllString(s, " ") }

func normalizeSpace(s string) string { return strings.TrimSpace(strings.Join(strings.Fields(s), " ")) }

var entityRE = regexp.MustCompile(`^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// escapeMarkdown makes s show as written in inline Markdown.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']':
			b.WriteByte('\\')
		case '<':
			// Only what could start an autolink or an HTML tag needs it.
			if next := s[i+1:]; next != "" && (isASCIILetter(next[0]) || strings.ContainsRune("/!?", rune(next[0]))) {
				b.WriteByte('\\')
			}
		case '&':
			if entityRE.MatchString(s[i:]) {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// Markdown texts.

var (
	mdTagRE   = regexp.MustCompile(`</?([A-Za-z][A-Za-z0-9]*)(?:[\s/][^>]*)?>`)
	mdImageRE = regexp.MustCompile(`!\[[^\]]*\]\(`)
	mdLinkRE  = regexp.MustCompile(`\]\(\s*<?([^)\s>]*)`)
	mdTextRE  = regexp.MustCompile(`\[([^\]]*)\]\(\s*<?([^)\s>]*)`)
	mdBlockRE = regexp.MustCompile(`^(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|` + "```" + `|~~~|\|)`)
)

func (c textConv) fromMarkdown(src string, loc located) converted {
	for _, m := range mdTagRE.FindAllStringSubmatchIndex(src, -1) {
		if name := strings.ToLower(src[m[2]:m[3]]); name != "br" {
			c.ps.errorf(loc.lineAt(m[0]), "HTML %s in a Markdown text: Cairn shows HTML as the text it is; write it in Markdown", src[m[0]:m[1]])
		}
	}
	for _, m := range mdImageRE.FindAllStringIndex(src, -1) {
		c.ps.errorf(loc.lineAt(m[0]), "image in a Markdown text: Cairn quiz texts cannot show images; show it in a lesson")
	}
	noImages := mdImageRE.ReplaceAllStringFunc(src, func(s string) string { return strings.Repeat(" ", len(s)-1) + "(" })
	for _, m := range mdLinkRE.FindAllStringSubmatchIndex(noImages, -1) {
		if dest := noImages[m[2]:m[3]]; dest != "" && !externalLink(dest) {
			c.ps.errorf(loc.lineAt(m[0]), "link to %q: only http, https and mailto addresses can be kept (Moodle's own files and pages are not imported)", dest)
		}
	}
	for _, m := range mdTextRE.FindAllStringSubmatchIndex(noImages, -1) {
		text, dest := noImages[m[2]:m[3]], noImages[m[4]:m[5]]
		if shown, bad := deceptive(strings.Trim(text, "`*_"), dest); bad && externalLink(dest) {
			c.ps.errorf(loc.lineAt(m[0]), "the link shows %q but leads to %q: Cairn does not import links whose text is another address; show the address as code, or link to where it says", shown, dest)
		}
	}
	md := mdTagRE.ReplaceAllStringFunc(src, func(tag string) string {
		if strings.EqualFold(mdTagRE.FindStringSubmatch(tag)[1], "br") {
			return string(brk)
		}
		return tag
	})
	for _, l := range strings.FieldsFunc(md, func(r rune) bool { return r == brk }) {
		if mdBlockRE.MatchString(strings.TrimSpace(l)) {
			c.ps.warnf(loc.first, "%q starts like a Markdown heading, list, quote, code block or table, which Cairn's quiz texts show as plain text (they are inline Markdown)", firstWords(l))
			break
		}
	}
	return converted{md: md, visible: md}
}

func firstWords(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}

var addressTextRE = regexp.MustCompile(`^(?i)(?:https?://)?(?:[a-z0-9\p{L}-]+\.)+[a-z\p{L}]{2,}(?::\d+)?(?:[/?#]\S*)?$`)

// deceptive tells whether a link's text is a web address other than the one it leads to
// (https://bank.example shown, https://attacker.example opened), and returns that address.
func deceptive(text, dest string) (string, bool) {
	text = strings.TrimSpace(text)
	if !addressTextRE.MatchString(text) {
		return "", false
	}
	shown := text
	if !strings.Contains(shown, "://") {
		shown = "http://" + shown
	}
	su, err1 := url.Parse(shown)
	du, err2 := url.Parse(dest)
	if err1 != nil || err2 != nil || strings.EqualFold(du.Scheme, "mailto") {
		return text, err1 != nil || err2 != nil
	}
	host := func(h string) string { return strings.TrimPrefix(strings.ToLower(h), "www.") }
	return text, host(su.Hostname()) != host(du.Hostname())
}

func externalLink(dest string) bool {
	u, err := url.Parse(dest)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}

// HTML texts.

// hnode is an element or text of an HTML fragment.
type hnode struct {
	tag      string // "" for text
	line     int    // the GIFT line it starts on
	text     string
	attrs    []html.Attribute
	children []*hnode
}

func (n *hnode) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

var voidTags = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "param": true, "source": true, "track": true, "wbr": true,
}

// strippedTags change only how text looks: their text is kept and a warning says the
// formatting is gone.
var strippedTags = map[string]bool{
	"span": true, "font": true, "u": true, "small": true, "big": true, "center": true, "abbr": true,
	"acronym": true, "dfn": true, "mark": true, "var": true, "ins": true, "nobr": true, "cite": true,
	"bdi": true, "label": true, "time": true,
}

// refusedTagReasons explains the tags whose meaning would be lost.
var refusedTagReasons = map[string]string{
	"img":        "Cairn quiz texts cannot show images; show it in a lesson",
	"sub":        "without it the text would read differently (H<sub>2</sub>O, 10<sup>2</sup>); write it out",
	"sup":        "without it the text would read differently (H<sub>2</sub>O, 10<sup>2</sup>); write it out",
	"ul":         "Cairn quiz texts are one paragraph of inline text, without lists",
	"ol":         "Cairn quiz texts are one paragraph of inline text, without lists",
	"li":         "Cairn quiz texts are one paragraph of inline text, without lists",
	"table":      "Cairn quiz texts cannot hold tables",
	"pre":        "Cairn quiz texts cannot hold code blocks; use inline code",
	"del":        "struck-out text cannot be shown, and dropping the strike would change what it says",
	"s":          "struck-out text cannot be shown, and dropping the strike would change what it says",
	"strike":     "struck-out text cannot be shown, and dropping the strike would change what it says",
	"script":     "scripts are never imported",
	"style":      "style sheets are never imported",
	"iframe":     "embedded pages are never imported",
	"audio":      "Cairn quiz texts cannot play media",
	"video":      "Cairn quiz texts cannot play media",
	"object":     "embedded content is never imported",
	"embed":      "embedded content is never imported",
	"math":       "Cairn quiz texts cannot show formulas",
	"svg":        "Cairn quiz texts cannot show drawings",
	"blockquote": "Cairn quiz texts are one paragraph of inline text, without quotes",
}

// maxHTMLDepth bounds how deeply elements may nest; quiz texts need a handful of levels.
const maxHTMLDepth = 32

// parseHTML reads an HTML fragment into a tree, leniently as browsers do: unclosed elements
// end with their parent, stray end tags are ignored.
func (c textConv) parseHTML(src string, loc located) *hnode {
	root := &hnode{tag: "#root", line: loc.first}
	stack := []*hnode{root}
	z := html.NewTokenizer(strings.NewReader(src))
	off := 0
	for {
		tt := z.Next()
		line := loc.lineAt(off)
		off += len(z.Raw())
		top := stack[len(stack)-1]
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				c.ps.errorf(line, "cannot read the HTML: %v", z.Err())
			}
			return root
		case html.TextToken:
			top.children = append(top.children, &hnode{text: string(z.Text()), line: line})
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			n := &hnode{tag: tok.Data, attrs: tok.Attr, line: line}
			top.children = append(top.children, n)
			if tt == html.StartTagToken && !voidTags[n.tag] {
				if len(stack) > maxHTMLDepth {
					c.ps.errorf(line, "HTML elements nested more than %d deep", maxHTMLDepth)
					return root
				}
				stack = append(stack, n)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			for i := len(stack) - 1; i > 0; i-- {
				if stack[i].tag == string(name) {
					stack = stack[:i]
					break
				}
			}
		case html.CommentToken:
			c.ps.warnf(line, "an HTML comment (<!--%s-->) is left out", strings.TrimSpace(firstWords(string(z.Text()))))
		case html.DoctypeToken:
			c.ps.errorf(line, "an HTML document (<!DOCTYPE>) cannot be a quiz text; keep only its text")
		}
	}
}

type htmlCtx struct {
	bold, italic, link bool
}

// fromHTML converts an HTML text (or Moodle auto-format) to inline Markdown.
func (c textConv) fromHTML(src string, loc located) converted {
	root := c.parseHTML(src, loc)
	h := &htmlConv{c: c, warned: map[string]bool{}}
	md, visible := h.children(root, htmlCtx{})
	return converted{md: md, visible: visible}
}

type htmlConv struct {
	c      textConv
	warned map[string]bool
}

func (h *htmlConv) children(n *hnode, ctx htmlCtx) (string, string) {
	var md, vis strings.Builder
	for _, ch := range n.children {
		m, v := h.node(ch, ctx)
		md.WriteString(m)
		vis.WriteString(v)
	}
	return md.String(), vis.String()
}

func (h *htmlConv) node(n *hnode, ctx htmlCtx) (string, string) {
	if n.tag == "" {
		t := collapseSpaces(n.text)
		return escapeMarkdown(t), t
	}
	switch n.tag {
	case "br":
		return string(brk), string(brk)
	case "p", "div":
		md, vis := h.children(n, ctx)
		return string(brk) + md + string(brk), string(brk) + vis + string(brk)
	case "b", "strong":
		if ctx.bold {
			return h.children(n, ctx)
		}
		ctx.bold = true
		md, vis := h.children(n, ctx)
		return wrap(md, "**"), vis
	case "i", "em":
		if ctx.italic {
			return h.children(n, ctx)
		}
		ctx.italic = true
		md, vis := h.children(n, ctx)
		return wrap(md, "*"), vis
	case "code", "tt", "kbd", "samp":
		return h.code(n)
	case "a":
		return h.link(n, ctx)
	}
	md, vis := h.children(n, ctx)
	if strippedTags[n.tag] {
		if !h.warned[n.tag] {
			h.warned[n.tag] = true
			h.c.ps.warnf(n.line, "the formatting of <%s> is dropped (its text is kept): Cairn quiz texts keep only bold, italic, code, links and line breaks", n.tag)
		}
		return md, vis
	}
	if h.warned[n.tag] {
		return md, vis
	}
	h.warned[n.tag] = true
	if reason, ok := refusedTagReasons[n.tag]; ok {
		h.c.ps.errorf(n.line, "HTML <%s>: %s", n.tag, reason)
	} else {
		h.c.ps.errorf(n.line, "HTML <%s> cannot be kept: Cairn quiz texts keep only bold, italic, code, links and line breaks", n.tag)
	}
	return md, vis
}

// wrap puts an emphasis marker around each line of md, with the spaces at its edges
// outside (CommonMark does not read "** bold **" as bold).
func wrap(md, marker string) string {
	parts := strings.Split(md, string(brk))
	for i, p := range parts {
		core := strings.TrimSpace(p)
		if core == "" {
			continue
		}
		lead := p[:strings.Index(p, core)]
		trail := p[len(lead)+len(core):]
		parts[i] = lead + marker + core + marker + trail
	}
	return strings.Join(parts, string(brk))
}

func plainOf(n *hnode) (string, bool) {
	if n.tag == "" {
		return n.text, false
	}
	if n.tag == "br" {
		return " ", true
	}
	var b strings.Builder
	nested := false
	for _, ch := range n.children {
		t, _ := plainOf(ch)
		b.WriteString(t)
		if ch.tag != "" {
			nested = true
		}
	}
	return b.String(), nested
}

func (h *htmlConv) code(n *hnode) (string, string) {
	text, nested := plainOf(n)
	if nested {
		h.c.ps.warnf(n.line, "formatting inside <%s> is dropped: code is shown as it is", n.tag)
	}
	text = collapseSpaces(text)
	core := strings.TrimSpace(text)
	if core == "" {
		return text, text
	}
	lead := text[:strings.Index(text, core)]
	trail := text[len(lead)+len(core):]
	return lead + codeSpan(core) + trail, text
}

// codeSpan writes s as a Markdown code span, with a fence longer than any run of backticks
// inside it.
func codeSpan(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat(codeMarker, longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

func (h *htmlConv) link(n *hnode, ctx htmlCtx) (string, string) {
	href, ok := n.attr("href")
	href = strings.TrimSpace(href)
	if !ok || href == "" || ctx.link {
		if !h.warned["a"] {
			h.warned["a"] = true
			h.c.ps.warnf(n.line, "an <a> without an address (or inside another link) is kept as its text")
		}
		return h.children(n, ctx)
	}
	ctx.link = true
	md, vis := h.children(n, ctx)
	if !externalLink(href) {
		h.c.ps.errorf(n.line, "link to %q: only http, https and mailto addresses can be kept (Moodle's own files and pages are not imported)", href)
		return md, vis
	}
	if strings.TrimSpace(strings.ReplaceAll(md, string(brk), "")) == "" {
		h.c.ps.warnf(n.line, "a link to %q has no text and is left out", href)
		return md, vis
	}
	if shown, bad := deceptive(strings.ReplaceAll(vis, string(brk), " "), href); bad {
		h.c.ps.errorf(n.line, "the link shows %q but leads to %q: Cairn does not import links whose text is another address; show the address as code, or link to where it says", shown, href)
		return md, vis
	}
	u, _ := url.Parse(href)
	u.Scheme = strings.ToLower(u.Scheme)
	dest := strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E").Replace(u.String())
	parts := strings.Split(md, string(brk))
	for i, p := range parts {
		core := strings.TrimSpace(p)
		if core == "" {
			continue
		}
		lead := p[:strings.Index(p, core)]
		trail := p[len(lead)+len(core):]
		parts[i] = fmt.Sprintf("%s[%s](%s)%s", lead, core, dest, trail)
	}
	return strings.Join(parts, string(brk)), vis
}

// Checking what a reader sees.

// inlineMarkdown parses like Cairn's quiz texts: paragraphs and inline markup only.
var inlineMarkdown = goldmark.New(goldmark.WithParser(gmparser.NewParser(
	gmparser.WithBlockParsers(util.Prioritized(gmparser.NewParagraphParser(), 100)),
	gmparser.WithInlineParsers(gmparser.DefaultInlineParsers()...),
	gmparser.WithParagraphTransformers(gmparser.DefaultParagraphTransformers()...),
)))

// renderVisible renders md as Cairn renders a quiz text (raw HTML shown as text) and returns
// the text a reader sees.
func renderVisible(md string) string {
	source := []byte(md)
	doc := inlineMarkdown.Parser().Parse(gmtext.NewReader(source))
	var raws []*ast.RawHTML
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if r, ok := n.(*ast.RawHTML); ok && entering {
			raws = append(raws, r)
		}
		return ast.WalkContinue, nil
	})
	for _, r := range raws {
		parent := r.Parent()
		for i := 0; i < r.Segments.Len(); i++ {
			parent.InsertBefore(parent, r, ast.NewTextSegment(r.Segments.At(i)))
		}
		parent.RemoveChild(parent, r)
	}
	var buf bytes.Buffer
	if err := inlineMarkdown.Renderer().Render(&buf, source, doc); err != nil {
		return ""
	}
	var vis strings.Builder
	z := html.NewTokenizer(&buf)
	for {
		switch z.Next() {
		case html.ErrorToken:
			return vis.String()
		case html.TextToken:
			vis.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			if name, _ := z.TagName(); slices.Contains([]string{"br", "p"}, string(name)) {
				vis.WriteByte(' ')
			}
		}
	}
}
