package intake_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/intake"
)

// sample loads the intake of the test courses against their catalog.
func sample(t *testing.T) *intake.Intake {
	t.Helper()
	fsys := os.DirFS("../course/testdata/valid")
	cat, _ := course.Load(fsys, "testdata", course.Options{})
	in, ps := intake.Load(fsys, "testdata", cat, nil)
	if len(ps) > 0 || in == nil {
		t.Fatalf("the test intake has problems: %v", ps)
	}
	return in
}

// steps writes a plan as "priority:key[rule,rule]" lines, in order.
func steps(p *intake.Plan) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.Priority+":"+s.Item.Key()+"["+strings.Join(s.Rules, ",")+"]")
	}
	return out
}

func TestRulesTurnAnswersIntoAPrioritisedPlan(t *testing.T) {
	in := sample(t)
	for _, tc := range []struct {
		name    string
		answers intake.Answers
		want    []string
	}{
		{
			name:    "no answer at all still opens with the basics, and rules with only unless apply",
			answers: intake.Answers{},
			want:    []string{"start:sample/first-steps[start]", "soon:sample/first-steps/store-apart[alone]"},
		},
		{
			name:    "a rule applies when any of its answers to a question was chosen",
			answers: intake.Answers{"worries": {"accounts", "not-sure"}},
			want:    []string{"start:sample/first-steps[start]", "now:sample/first-steps/print-codes[accounts]", "soon:sample/first-steps/store-apart[alone]"},
		},
		{
			name:    "every condition of when must hold: a phone alone is not enough",
			answers: intake.Answers{"devices": {"phone"}, "worries": {"accounts"}},
			want:    []string{"start:sample/first-steps[start]", "now:sample/first-steps/print-codes[accounts]", "soon:sample/first-steps/store-apart[alone]"},
		},
		{
			name:    "unless leaves a rule out, and later items come after sooner ones",
			answers: intake.Answers{"team": {"group"}, "devices": {"phone"}, "worries": {"seizure"}},
			want:    []string{"start:sample/first-steps[start]", "now:sample/drill[phone-taken]", "later:sample/second-steps[group]"},
		},
		{
			name:    "an item two rules add appears once, at the more urgent priority, with both reasons",
			answers: intake.Answers{"team": {"alone"}, "devices": {"laptop", "phone"}, "worries": {"seizure"}},
			want:    []string{"start:sample/first-steps[start]", "now:sample/drill[phone-taken,laptop]", "soon:sample/first-steps/store-apart[alone]"},
		},
		{
			name:    "an item only a later rule adds stays later",
			answers: intake.Answers{"team": {"group"}, "devices": {"laptop"}},
			want:    []string{"start:sample/first-steps[start]", "later:sample/second-steps[group]", "later:sample/drill[laptop]"},
		},
		{
			name:    "answers the intake no longer has are ignored",
			answers: intake.Answers{"team": {"group", "ghost"}, "gone": {"x"}, "worries": {"retired"}},
			want:    []string{"start:sample/first-steps[start]", "later:sample/second-steps[group]"},
		},
		{
			name:    "two answers to a single-choice question (stored before it changed) count as none",
			answers: intake.Answers{"team": {"alone", "group"}},
			want:    []string{"start:sample/first-steps[start]", "soon:sample/first-steps/store-apart[alone]"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := steps(in.Plan(tc.answers))
			if !slices.Equal(got, tc.want) {
				t.Errorf("plan:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func TestEveryPlanOpensWithTheStartItemsAndItsReasonsFollowTheRules(t *testing.T) {
	in := sample(t)
	p := in.Plan(intake.Answers{"devices": {"laptop", "phone"}, "worries": {"seizure"}})
	if p.Steps[0].Priority != intake.Start || p.Steps[0].Item.Key() != "sample/first-steps" {
		t.Fatalf("the plan opens with %+v", p.Steps[0])
	}
	drill := p.Steps[1]
	if len(drill.Why) != 2 || drill.Why[0]["en"] != "A phone that is taken holds a lot." || drill.Why[1]["en"] != "Laptops travel too." {
		t.Errorf("the drill's reasons: %v", drill.Why)
	}
	if text, lang := drill.Why[0].In("fr", in.DefaultLanguage); lang != "en" || text != "A phone that is taken holds a lot." {
		t.Errorf("a reason in a language the intake lacks: %q in %s, want the default language's", text, lang)
	}
	groups := p.Groups()
	var names []string
	for _, g := range groups {
		names = append(names, g.Priority)
	}
	if !slices.Equal(names, []string{"start", "now", "soon"}) {
		t.Errorf("groups %v", names)
	}
	if got := p.Courses(); !slices.Equal(got, []string{"sample"}) {
		t.Errorf("courses %v", got)
	}
}

func TestReadingAFormKeepsWhatItUnderstandsAndNamesWhatItDoesNot(t *testing.T) {
	in := sample(t)
	for _, tc := range []struct {
		name string
		form map[string][]string
		want intake.Answers
		bad  []string
	}{
		{"nothing answered is fine", nil, intake.Answers{}, nil},
		{"answers come back sorted and once", map[string][]string{"devices": {"phone", "laptop", "phone"}, "team": {"alone"}},
			intake.Answers{"devices": {"laptop", "phone"}, "team": {"alone"}}, nil},
		{"an unknown answer is refused, the rest kept", map[string][]string{"devices": {"phone", "pager"}, "team": {"group"}},
			intake.Answers{"devices": {"phone"}, "team": {"group"}}, []string{"devices"}},
		{"two answers to a single-choice question are refused", map[string][]string{"team": {"alone", "group"}, "worries": {"accounts"}},
			intake.Answers{"worries": {"accounts"}}, []string{"team"}},
		{"fields that are not questions are not answers", map[string][]string{"csrf_token": {"x"}, "name": {"Rosa"}},
			intake.Answers{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, bad := in.Read(func(q string) []string { return tc.form[q] })
			if got.Encode() != tc.want.Encode() || !slices.Equal(bad, tc.bad) {
				t.Errorf("read %s, bad %v; want %s, bad %v", got.Encode(), bad, tc.want.Encode(), tc.bad)
			}
		})
	}
}

func TestStoredAnswersRoundTrip(t *testing.T) {
	a := intake.Answers{"worries": {"accounts", "seizure"}, "team": {"alone"}}
	enc := a.Encode()
	if enc != `{"team":["alone"],"worries":["accounts","seizure"]}` {
		t.Fatalf("encoded %s", enc)
	}
	back, err := intake.DecodeAnswers(enc)
	if err != nil || back.Encode() != enc {
		t.Fatalf("decoded %v (%v)", back, err)
	}
	if _, err := intake.DecodeAnswers("not json"); err == nil {
		t.Fatal("decoding garbage succeeded")
	}
}

// broken is the test intake with one change: old replaced by new.
func broken(t *testing.T, old, new string) fstest.MapFS {
	t.Helper()
	raw, err := os.ReadFile("../course/testdata/valid/intake.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), old) {
		t.Fatalf("the test intake has no %q", old)
	}
	return fstest.MapFS{"intake.yaml": {Data: []byte(strings.Replace(string(raw), old, new, 1))}}
}

func TestTheCheckerNamesEveryProblemAtItsLine(t *testing.T) {
	fsys := os.DirFS("../course/testdata/valid")
	cat, _ := course.Load(fsys, "testdata", course.Options{})
	for _, tc := range []struct {
		name, old, new string
		want           string // a problem as printed
	}{
		{"an unknown lesson", "lesson: sample/drill\n  - id: group", "lesson: sample/dril\n  - id: group",
			`courses/intake.yaml:49: error: rule "phone-taken": course "sample" has no lesson "dril"`},
		{"an unknown checklist item", "checklist: sample/first-steps/print-codes", "checklist: sample/first-steps/print-code",
			`courses/intake.yaml:43: error: rule "accounts": lesson "first-steps" of course "sample" has no checklist item "print-code"`},
		{"an unknown course", "lesson: sample/second-steps", "lesson: elsewhere/second-steps",
			`courses/intake.yaml:55: error: rule "group": course "elsewhere" is not among the published courses`},
		{"a checklist item given as a lesson", "lesson: sample/first-steps", "lesson: sample/first-steps/print-codes",
			`courses/intake.yaml:36: error: start: lesson "sample/first-steps/print-codes": give course-id/lesson-id`},
		{"an unknown question in a rule", "when: {team: [group]}", "when: {teams: [group]}",
			`courses/intake.yaml:51: error: rule "group": when: unknown question "teams"`},
		{"an unknown answer in a rule", "unless: {team: [group]}", "unless: {team: [groups]}",
			`courses/intake.yaml:57: error: rule "alone": unless: question "team" has no answer "groups"`},
		{"a missing translation", `text: {en: "A laptop", ar: "حاسوب محمول"}`, `text: {en: "A laptop"}`,
			`courses/intake.yaml:22: error: question "devices": answer "laptop": text has no "ar" text (languages lists it)`},
		{"no version", "version: 3\n", "",
			`courses/intake.yaml:1: error: version is missing: give a whole number, raised whenever the questions or rules change`},
		{"a version that is not a number", "version: 3", "version: three",
			`courses/intake.yaml:2: error: version "three": give a whole number from 1, raised whenever the questions or rules change`},
		{"a bad priority", "priority: later\n    why: {en: \"Groups", "priority: someday\n    why: {en: \"Groups",
			`courses/intake.yaml:52: error: rule "group": priority "someday": use one of now, soon, later`},
		{"a bad question type", "type: single", "type: one",
			`courses/intake.yaml:7: error: question "team": type "one": use single (one answer) or multiple (any number)`},
		{"a duplicate answer id", "- id: laptop\n", "- id: phone\n",
			`courses/intake.yaml:21: error: question "devices": duplicate answer id "phone" (first on line 19)`},
		{"an unknown field", "priority: now\n    why: {en: \"You worry", "priority: now\n    because: x\n    why: {en: \"You worry",
			`courses/intake.yaml:41: error: rule: unknown field "because" (the fields are id, when, unless, priority, why, items)`},
		{"no start", "start:\n  why: {en: \"Every plan starts with the basics.\", ar: \"كل خطة تبدأ بالأساسيات.\"}\n  items:\n    - lesson: sample/first-steps\n", "",
			`courses/intake.yaml:1: error: start is missing: every plan opens with threat modelling (its why and items)`},
		{"broken YAML", "questions:\n", "questions: [\n",
			`courses/intake.yaml:5: error: did not find expected node content`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, ps := intake.Load(broken(t, tc.old, tc.new), "courses", cat, nil)
			var got []string
			for _, p := range ps {
				got = append(got, p.String())
			}
			if !slices.Contains(got, tc.want) {
				t.Errorf("problems:\n  %s\nwant among them:\n  %s", strings.Join(got, "\n  "), tc.want)
			}
			if in != nil {
				t.Error("an intake with an error was published")
			}
		})
	}
}

func TestAnIntakeIsOptionalAndWarningsDoNotStopIt(t *testing.T) {
	fsys := os.DirFS("../course/testdata/valid")
	cat, _ := course.Load(fsys, "testdata", course.Options{})
	if in, ps := intake.Load(fstest.MapFS{}, "courses", cat, nil); in != nil || len(ps) > 0 {
		t.Fatalf("without the file: %v, %v", in, ps)
	}
	in, ps := intake.Load(broken(t, `text: {en: "A phone", ar: "هاتف"}`, `text: {en: "A phone", ar: "هاتف", fr: "Un téléphone"}`), "courses", cat, nil)
	if in == nil || len(ps) != 1 || !ps[0].Warning || !strings.Contains(ps[0].String(), `courses/intake.yaml:20: warning: question "devices": answer "phone": text in "fr": that language is not in languages`) {
		t.Fatalf("a text in an unlisted language: %v, %v", in != nil, ps)
	}
	if in.Version != 3 || len(in.Questions) != 3 || len(in.Rules) != 5 {
		t.Errorf("loaded %d questions, %d rules, version %d", len(in.Questions), len(in.Rules), in.Version)
	}
}
