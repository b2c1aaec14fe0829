package course

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// The YAML shapes of the content files. Each keeps the line it started on, so problems
// found after parsing can still point at the right line.

type courseFile struct {
	ID              string            `yaml:"id"`
	Version         string            `yaml:"version"`
	DefaultLanguage string            `yaml:"default_language"`
	Level           string            `yaml:"level"`
	Minutes         int               `yaml:"minutes"`
	Tags            []string          `yaml:"tags"`
	Licence         string            `yaml:"licence"`
	Authors         []string          `yaml:"authors"`
	Title           map[string]string `yaml:"title"`
	Summary         map[string]string `yaml:"summary"`
	Prerequisites   []idRef           `yaml:"prerequisites"`
	Modules         []moduleEntry     `yaml:"modules"`
	line            int
	keys            map[string]int
}

type moduleEntry struct {
	ID            string            `yaml:"id"`
	Title         map[string]string `yaml:"title"`
	Level         string            `yaml:"level"`
	Prerequisites []idRef           `yaml:"prerequisites"`
	Lessons       []idRef           `yaml:"lessons"`
	Quiz          bool              `yaml:"quiz"`
	line          int
	keys          map[string]int
}

// idRef is an id in a list (lessons, prerequisites) with the line it is on.
type idRef struct {
	ID   string
	line int
}

type quizFile struct {
	PassMark  int            `yaml:"pass_mark"`
	Shuffle   bool           `yaml:"shuffle"`
	Review    *reviewSpec    `yaml:"review"`
	Questions []questionSpec `yaml:"questions"`
}

// reviewSpec is what a learner sees after an attempt; each part is always, after_pass or
// never, and a part left out keeps the default.
type reviewSpec struct {
	Correctness string `yaml:"correctness"`
	Answers     string `yaml:"answers"`
	Feedback    string `yaml:"feedback"`
	line        int
	keys        map[string]int
}

type questionSpec struct {
	ID      string       `yaml:"id"`
	Type    string       `yaml:"type"`
	Options []optionSpec `yaml:"options"`
	Answer  *bool        `yaml:"answer"`
	Match   string       `yaml:"match"`
	line    int
	keys    map[string]int
}

type optionSpec struct {
	ID      string `yaml:"id"`
	Correct bool   `yaml:"correct"`
	line    int
}

type questionText struct {
	Stem        string            `yaml:"stem"`
	Options     map[string]string `yaml:"options"`
	Feedback    map[string]string `yaml:"feedback"`
	Explanation string            `yaml:"explanation"`
	Accept      []string          `yaml:"accept"`
	line        int
	keys        map[string]int
}

type frontMatter struct {
	Title      string          `yaml:"title"`
	Minutes    int             `yaml:"minutes"`
	Objectives []textLine      `yaml:"objectives"`
	Checklist  []checklistSpec `yaml:"checklist"`
	// Translations only (see provenance.go).
	TranslatedFrom string `yaml:"translated_from"`
	Review         string `yaml:"review"`
	keys           map[string]int
}

// textLine is a string in a list with the line it is on.
type textLine struct {
	Text string
	line int
}

type checklistSpec struct {
	ID   string `yaml:"id"`
	Text string `yaml:"text"`
	line int
	keys map[string]int
}

// trainerMatter is the front matter of a module's trainer notes (trainer.<lang>.md).
type trainerMatter struct {
	Materials []textLine   `yaml:"materials"`
	Agenda    []agendaSpec `yaml:"agenda"`
	// Translations only (see provenance.go).
	TranslatedFrom string `yaml:"translated_from"`
	Review         string `yaml:"review"`
	keys           map[string]int
}

type agendaSpec struct {
	Stage   string `yaml:"stage"`
	Minutes int    `yaml:"minutes"`
	Title   string `yaml:"title"`
	Notes   string `yaml:"notes"`
	Lesson  string `yaml:"lesson"`
	line    int
	keys    map[string]int
}

func (f *frontMatter) UnmarshalYAML(n *yaml.Node) error {
	type plain frontMatter
	f.keys = keyLines(n)
	if err := requireLists(n, "objectives", "checklist"); err != nil {
		return err
	}
	return decodeKnown(n, (*plain)(f))
}

// requireLists refuses a mapping whose given keys hold something other than a list, with a
// message an author understands rather than the decoder's Go type names.
func requireLists(n *yaml.Node, keys ...string) error {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if slices.Contains(keys, k.Value) && v.Kind != yaml.SequenceNode && v.Tag != "!!null" {
			return fmt.Errorf("line %d: %s: give a list, one item per line starting with -", v.Line, k.Value)
		}
	}
	return nil
}

func (t *textLine) UnmarshalYAML(n *yaml.Node) error {
	t.line = n.Line
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: give one sentence per item", n.Line)
	}
	return n.Decode(&t.Text)
}

func (c *checklistSpec) UnmarshalYAML(n *yaml.Node) error {
	type plain checklistSpec
	c.line, c.keys = n.Line, keyLines(n)
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a checklist item is a mapping with id and text", n.Line)
	}
	return decodeKnown(n, (*plain)(c))
}

func (t *trainerMatter) UnmarshalYAML(n *yaml.Node) error {
	type plain trainerMatter
	t.keys = keyLines(n)
	if err := requireLists(n, "materials", "agenda"); err != nil {
		return err
	}
	return decodeKnown(n, (*plain)(t))
}

func (a *agendaSpec) UnmarshalYAML(n *yaml.Node) error {
	type plain agendaSpec
	a.line, a.keys = n.Line, keyLines(n)
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: an agenda step is a mapping with stage, minutes and title", n.Line)
	}
	return decodeKnown(n, (*plain)(a))
}

func (c *courseFile) UnmarshalYAML(n *yaml.Node) error {
	type plain courseFile
	c.line, c.keys = n.Line, keyLines(n)
	if err := requireLists(n, "prerequisites", "modules"); err != nil {
		return err
	}
	return decodeKnown(n, (*plain)(c))
}

func (m *moduleEntry) UnmarshalYAML(n *yaml.Node) error {
	type plain moduleEntry
	m.line, m.keys = n.Line, keyLines(n)
	if err := requireLists(n, "prerequisites", "lessons"); err != nil {
		return err
	}
	return decodeKnown(n, (*plain)(m))
}

func (l *idRef) UnmarshalYAML(n *yaml.Node) error {
	l.line = n.Line
	return n.Decode(&l.ID)
}

func (r *reviewSpec) UnmarshalYAML(n *yaml.Node) error {
	type plain reviewSpec
	r.line, r.keys = n.Line, keyLines(n)
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: review: give correctness, answers and feedback, each always, after_pass or never", n.Line)
	}
	return decodeKnown(n, (*plain)(r))
}

func (q *questionSpec) UnmarshalYAML(n *yaml.Node) error {
	type plain questionSpec
	q.line, q.keys = n.Line, keyLines(n)
	return decodeKnown(n, (*plain)(q))
}

func (o *optionSpec) UnmarshalYAML(n *yaml.Node) error {
	type plain optionSpec
	o.line = n.Line
	return decodeKnown(n, (*plain)(o))
}

func (t *questionText) UnmarshalYAML(n *yaml.Node) error {
	type plain questionText
	t.line, t.keys = n.Line, keyLines(n)
	return decodeKnown(n, (*plain)(t))
}

// keyLines remembers the line of every key of a mapping, so a problem with a value can point
// at its own line.
func keyLines(n *yaml.Node) map[string]int {
	lines := map[string]int{}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			lines[n.Content[i].Value] = n.Content[i].Line
		}
	}
	return lines
}

// at returns the line of key in a mapping, or fallback.
func at(keys map[string]int, key string, fallback int) int {
	if l, ok := keys[key]; ok {
		return l
	}
	return fallback
}

// decodeKnown decodes n into v, refusing keys that v does not have. yaml.v3 applies
// KnownFields only to the top decoder, not inside custom unmarshalers, so it is checked here.
func decodeKnown(n *yaml.Node, v any) error {
	if n.Kind == yaml.MappingNode {
		allowed := map[string]bool{}
		t := reflect.TypeOf(v).Elem()
		for i := 0; i < t.NumField(); i++ {
			if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name != "" && name != "-" {
				allowed[name] = true
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; !allowed[k.Value] {
				return fmt.Errorf("line %d: unknown field %q", k.Line, k.Value)
			}
		}
	}
	return n.Decode(v)
}

// decodeStrict decodes one YAML document, refusing fields the format does not have.
func decodeStrict(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("line 1: the file is empty")
		}
		return err
	}
	return nil
}

var idRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,63}$`)

func validID(id string) bool { return idRE.MatchString(id) }

// ValidID tells whether id follows the id rule of the course format (courses/README.md):
// lowercase letters, digits and hyphens, starting with a letter, at most 64 characters.
func ValidID(id string) bool { return validID(id) }

var frontMatterRE = regexp.MustCompile(`(?s)\A---\r?\n(.*?)\r?\n---\r?\n`)

// splitFrontMatter returns the YAML between the leading --- lines, the Markdown after it,
// and the line on which the Markdown starts.
func splitFrontMatter(src []byte) (meta, body []byte, bodyLine int, ok bool) {
	m := frontMatterRE.FindSubmatchIndex(src)
	if m == nil {
		return nil, src, 1, false
	}
	meta = src[m[2]:m[3]]
	body = src[m[1]:]
	bodyLine = 1 + bytes.Count(src[:m[1]], []byte("\n"))
	return meta, body, bodyLine, true
}
