package gift

import (
	"slices"
	"strings"
	"testing"
)

func parseOne(t *testing.T, src string) *Question {
	t.Helper()
	f := Parse("t.gift", []byte(src))
	if HasErrors(f.Problems) || len(f.Questions) != 1 {
		t.Fatalf("want one question and no error, got %d questions: %v", len(f.Questions), f.Problems)
	}
	return f.Questions[0]
}

type wantAnswer struct {
	text     string
	weight   float64
	feedback string
	line     int
	match    string
}

func answersOf(q *Question) []wantAnswer {
	var out []wantAnswer
	for _, a := range q.Answers {
		out = append(out, wantAnswer{a.Text.Value, a.Weight, a.Feedback.Value, a.Line, a.Match})
	}
	return out
}

func TestParseReadsEveryQuestionTypeAsMoodleDoes(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		kind    Kind
		stem    string
		answers []wantAnswer
		check   func(t *testing.T, q *Question)
	}{
		{
			name: "multiple choice with = and ~",
			src:  "Who keeps the keys?{~The provider =You ~Nobody}",
			kind: MultipleChoice, stem: "Who keeps the keys?",
			answers: []wantAnswer{{"The provider", 0, "", 1, ""}, {"You", 100, "", 1, ""}, {"Nobody", 0, "", 1, ""}},
			check:   func(t *testing.T, q *Question) { expect(t, "single answer", q.SingleAnswer, true) },
		},
		{
			name: "answers on their own lines keep their lines",
			src:  "Pick one.{\n  ~a#fa\n  =b#fb\n}",
			kind: MultipleChoice, stem: "Pick one.",
			answers: []wantAnswer{{"a", 0, "fa", 2, ""}, {"b", 100, "fb", 3, ""}},
		},
		{
			name: "several right answers with weights",
			src:  "Which two?{~%50%a ~%50%b ~%-100%c ~d}",
			kind: MultipleChoice, stem: "Which two?",
			answers: []wantAnswer{{"a", 50, "", 1, ""}, {"b", 50, "", 1, ""}, {"c", -100, "", 1, ""}, {"d", 0, "", 1, ""}},
			check:   func(t *testing.T, q *Question) { expect(t, "single answer", q.SingleAnswer, false) },
		},
		{
			name: "fractional weight",
			src:  "Which three?{~%33.33333%a ~%33.33333%b ~%33.33333%c ~d}",
			kind: MultipleChoice, stem: "Which three?",
			answers: []wantAnswer{{"a", 33.33333, "", 1, ""}, {"b", 33.33333, "", 1, ""}, {"c", 33.33333, "", 1, ""}, {"d", 0, "", 1, ""}},
		},
		{
			name: "true with feedback for a wrong and a right answer, and general feedback",
			src:  "The sky is blue.{TRUE#Look up.#Yes.####It scatters blue light.}",
			kind: TrueFalse, stem: "The sky is blue.",
			check: func(t *testing.T, q *Question) {
				expect(t, "truth", q.Truth, true)
				expect(t, "wrong", q.FeedbackWrong.Value, "Look up.")
				expect(t, "right", q.FeedbackRight.Value, "Yes.")
				expect(t, "general", q.GeneralFeedback.Value, "It scatters blue light.")
			},
		},
		{name: "{T}", src: "x.{T}", kind: TrueFalse, stem: "x.", check: func(t *testing.T, q *Question) { expect(t, "truth", q.Truth, true) }},
		{name: "{F}", src: "x.{F}", kind: TrueFalse, stem: "x.", check: func(t *testing.T, q *Question) { expect(t, "truth", q.Truth, false) }},
		{name: "{FALSE}", src: "x.{FALSE}", kind: TrueFalse, stem: "x.", check: func(t *testing.T, q *Question) { expect(t, "truth", q.Truth, false) }},
		{
			name: "short answer with weights and feedback",
			src:  "Which browser?{=Tor Browser#Yes. =%50%Tor =%0%*#No.}",
			kind: ShortAnswer, stem: "Which browser?",
			answers: []wantAnswer{{"Tor Browser", 100, "Yes.", 1, ""}, {"Tor", 50, "", 1, ""}, {"*", 0, "No.", 1, ""}},
		},
		{
			name: "matching",
			src:  "Match.{=a -> 1 =b->2\n= -> 3}",
			kind: Matching, stem: "Match.",
			answers: []wantAnswer{{"a", 100, "", 1, "1"}, {"b", 100, "", 1, "2"}, {"", 100, "", 2, "3"}},
		},
		{
			name: "numerical with tolerance, weight and wrong-answer feedback",
			src:  "When?{#\n=1822:0#Right.\n=%50%1822:2\n~#Wrong.}",
			kind: Numerical, stem: "When?",
			answers: []wantAnswer{{"1822:0", 100, "Right.", 2, ""}, {"1822:2", 50, "", 3, ""}, {"*", 0, "Wrong.", 4, ""}},
		},
		{name: "numerical range", src: "Pick.{#1..5}", kind: Numerical, stem: "Pick.", answers: []wantAnswer{{"1..5", 100, "", 1, ""}}},
		{name: "essay", src: "Write.{}", kind: Essay, stem: "Write."},
		{
			name: "essay with general feedback", src: "Write.{####Think.}", kind: Essay, stem: "Write.",
			check: func(t *testing.T, q *Question) { expect(t, "general", q.GeneralFeedback.Value, "Think.") },
		},
		{name: "description", src: "Read this first.", kind: Description, stem: "Read this first."},
		{
			name: "missing word leaves a blank",
			src:  "Grant is {~buried =entombed} in the tomb.",
			kind: MultipleChoice, stem: "Grant is _____ in the tomb.",
			answers: []wantAnswer{{"buried", 0, "", 1, ""}, {"entombed", 100, "", 1, ""}},
			check:   func(t *testing.T, q *Question) { expect(t, "missing word", q.MissingWord, true) },
		},
		{
			name: "answers after the closing punctuation leave no blank",
			src:  "Who?{=me ~you}",
			kind: MultipleChoice, stem: "Who?",
			check: func(t *testing.T, q *Question) { expect(t, "missing word", q.MissingWord, false) },
		},
		{
			name: "title, comments and a multi-line stem",
			src:  "// a comment\n// [id:Q7] [tag:one] [tag:two]\n::My title::First line\nsecond line?{=a ~b}",
			kind: MultipleChoice, stem: "First line\nsecond line?",
			check: func(t *testing.T, q *Question) {
				expect(t, "title", q.Title, "My title")
				expect(t, "id number", q.IDNumber, "Q7")
				expect(t, "tags", strings.Join(q.Tags, ","), "one,two")
				expect(t, "line", q.Line, 3)
			},
		},
		{
			name: "escapes",
			src:  `::a\:b::Is 1 \= 1 \{really\} \~ \# \\ ?\nYes.{T}`,
			kind: TrueFalse, stem: "Is 1 = 1 {really} ~ # \\ ?\nYes.",
			check: func(t *testing.T, q *Question) { expect(t, "title", q.Title, "a:b") },
		},
		{
			name: "formats",
			src:  "[html]<b>Q</b>{=[plain]<a>#[markdown]*fb* ~b####[moodle]gf}",
			kind: MultipleChoice, stem: "<b>Q</b>",
			check: func(t *testing.T, q *Question) {
				expect(t, "stem format", q.Stem.Format, FormatHTML)
				expect(t, "answer format", q.Answers[0].Text.Format, FormatPlain)
				expect(t, "feedback format", q.Answers[0].Feedback.Format, FormatMarkdown)
				expect(t, "inherited format", q.Answers[1].Text.Format, FormatHTML)
				expect(t, "general feedback format", q.GeneralFeedback.Format, FormatMoodle)
			},
		},
		{
			name: "an unknown format stays text",
			src:  "[bold]Q{T}", kind: TrueFalse, stem: "[bold]Q",
			check: func(t *testing.T, q *Question) { expect(t, "format", q.Stem.Format, FormatMoodle) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := parseOne(t, tt.src)
			expect(t, "kind", q.Kind, tt.kind)
			expect(t, "stem", q.Stem.Value, tt.stem)
			if tt.answers != nil && !slices.Equal(answersOf(q), tt.answers) {
				t.Errorf("answers:\n got %v\nwant %v", answersOf(q), tt.answers)
			}
			if tt.check != nil {
				tt.check(t, q)
			}
		})
	}
}

func expect[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

func TestParseSplitsQuestionsAtBlankLinesAndKeepsCategories(t *testing.T) {
	src := "\xEF\xBB\xBF// header\r\n\r\n$CATEGORY: $course$/A\r\n\r\nQ1?{T}\r\n   \t\r\n// between\r\nQ2?{F}\r\n\r\n$CATEGORY: B/C\r\n\r\n\r\nQ3?{=x ~y}\r\n"
	f := Parse("t.gift", []byte(src))
	if len(f.Problems) != 0 || len(f.Questions) != 3 {
		t.Fatalf("got %d questions, problems %v", len(f.Questions), f.Problems)
	}
	for i, want := range []struct {
		line     int
		category string
		catLine  int
	}{{5, "$course$/A", 3}, {8, "$course$/A", 3}, {13, "B/C", 10}} {
		q := f.Questions[i]
		if q.Line != want.line || q.Category != want.category || q.CategoryLine != want.catLine {
			t.Errorf("question %d: line %d category %q (line %d), want %+v", i+1, q.Line, q.Category, q.CategoryLine, want)
		}
	}
}

func TestParseReportsSyntaxErrorsAtTheirLine(t *testing.T) {
	tests := []struct {
		src  string
		line int
		sev  Severity
		msg  string
	}{
		{"Q\n{=a ~b", 2, Error, "{ without }"},
		{"Q\n=a ~b}", 2, Error, "} without {"},
		{"Q } x\n{=a ~b}", 1, Error, "} comes before the {"},
		{"Q{=a ~b}\nand {=c ~d}", 2, Error, "a second set of answers"},
		{"Q{=a\n{ ~b}", 2, Error, "{ inside the answers"},
		{"Q{=a ~b}\nthen }", 2, Error, "} without {"},
		{"Q{\n~only}", 1, Error, "at least two answers"},
		{"Q{\n=a -> 1\n=b\n}", 3, Error, `matching pair "b" has no ->`},
		{"Q{#}", 1, Error, "numerical question needs at least one answer"},
		{"Q{\n=%50%half ~b}", 2, Error, "=%50%: in a multiple-choice question"},
		{"Q{\n~%--50%a =b}", 2, Error, "more than one minus sign"},
		{"$category: x", 1, Error, "write $CATEGORY: exactly so"},
		{"$CATEGORY: a\nQ{T}", 2, Error, "no blank line after the $CATEGORY on line 1"},
		{"$CATEGORY:", 1, Warning, "$CATEGORY without a category name"},
		{"// only a comment", 0, Error, "no question found"},
		{"::Open title Q{T}", 1, Warning, "the title has no closing ::"},
		{"Q{\n~%5O%a =b}", 2, Warning, "looks like a weight but is not one Moodle reads"},
		{"Q{extra ~a =b}", 1, Warning, `"extra" stands before the first ~ or =`},
		{"Q{\nfoo}", 2, Warning, `"foo" has no = before it`},
		{"Q{\ntrue}", 2, Warning, `{true} is a short-answer question accepting "true"`},
		{"Q?{T}\n\nok\xff", 3, Error, "not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			f := Parse("t.gift", []byte(tt.src))
			for _, p := range f.Problems {
				if p.Line == tt.line && p.Severity == tt.sev && strings.Contains(p.Msg, tt.msg) {
					return
				}
			}
			t.Errorf("want %s at line %d containing %q, got %v", tt.sev, tt.line, tt.msg, f.Problems)
		})
	}
}

func TestParseRefusesAFileOverTheSizeLimit(t *testing.T) {
	f := Parse("big.gift", make([]byte, MaxFileBytes+1))
	if !HasErrors(f.Problems) || len(f.Questions) != 0 || !strings.Contains(f.Problems[0].Msg, "at most") {
		t.Fatalf("got %v", f.Problems)
	}
}
