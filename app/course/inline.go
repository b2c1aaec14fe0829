package course

import (
	"bytes"
	"html"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// newInline is the Markdown of short texts (quiz stems, options, feedback, explanations):
// inline markup only — code spans, emphasis, links. Paragraphs are the only blocks, so an
// option such as "1. Turn it on" or "# tag" stays a sentence instead of becoming a list or
// a heading inside a form label. Bare URLs stay text: a quiz about phishing shows
// look-alike addresses that must never become links.
func newInline() goldmark.Markdown {
	return goldmark.New(goldmark.WithParser(parser.NewParser(
		parser.WithBlockParsers(util.Prioritized(parser.NewParagraphParser(), 100)),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)))
}

// inline renders src as sanitised inline HTML, and as plain text with the markup taken out
// (for places that show text only: live polls, labels, statistics). Links are checked and
// rewritten as in lessons; raw HTML is shown as the text it is, since a quiz may well ask
// about a <script> tag.
func (m *markdown) inline(src string, lc *lessonContext) (template.HTML, string) {
	source := []byte(strings.TrimSpace(src))
	doc := m.inlineMD.Parser().Parse(text.NewReader(source))
	var first *ast.Paragraph
	for n := doc.FirstChild(); n != nil; {
		next := n.NextSibling()
		if p, ok := n.(*ast.Paragraph); ok {
			if first == nil {
				first = p
			} else {
				// Later paragraphs join the first after a line break: the text is shown
				// inside a label or a sentence, where a block cannot go.
				brk := ast.NewTextSegment(text.NewSegment(0, 0))
				brk.SetHardLineBreak(true)
				first.AppendChild(first, brk)
				for c := p.FirstChild(); c != nil; {
					cn := c.NextSibling()
					first.AppendChild(first, c)
					c = cn
				}
				doc.RemoveChild(doc, p)
			}
		}
		n = next
	}
	var raws []*ast.RawHTML
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if dest := m.linkTarget(string(n.Destination), lc, lc.bodyLine); dest != "" {
				n.Destination = []byte(dest)
			}
			markAddressLink(n, source)
		case *ast.AutoLink:
			markAddressLink(n, source)
		case *ast.Image:
			lc.ps.errorf(lc.file, lc.bodyLine, "image %q: only lessons can show images", string(n.Destination))
		case *ast.RawHTML:
			raws = append(raws, n)
		}
		return ast.WalkContinue, nil
	})
	bareAddresses(doc, source, lc.lang, func(addr string, _ ast.Node) {
		lc.ps.warnf(lc.file, lc.bodyLine, "%q is written as plain right-to-left text: put it in a code span (`%s`) so it reads left to right with its punctuation where it belongs", addr, addr)
	})
	for _, r := range raws {
		parent := r.Parent()
		for i := 0; i < r.Segments.Len(); i++ {
			parent.InsertBefore(parent, r, ast.NewTextSegment(r.Segments.At(i)))
		}
		parent.RemoveChild(parent, r)
	}
	var buf bytes.Buffer
	if err := m.inlineMD.Renderer().Render(&buf, source, doc); err != nil {
		lc.ps.errorf(lc.file, lc.bodyLine, "render Markdown: %v", err)
	}
	out := strings.TrimSpace(buf.String())
	out = strings.TrimSuffix(strings.TrimPrefix(out, "<p>"), "</p>")
	safe := m.policy.Sanitize(out)
	return template.HTML(safe), plainText(doc, source) //nolint:gosec // sanitised just above
}

// plainText is the text of an inline document without its markup.
func plainText(doc ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan:
			// Isolated left to right, as the stylesheet does with the <code> element: the
			// plain text is shown where there is no markup (live polls, select options).
			var code strings.Builder
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					code.Write(t.Segment.Value(source))
				}
			}
			b.WriteString(isolateLTR(code.String()))
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			if class, ok := n.AttributeString("class"); ok && string(class.([]byte)) == urlClass {
				var text strings.Builder
				for c := n.FirstChild(); c != nil; c = c.NextSibling() {
					text.WriteString(plainText(c, source))
				}
				b.WriteString(isolateLTR(text.String()))
				return ast.WalkSkipChildren, nil
			}
		case *ast.Text:
			b.WriteString(html.UnescapeString(string(util.UnescapePunctuations(n.Segment.Value(source)))))
			switch {
			case n.HardLineBreak():
				b.WriteString("\n")
			case n.SoftLineBreak():
				b.WriteString(" ")
			}
		case *ast.String:
			b.Write(n.Value)
		case *ast.AutoLink:
			b.WriteString(isolateLTR(string(n.URL(source))))
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}
