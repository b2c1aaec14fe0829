package intake

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/cairn-lms/cairn/app/course"
)

// Load reads intake.yaml at the root of fsys (label names that root in problems, as for
// course.Load) and checks it against the published courses of cat: every question, answer,
// rule, lesson and checklist item it names, and every text in every language it lists.
// Without the file there is no intake and no problem. With an error the intake is nil: the
// server offers no intake rather than a wrong one. Glossaries, when given, are checked
// against the texts, as for courses (warnings).
func Load(fsys fs.FS, label string, cat *course.Catalog, glossaries []*course.Glossary) (*Intake, []course.Problem) {
	raw, err := fs.ReadFile(fsys, FileName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	l := &loader{file: path.Join(label, FileName), cat: cat}
	if err != nil {
		l.errorf(0, "cannot read the intake: %v", err)
		return nil, l.ps
	}
	in := l.parse(raw)
	l.ps = append(l.ps, course.GlossaryTexts(glossaries, l.file, raw, "text", "hint", "why")...)
	for _, p := range l.ps {
		if !p.Warning {
			return nil, l.ps
		}
	}
	return in, l.ps
}

type loader struct {
	file  string
	cat   *course.Catalog
	ps    []course.Problem
	langs []string
	def   string
}

func (l *loader) errorf(line int, format string, a ...any) {
	l.ps = append(l.ps, course.Problem{File: l.file, Line: line, Msg: fmt.Sprintf(format, a...)})
}

func (l *loader) warnf(line int, format string, a ...any) {
	l.ps = append(l.ps, course.Problem{File: l.file, Line: line, Warning: true, Msg: fmt.Sprintf(format, a...)})
}

var yamlLineRE = regexp.MustCompile(`line (\d+):\s*(.*)`)

// fields reads a mapping's values by key, reporting keys the format does not have and a
// node that is not a mapping (what says what it should be, for the message).
func (l *loader) fields(n *yaml.Node, what string, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		l.errorf(n.Line, "%s: give a mapping of %s", what, strings.Join(allowed, ", "))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(allowed, k.Value) {
			l.errorf(k.Line, "%s: unknown field %q (the fields are %s)", what, k.Value, strings.Join(allowed, ", "))
			continue
		}
		if _, dup := out[k.Value]; dup {
			l.errorf(k.Line, "%s: %q is given twice", what, k.Value)
			continue
		}
		out[k.Value] = v
	}
	return out
}

// list returns a sequence's items; a missing list is empty, anything else an error.
func (l *loader) list(n *yaml.Node, what string) []*yaml.Node {
	if n == nil || n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		l.errorf(n.Line, "%s: give a list, one item per line starting with -", what)
		return nil
	}
	return n.Content
}

func (l *loader) scalar(n *yaml.Node, what string) string {
	if n == nil {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		l.errorf(n.Line, "%s: give a single value", what)
		return ""
	}
	return n.Value
}

// id reads an id, which must follow the course format's id rule.
func (l *loader) id(n *yaml.Node, line int, what string) string {
	if n == nil {
		l.errorf(line, "%s has no id", what)
		return ""
	}
	id := l.scalar(n, what+" id")
	if !course.ValidID(id) {
		l.errorf(n.Line, "%s id %q: use lowercase letters, digits and hyphens, starting with a letter", what, id)
	}
	return id
}

// texts reads a text by language: every language the intake lists must have it.
func (l *loader) texts(n *yaml.Node, line int, what string, required bool) Texts {
	if n == nil {
		if required {
			l.errorf(line, "%s is missing", what)
		}
		return nil
	}
	if n.Kind != yaml.MappingNode {
		l.errorf(n.Line, "%s: give the text in each language, as {en: …, es: …}", what)
		return nil
	}
	t := Texts{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
			l.errorf(v.Line, "%s in %q is empty", what, k.Value)
			continue
		}
		if !slices.Contains(l.langs, k.Value) {
			l.warnf(k.Line, "%s in %q: that language is not in languages, and is never shown", what, k.Value)
		}
		t[k.Value] = strings.TrimSpace(v.Value)
	}
	for _, lang := range l.langs {
		if _, ok := t[lang]; !ok {
			l.errorf(n.Line, "%s has no %q text (languages lists it)", what, lang)
		}
	}
	return t
}

func (l *loader) parse(raw []byte) *Intake {
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		for _, m := range yamlLineRE.FindAllStringSubmatch(err.Error(), -1) {
			n, _ := strconv.Atoi(m[1])
			l.errorf(n, "%s", m[2])
		}
		if !yamlLineRE.MatchString(err.Error()) {
			l.errorf(0, "%v", err)
		}
		return nil
	}
	if len(doc.Content) == 0 {
		l.errorf(1, "the file is empty")
		return nil
	}
	top := l.fields(doc.Content[0], "the intake", "version", "default_language", "languages", "questions", "start", "rules")
	in := &Intake{}

	if v := top["version"]; v == nil {
		l.errorf(1, "version is missing: give a whole number, raised whenever the questions or rules change")
	} else if n, err := strconv.Atoi(l.scalar(v, "version")); err != nil || n < 1 {
		l.errorf(v.Line, "version %q: give a whole number from 1, raised whenever the questions or rules change", v.Value)
	} else {
		in.Version = n
	}
	in.DefaultLanguage = l.scalar(top["default_language"], "default_language")
	if in.DefaultLanguage == "" {
		l.errorf(1, "default_language is missing")
	}
	for _, n := range l.list(top["languages"], "languages") {
		if lang := l.scalar(n, "a language"); lang != "" && !slices.Contains(in.Languages, lang) {
			in.Languages = append(in.Languages, lang)
		}
	}
	if in.DefaultLanguage != "" && !slices.Contains(in.Languages, in.DefaultLanguage) {
		in.Languages = append([]string{in.DefaultLanguage}, in.Languages...)
	}
	l.langs, l.def = in.Languages, in.DefaultLanguage

	in.Questions = l.questions(top["questions"])
	if st := top["start"]; st == nil {
		l.errorf(1, "start is missing: every plan opens with threat modelling (its why and items)")
	} else {
		f := l.fields(st, "start", "why", "items")
		in.StartWhy = l.texts(f["why"], st.Line, "start: why", true)
		in.StartItems = l.items(f["items"], st.Line, "start")
	}
	in.Rules = l.rules(top["rules"], in)
	return in
}

func (l *loader) questions(n *yaml.Node) []*Question {
	nodes := l.list(n, "questions")
	if len(nodes) == 0 {
		l.errorf(lineOf(n, 1), "questions: give at least one question")
	}
	var out []*Question
	seen := map[string]int{}
	for _, qn := range nodes {
		f := l.fields(qn, "question", "id", "type", "text", "hint", "answers")
		q := &Question{ID: l.id(f["id"], qn.Line, "question")}
		what := fmt.Sprintf("question %q", q.ID)
		if first, dup := seen[q.ID]; dup && q.ID != "" {
			l.errorf(qn.Line, "duplicate question id %q (first on line %d)", q.ID, first)
		}
		seen[q.ID] = qn.Line
		q.Type = l.scalar(f["type"], what+": type")
		if q.Type != Single && q.Type != Multiple {
			l.errorf(lineOf(f["type"], qn.Line), "%s: type %q: use %s (one answer) or %s (any number)", what, q.Type, Single, Multiple)
		}
		q.Text = l.texts(f["text"], qn.Line, what+": text", true)
		q.Hint = l.texts(f["hint"], qn.Line, what+": hint", false)
		answers := l.list(f["answers"], what+": answers")
		if len(answers) < 2 {
			l.errorf(lineOf(f["answers"], qn.Line), "%s: give two or more answers", what)
		}
		ids := map[string]int{}
		for _, an := range answers {
			af := l.fields(an, what+": answer", "id", "text")
			a := &Answer{ID: l.id(af["id"], an.Line, what+": answer")}
			if first, dup := ids[a.ID]; dup && a.ID != "" {
				l.errorf(an.Line, "%s: duplicate answer id %q (first on line %d)", what, a.ID, first)
			}
			ids[a.ID] = an.Line
			a.Text = l.texts(af["text"], an.Line, fmt.Sprintf("%s: answer %q: text", what, a.ID), true)
			q.Answers = append(q.Answers, a)
		}
		out = append(out, q)
	}
	return out
}

func (l *loader) rules(n *yaml.Node, in *Intake) []*Rule {
	var out []*Rule
	seen := map[string]int{}
	for _, rn := range l.list(n, "rules") {
		f := l.fields(rn, "rule", "id", "when", "unless", "priority", "why", "items")
		r := &Rule{ID: l.id(f["id"], rn.Line, "rule")}
		what := fmt.Sprintf("rule %q", r.ID)
		if first, dup := seen[r.ID]; dup && r.ID != "" {
			l.errorf(rn.Line, "duplicate rule id %q (first on line %d)", r.ID, first)
		}
		seen[r.ID] = rn.Line
		r.When = l.conditions(f["when"], in, what+": when")
		r.Unless = l.conditions(f["unless"], in, what+": unless")
		r.Priority = l.scalar(f["priority"], what+": priority")
		if !slices.Contains(RulePriorities, r.Priority) {
			l.errorf(lineOf(f["priority"], rn.Line), "%s: priority %q: use one of %s", what, r.Priority, strings.Join(RulePriorities, ", "))
		}
		r.Why = l.texts(f["why"], rn.Line, what+": why", true)
		r.Items = l.items(f["items"], rn.Line, what)
		out = append(out, r)
	}
	return out
}

// conditions reads `question: [answer, …]` pairs; every id must be the intake's.
func (l *loader) conditions(n *yaml.Node, in *Intake, what string) []Condition {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		l.errorf(n.Line, "%s: give question ids, each with a list of its answer ids", what)
		return nil
	}
	var out []Condition
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		c := Condition{Question: k.Value}
		q := in.Question(k.Value)
		if q == nil {
			l.errorf(k.Line, "%s: unknown question %q", what, k.Value)
		}
		answers := l.list(v, fmt.Sprintf("%s: %s", what, k.Value))
		if len(answers) == 0 {
			l.errorf(v.Line, "%s: %s: give one or more answer ids", what, k.Value)
		}
		for _, an := range answers {
			id := l.scalar(an, "an answer id")
			if q != nil && q.Answer(id) == nil {
				l.errorf(an.Line, "%s: question %q has no answer %q", what, q.ID, id)
			}
			c.Answers = append(c.Answers, id)
		}
		out = append(out, c)
	}
	return out
}

// items reads `- lesson: course/lesson` and `- checklist: course/lesson/item`, each of which
// must name a published course's lesson, or an item of that lesson's checklist.
func (l *loader) items(n *yaml.Node, line int, what string) []Item {
	nodes := l.list(n, what+": items")
	if len(nodes) == 0 {
		l.errorf(lineOf(n, line), "%s: give one or more items (lesson: course/lesson or checklist: course/lesson/item)", what)
	}
	var out []Item
	seen := map[string]bool{}
	for _, itn := range nodes {
		f := l.fields(itn, what+": item", KindLesson, KindChecklist)
		if len(f) != 1 {
			if len(f) > 1 {
				l.errorf(itn.Line, "%s: an item is a lesson or a checklist item, not both", what)
			}
			continue
		}
		var it Item
		for kind, v := range f {
			it.Kind = kind
			parts := strings.Split(l.scalar(v, what+": "+kind), "/")
			switch {
			case kind == KindLesson && len(parts) == 2:
				it.Course, it.Lesson = parts[0], parts[1]
			case kind == KindChecklist && len(parts) == 3:
				it.Course, it.Lesson, it.Check = parts[0], parts[1], parts[2]
			case kind == KindLesson:
				l.errorf(v.Line, "%s: lesson %q: give course-id/lesson-id", what, v.Value)
				continue
			default:
				l.errorf(v.Line, "%s: checklist %q: give course-id/lesson-id/item-id", what, v.Value)
				continue
			}
			if seen[it.Key()] {
				l.warnf(v.Line, "%s: %s %q is listed twice", what, kind, v.Value)
			}
			seen[it.Key()] = true
			l.resolve(it, v.Line, what)
			out = append(out, it)
		}
	}
	return out
}

// resolve checks that an item exists among the published courses.
func (l *loader) resolve(it Item, line int, what string) {
	if l.cat == nil {
		return
	}
	c := l.cat.Course(it.Course)
	if c == nil {
		l.errorf(line, "%s: course %q is not among the published courses", what, it.Course)
		return
	}
	lesson := c.Lesson(it.Lesson)
	if lesson == nil {
		l.errorf(line, "%s: course %q has no lesson %q", what, it.Course, it.Lesson)
		return
	}
	if it.Kind != KindChecklist {
		return
	}
	v, _ := lesson.Version(c.DefaultLanguage)
	if !slices.ContainsFunc(v.Checklist, func(ci course.ChecklistItem) bool { return ci.ID == it.Check }) {
		l.errorf(line, "%s: lesson %q of course %q has no checklist item %q", what, it.Lesson, it.Course, it.Check)
	}
}

func lineOf(n *yaml.Node, fallback int) int {
	if n == nil {
		return fallback
	}
	return n.Line
}
