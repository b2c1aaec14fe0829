package gift

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite the golden files of the GIFT corpus")

// golden is what a corpus file gives: its report, then quiz.yaml and quiz.en.yaml when it
// has no error; when it has errors, the same again with the unsupported questions left out.
func golden(t *testing.T, name string, src []byte) string {
	var b strings.Builder
	for _, skip := range []bool{false, true} {
		z, ps := Import(name, src, Options{SkipUnsupported: skip})
		if skip {
			b.WriteString("\n=== with unsupported questions left out\n")
		}
		for _, p := range ps {
			b.WriteString(p.String() + "\n")
		}
		if HasErrors(ps) {
			if skip {
				break
			}
			continue
		}
		structure, err := z.StructureYAML()
		if err != nil {
			t.Fatal(err)
		}
		texts, err := z.TextsYAML()
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("--- quiz.yaml\n" + string(structure) + "--- quiz.en.yaml\n" + string(texts))
		if !skip {
			break
		}
	}
	return b.String()
}

// TestCorpus converts every file of the GIFT corpus (one per feature, plus the constructs of
// Moodle's documentation) and compares the report and the quiz files with the golden ones.
// Run with -update to rewrite them, and read the diff.
func TestCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/corpus/*.gift")
	if err != nil || len(files) < 15 {
		t.Fatalf("corpus: %v (%d files)", err, len(files))
	}
	for _, file := range files {
		base := strings.TrimSuffix(filepath.Base(file), ".gift")
		t.Run(base, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := golden(t, "corpus/"+base+".gift", src)
			path := filepath.Join("testdata", "golden", base+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./app/gift -run TestCorpus -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s (run with -update and read the diff):\n%s", file, path, got)
			}
		})
	}
}

// TestCorpusOutputReadsBackAsCairnQuizFiles checks the shape of every quiz the corpus gives:
// valid and unique ids, the right fields per type, texts for every question and option.
// (app/course's tests load the same files with the course loader.)
func TestCorpusOutputReadsBackAsCairnQuizFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/corpus/*.gift")
	converted := 0
	for _, file := range files {
		src, _ := os.ReadFile(file)
		z, ps := Import(file, src, Options{SkipUnsupported: true})
		if HasErrors(ps) {
			continue
		}
		converted++
		checkQuizFiles(t, file, z)
	}
	if converted < 12 {
		t.Fatalf("only %d corpus files converted", converted)
	}
}

type structureFile struct {
	PassMark  int  `yaml:"pass_mark"`
	Shuffle   bool `yaml:"shuffle"`
	Questions []struct {
		ID      string `yaml:"id"`
		Type    string `yaml:"type"`
		Answer  *bool  `yaml:"answer"`
		Options []struct {
			ID      string `yaml:"id"`
			Correct bool   `yaml:"correct"`
		} `yaml:"options"`
	} `yaml:"questions"`
}

type textsFile map[string]struct {
	Stem        string            `yaml:"stem"`
	Options     map[string]string `yaml:"options"`
	Feedback    map[string]string `yaml:"feedback"`
	Explanation string            `yaml:"explanation"`
	Accept      []string          `yaml:"accept"`
}

func checkQuizFiles(t *testing.T, name string, z *Quiz) {
	t.Helper()
	sb, err := z.StructureYAML()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	tb, err := z.TextsYAML()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var s structureFile
	var texts textsFile
	if err := strictYAML(sb, &s); err != nil {
		t.Fatalf("%s: quiz.yaml: %v\n%s", name, err, sb)
	}
	if err := strictYAML(tb, &texts); err != nil {
		t.Fatalf("%s: quiz.en.yaml: %v\n%s", name, err, tb)
	}
	if s.PassMark < 1 || s.PassMark > 100 || len(s.Questions) == 0 || len(s.Questions) != len(texts) {
		t.Fatalf("%s: pass mark %d, %d questions, %d texts", name, s.PassMark, len(s.Questions), len(texts))
	}
	seen := map[string]bool{}
	for _, q := range s.Questions {
		if !ValidID(q.ID) || seen[q.ID] {
			t.Errorf("%s: question id %q invalid or repeated", name, q.ID)
		}
		seen[q.ID] = true
		text, ok := texts[q.ID]
		if !ok || strings.TrimSpace(text.Stem) == "" {
			t.Errorf("%s: question %q has no stem", name, q.ID)
		}
		correct := 0
		opts := map[string]bool{}
		for _, o := range q.Options {
			if !ValidID(o.ID) || opts[o.ID] {
				t.Errorf("%s: %s: option id %q invalid or repeated", name, q.ID, o.ID)
			}
			opts[o.ID] = true
			if strings.TrimSpace(text.Options[o.ID]) == "" {
				t.Errorf("%s: %s: option %q has no text", name, q.ID, o.ID)
			}
			if o.Correct {
				correct++
			}
		}
		for id := range text.Feedback {
			if !opts[id] && !(q.Type == TypeTrueFalse && (id == "true" || id == "false")) {
				t.Errorf("%s: %s: feedback for unknown option %q", name, q.ID, id)
			}
		}
		switch q.Type {
		case TypeSingle:
			if correct != 1 || len(q.Options) < 2 {
				t.Errorf("%s: %s: single with %d correct of %d", name, q.ID, correct, len(q.Options))
			}
		case TypeMultiple:
			if correct < 1 || len(q.Options) < 2 {
				t.Errorf("%s: %s: multiple with %d correct of %d", name, q.ID, correct, len(q.Options))
			}
		case TypeOrdering:
			if correct != 0 || len(q.Options) < 2 {
				t.Errorf("%s: %s: ordering with %d correct of %d", name, q.ID, correct, len(q.Options))
			}
		case TypeTrueFalse:
			if q.Answer == nil || len(q.Options) > 0 {
				t.Errorf("%s: %s: true_false without answer or with options", name, q.ID)
			}
		case TypeShort:
			if len(text.Accept) == 0 || len(q.Options) > 0 {
				t.Errorf("%s: %s: short without accept or with options", name, q.ID)
			}
		default:
			t.Errorf("%s: %s: type %q", name, q.ID, q.Type)
		}
	}
}

func strictYAML(b []byte, v any) error {
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	return dec.Decode(v)
}
