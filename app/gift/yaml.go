package gift

import (
	"bytes"
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// StructureYAML is the quiz.yaml of the quiz: its settings and, per question, the type and
// the right answer. Each question carries its GIFT line (and Moodle category) in a comment.
func (z *Quiz) StructureYAML() ([]byte, error) {
	root := mapping()
	root.HeadComment = fmt.Sprintf("Imported from %s (Moodle GIFT) by cairn courses import-gift.\n"+
		"pass_mark and shuffle are Cairn's usual settings, not Moodle's: check them.", z.Source)
	add(root, "pass_mark", intNode(z.PassMark))
	add(root, "shuffle", boolNode(z.Shuffle))
	qs := &yaml.Node{Kind: yaml.SequenceNode}
	category := ""
	for i, q := range z.Questions {
		m := mapping()
		var comment []string
		if q.Category != category || (i == 0 && q.Category != "") {
			comment = append(comment, "Moodle category: "+cmp.Or(q.Category, "(no name)"))
			category = q.Category
		}
		comment = append(comment, fmt.Sprintf("%s line %d", z.Source, q.Line))
		if len(q.Tags) > 0 {
			comment = append(comment, "Moodle tags: "+strings.Join(q.Tags, ", "))
		}
		m.HeadComment = strings.Join(comment, "\n")
		add(m, "id", str(q.ID))
		add(m, "type", str(q.Type))
		switch q.Type {
		case TypeTrueFalse:
			add(m, "answer", boolNode(q.Answer))
		case TypeSingle, TypeMultiple, TypeOrdering:
			opts := &yaml.Node{Kind: yaml.SequenceNode}
			for _, o := range q.Options {
				om := mapping()
				add(om, "id", str(o.ID))
				if o.Correct && q.Type != TypeOrdering {
					add(om, "correct", boolNode(true))
				}
				opts.Content = append(opts.Content, om)
			}
			add(m, "options", opts)
		}
		qs.Content = append(qs.Content, m)
	}
	add(root, "questions", qs)
	return encode(root)
}

// TextsYAML is the quiz.<lang>.yaml of the quiz: stems, options, feedback, explanations and
// accepted answers by question id.
func (z *Quiz) TextsYAML() ([]byte, error) {
	root := mapping()
	for _, q := range z.Questions {
		m := mapping()
		add(m, "stem", str(q.Stem))
		if len(q.Options) > 0 {
			opts, fb := mapping(), mapping()
			for _, o := range q.Options {
				add(opts, o.ID, str(o.Text))
				if o.Feedback != "" {
					add(fb, o.ID, str(o.Feedback))
				}
			}
			add(m, "options", opts)
			if len(fb.Content) > 0 {
				add(m, "feedback", fb)
			}
		}
		if q.FeedbackTrue != "" || q.FeedbackFalse != "" {
			fb := mapping()
			if q.FeedbackTrue != "" {
				add(fb, "true", str(q.FeedbackTrue))
			}
			if q.FeedbackFalse != "" {
				add(fb, "false", str(q.FeedbackFalse))
			}
			add(m, "feedback", fb)
		}
		if len(q.Accept) > 0 {
			acc := &yaml.Node{Kind: yaml.SequenceNode}
			for _, a := range q.Accept {
				acc.Content = append(acc.Content, str(a))
			}
			add(m, "accept", acc)
		}
		if q.Explanation != "" {
			add(m, "explanation", str(q.Explanation))
		}
		add(root, q.ID, m)
	}
	return encode(root)
}

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }

func add(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, str(key), v)
}

// str is a string scalar; the !!str tag makes the encoder quote what would otherwise read
// as another type (true, 1.0, null), and texts with line breaks are written as blocks.
func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

func intNode(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(i)}
}

func boolNode(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

func encode(n *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, fmt.Errorf("encode YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode YAML: %w", err)
	}
	return buf.Bytes(), nil
}
