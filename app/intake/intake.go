// Package intake is the risk intake: a few questions about a person's work, devices,
// accounts, adversaries and worries (courses/intake.yaml), and the rules that turn the
// answers into a prioritised path through the courses and their checklists. Threat
// modelling opens every plan. It knows nothing of HTTP or storage: answers come in as ids
// and a plan goes out as references to lessons and checklist items.
package intake

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
)

// FileName is the intake's file at the root of the courses folder (the course loader reads
// folders only, so a file there is never taken for a course).
const FileName = "intake.yaml"

// Question types.
const (
	Single   = "single"   // one answer at most
	Multiple = "multiple" // any number of answers
)

// Priorities, most urgent first. Start is the intake's own opening (threat modelling);
// rules use the other three.
const (
	Start = "start"
	Now   = "now"
	Soon  = "soon"
	Later = "later"
)

// Priorities lists the priorities a plan is ordered by.
var Priorities = []string{Start, Now, Soon, Later}

// RulePriorities are the priorities a rule may give.
var RulePriorities = []string{Now, Soon, Later}

// Item kinds.
const (
	KindLesson    = "lesson"    // done when the lesson is marked complete
	KindChecklist = "checklist" // one item of a lesson's checklist, done when ticked
)

// Texts is one text in several languages, by language tag.
type Texts map[string]string

// In returns the text in lang, or in def (the intake's default language), and the language
// it is in.
func (t Texts) In(lang, def string) (text, in string) {
	if s := t[lang]; s != "" {
		return s, lang
	}
	return t[def], def
}

// Intake is a loaded, checked intake: read-only once built.
type Intake struct {
	Version         int
	DefaultLanguage string
	Languages       []string // every text exists in each of these
	Questions       []*Question
	StartWhy        Texts  // why every plan opens as it does
	StartItems      []Item // the opening of every plan
	Rules           []*Rule
}

// Question is one question with its answers, in the order shown.
type Question struct {
	ID      string
	Type    string // Single or Multiple
	Text    Texts
	Hint    Texts // may be empty
	Answers []*Answer
}

// Answer is one answer a question offers.
type Answer struct {
	ID   string
	Text Texts
}

// Answer returns the answer with id, or nil.
func (q *Question) Answer(id string) *Answer {
	for _, a := range q.Answers {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// Question returns the question with id, or nil.
func (in *Intake) Question(id string) *Question {
	for _, q := range in.Questions {
		if q.ID == id {
			return q
		}
	}
	return nil
}

// Condition holds when the answers to Question include any of Answers.
type Condition struct {
	Question string
	Answers  []string
}

// Rule adds Items to a plan, at Priority, when every condition of When holds and none of
// Unless does.
type Rule struct {
	ID       string
	When     []Condition
	Unless   []Condition
	Priority string
	Why      Texts
	Items    []Item
}

// Item is a lesson, or one item of a lesson's checklist.
type Item struct {
	Kind   string // KindLesson or KindChecklist
	Course string
	Lesson string
	Check  string // the checklist item's id (KindChecklist)
}

// Key identifies the item in a plan.
func (it Item) Key() string {
	if it.Kind == KindChecklist {
		return it.Course + "/" + it.Lesson + "/" + it.Check
	}
	return it.Course + "/" + it.Lesson
}

// Answers are the chosen answer ids by question id. Only the questions answered appear.
type Answers map[string][]string

// Has tells whether answer was chosen for question.
func (a Answers) Has(question, answer string) bool { return slices.Contains(a[question], answer) }

// Encode is the answers as stored: a JSON object of sorted lists (the same answers always
// give the same bytes).
func (a Answers) Encode() string {
	b, _ := json.Marshal(a) // map[string][]string cannot fail; keys come out sorted
	return string(b)
}

// DecodeAnswers reads stored answers.
func DecodeAnswers(s string) (Answers, error) {
	a := Answers{}
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		return nil, fmt.Errorf("decode intake answers: %w", err)
	}
	return a, nil
}

// Read takes the answers a form sent, by question (get returns the values sent for a
// question id). Unknown answer ids, and more than one answer to a single-choice question,
// are refused: bad lists the questions concerned, and answers keeps everything that was
// understood, so the form can be shown again with it. Nothing is required: a question left
// unanswered is simply not in the answers.
func (in *Intake) Read(get func(question string) []string) (answers Answers, bad []string) {
	answers = Answers{}
	for _, q := range in.Questions {
		var chosen []string
		wrong := false
		for _, v := range get(q.ID) {
			switch {
			case q.Answer(v) == nil:
				wrong = true
			case !slices.Contains(chosen, v):
				chosen = append(chosen, v)
			}
		}
		if q.Type == Single && len(chosen) > 1 {
			wrong, chosen = true, nil
		}
		if wrong {
			bad = append(bad, q.ID)
		}
		if len(chosen) > 0 {
			sort.Strings(chosen)
			answers[q.ID] = chosen
		}
	}
	return answers, bad
}

// Known keeps only the answers the intake still has (stored answers may predate a change
// of the questions): what the plan is made of, and what the form is filled with.
func (in *Intake) Known(a Answers) Answers {
	out := Answers{}
	for qid, ids := range a {
		q := in.Question(qid)
		if q == nil {
			continue
		}
		var keep []string
		for _, id := range ids {
			if q.Answer(id) != nil && !slices.Contains(keep, id) {
				keep = append(keep, id)
			}
		}
		if q.Type == Single && len(keep) > 1 {
			keep = nil
		}
		if len(keep) > 0 {
			sort.Strings(keep)
			out[qid] = keep
		}
	}
	return out
}

func (c Condition) holds(a Answers) bool {
	for _, id := range c.Answers {
		if a.Has(c.Question, id) {
			return true
		}
	}
	return false
}

// Applies tells whether the rule adds its items for these answers.
func (r *Rule) Applies(a Answers) bool {
	for _, c := range r.When {
		if !c.holds(a) {
			return false
		}
	}
	for _, c := range r.Unless {
		if c.holds(a) {
			return false
		}
	}
	return true
}

// Step is one item of a plan with why it is there.
type Step struct {
	Item     Item
	Priority string
	// Why holds the reasons, one per rule that added the item (the opening's first), in the
	// order the rules come in the intake.
	Why []Texts
	// Rules are the ids of the rules that added the item ("start" for the opening).
	Rules []string
}

// Plan is the ordered steps for one set of answers.
type Plan struct {
	Steps []Step
}

// Plan applies the rules to the answers: the opening first, then every item of every rule
// that applies, at the most urgent priority any of them gives it, in the order the intake
// first names it. An item named by several rules appears once, with each rule's reason.
func (in *Intake) Plan(a Answers) *Plan {
	a = in.Known(a)
	var steps []Step
	at := map[string]int{}
	add := func(it Item, priority, rule string, why Texts) {
		if i, ok := at[it.Key()]; ok {
			s := &steps[i]
			if rank(priority) < rank(s.Priority) {
				s.Priority = priority
			}
			s.Why = append(s.Why, why)
			s.Rules = append(s.Rules, rule)
			return
		}
		at[it.Key()] = len(steps)
		steps = append(steps, Step{Item: it, Priority: priority, Why: []Texts{why}, Rules: []string{rule}})
	}
	for _, it := range in.StartItems {
		add(it, Start, Start, in.StartWhy)
	}
	for _, r := range in.Rules {
		if !r.Applies(a) {
			continue
		}
		for _, it := range r.Items {
			add(it, r.Priority, r.ID, r.Why)
		}
	}
	sort.SliceStable(steps, func(i, j int) bool { return rank(steps[i].Priority) < rank(steps[j].Priority) })
	return &Plan{Steps: steps}
}

func rank(priority string) int { return slices.Index(Priorities, priority) }

// Group is the steps of one priority.
type Group struct {
	Priority string
	Steps    []Step
}

// Groups splits the plan by priority, most urgent first, leaving out empty ones.
func (p *Plan) Groups() []Group {
	var out []Group
	for _, s := range p.Steps {
		if n := len(out); n > 0 && out[n-1].Priority == s.Priority {
			out[n-1].Steps = append(out[n-1].Steps, s)
			continue
		}
		out = append(out, Group{Priority: s.Priority, Steps: []Step{s}})
	}
	return out
}

// Courses lists the ids of the courses the plan draws on, sorted.
func (p *Plan) Courses() []string {
	var out []string
	for _, s := range p.Steps {
		if !slices.Contains(out, s.Item.Course) {
			out = append(out, s.Item.Course)
		}
	}
	sort.Strings(out)
	return out
}
