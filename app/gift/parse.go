package gift

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxFileBytes bounds a GIFT file: about 20,000 questions, far more than a module's quiz,
// and small enough that an upload is read and checked in seconds.
const MaxFileBytes = 4 << 20

// Format is the text format of a GIFT text: Moodle's auto-format (the default: HTML allowed,
// line breaks kept), HTML, plain text or Markdown.
type Format string

// The formats a [format] prefix can name.
const (
	FormatMoodle   Format = "moodle"
	FormatHTML     Format = "html"
	FormatPlain    Format = "plain"
	FormatMarkdown Format = "markdown"
)

// Kind is a question type as Moodle reads it.
type Kind string

// The question types of GIFT.
const (
	MultipleChoice Kind = "multiple choice"
	TrueFalse      Kind = "true/false"
	ShortAnswer    Kind = "short answer"
	Matching       Kind = "matching"
	Numerical      Kind = "numerical"
	Essay          Kind = "essay"
	Description    Kind = "description"
)

// Text is a text of a question (its stem, an answer, a feedback) as Moodle reads it.
type Text struct {
	Value  string // escapes resolved, [format] prefix removed, trimmed
	Format Format // from its own [format] prefix, or the question text's
	Line   int
	cells  cells
}

// Empty tells whether there is no text.
func (t Text) Empty() bool { return t.Value == "" }

// Answer is one answer of a question.
type Answer struct {
	Line int
	Text Text // multiple choice, short answer: the answer; matching: the left-hand item;
	// numerical: the answer as written (1822:5, 1..5)
	Weight   float64 // percent of the question's credit: 100 full, 0 none, negative a penalty
	Weighted bool    // written with an explicit %weight%
	Equals   bool    // multiple choice: written with = (full credit)
	Feedback Text
	Match    string // matching: the right-hand side
}

// Question is one question (or description) of a GIFT file.
type Question struct {
	Line         int // where the question text starts
	EndLine      int
	Category     string // the $CATEGORY in force ("" before the first)
	CategoryLine int
	Title        string   // from ::title::
	IDNumber     string   // from a // [id:…] comment (Moodle 3.6+)
	Tags         []string // from // [tag:…] comments
	Kind         Kind
	Stem         Text
	MissingWord  bool // the answers stood in the middle of the text; Stem holds a "_____"
	AnswersLine  int  // the line of the opening {
	Answers      []Answer
	// SingleAnswer: a multiple-choice question with an answer written with =, which Moodle
	// shows with radio buttons; without one it shows check boxes.
	SingleAnswer bool
	// True/false: the right answer, and the feedback for a wrong and for a right answer.
	Truth                        bool
	FeedbackWrong, FeedbackRight Text
	GeneralFeedback              Text
}

// File is a parsed GIFT file.
type File struct {
	Name      string
	Questions []*Question
	Problems  []Problem
}

// Parse reads a GIFT file; name is how the file is named in problems. Syntax Moodle itself
// would refuse is an error; constructs Moodle accepts but reads differently from what they
// seem to say are warnings.
func Parse(name string, src []byte) *File {
	p := &parser{ps: problems{file: name}}
	f := &File{Name: name}
	defer func() { f.Problems = p.ps.list }()
	if len(src) > MaxFileBytes {
		p.ps.errorf(0, "the file is %d KiB; a GIFT file can be at most %d KiB (split the question bank)", len(src)/1024, MaxFileBytes/1024)
		return f
	}
	src = bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(src) {
		bad := 0
		for bad < len(src) {
			r, size := utf8.DecodeRune(src[bad:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			bad += size
		}
		p.ps.errorf(1+bytes.Count(src[:bad], []byte("\n")), "the file is not UTF-8 text: save it as UTF-8 (Moodle's own export is)")
		return f
	}
	var block []srcLine
	for i, l := range strings.Split(string(src), "\n") {
		t := strings.Trim(l, phpSpace)
		if t == "" {
			p.block(block)
			block = block[:0]
			continue
		}
		block = append(block, srcLine{n: i + 1, text: t})
	}
	p.block(block)
	f.Questions = p.questions
	if len(f.Questions) == 0 && !HasErrors(p.ps.list) {
		p.ps.errorf(0, "no question found: questions are separated by blank lines and have their answers in { }")
	}
	return f
}

type srcLine struct {
	n    int
	text string
}

type parser struct {
	ps           problems
	questions    []*Question
	category     string
	categoryLine int
}

var (
	idCommentRE  = regexp.MustCompile(`\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]`)
	tagCommentRE = regexp.MustCompile(`\[tag:((?:\\\]|[^\]<>` + "`" + `\x00-\x1f\x7f])*)\]`)
	// weightRE is Moodle's own pattern for a %weight% at the start of an answer.
	weightRE = regexp.MustCompile(`^%-*([0-9]{1,2})\.?([0-9]*)%`)
)

// block reads one blank-line separated block: a question, a $CATEGORY, or only comments.
func (p *parser) block(lines []srcLine) {
	var comments []string
	var cs cells
	for _, l := range lines {
		if strings.HasPrefix(l.text, "//") {
			comments = append(comments, l.text)
			continue
		}
		if len(cs) > 0 {
			cs = append(cs, cell{r: '\n', line: l.n})
		}
		cs = append(cs, decodeLine(l.text, l.n)...)
	}
	cs = cs.trim()
	if len(cs) == 0 {
		return
	}
	start, end := cs[0].line, cs[len(cs)-1].line
	if cs.hasPrefix("$CATEGORY:") {
		p.categoryBlock(cs)
		return
	}
	if strings.HasPrefix(strings.ToUpper(cs.String()), "$CATEGORY:") {
		p.ps.errorf(start, "write $CATEGORY: exactly so, in capitals and with an unescaped colon: Moodle reads anything else as a question")
		return
	}
	q := &Question{Line: start, EndLine: end, Category: p.category, CategoryLine: p.categoryLine}
	p.comments(q, comments)
	if cs.hasPrefix("::") {
		rest := cs[2:]
		if e := rest.indexSeq("::", 0); e >= 0 {
			q.Title = strings.TrimSpace(rest[:e].String())
			cs = rest[e+2:].trim()
		} else {
			p.ps.warnf(start, "the title has no closing :: so Moodle reads it as part of the question text; write ::title:: or escape the colons as \\:")
			cs = rest.trim()
		}
		if len(cs) > 0 {
			q.Line = cs[0].line
		}
	}
	open, close := cs.index('{', 0), cs.index('}', 0)
	switch {
	case open < 0 && close < 0:
		q.Kind = Description
		q.Stem = textOf(cs, FormatMoodle, q.Line)
		p.questions = append(p.questions, q)
		return
	case open < 0:
		p.ps.errorf(cs[close].line, "} without {: escape it as \\} if it is part of the text")
		return
	case close < 0:
		p.ps.errorf(cs[open].line, "{ without }: close the answers with }, or escape it as \\{ if it is part of the text")
		return
	case close < open:
		p.ps.errorf(cs[close].line, "} comes before the { of the answers: escape it as \\} if it is part of the text")
		return
	}
	q.AnswersLine = cs[open].line
	if extra := cs.index('{', open+1); extra >= 0 && extra < close {
		p.ps.errorf(cs[extra].line, "{ inside the answers: escape it as \\{ if it is part of an answer")
		return
	}
	if extra := cs.index('{', close+1); extra >= 0 {
		p.ps.errorf(cs[extra].line, "a second set of answers: a GIFT question has one { } (Moodle would show the second as text); escape the braces as \\{ \\} if they are part of the text")
		return
	}
	if extra := cs.index('}', close+1); extra >= 0 {
		p.ps.errorf(cs[extra].line, "} without {: escape it as \\} if it is part of the text")
		return
	}
	answers := cs[open+1 : close].trim()
	var stem cells
	if close == len(cs)-1 {
		stem = cs[:open]
	} else {
		// The missing-word format: the answers stand where the blank goes.
		q.MissingWord = true
		blank := make(cells, 5)
		for i := range blank {
			blank[i] = cell{r: '_', blank: true, line: cs[open].line}
		}
		stem = concat(cs[:open], blank, cs[close+1:])
	}
	q.Stem = textOf(stem, FormatMoodle, q.Line)
	if g := answers.lastIndexSeq("####"); g >= 0 {
		q.GeneralFeedback = textOf(answers[g+4:].trim(), q.Stem.Format, answers.lineOf(q.AnswersLine))
		answers = answers[:g].trim()
	}
	p.answers(q, answers)
}

// categoryBlock reads "$CATEGORY: path", which applies to the questions after it.
func (p *parser) categoryBlock(cs cells) {
	rest := cs[len("$CATEGORY:"):]
	line := cs[0].line
	if nl := rest.index('\n', 0); nl >= 0 {
		p.ps.errorf(rest[nl].line, "no blank line after the $CATEGORY on line %d: Moodle reads this line and the ones after it as part of the category name; put a blank line after $CATEGORY", line)
		rest = rest[:nl]
	}
	p.category = strings.TrimSpace(rest.trim().String())
	p.categoryLine = line
	if p.category == "" {
		p.ps.warnf(line, "$CATEGORY without a category name")
	}
}

// comments takes the id number and tags Moodle 3.6+ writes in comments before a question.
func (p *parser) comments(q *Question, comments []string) {
	all := strings.Join(comments, "\n")
	if m := idCommentRE.FindStringSubmatch(all); m != nil {
		q.IDNumber = strings.TrimSpace(strings.ReplaceAll(m[1], `\]`, "]"))
	}
	for _, m := range tagCommentRE.FindAllStringSubmatch(all, -1) {
		if t := strings.TrimSpace(strings.ReplaceAll(m[1], `\]`, "]")); t != "" {
			q.Tags = append(q.Tags, t)
		}
	}
}

// textOf reads a text with an optional [format] prefix; def is the format it has without one.
func textOf(cs cells, def Format, line int) Text {
	cs = cs.trim()
	t := Text{Format: def, Line: cs.lineOf(line)}
	if len(cs) > 0 && cs[0].is('[') {
		if end := cs.index(']', 1); end > 0 {
			switch f := Format(cs[1:end].String()); f {
			case FormatMoodle, FormatHTML, FormatPlain, FormatMarkdown:
				t.Format = f
				cs = cs[end+1:].trim()
			}
		}
	}
	t.cells = cs
	t.Value = cs.String()
	return t
}

// answers reads what stands between { and }, deciding the type as Moodle does.
func (p *parser) answers(q *Question, cs cells) {
	switch {
	case len(cs) == 0:
		q.Kind = Essay
	case cs[0].is('#'):
		q.Kind = Numerical
		p.numerical(q, cs[1:])
		return
	case cs.index('~', 0) >= 0:
		q.Kind = MultipleChoice
		p.multipleChoice(q, cs)
		return
	case cs.index('=', 0) >= 0 && cs.indexSeq("->", 0) >= 0:
		q.Kind = Matching
		p.matching(q, cs)
		return
	default:
		check := cs
		if h := cs.index('#', 0); h > 0 {
			check = cs[:h].trim()
		}
		switch s := check.String(); s {
		case "T", "TRUE", "F", "FALSE":
			q.Kind = TrueFalse
			p.trueFalse(q, cs)
			return
		case "t", "true", "f", "false", "True", "False":
			p.ps.warnf(check.lineOf(q.AnswersLine), "{%s} is a short-answer question accepting %q (Moodle reads only T, TRUE, F and FALSE, in capitals, as true/false)", s, s)
			q.Kind = ShortAnswer
			p.shortAnswer(q, cs, true)
			return
		}
		q.Kind = ShortAnswer
		p.shortAnswer(q, cs, false)
		return
	}
	p.questions = append(p.questions, q)
}

// weight reads a %weight% at the start of an answer the way Moodle does, returning the
// weight in percent and the rest of the answer.
func (p *parser) weight(cs cells, line int) (w float64, rest cells, ok bool) {
	s := cs.String()
	m := weightRE.FindStringIndex(s)
	if m == nil {
		if strings.HasPrefix(s, "%") && strings.Count(s, "%") >= 2 {
			p.ps.warnf(line, "%q looks like a weight but is not one Moodle reads (write %%50%%, %%-25%% or %%33.33333%%): it stays in the answer's text", s[:strings.Index(s[1:], "%")+2])
		}
		return 0, cs, false
	}
	inner := s[1 : m[1]-1]
	minus := len(inner) - len(strings.TrimLeft(inner, "-"))
	if minus > 1 {
		p.ps.errorf(line, "weight %q has more than one minus sign", s[:m[1]])
	}
	v, err := strconv.ParseFloat(strings.TrimLeft(inner, "-"), 64)
	if err != nil {
		p.ps.errorf(line, "weight %q is not a number", s[:m[1]])
	}
	if minus > 0 {
		v = -v
	}
	// The pattern is ASCII, so its length in bytes is its length in characters.
	return v, cs[m[1]:], true
}

// feedback splits "answer # feedback" at the first unescaped #.
func feedback(cs cells, def Format, line int) (Text, Text) {
	parts := cs.splitN('#', 2)
	ans := textOf(parts[0], def, line)
	var fb Text
	if len(parts) > 1 {
		fb = textOf(parts[1], def, parts[1].lineOf(line))
	}
	return ans, fb
}

func (p *parser) multipleChoice(q *Question, cs cells) {
	q.SingleAnswer = cs.index('=', 0) >= 0
	parts := cs.split("~=")
	if len(parts[0].trim()) == 0 {
		parts = parts[1:]
	} else {
		p.ps.warnf(parts[0].trim()[0].line, "%q stands before the first ~ or = and Moodle reads it as a wrong answer", parts[0].trim().String())
	}
	bad := false
	for _, part := range parts {
		line := part.lineOf(q.AnswersLine)
		a := Answer{Line: line}
		body := part
		if len(part) > 0 && part[0].is('=') {
			a.Equals, a.Weight = true, 100
			body = part[1:].trim()
			if w := weightRE.FindString(body.String()); w != "" {
				p.ps.errorf(line, "=%s: in a multiple-choice question = already means full credit, and Moodle would show %s as part of the answer; write ~%s for partial credit", w, w, w)
				bad = true
			}
		} else {
			if len(part) > 0 && part[0].is('~') {
				body = part[1:]
			}
			body = body.trim()
			if w, rest, ok := p.weight(body, line); ok {
				a.Weight, a.Weighted, body = w, true, rest
			}
		}
		a.Text, a.Feedback = feedback(body, q.Stem.Format, line)
		q.Answers = append(q.Answers, a)
	}
	if len(q.Answers) < 2 {
		p.ps.errorf(q.AnswersLine, "a multiple-choice question needs at least two answers")
		return
	}
	if !bad {
		p.questions = append(p.questions, q)
	}
}

func (p *parser) matching(q *Question, cs cells) {
	parts := cs.splitN('=', -1)
	if len(parts[0].trim()) == 0 {
		parts = parts[1:]
	}
	for _, part := range parts {
		part = part.trim()
		line := part.lineOf(q.AnswersLine)
		arrow := part.indexSeq("->", 0)
		if arrow < 0 {
			p.ps.errorf(line, "matching pair %q has no ->: write =item -> match", part.String())
			return
		}
		a := Answer{Line: line, Weight: 100, Match: strings.TrimSpace(part[arrow+2:].trim().String())}
		a.Text = textOf(part[:arrow], q.Stem.Format, line)
		q.Answers = append(q.Answers, a)
	}
	if len(q.Answers) < 2 {
		p.ps.errorf(q.AnswersLine, "a matching question needs at least two pairs")
		return
	}
	p.questions = append(p.questions, q)
}

func (p *parser) trueFalse(q *Question, cs cells) {
	parts := cs.splitN('#', 3)
	q.Truth = slices.Contains([]string{"T", "TRUE"}, parts[0].trim().String())
	if len(parts) > 1 {
		q.FeedbackWrong = textOf(parts[1], q.Stem.Format, parts[1].lineOf(q.AnswersLine))
	}
	if len(parts) > 2 {
		q.FeedbackRight = textOf(parts[2], q.Stem.Format, parts[2].lineOf(q.AnswersLine))
	}
	p.questions = append(p.questions, q)
}

func (p *parser) shortAnswer(q *Question, cs cells, warned bool) {
	parts := cs.splitN('=', -1)
	if len(parts[0].trim()) == 0 {
		parts = parts[1:]
	} else if !warned {
		p.ps.warnf(parts[0].trim()[0].line, "%q has no = before it; Moodle accepts it as a right answer (write =%s)", parts[0].trim().String(), parts[0].trim().String())
	}
	if len(parts) == 0 {
		p.ps.errorf(q.AnswersLine, "a short-answer question needs at least one answer")
		return
	}
	for _, part := range parts {
		part = part.trim()
		line := part.lineOf(q.AnswersLine)
		a := Answer{Line: line, Weight: 100}
		if w, rest, ok := p.weight(part, line); ok {
			a.Weight, a.Weighted, part = w, true, rest
		}
		a.Text, a.Feedback = feedback(part, q.Stem.Format, line)
		q.Answers = append(q.Answers, a)
	}
	p.questions = append(p.questions, q)
}

func (p *parser) numerical(q *Question, cs cells) {
	var wrong cells
	if t := cs.index('~', 0); t >= 0 {
		cs, wrong = cs[:t], cs[t+1:]
	}
	parts := cs.splitN('=', -1)
	if len(parts[0].trim()) == 0 {
		parts = parts[1:]
	}
	for _, part := range parts {
		part = part.trim()
		line := part.lineOf(q.AnswersLine)
		a := Answer{Line: line, Weight: 100}
		if w, rest, ok := p.weight(part, line); ok {
			a.Weight, a.Weighted, part = w, true, rest
		}
		a.Text, a.Feedback = feedback(part, q.Stem.Format, line)
		q.Answers = append(q.Answers, a)
	}
	if wrong != nil {
		_, fb := feedback(wrong, q.Stem.Format, wrong.lineOf(q.AnswersLine))
		q.Answers = append(q.Answers, Answer{Line: wrong.lineOf(q.AnswersLine), Text: Text{Value: "*", Format: FormatPlain}, Feedback: fb})
	}
	if len(q.Answers) == 0 {
		p.ps.errorf(q.AnswersLine, "a numerical question needs at least one answer")
		return
	}
	p.questions = append(p.questions, q)
}
