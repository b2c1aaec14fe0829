package course

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// SetModuleQuiz returns course.yaml with quiz: true for the module, changed as little as a
// person would change it: the value of its quiz: key, or one line quiz: true at the end of
// its entry (or under its id).
// Comments, order and layout stay. changed is false when the module already had
// quiz: true. A course.yaml it cannot edit safely (the module written as a one-line
// {…} mapping, say) is an error asking for the edit by hand.
func SetModuleQuiz(src []byte, module string) (out []byte, changed bool, err error) {
	manual := fmt.Errorf("set quiz: true for module %q in course.yaml by hand, then import again", module)
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, false, fmt.Errorf("course.yaml: %w", err)
	}
	entry, err := moduleNode(&doc, module)
	if err != nil {
		return nil, false, err
	}
	if entry.Style&yaml.FlowStyle != 0 {
		return nil, false, fmt.Errorf("module %q is written as a one-line {…} mapping: %w", module, manual)
	}
	nl := "\n"
	if bytes.Contains(src, []byte("\r\n")) {
		nl = "\r\n"
	}
	lines := strings.SplitAfter(string(src), "\n")
	var idKey, idVal, quizVal *yaml.Node
	for i := 0; i+1 < len(entry.Content); i += 2 {
		switch entry.Content[i].Value {
		case "id":
			idKey, idVal = entry.Content[i], entry.Content[i+1]
		case "quiz":
			quizVal = entry.Content[i+1]
		}
	}
	if quizVal != nil {
		var on bool
		if quizVal.Decode(&on) == nil && on {
			return src, false, nil
		}
		if quizVal.Kind != yaml.ScalarNode || quizVal.Style != 0 || quizVal.Line < 1 || quizVal.Line > len(lines) {
			return nil, false, fmt.Errorf("module %q has quiz: %s: %w", module, quizVal.Value, manual)
		}
		line := []rune(lines[quizVal.Line-1])
		at := quizVal.Column - 1
		old := []rune(quizVal.Value)
		if at < 0 || at+len(old) > len(line) || string(line[at:at+len(old)]) != quizVal.Value {
			return nil, false, fmt.Errorf("module %q: cannot find its quiz: value: %w", module, manual)
		}
		lines[quizVal.Line-1] = string(line[:at]) + "true" + string(line[at+len(old):])
		out = []byte(strings.Join(lines, ""))
		if !onlyQuizChanged(src, out, module) {
			return nil, false, fmt.Errorf("module %q: the edit would change more than quiz: %w", module, manual)
		}
		return out, true, nil
	}
	if idKey == nil || idKey.Line > len(lines) {
		return nil, false, fmt.Errorf("module %q: cannot find where to add quiz: true: %w", module, manual)
	}
	// A new line, indented like the module's keys: after its last line (where people write
	// it), else right after its id.
	add := strings.Repeat(" ", idKey.Column-1) + "quiz: true" + nl
	for _, after := range []int{entryEnd(&doc, entry, lines), idKey.Line} {
		if after < idKey.Line || after > len(lines) || (after == idKey.Line && idVal.Line != idKey.Line) {
			continue
		}
		edited := slices.Clone(lines)
		if !strings.HasSuffix(edited[after-1], "\n") {
			edited[after-1] += nl
		}
		edited = slices.Insert(edited, after, add)
		out = []byte(strings.Join(edited, ""))
		if onlyQuizChanged(src, out, module) {
			return out, true, nil
		}
	}
	return nil, false, fmt.Errorf("module %q: cannot add quiz: true without changing more: %w", module, manual)
}

// onlyQuizChanged tells whether out reads as src with quiz: true for the module and nothing
// else changed.
func onlyQuizChanged(src, out []byte, module string) bool {
	var before, after any
	if yaml.Unmarshal(src, &before) != nil || yaml.Unmarshal(out, &after) != nil {
		return false
	}
	return setQuizIn(before, module) == nil && reflect.DeepEqual(before, after)
}

// entryEnd returns the last line of a module entry that holds content: the line before the
// next entry (or the next key of course.yaml, or the end), less blank and comment lines.
func entryEnd(doc *yaml.Node, entry *yaml.Node, lines []string) int {
	next := len(lines) + 1
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "modules" {
			continue
		}
		items := root.Content[i+1].Content
		if k := slices.Index(items, entry); k >= 0 && k+1 < len(items) {
			next = items[k+1].Line
		} else if i+2 < len(root.Content) {
			next = root.Content[i+2].Line
		}
	}
	end := next - 1
	for end > entry.Line {
		t := strings.TrimSpace(lines[end-1])
		if t != "" && !strings.HasPrefix(t, "#") && t != "-" {
			break
		}
		end--
	}
	return end
}

// moduleNode finds the modules: entry with the id.
func moduleNode(doc *yaml.Node, module string) (*yaml.Node, error) {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("course.yaml is not a mapping")
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "modules" {
			continue
		}
		for _, m := range root.Content[i+1].Content {
			if m.Kind != yaml.MappingNode {
				continue
			}
			for j := 0; j+1 < len(m.Content); j += 2 {
				if m.Content[j].Value == "id" && m.Content[j+1].Value == module {
					return m, nil
				}
			}
		}
	}
	return nil, fmt.Errorf("course.yaml has no module %q", module)
}

// setQuizIn sets quiz: true for the module in a decoded course.yaml.
func setQuizIn(doc any, module string) error {
	root, ok := doc.(map[string]any)
	if !ok {
		return errors.New("not a mapping")
	}
	mods, _ := root["modules"].([]any)
	for _, m := range mods {
		if mm, ok := m.(map[string]any); ok && mm["id"] == module {
			mm["quiz"] = true
			return nil
		}
	}
	return errors.New("no such module")
}

// SetVersion returns course.yaml with its version: value replaced by version (letters,
// digits, dots, hyphens, pluses and underscores), the rest of the file as it was. A new
// version of a course kept in the database (a GIFT quiz added on the admin page) gets it.
func SetVersion(src []byte, version string) ([]byte, error) {
	if version == "" || strings.Trim(version, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-+_") != "" || len(version) > 64 {
		return nil, fmt.Errorf("version %q: use letters, digits, dots, hyphens, pluses and underscores", version)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("course.yaml: %w", err)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("course.yaml is not a mapping")
	}
	top := doc.Content[0]
	lines := strings.SplitAfter(string(src), "\n")
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != "version" {
			continue
		}
		v := top.Content[i+1]
		if v.Kind != yaml.ScalarNode || v.Line < 1 || v.Line > len(lines) || v.Line != top.Content[i].Line {
			return nil, errors.New("set the version in course.yaml by hand")
		}
		line := lines[v.Line-1]
		nl := line[len(strings.TrimRight(line, "\r\n")):]
		// The value runs from its column to the end of the line (a comment after it goes).
		lines[v.Line-1] = string([]rune(line)[:v.Column-1]) + `"` + version + `"` + nl
		out := []byte(strings.Join(lines, ""))
		var check struct {
			Version string `yaml:"version"`
		}
		if err := yaml.Unmarshal(out, &check); err != nil || check.Version != version {
			return nil, errors.New("set the version in course.yaml by hand")
		}
		return out, nil
	}
	return nil, errors.New("course.yaml has no version")
}
