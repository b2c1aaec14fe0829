package course

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"github.com/cairn-lms/cairn/app/locale"
)

// Right-to-left text and small screens. A domain, an address or a piece of code is written
// left to right even in Arabic or Persian; inside right-to-left text the bidirectional
// algorithm otherwise lets the punctuation around it (a full stop, a slash) jump to its
// other side, which in a lesson about reading addresses changes what the address says.
// Code spans and links whose text is an address are therefore marked so the stylesheet
// isolates them (unicode-bidi: isolate; direction: ltr); text without markup gets the
// plain-text equivalent (isolateLTR); and a domain written as plain words in right-to-left
// content is reported, so the author puts it in a code span.

// urlClass marks a link whose text is an address (autolinks, [example.org](https://…)).
const urlClass = "url"

// isolateLTR wraps s in LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE: in text that has no
// markup (a live poll, an option of a select) it does what the stylesheet does to a code
// span.
func isolateLTR(s string) string { return "\u2066" + s + "\u2069" }

// addressRE finds a domain or a URL written in text: host names with a dot and a top-level
// domain of two or more letters, with an optional scheme and path.
var addressRE = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}@./_-])((?:(?:https?|ftp)://)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::[0-9]+)?(?:/[^\s\p{Arabic}]*[^\s\p{Arabic}.,;:!?)»"'،؛])?)`)

// wholeAddressRE is addressRE for a whole text (a link's), with mailto: and e-mail
// addresses too.
var wholeAddressRE = regexp.MustCompile(`(?i)^(?:mailto:)?(?:[a-z0-9._%+-]+@)?(?:(?:https?|ftp)://)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::[0-9]+)?(?:/\S*)?$`)

// addressesIn returns the domains and URLs written in s.
func addressesIn(s string) []string {
	var out []string
	for _, m := range addressRE.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// rtl tells whether content in lang is written right to left.
func rtl(lang string) bool { return locale.Dir(lang) == "rtl" }

// markAddressLink gives a link whose whole text is an address the url class.
func markAddressLink(n ast.Node, src []byte) {
	switch n.(type) {
	case *ast.AutoLink:
	case *ast.Link:
		var b strings.Builder
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			t, ok := c.(*ast.Text)
			if !ok {
				return // emphasis, code, an image: not a bare address
			}
			b.Write(t.Segment.Value(src))
		}
		if !wholeAddressRE.MatchString(strings.TrimSpace(b.String())) {
			return
		}
	default:
		return
	}
	n.SetAttributeString("class", []byte(urlClass))
}

// bareAddresses reports the domains and URLs written as plain text in right-to-left
// content: outside code spans, links (in lessons a bare URL becomes a link) and images
// (whose alternative text is read by screen readers, not laid out).
func bareAddresses(doc ast.Node, src []byte, lang string, report func(addr string, n ast.Node)) {
	if !rtl(lang) {
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan, *ast.Link, *ast.AutoLink, *ast.Image, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			for _, a := range addressesIn(string(n.Segment.Value(src))) {
				report(a, n)
			}
		}
		return ast.WalkContinue, nil
	})
}

// Tables: a table of a lesson is as wide as its longest words, often wider than a phone.
// Each one is put in a box that scrolls sideways on its own (the page itself never does),
// which keyboard users can focus and scroll with the arrow keys and screen readers
// announce as a named region.

// kindTableScroll is the box around a table.
var kindTableScroll = ast.NewNodeKind("TableScroll")

type tableScroll struct {
	ast.BaseBlock
	label string
}

func (n *tableScroll) Kind() ast.NodeKind { return kindTableScroll }

func (n *tableScroll) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Label": n.label}, nil)
}

// wrapTables puts every table of doc in a tableScroll named label.
func wrapTables(doc ast.Node, label string) {
	var tables []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Kind() == extast.KindTable {
			tables = append(tables, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, t := range tables {
		parent := t.Parent()
		box := &tableScroll{label: label}
		parent.ReplaceChild(parent, t, box)
		box.AppendChild(box, t)
	}
}

// tableScrollRenderer writes the box: a focusable region that scrolls (cairn.css).
type tableScrollRenderer struct{}

func (tableScrollRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindTableScroll, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			_, _ = w.WriteString("</div>\n")
			return ast.WalkContinue, nil
		}
		_, _ = w.WriteString(`<div class="table-scroll" role="region" tabindex="0" aria-label="`)
		_, _ = w.Write(util.EscapeHTML([]byte(n.(*tableScroll).label)))
		_, _ = w.WriteString("\">\n")
		return ast.WalkContinue, nil
	})
}

var _ renderer.NodeRenderer = tableScrollRenderer{}

// tableRendererOption adds the box renderer to a goldmark HTML renderer.
func tableRendererOption() renderer.Option {
	return renderer.WithNodeRenderers(util.Prioritized(tableScrollRenderer{}, 500))
}
