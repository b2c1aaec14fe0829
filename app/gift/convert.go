package gift

import (
	"cmp"
	"fmt"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Cairn's question types (app/quiz); the converter writes them into quiz.yaml.
const (
	TypeSingle    = "single"
	TypeMultiple  = "multiple"
	TypeTrueFalse = "true_false"
	TypeShort     = "short"
	TypeOrdering  = "ordering"
)

// DefaultPassMark is the pass mark of an imported quiz unless told otherwise: GIFT carries
// questions, not quiz settings, and 70 is what Cairn's own courses use.
const DefaultPassMark = 70

// maxShortAnswer is the longest answer a learner can type (app/quiz.MaxShortAnswer).
const maxShortAnswer = 200

// Options adjust a conversion; the zero value works.
type Options struct {
	PassMark int // 1–100; 0 means DefaultPassMark
	// SkipUnsupported leaves out the questions Cairn cannot express, reporting each as a
	// warning, instead of refusing the whole file. Syntax errors still stop the import.
	SkipUnsupported bool
}

// Quiz is a converted quiz: what quiz.yaml and quiz.<lang>.yaml will say.
type Quiz struct {
	Source    string // base name of the GIFT file
	PassMark  int
	Shuffle   bool
	Questions []*QuizQuestion
}

// QuizQuestion is one question of a converted quiz. Texts are Cairn inline Markdown.
type QuizQuestion struct {
	ID       string
	Type     string
	Line     int // where it starts in the GIFT file
	Category string
	Tags     []string     // Moodle's tags, kept in a comment
	Options  []QuizOption // single, multiple; ordering in the right order
	Answer   bool         // true_false
	Stem     string
	Accept   []string // short: plain text, never Markdown
	// FeedbackTrue and FeedbackFalse are shown to whoever answered true or false.
	FeedbackTrue, FeedbackFalse string
	Explanation                 string

	label string // the stem as a reader sees it, for the id
}

// QuizOption is one option of a question.
type QuizOption struct {
	ID       string
	Correct  bool
	Text     string
	Feedback string

	label string // the text as a reader sees it, for the id
}

// Import parses and converts a GIFT file, returning the quiz (nil when nothing could be
// converted) and every problem, parse and conversion, in line order. Nothing should be
// written while HasErrors(problems).
func Import(name string, src []byte, opts Options) (*Quiz, []Problem) {
	f := Parse(name, src)
	z, ps := Convert(f, opts)
	all := append(slices.Clone(f.Problems), ps...)
	slices.SortStableFunc(all, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	return z, all
}

// Convert maps the questions of a parsed file to a Cairn quiz and reports, by line, what it
// changed, dropped or could not express.
func Convert(f *File, opts Options) (*Quiz, []Problem) {
	all := problems{file: f.Name}
	z := &Quiz{Source: path.Base(strings.ReplaceAll(f.Name, `\`, "/")), PassMark: cmp.Or(opts.PassMark, DefaultPassMark), Shuffle: true}
	if z.PassMark < 1 || z.PassMark > 100 {
		all.errorf(0, "pass mark %d: give a percentage from 1 to 100", z.PassMark)
	}
	ids := newIDSet()
	type pending struct {
		q  *Question
		qq *QuizQuestion
		n  int // its position in the file, for question-N
	}
	var kept []pending
	for n, q := range f.Questions {
		ps := problems{file: f.Name}
		qq := convertQuestion(q, &ps)
		if HasErrors(ps.list) && opts.SkipUnsupported {
			for j := range ps.list {
				if ps.list[j].Severity == Error {
					ps.list[j].Severity = Warning
					ps.list[j].Msg = "question left out: " + ps.list[j].Msg
				}
			}
			qq = nil
		}
		all.list = append(all.list, ps.list...)
		if qq != nil {
			kept = append(kept, pending{q, qq, n + 1})
		}
	}
	// Ids come last, from the questions kept, in file order: the same file gives the same ids.
	for _, k := range kept {
		k.qq.ID = questionID(k.q, k.qq.label, ids, k.n)
		optIDs := newIDSet()
		for i := range k.qq.Options {
			o := &k.qq.Options[i]
			o.ID = optIDs.make(o.label, "option", fmt.Sprintf("option-%d", i+1), 32)
		}
		z.Questions = append(z.Questions, k.qq)
	}
	if len(z.Questions) == 0 && !HasErrors(all.list) && !HasErrors(f.Problems) && len(f.Questions) > 0 {
		all.errorf(0, "no question left to import")
	}
	return z, all.list
}

// questionID is the question's Moodle id number, else its title, else its text, made into
// a Cairn id; a text with no Latin letters or digits (Arabic, Persian…) gives question-N,
// N its position in the file.
func questionID(q *Question, stem string, ids *idSet, n int) string {
	fallback := fmt.Sprintf("question-%d", n)
	for _, src := range []string{q.IDNumber, q.Title} {
		if slug(src, 40) != "" {
			return ids.make(src, "question", fallback, 40)
		}
	}
	return ids.make(stem, "question", fallback, 40)
}

func convertQuestion(q *Question, ps *problems) *QuizQuestion {
	tc := textConv{ps: ps}
	qq := &QuizQuestion{Line: q.Line, Category: q.Category, Tags: q.Tags}
	switch q.Kind {
	case Numerical:
		var given []string
		for _, a := range q.Answers {
			if a.Text.Value != "*" {
				given = append(given, a.Text.Value)
			}
		}
		ps.errorf(q.Line, "numerical question (answer %s): Cairn has no numerical questions; rewrite it as a short-answer or single-choice question, or leave it out", strings.Join(given, ", "))
		return nil
	case Essay:
		ps.errorf(q.Line, "essay question: Cairn grades every answer itself and has no essays for a person to mark; leave it out")
		return nil
	case Description:
		ps.errorf(q.Line, "description (text without answers): Cairn quizzes have only questions; put the text in a lesson or in the stem of the question it introduces")
		return nil
	}
	stem := tc.markdown(q.Stem)
	qq.Stem, qq.label = stem.md, stem.visible
	if strings.TrimSpace(stem.md) == "" {
		ps.errorf(q.Line, "the question has no text")
	}
	if !q.GeneralFeedback.Empty() {
		qq.Explanation = tc.markdown(q.GeneralFeedback).md
	}
	switch q.Kind {
	case MultipleChoice:
		multipleChoice(q, qq, tc, ps)
	case TrueFalse:
		qq.Type, qq.Answer = TypeTrueFalse, q.Truth
		if q.MissingWord {
			ps.warnf(q.AnswersLine, "the statement shows a blank (_____) where its {T} or {F} stood, as in Moodle; move the answer to the end if the blank is not meant")
		}
		right, wrong := q.FeedbackRight, q.FeedbackWrong
		if !q.Truth {
			right, wrong = wrong, right
		}
		// right holds the feedback for answering true, wrong for answering false.
		if !right.Empty() {
			qq.FeedbackTrue = tc.markdown(right).md
		}
		if !wrong.Empty() {
			qq.FeedbackFalse = tc.markdown(wrong).md
		}
	case ShortAnswer:
		shortAnswer(q, qq, ps)
	case Matching:
		matching(q, qq, tc, ps)
	}
	return qq
}

// weightEq tells whether two weights are the same to Moodle's precision (33.33333%).
func weightEq(a, b float64) bool { return math.Abs(a-b) < 0.01 }

func percent(w float64) string { return strconv.FormatFloat(w, 'f', -1, 64) + "%" }

func multipleChoice(q *Question, qq *QuizQuestion, tc textConv, ps *problems) {
	var answers []Answer
	outOfRange := false
	for _, a := range q.Answers {
		if a.Text.Empty() {
			ps.warnf(a.Line, "an empty answer is left out (Moodle leaves it out too)")
			continue
		}
		if a.Weight < -100 || a.Weight > 100 {
			ps.errorf(a.Line, "weight %s: Moodle weights go from -100%% to 100%%", percent(a.Weight))
			outOfRange = true
		}
		answers = append(answers, a)
	}
	if outOfRange {
		return
	}
	if len(answers) < 2 {
		ps.errorf(q.AnswersLine, "fewer than two answers are left")
		return
	}
	var full, partial, positive, negative []Answer
	for _, a := range answers {
		switch {
		case weightEq(a.Weight, 100):
			full = append(full, a)
		case a.Weight > 0:
			partial = append(partial, a)
		case a.Weight < 0:
			negative = append(negative, a)
		}
		if a.Weight > 0 {
			positive = append(positive, a)
		}
	}
	single := q.SingleAnswer || (len(full) == 1 && len(partial) == 0)
	switch {
	case len(positive) == 0:
		ps.errorf(q.AnswersLine, "no answer gives credit: mark the right answer with = (or give right answers a positive %%weight%%)")
		return
	case single && len(full) > 1:
		ps.errorf(q.AnswersLine, "%d answers give full credit but learners choose one: a single-choice question has one right answer (Cairn cannot accept either of two)", len(full))
		return
	case single && len(partial) > 0:
		for _, a := range partial {
			ps.errorf(a.Line, "partial credit Cairn cannot express: %q gives %s, and a Cairn question is right or wrong; make it a wrong answer (~) or the right one (=)", a.Text.Value, percent(a.Weight))
		}
		return
	case single:
		qq.Type = TypeSingle
		for _, a := range negative {
			ps.warnf(a.Line, "penalty %s dropped: Cairn takes no marks away, so choosing %q is simply wrong", percent(a.Weight), a.Text.Value)
		}
		if !q.SingleAnswer {
			ps.notef(q.AnswersLine, "one answer gives full credit, so this becomes a single-choice question (Moodle showed check boxes because no answer was written with =)")
		}
	default:
		sum := 0.0
		equal := true
		for _, a := range positive {
			sum += a.Weight
			equal = equal && weightEq(a.Weight, positive[0].Weight)
		}
		var ws []string
		for _, a := range positive {
			ws = append(ws, percent(a.Weight))
		}
		switch {
		case !equal:
			ps.errorf(q.AnswersLine, "partial credit Cairn cannot express: the right answers weigh %s, and a Cairn multiple-answer question counts only choosing exactly the right ones; give every right answer the same weight", strings.Join(ws, ", "))
			return
		case math.Abs(sum-100) > 0.5:
			ps.errorf(q.AnswersLine, "the right answers weigh %s in all, so Moodle never gives full credit; their weights should add up to 100%%", percent(math.Round(sum*1000)/1000))
			return
		}
		qq.Type = TypeMultiple
		ps.notef(q.AnswersLine, "%d right answers: Cairn counts the question right only when exactly these are chosen (Moodle gave part of the credit for some of them)", len(positive))
	}
	for _, a := range answers {
		text := tc.option(a)
		o := QuizOption{Correct: a.Weight > 0, Text: text.md, label: text.visible}
		if qq.Type == TypeSingle {
			o.Correct = weightEq(a.Weight, 100)
		}
		if !a.Feedback.Empty() {
			o.Feedback = tc.markdown(a.Feedback).md
		}
		qq.Options = append(qq.Options, o)
	}
}

func shortAnswer(q *Question, qq *QuizQuestion, ps *problems) {
	qq.Type = TypeShort
	for _, a := range q.Answers {
		v := a.Text.Value
		switch {
		case v == "*" && a.Weight <= 0:
			if !a.Feedback.Empty() {
				ps.warnf(a.Line, "the feedback for any other answer (=%%0%%*) is dropped: Cairn shows the question's explanation instead")
			}
			continue
		case a.Weight <= 0:
			ps.warnf(a.Line, "%q gives no credit and is left out: Cairn counts every answer it does not accept as wrong", v)
			continue
		case !weightEq(a.Weight, 100):
			ps.errorf(a.Line, "partial credit Cairn cannot express: %q gives %s, and a Cairn answer is right or wrong; accept it fully or leave it out", v, percent(a.Weight))
			continue
		case v == "":
			ps.errorf(a.Line, "an empty accepted answer")
			continue
		}
		accepted, wildcard := unescapeWildcards(v)
		if wildcard {
			ps.errorf(a.Line, "%q uses * as a wildcard: Cairn matches whole answers (ignoring case, spaces and punctuation); list the answers it should accept, or write \\* for a star", v)
			continue
		}
		if len([]rune(accepted)) > maxShortAnswer {
			ps.errorf(a.Line, "an accepted answer longer than %d characters, which a learner cannot type", maxShortAnswer)
			continue
		}
		if !a.Feedback.Empty() {
			ps.warnf(a.Line, "the feedback on %q is dropped: a Cairn short-answer question has no feedback per answer (its explanation is shown to everyone)", v)
		}
		if a.Text.Format != FormatPlain && mdTagRE.MatchString(accepted) {
			ps.warnf(a.Line, "%q contains HTML, which a learner would have to type as it is", v)
		}
		qq.Accept = append(qq.Accept, accepted)
	}
	if len(qq.Accept) == 0 && !HasErrors(ps.list) {
		ps.errorf(q.AnswersLine, "no answer is accepted")
	}
}

// unescapeWildcards reads a Moodle short answer: * matches anything, \* is a star.
func unescapeWildcards(s string) (string, bool) {
	var b strings.Builder
	wildcard := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '*':
			b.WriteByte('*')
			i++
		case s[i] == '*':
			wildcard = true
			b.WriteByte('*')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), wildcard
}

// matching becomes an ordering question when it is one: the right-hand sides are the numbers
// 1 to n, each used once, so matching each item to its number is putting the items in order.
func matching(q *Question, qq *QuizQuestion, tc textConv, ps *problems) {
	n := len(q.Answers)
	byPos := make([]*Answer, n+1)
	ok := true
	for i := range q.Answers {
		a := &q.Answers[i]
		pos, err := strconv.Atoi(a.Match)
		if a.Text.Empty() || err != nil || pos < 1 || pos > n || byPos[pos] != nil {
			ok = false
			break
		}
		byPos[pos] = a
	}
	if !ok {
		ps.errorf(q.AnswersLine, "matching question: Cairn has no matching questions; it imports one as an ordering question only when its right-hand sides are the numbers 1 to %d, each used once (the position of each item)", n)
		return
	}
	qq.Type = TypeOrdering
	for _, a := range byPos[1:] {
		text := tc.option(*a)
		qq.Options = append(qq.Options, QuizOption{Text: text.md, label: text.visible})
	}
	ps.notef(q.AnswersLine, "matching items to the positions 1 to %d becomes an ordering question: right only when the whole order is (Moodle gave credit for each pair)", n)
}

// option converts the text of an answer that becomes an option, which must show something.
func (c textConv) option(a Answer) converted {
	text := c.markdown(a.Text)
	if strings.TrimSpace(text.md) == "" {
		c.ps.errorf(a.Line, "the answer %q shows no text once converted", a.Text.Value)
	}
	return text
}
