package course

import (
	"bytes"
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

// A glossary (courses/glossary.<lang>.yaml) lists, for one language, the word to use for a
// term and the words to avoid. cairn courses check warns about every form to avoid found in
// a text of that language. Glossaries are not courses: the catalog loader skips files at the
// top of the courses folder, and the server never reads them.

// Glossary is one language's glossary.
type Glossary struct {
	Lang  string
	File  string // as named in problems, e.g. courses/glossary.es.yaml
	Terms []GlossaryTerm
}

// GlossaryTerm is one term: the form to use, the forms to avoid, and a note for translators.
type GlossaryTerm struct {
	Term  string // the term in the source language
	Use   string
	Avoid []string
	Note  string
	Line  int // of the term in the glossary file
}

type glossaryFile struct {
	Language string     `yaml:"language"`
	Terms    []termSpec `yaml:"terms"`
	keys     map[string]int
}

type termSpec struct {
	Term  string     `yaml:"term"`
	Use   string     `yaml:"use"`
	Avoid []formSpec `yaml:"avoid"`
	Note  string     `yaml:"note"`
	line  int
	keys  map[string]int
}

// formSpec is a word or phrase in a list, with its line.
type formSpec struct {
	Text string
	line int
}

func (g *glossaryFile) UnmarshalYAML(n *yaml.Node) error {
	type plain glossaryFile
	g.keys = keyLines(n)
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a glossary is a mapping with language and terms", n.Line)
	}
	if err := requireLists(n, "terms"); err != nil {
		return err
	}
	return decodeKnown(n, (*plain)(g))
}

func (t *termSpec) UnmarshalYAML(n *yaml.Node) error {
	type plain termSpec
	t.line, t.keys = n.Line, keyLines(n)
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a term is a mapping with term, use, avoid and note", n.Line)
	}
	if err := requireLists(n, "avoid"); err != nil {
		return err
	}
	return decodeKnown(n, (*plain)(t))
}

func (f *formSpec) UnmarshalYAML(n *yaml.Node) error {
	f.line = n.Line
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: give one word or phrase per item", n.Line)
	}
	return n.Decode(&f.Text)
}

// LoadGlossaries reads the glossary.<lang>.yaml files at the root of fsys; label is how the
// root is named in problems. A file with an error is reported and left out.
func LoadGlossaries(fsys fs.FS, label string) ([]*Glossary, []Problem) {
	matches, err := fs.Glob(fsys, "glossary.*.yaml")
	if err != nil {
		return nil, []Problem{{File: label, Msg: err.Error()}}
	}
	var out []*Glossary
	var all problems
	for _, name := range matches {
		file := path.Join(label, name)
		lang := strings.TrimSuffix(strings.TrimPrefix(name, "glossary."), ".yaml")
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			all.errorf(file, 0, "cannot read: %v", unwrapPath(err))
			continue
		}
		g, ps := parseGlossary(file, lang, raw)
		all = append(all, ps...)
		if !ps.hasErrors() {
			out = append(out, g)
		}
	}
	return out, all
}

func parseGlossary(file, lang string, raw []byte) (*Glossary, problems) {
	var ps problems
	var gf glossaryFile
	if err := decodeStrict(raw, &gf); err != nil {
		ps.yamlError(file, 0, err)
		return nil, ps
	}
	line := func(key string) int { return at(gf.keys, key, 1) }
	switch {
	case gf.Language == "":
		ps.errorf(file, 1, "language is missing: give the language of the file name (%s)", lang)
	case gf.Language != lang:
		ps.errorf(file, line("language"), "language %q differs from the file name's %q", gf.Language, lang)
	}
	if len(gf.Terms) == 0 {
		ps.errorf(file, line("terms"), "a glossary needs terms: a list of term, use, avoid and note")
	}
	g := &Glossary{Lang: lang, File: file}
	avoided := map[string]int{}
	for _, ts := range gf.Terms {
		tl := func(key string) int { return at(ts.keys, key, ts.line) }
		if strings.TrimSpace(ts.Term) == "" {
			ps.errorf(file, ts.line, "a term has no term: give the term in the source language")
		}
		use := strings.TrimSpace(ts.Use)
		if use == "" || len(newPhrase(use).words) == 0 {
			ps.errorf(file, tl("use"), "term %q has no use: give the word to use", ts.Term)
		}
		t := GlossaryTerm{Term: strings.TrimSpace(ts.Term), Use: use, Note: strings.TrimSpace(ts.Note), Line: ts.line}
		for _, f := range ts.Avoid {
			form := strings.TrimSpace(f.Text)
			p := newPhrase(form)
			switch {
			case len(p.words) == 0:
				ps.errorf(file, f.line, "term %q: avoid %q has no word to look for", ts.Term, f.Text)
				continue
			case p.equal(newPhrase(use)):
				ps.errorf(file, f.line, "term %q: avoid %q is the form to use", ts.Term, form)
				continue
			}
			if first, dup := avoided[p.key()]; dup {
				ps.errorf(file, f.line, "avoid %q is listed twice (first on line %d)", form, first)
				continue
			}
			avoided[p.key()] = f.line
			t.Avoid = append(t.Avoid, form)
		}
		g.Terms = append(g.Terms, t)
	}
	return g, ps
}

// phrase is a word or words as the glossary matcher sees them: folded words, and what
// separates them.
type phrase struct {
	words []string
	seps  []string // seps[i] is between words[i] and words[i+1]
}

func newPhrase(s string) phrase {
	var p phrase
	toks := tokenize(s)
	for i, t := range toks {
		p.words = append(p.words, t.fold)
		if i > 0 {
			p.seps = append(p.seps, normSep(s[toks[i-1].end:t.start]))
		}
	}
	return p
}

func (p phrase) equal(q phrase) bool {
	return slices.Equal(p.words, q.words) && slices.Equal(p.seps, q.seps)
}

func (p phrase) key() string {
	var b strings.Builder
	for i, w := range p.words {
		if i > 0 {
			b.WriteString(p.seps[i-1])
		}
		b.WriteString(w)
	}
	return b.String()
}

// token is a word of a text: its byte range and its folded form.
type token struct {
	start, end int
	fold       string
}

// wordRune tells what words are made of: letters, marks and digits in any script, and the
// zero-width (non-)joiners that sit inside Arabic-script words.
func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || r == '\u200c' || r == '\u200d'
}

func tokenize(s string) []token {
	var out []token
	start := -1
	for i, r := range s {
		switch {
		case wordRune(r) && start < 0:
			start = i
		case !wordRune(r) && start >= 0:
			out = append(out, token{start: start, end: i, fold: foldWord(s[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{start: start, end: len(s), fold: foldWord(s[start:])})
	}
	return out
}

// foldWord makes a word comparable: Unicode-composed (so "é" written in two code points
// matches "é" in one, and an Arabic hamza written as a mark matches the letter), lower
// case, and without Arabic tashkeel and tatweel, which writers add or leave out freely.
func foldWord(w string) string {
	w = strings.ToLower(norm.NFC.String(w))
	if !strings.ContainsFunc(w, ignorableInWord) {
		return w
	}
	return strings.Map(func(r rune) rune {
		if ignorableInWord(r) {
			return -1
		}
		return r
	}, w)
}

// ignorableInWord: Arabic tashkeel (harakat, tanwin, shadda, sukun, dagger alif, Quranic
// marks), tatweel, and the zero-width joiners.
func ignorableInWord(r rune) bool {
	switch {
	case r == '\u0640', r == '\u0670', r == '\u200c', r == '\u200d':
		return true
	case r >= '\u0610' && r <= '\u061a', r >= '\u064b' && r <= '\u065f',
		r >= '\u06d6' && r <= '\u06dc', r >= '\u06df' && r <= '\u06e4', r == '\u06e7', r == '\u06e8',
		r >= '\u06ea' && r <= '\u06ed', r >= '\u08d3' && r <= '\u08ff' && r != '\u08e2':
		return true
	}
	return false
}

// normSep makes what stands between two words comparable: a run of spaces (line breaks and
// no-break spaces included) is one space, Markdown emphasis marks are dropped, and the
// typographic apostrophe is the plain one.
func normSep(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case r == '*' || r == '_' || r == '~':
			continue
		case r == '\u2019' || r == '\u02bc':
			r = '\''
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// matches returns the token ranges [i, j) of text where p occurs.
func (p phrase) matches(src string, toks []token) [][2]int {
	var out [][2]int
	n := len(p.words)
	for i := 0; i+n <= len(toks); i++ {
		ok := true
		for k := 0; k < n && ok; k++ {
			ok = toks[i+k].fold == p.words[k] && (k == 0 || normSep(src[toks[i+k-1].end:toks[i+k].start]) == p.seps[k-1])
		}
		if ok {
			out = append(out, [2]int{i, i + n})
		}
	}
	return out
}

// glossaryEntry is one term prepared for matching.
type glossaryEntry struct {
	term  GlossaryTerm
	file  string
	use   phrase
	avoid []phrase
}

// glossaryIndex holds the entries of every glossary by language; nil when none is checked.
type glossaryIndex map[string][]*glossaryEntry

func newGlossaryIndex(gs []*Glossary) glossaryIndex {
	if len(gs) == 0 {
		return nil
	}
	gi := glossaryIndex{}
	for _, g := range gs {
		for _, t := range g.Terms {
			e := &glossaryEntry{term: t, file: g.File, use: newPhrase(t.Use)}
			for _, a := range t.Avoid {
				e.avoid = append(e.avoid, newPhrase(a))
			}
			gi[g.Lang] = append(gi[g.Lang], e)
		}
	}
	return gi
}

// glossaryHit is a form to avoid found in a text, as a byte range.
type glossaryHit struct {
	start, end int
	entry      *glossaryEntry
}

// hits finds the forms to avoid in src, a text in lang. A form inside an occurrence of the
// term's own form to use is not counted: a glossary may say "use 'duplicado fraudulento de
// SIM (SIM swapping)'" and avoid "SIM swapping" on its own.
func (gi glossaryIndex) hits(lang, src string) []glossaryHit {
	entries := gi[lang]
	if len(entries) == 0 {
		return nil
	}
	toks := tokenize(src)
	var out []glossaryHit
	for _, e := range entries {
		uses := e.use.matches(src, toks)
		for _, a := range e.avoid {
			for _, m := range a.matches(src, toks) {
				if slices.ContainsFunc(uses, func(u [2]int) bool { return u[0] <= m[0] && m[1] <= u[1] }) {
					continue
				}
				out = append(out, glossaryHit{start: toks[m[0]].start, end: toks[m[1]-1].end, entry: e})
			}
		}
	}
	// One report per place: a form inside a longer one found there ("popup" in "fenêtre
	// popup") is the same mistake.
	slices.SortFunc(out, func(a, b glossaryHit) int { return cmp.Or(a.start-b.start, b.end-a.end) })
	kept := out[:0]
	for _, h := range out {
		if n := len(kept); n > 0 && h.end <= kept[n-1].end {
			continue
		}
		kept = append(kept, h)
	}
	return kept
}

func (l *loader) reportGlossaryHit(file string, line int, src string, h glossaryHit) {
	t := h.entry.term
	found := strings.Join(strings.Fields(src[h.start:h.end]), " ")
	msg := fmt.Sprintf("glossary: %q is a form to avoid for %q: write %q (%s:%d)", found, t.Term, t.Use, h.entry.file, t.Line)
	if t.Note != "" {
		msg += "; " + t.Note
	}
	l.ps.warnf(file, line, "%s", msg)
}

// glossaryMarkdown checks a Markdown body (starting on line bodyLine of file) against the
// glossary of lang, leaving out code, link targets and addresses.
func (l *loader) glossaryMarkdown(file, lang string, body []byte, bodyLine int) {
	if len(l.gl[lang]) == 0 {
		return
	}
	prose := l.md.proseOnly(body)
	src := string(prose)
	for _, h := range l.gl.hits(lang, src) {
		l.reportGlossaryHit(file, bodyLine+bytes.Count(prose[:h.start], []byte("\n")), src, h)
	}
}

// proseOnly returns body with code spans, code blocks, raw HTML, link targets and web
// addresses overwritten by spaces (line breaks kept), so offsets and lines stay the same.
func (m *markdown) proseOnly(body []byte) []byte {
	out := bytes.Clone(body)
	blank := func(from, to int) {
		for i := from; i < to && i < len(out); i++ {
			if out[i] != '\n' && out[i] != '\r' {
				out[i] = ' '
			}
		}
	}
	doc := m.md.Parser().Parse(text.NewReader(body))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					blank(t.Segment.Start, t.Segment.Stop)
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			if fc, ok := n.(*ast.FencedCodeBlock); ok && fc.Info != nil {
				blank(fc.Info.Segment.Start, fc.Info.Segment.Stop)
			}
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				blank(seg.Start, seg.Stop)
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				blank(seg.Start, seg.Stop)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, loc := range markdownTargetRE.FindAllSubmatchIndex(out, -1) {
		for g := 2; g+1 < len(loc); g += 2 {
			if loc[g] >= 0 {
				blank(loc[g], loc[g+1])
			}
		}
	}
	return out
}

// markdownTargetRE finds what is not prose in Markdown text: a link's or image's target
// ("](lesson:passkeys)") and web addresses.
var markdownTargetRE = regexp.MustCompile(`\]\(([^)\s]*)|(?i)\b((?:https?|mailto):[^\s)>\]]+)`)

// blankCodeSpans overwrites the inline code spans of a short text (a quiz text) with spaces.
// A code span opens with a run of backticks and closes with a run of the same length.
func blankCodeSpans(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); {
		if b[i] != '`' {
			i++
			continue
		}
		n := 0
		for i+n < len(b) && b[i+n] == '`' {
			n++
		}
		closeAt := -1
		for j := i + n; j < len(b); {
			if b[j] != '`' {
				j++
				continue
			}
			m := 0
			for j+m < len(b) && b[j+m] == '`' {
				m++
			}
			if m == n {
				closeAt = j
				break
			}
			j += m
		}
		if closeAt < 0 {
			i += n
			continue
		}
		for k := i + n; k < closeAt; k++ {
			if b[k] != '\n' {
				b[k] = ' '
			}
		}
		i = closeAt + n
	}
	return string(b)
}

// glossarySkipKeys are YAML keys whose values are not prose to check: ids, provenance,
// structure, and accepted short answers (which should accept the forms learners type,
// avoided ones included).
var glossarySkipKeys = map[string]bool{
	"id": true, "lesson": true, "stage": true, "minutes": true, "accept": true,
	keyTranslatedFrom: true, keyReview: true, keyQuizTranslatedFrom: true, keyQuizReview: true,
}

// glossaryYAML checks every text value of a YAML document in lang (front matter whose first
// line is line 1+offset of file, or a quiz text file) against the glossary.
func (l *loader) glossaryYAML(file, lang string, raw []byte, offset int) {
	if len(l.gl[lang]) == 0 {
		return
	}
	var doc yaml.Node
	if yaml.Unmarshal(raw, &doc) != nil {
		return // reported where the file is decoded
	}
	lines := bytes.Split(raw, []byte("\n"))
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if !glossarySkipKeys[n.Content[i].Value] {
					walk(n.Content[i+1])
				}
			}
		case yaml.ScalarNode:
			l.glossaryScalar(file, lang, lines, n, offset)
		}
	}
	walk(&doc)
}

// glossaryCourseFile checks the titles and summaries of course.yaml, each language's
// against that language's glossary.
func (l *loader) glossaryCourseFile(file string, raw []byte) {
	l.glossaryTexts(file, raw, "title", "summary")
}

// GlossaryTexts checks, in a YAML file of texts by language (as course.yaml's titles:
// `title: {en: …, es: …}`), the mappings under any of keys, each language's text against
// that language's glossary. The risk intake (app/intake) is checked with it.
func GlossaryTexts(glossaries []*Glossary, file string, raw []byte, keys ...string) []Problem {
	l := &loader{gl: newGlossaryIndex(glossaries)}
	l.glossaryTexts(file, raw, keys...)
	return l.ps
}

func (l *loader) glossaryTexts(file string, raw []byte, keys ...string) {
	if len(l.gl) == 0 {
		return
	}
	var doc yaml.Node
	if yaml.Unmarshal(raw, &doc) != nil {
		return
	}
	lines := bytes.Split(raw, []byte("\n"))
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if slices.Contains(keys, k.Value) && v.Kind == yaml.MappingNode {
					for j := 0; j+1 < len(v.Content); j += 2 {
						if v.Content[j+1].Kind == yaml.ScalarNode {
							l.glossaryScalar(file, v.Content[j].Value, lines, v.Content[j+1], 0)
						}
					}
					continue
				}
				walk(v)
			}
		}
	}
	walk(&doc)
}

// glossaryScalar checks one YAML string (inline Markdown at most: code spans are left out)
// and reports each hit on the line of the file where it is written.
func (l *loader) glossaryScalar(file, lang string, lines [][]byte, n *yaml.Node, offset int) {
	if len(l.gl[lang]) == 0 {
		return
	}
	prose := blankCodeSpans(n.Value)
	for _, h := range l.gl.hits(lang, prose) {
		l.reportGlossaryHit(file, offset+scalarLine(lines, n, len(tokenize(n.Value[:h.start]))), prose, h)
	}
}

// scalarLine finds the line of the file on which the k-th word (from 0) of a scalar is
// written: a folded or multi-line string joins its lines, so the words are counted again in
// the source from where the scalar starts.
func scalarLine(lines [][]byte, n *yaml.Node, k int) int {
	line, col := n.Line, n.Column
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		line, col = n.Line+1, 1
	}
	seen := 0
	for i := line - 1; i >= 0 && i < len(lines); i++ {
		s := string(lines[i])
		if i == line-1 {
			for skip := col - 1; skip > 0 && s != ""; skip-- {
				_, size := utf8.DecodeRuneInString(s)
				s = s[size:]
			}
		}
		seen += len(tokenize(s))
		if seen > k {
			return i + 1
		}
	}
	return n.Line
}
