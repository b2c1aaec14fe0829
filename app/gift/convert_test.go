package gift

import (
	"strings"
	"testing"
)

func importOne(t *testing.T, src string) (*QuizQuestion, []Problem) {
	t.Helper()
	z, ps := Import("t.gift", []byte(src), Options{})
	if HasErrors(ps) {
		return nil, ps
	}
	if len(z.Questions) != 1 {
		t.Fatalf("want one question, got %d (%v)", len(z.Questions), ps)
	}
	return z.Questions[0], ps
}

func hasProblem(ps []Problem, sev Severity, line int, msg string) bool {
	for _, p := range ps {
		if p.Severity == sev && p.Line == line && strings.Contains(p.Msg, msg) {
			return true
		}
	}
	return false
}

// TestEveryUnsupportedFeatureIsReportedAtItsLine: nothing Cairn cannot express is dropped
// or changed silently.
func TestEveryUnsupportedFeatureIsReportedAtItsLine(t *testing.T) {
	tests := []struct {
		name string
		src  string
		sev  Severity
		line int
		msg  string
	}{
		{"numerical", "// n\nWhen?{#1822:5}", Error, 2, "numerical question (answer 1822:5)"},
		{"numerical range", "\n\nPick.{#1..5}", Error, 3, "numerical question (answer 1..5)"},
		{"essay", "Write.{}", Error, 1, "essay question"},
		{"description", "Just text.", Error, 1, "description"},
		{"matching", "Match.{\n=a -> x\n=b -> y}", Error, 1, "Cairn has no matching questions"},
		{"matching with a distractor", "Order.{\n=a -> 1\n= -> 2}", Error, 1, "Cairn has no matching questions"},
		{"partial credit with =", "Q{\n=a\n~%50%b\n~c}", Error, 3, `"b" gives 50%`},
		{"two full answers", "Q{\n=a\n~%100%b\n~c}", Error, 1, "2 answers give full credit"},
		{"unequal weights", "Q{\n~%70%a\n~%30%b\n~c}", Error, 1, "the right answers weigh 70%, 30%"},
		{"weights short of 100", "Q{\n~%25%a\n~%25%b\n~c}", Error, 1, "weigh 50% in all"},
		{"no credit", "Q{\n~a\n~b}", Error, 1, "no answer gives credit"},
		{"weight beyond 100", "Q{\n~%150%a\n~b}", Error, 2, "weight 150%"},
		{"short partial credit", "Q{\n=a\n=%50%b}", Error, 3, `"b" gives 50%`},
		{"short wildcard", "Q{\n=*.pdf}", Error, 2, "uses * as a wildcard"},
		{"short answer too long", "Q{=" + strings.Repeat("x", 201) + "}", Error, 1, "longer than 200 characters"},
		{"no text", "{T}", Error, 1, "the question has no text"},
		{"penalty in a single question", "Q{\n=a\n~%-50%b}", Warning, 3, "penalty -50% dropped"},
		{"feedback on an accepted answer", "Q{\n=a#good}", Warning, 2, `the feedback on "a" is dropped`},
		{"a wrong short answer", "Q{\n=a\n=%0%b#no}", Warning, 3, `"b" gives no credit`},
		{"the catch-all feedback", "Q{\n=a\n=%0%*#no}", Warning, 3, "feedback for any other answer"},
		{"an empty answer", "Q{\n~\n=a\n~b}", Warning, 2, "an empty answer is left out"},
		{"a blank in a true/false statement", "It {T} works.", Warning, 1, "the statement shows a blank"},
		{"html image", "Q\n[html]<img src\\=\"x.png\">{T}", Error, 2, "HTML <img>"},
		{"html list", "<ul><li>a</li></ul>Q{T}", Error, 1, "HTML <ul>"},
		{"html sup", "10<sup>2</sup>?{T}", Error, 1, "HTML <sup>"},
		{"html table", "<table><tr><td>a</td></tr></table>{T}", Error, 1, "HTML <table>"},
		{"html unknown tag", "<marquee>Q</marquee>{T}", Error, 1, "HTML <marquee> cannot be kept"},
		{"html script", "Q<script>x()</script>{T}", Error, 1, "scripts are never imported"},
		{"javascript link", "<a href\\=\"javascript\\:x()\">Q</a>{T}", Error, 1, `link to "javascript:x()"`},
		{"relative link", "<a href\\=\"page.html\">Q</a>{T}", Error, 1, `link to "page.html"`},
		{"moodle file", "<a href\\=\"@@PLUGINFILE@@/a.pdf\">Q</a>{T}", Error, 1, "@@PLUGINFILE@@"},
		{"span dropped", "<span style\\=\"color\\:red\">Q</span>{T}", Warning, 1, "formatting of <span> is dropped"},
		{"html comment", "<!-- x -->Q{T}", Warning, 1, "HTML comment"},
		{"html doctype", "<!DOCTYPE html>Q{T}", Error, 1, "<!DOCTYPE>"},
		{"markdown html", "[markdown]<b>Q</b>{T}", Error, 1, "HTML <b> in a Markdown text"},
		{"markdown image", "[markdown]![a](x.png) Q{T}", Error, 1, "image in a Markdown text"},
		{"markdown relative link", "[markdown][a](x.html) Q{T}", Error, 1, `link to "x.html"`},
		{"markdown list", "[markdown]Q\\n- a\\n- b{T}", Warning, 1, "Markdown heading, list"},
		{"answer line for feedback html", "Q{\n=a#<img src\\=\"x\">\n~b}", Error, 2, "HTML <img>"},
		{"general feedback line", "Q{\n=a\n~b\n####<video>x</video>}", Error, 4, "HTML <video>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := Import("t.gift", []byte(tt.src), Options{})
			if !hasProblem(ps, tt.sev, tt.line, tt.msg) {
				t.Errorf("want %s at line %d containing %q, got:\n%v", tt.sev, tt.line, tt.msg, ps)
			}
			if tt.sev == Error {
				// Left out with SkipUnsupported, and then reported as a warning.
				z, ps := Import("t.gift", []byte(tt.src+"\n\nAnother?{T}"), Options{SkipUnsupported: true})
				if HasErrors(ps) || len(z.Questions) != 1 || z.Questions[0].Stem != "Another?" {
					t.Errorf("skipping: %d questions, problems %v", len(z.Questions), ps)
				}
				if !hasProblem(ps, Warning, tt.line, "question left out: ") {
					t.Errorf("skipping did not report the question left out: %v", ps)
				}
			}
		})
	}
}

func TestMappingRules(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		typ     string
		correct []bool
		note    string
	}{
		{"one = answer is single", "Q{=a ~b ~c}", TypeSingle, []bool{true, false, false}, ""},
		{"one 100% answer without = is single", "Q{~%100%a ~b}", TypeSingle, []bool{true, false}, "becomes a single-choice question"},
		{"equal weights are multiple", "Q{~%50%a ~%50%b ~%-100%c}", TypeMultiple, []bool{true, true, false}, "2 right answers"},
		{"three thirds are multiple", "Q{~%33.33333%a ~%33.33333%b ~%33.33333%c ~d}", TypeMultiple, []bool{true, true, true, false}, "3 right answers"},
		{"numbered matching is ordering", "Q{=c -> 3 =a -> 1 =b -> 2}", TypeOrdering, []bool{false, false, false}, "becomes an ordering question"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, ps := importOne(t, tt.src)
			if q == nil {
				t.Fatalf("refused: %v", ps)
			}
			if q.Type != tt.typ || len(q.Options) != len(tt.correct) {
				t.Fatalf("got %s with %d options", q.Type, len(q.Options))
			}
			for i, o := range q.Options {
				if o.Correct != tt.correct[i] {
					t.Errorf("option %d (%s): correct %v", i, o.ID, o.Correct)
				}
			}
			if tt.note != "" && !hasProblem(ps, Note, 1, tt.note) {
				t.Errorf("want a note %q, got %v", tt.note, ps)
			}
		})
	}
	q, _ := importOne(t, "Q{=c -> 3 =a -> 1 =b -> 2}")
	if got := q.Options[0].Text + q.Options[1].Text + q.Options[2].Text; got != "abc" {
		t.Errorf("ordering options are in the order of their numbers: got %q", got)
	}
}

func TestTrueFalseFeedbackGoesToWhatTheLearnerAnswered(t *testing.T) {
	// Moodle: the first # is for a wrong answer, the second for a right one.
	q, _ := importOne(t, "Statement.{F#wrong one#right one####general}")
	if q.Answer || q.FeedbackTrue != "wrong one" || q.FeedbackFalse != "right one" || q.Explanation != "general" {
		t.Errorf("false: %+v", q)
	}
	q, _ = importOne(t, "Statement.{TRUE#wrong one#right one}")
	if !q.Answer || q.FeedbackTrue != "right one" || q.FeedbackFalse != "wrong one" {
		t.Errorf("true: %+v", q)
	}
}

func TestTextsBecomeCairnInlineMarkdown(t *testing.T) {
	tests := []struct{ src, want string }{
		// Moodle's default format allows HTML.
		{"<b>bold</b> and <strong> strong </strong> and <i>it</i> and <em>em</em>", "**bold** and **strong** and *it* and *em*"},
		{"<p>One.</p><p>Two.</p>", "One.\n\nTwo."},
		{"a<br>b<br/>c<br />d", "a\n\nb\n\nc\n\nd"},
		{"<b>a<br>b</b>", "**a**\n\n**b**"},
		{"<code>rm -rf</code> and <kbd>Ctrl</kbd>", "`rm -rf` and `Ctrl`"},
		{"<code>a`b</code>", "``a`b``"},
		{`<a href\="https\://ssd.eff.org/">SSD</a>`, "[SSD](https://ssd.eff.org/)"},
		{`<a href\="HTTPS\://Example.org/a b">x</a>`, "[x](https://Example.org/a%20b)"},
		{`<a href\="mailto\:help@example.org">mail</a>`, "[mail](mailto:help@example.org)"},
		{"&amp; &lt;tag&gt; &quot;q&quot; &#169;", `& \<tag> "q" ©`},
		{"2 * 3 * 4 and snake_case and [x]", `2 \* 3 \* 4 and snake\_case and \[x\]`},
		{"line\none", "line one"},
		{`line\nbreak`, "line\n\nbreak"},
		{"<b><b>twice</b></b>", "**twice**"},
		{"<span>kept</span>", "kept"},
		// Plain text is shown as written.
		{"[plain]<b>not bold</b> *not emphasis* &amp;", `\<b>not bold\</b> \*not emphasis\* \&amp;`},
		// Markdown stays Markdown.
		{"[markdown]**bold** and `code`", "**bold** and `code`"},
		{`[markdown]a<br>b`, "a\n\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			q, ps := importOne(t, tt.src+"{T}")
			if q == nil {
				t.Fatalf("refused: %v", ps)
			}
			if q.Stem != tt.want {
				t.Errorf("got  %q\nwant %q", q.Stem, tt.want)
			}
			for _, p := range ps {
				if strings.Contains(p.Msg, "may not show as written") {
					t.Errorf("unexpected: %v", p)
				}
			}
		})
	}
}

// TestPlainTextShowsAsWrittenInCairn renders escaped text the way Cairn renders quiz texts:
// what the author wrote is what the learner reads.
func TestPlainTextShowsAsWrittenInCairn(t *testing.T) {
	for _, s := range []string{
		`a \ b`, "`code`", "*x* _y_ **z**", "[link](https://example.org)", "<https://example.org>",
		"<b>tag</b>", "&amp; &#38; &copy", "1. not a list", "# not a heading", "x\\", "a  _  b",
		"![img](x.png)", "a <= b >= c", "[a]: https://example.org", "\\*already\\*",
	} {
		md := escapeMarkdown(s)
		if got := renderVisible(md); normalizeSpace(got) != normalizeSpace(s) {
			t.Errorf("%q escaped as %q shows %q", s, md, got)
		}
	}
}

func TestQuestionAndOptionIDs(t *testing.T) {
	src := "// [id:Moodle-42]\n::Ignored title::Q1?{=a ~b}\n\n" +
		"::Lost phone::Q2?{=Yes ~No}\n\n::Lost phone::Q3?{T}\n\n" +
		"::2FA::Q4?{T}\n\n" +
		"¿Qué es el cifrado de extremo a extremo?{=Una protección ~Un virus}\n\n" +
		"ما هو التشفير؟{=حماية ~فيروس}\n\n" +
		"Which?{=Grant's wife ~Grant’s wife ~1066 AD}"
	z, ps := Import("t.gift", []byte(src), Options{})
	if HasErrors(ps) {
		t.Fatal(ps)
	}
	var got []string
	for _, q := range z.Questions {
		ids := []string{q.ID}
		for _, o := range q.Options {
			ids = append(ids, o.ID)
		}
		got = append(got, strings.Join(ids, " "))
	}
	want := []string{
		"moodle-42 a b",
		"lost-phone yes no",
		"lost-phone-2",
		"question-2fa",
		"que-es-el-cifrado-de-extremo-a-extremo una-proteccion un-virus",
		"question-6 option-1 option-2",
		"which grants-wife grants-wife-2 option-1066-ad",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The same file gives the same ids.
	again, _ := Import("t.gift", []byte(src), Options{})
	for i := range z.Questions {
		if again.Questions[i].ID != z.Questions[i].ID {
			t.Errorf("ids are not stable: %s then %s", z.Questions[i].ID, again.Questions[i].ID)
		}
	}
	long := slug(strings.Repeat("word ", 30), 40)
	if len(long) > 40 || strings.HasSuffix(long, "-") || !ValidID(long) {
		t.Errorf("long slug %q", long)
	}
}

func TestPassMark(t *testing.T) {
	z, ps := Import("t.gift", []byte("Q{T}"), Options{PassMark: 80})
	if HasErrors(ps) || z.PassMark != 80 {
		t.Fatalf("pass mark %d, %v", z.PassMark, ps)
	}
	if _, ps := Import("t.gift", []byte("Q{T}"), Options{PassMark: 101}); !hasProblem(ps, Error, 0, "pass mark 101") {
		t.Errorf("a pass mark of 101 was accepted: %v", ps)
	}
}

func TestManySameAnswersGetUniqueIDs(t *testing.T) {
	z, ps := Import("t.gift", []byte("Q{"+strings.Repeat("~a ", 3000)+"=b ~a-2}"), Options{})
	if HasErrors(ps) {
		t.Fatal(ps)
	}
	seen := map[string]bool{}
	for _, o := range z.Questions[0].Options {
		if seen[o.ID] || !ValidID(o.ID) {
			t.Fatalf("option id %q repeated or invalid", o.ID)
		}
		seen[o.ID] = true
	}
	if len(seen) != 3002 {
		t.Fatalf("%d ids for 3002 options", len(seen))
	}
}

func TestDeeplyNestedHTMLIsRefused(t *testing.T) {
	_, ps := Import("t.gift", []byte(strings.Repeat("<span>", 100)+"Q{T}"), Options{})
	if !hasProblem(ps, Error, 1, "nested more than 32 deep") {
		t.Fatalf("got %v", ps)
	}
}

func TestDeceptiveLinksAreRefused(t *testing.T) {
	for _, tt := range []struct {
		src  string
		line int
		bad  bool
	}{
		{`<a href\="https\://attacker.example/login">https\://bank.example/login</a>{T}`, 1, true},
		{"Q\n" + `<a href\="https\://attacker.example">bank.example</a>{T}`, 2, true},
		{`[markdown][https\://bank.example](https\://attacker.example){T}`, 1, true},
		{`[markdown][` + "`bank.example`" + `](https\://attacker.example){T}`, 1, true},
		{`<a href\="https\://www.eff.org/">EFF.org</a>{T}`, 1, false},
		{`<a href\="https\://ssd.eff.org/">Surveillance Self-Defense</a>{T}`, 1, false},
		{`<a href\="https\://example.org/a">https\://example.org/b</a>{T}`, 1, false},
		{`[markdown][the guide](https\://example.org){T}`, 1, false},
	} {
		_, ps := Import("t.gift", []byte(tt.src), Options{})
		if got := hasProblem(ps, Error, tt.line, "Cairn does not import links whose text is another address"); got != tt.bad {
			t.Errorf("%s: refused %v, want %v (%v)", tt.src, got, tt.bad, ps)
		}
	}
}
