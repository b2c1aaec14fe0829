package course

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// TranslationFile is a translated file of a course and the default-language file it is
// translated from; paths are relative to the course folder.
type TranslationFile struct {
	Path   string // e.g. basics/first-steps/es.md
	Source string // e.g. basics/first-steps/en.md
	Lang   string
	Quiz   bool // quiz texts: the revision is the top-level _translated_from
}

// Translations lists the translation files in the course folder dir of fsys whose source
// (the same file in the course's default language) exists, sorted by path.
func Translations(fsys fs.FS, dir string) ([]TranslationFile, error) {
	raw, err := fs.ReadFile(fsys, path.Join(dir, "course.yaml"))
	if err != nil {
		return nil, fmt.Errorf("read course.yaml: %w", unwrapPath(err))
	}
	var cf struct {
		DefaultLanguage string `yaml:"default_language"`
	}
	if err := yaml.Unmarshal(raw, &cf); err != nil {
		return nil, fmt.Errorf("course.yaml: %w", err)
	}
	def := cf.DefaultLanguage
	if def == "" {
		return nil, errors.New("course.yaml has no default_language")
	}
	var out []TranslationFile
	for _, kind := range []struct {
		glob, prefix, suffix string
		quiz                 bool
	}{
		{"*/*/*.md", "", ".md", false},
		{"*/quiz.*.yaml", "quiz.", ".yaml", true},
		{"*/trainer.*.md", "trainer.", ".md", false},
	} {
		matches, err := fs.Glob(fsys, path.Join(dir, kind.glob))
		if err != nil {
			return nil, err
		}
		for _, m := range matches {
			rel := strings.TrimPrefix(strings.TrimPrefix(m, dir), "/")
			if dir == "." {
				rel = m
			}
			lang := strings.TrimSuffix(strings.TrimPrefix(path.Base(m), kind.prefix), kind.suffix)
			if lang == def {
				continue
			}
			src := path.Join(path.Dir(rel), kind.prefix+def+kind.suffix)
			if _, err := fs.Stat(fsys, path.Join(dir, src)); err != nil {
				continue
			}
			out = append(out, TranslationFile{Path: rel, Source: src, Lang: lang, Quiz: kind.quiz})
		}
	}
	slices.SortFunc(out, func(a, b TranslationFile) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// Stamp records rev as the source revision of a translation, changing nothing else in the
// file: the value of translated_from in the front matter of a lesson or trainer notes, or of
// the top-level _translated_from of quiz texts; a missing key is added (at the end of the
// front matter; before the first question). It returns the file and the revision recorded
// before ("" for none); a file that already records rev comes back unchanged.
func Stamp(src []byte, quizTexts bool, rev string) (out []byte, old string, err error) {
	if !revisionRE.MatchString(rev) {
		return nil, "", fmt.Errorf("%q is not a revision", rev)
	}
	key := keyTranslatedFrom
	from, to := 0, len(src) // where the key lives
	if quizTexts {
		key = keyQuizTranslatedFrom
	} else {
		m := frontMatterRE.FindSubmatchIndex(src)
		if m == nil {
			return nil, "", errors.New("no front matter: the file must start with a line ---, the front matter and a line ---")
		}
		from, to = m[2], m[3]
	}
	eol := "\n"
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		eol = "\r\n"
	}
	var found []int
	for off := from; off < to; {
		if bytes.HasPrefix(src[off:], []byte(key+":")) {
			found = append(found, off)
		}
		nl := bytes.IndexByte(src[off:], '\n')
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	switch {
	case len(found) > 1:
		return nil, "", fmt.Errorf("%s is given %d times", key, len(found))
	case len(found) == 1:
		colon := found[0] + len(key)
		end := len(src)
		if nl := bytes.IndexByte(src[colon:], '\n'); nl >= 0 {
			end = colon + nl
		}
		rest := strings.TrimSuffix(string(src[colon+1:end]), "\r")
		if c := commentStart(rest); c >= 0 {
			rest = rest[:c]
		}
		lead := len(rest) - len(strings.TrimLeft(rest, " \t"))
		value := strings.TrimSpace(rest)
		old = strings.Trim(value, `"'`)
		if old == rev {
			return src, old, nil
		}
		vs := colon + 1 + lead
		repl := rev
		if value == "" {
			vs, repl = colon+1, " "+rev
		}
		out = slices.Concat(src[:vs], []byte(repl), src[vs+len(value):])
	default:
		at := insertionPoint(src, quizTexts, to)
		line := key + ": " + rev + eol
		if at == len(src) && at > 0 && src[at-1] != '\n' {
			line = eol + line
		}
		out = slices.Concat(src[:at], []byte(line), src[at:])
	}
	if got, err := recordedRevision(out, quizTexts); err != nil || got != rev {
		return nil, "", fmt.Errorf("cannot set %s without changing what the file means (does its YAML parse?)", key)
	}
	return out, old, nil
}

// commentStart finds a YAML comment in the rest of a line after "key:", or -1.
func commentStart(rest string) int {
	for i := 0; i < len(rest); i++ {
		if rest[i] == '#' && (i == 0 || rest[i-1] == ' ' || rest[i-1] == '\t') {
			return i
		}
	}
	return -1
}

// insertionPoint is where a missing key goes: the start of the closing --- of front matter
// (whose YAML ends at metaEnd), or the first line of quiz texts that is not blank, a
// comment, a directive or a document start.
func insertionPoint(src []byte, quizTexts bool, metaEnd int) int {
	if !quizTexts {
		if src[metaEnd] == '\r' {
			return metaEnd + 2
		}
		return metaEnd + 1
	}
	for off := 0; off < len(src); {
		end := len(src)
		if nl := bytes.IndexByte(src[off:], '\n'); nl >= 0 {
			end = off + nl + 1
		}
		line := strings.TrimRight(string(src[off:end]), "\r\n")
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") && !strings.HasPrefix(line, "%") && line != "---" {
			return off
		}
		off = end
	}
	return len(src)
}

// recordedRevision reads the source revision a translation records, "" when none.
func recordedRevision(src []byte, quizTexts bool) (string, error) {
	key := keyTranslatedFrom
	if quizTexts {
		key = keyQuizTranslatedFrom
	} else {
		meta, _, _, ok := splitFrontMatter(src)
		if !ok {
			return "", errors.New("no front matter")
		}
		src = meta
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return "", err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return "", errors.New("not a mapping")
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i+1].Kind == yaml.ScalarNode {
			return m.Content[i+1].Value, nil
		}
	}
	return "", nil
}
