package course_test

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/gift"
)

// sampleCourse copies testdata/valid/sample into a temporary courses folder; its module
// "practice" has no quiz, "basics" has one in English and Arabic.
func sampleCourse(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "sample")
	if err := os.CopyFS(dir, os.DirFS("testdata/valid/sample")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// snapshot is every file of a folder and its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportGIFTEveryCorpusFileLoadsWithZeroErrors imports each file of the GIFT corpus
// (unsupported questions left out) into a course and loads the course with the loader
// the server uses: every quiz the converter writes is one Cairn publishes. A file that
// still has errors leaves the course as it was.
func TestImportGIFTEveryCorpusFileLoadsWithZeroErrors(t *testing.T) {
	files, err := filepath.Glob("../gift/testdata/corpus/*.gift")
	if err != nil || len(files) < 15 {
		t.Fatalf("corpus: %v, %d files", err, len(files))
	}
	imported := 0
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := sampleCourse(t)
			before := snapshot(t, dir)
			res, err := course.ImportGIFT(course.GIFTImport{
				CourseDir: dir, Module: "practice", Name: filepath.Base(file), Source: src,
				Convert: gift.Options{SkipUnsupported: true},
			})
			if gift.HasErrors(res.GIFT) {
				if err == nil || res.Written || res.Checked {
					t.Fatalf("a file with errors: err %v, written %v", err, res.Written)
				}
				if after := snapshot(t, dir); !maps.Equal(before, after) {
					t.Fatal("a file with errors changed the course folder")
				}
				return
			}
			if err != nil || !res.Written || !res.CourseYAML {
				t.Fatalf("import: %v (written %v); check: %v", err, res.Written, res.Check)
			}
			imported++
			c, problems := course.LoadOne(os.DirFS(dir), "sample", dir, course.Options{})
			for _, p := range problems {
				if !p.Warning {
					t.Errorf("the imported course has an error: %s", p)
				}
			}
			if c == nil {
				t.Fatal("the course does not load")
			}
			z := c.Module("practice").Quiz
			if z == nil || len(z.Questions) != len(res.Quiz.Questions) {
				t.Fatalf("the module's quiz did not load with the %d questions imported", len(res.Quiz.Questions))
			}
			for i, q := range z.Questions {
				want := res.Quiz.Questions[i]
				if q.ID != want.ID || q.Type != want.Type || q.Texts["en"] == nil || q.Texts["en"].Stem == "" {
					t.Errorf("question %d: loaded %s (%s), imported %s (%s)", i, q.ID, q.Type, want.ID, want.Type)
				}
			}
			for _, leftover := range []string{".quiz.yaml", ".quiz.en.yaml", ".course.yaml"} {
				if m, _ := filepath.Glob(filepath.Join(dir, "*", leftover+"*")); len(m) > 0 {
					t.Errorf("temporary files left: %v", m)
				}
			}
		})
	}
	if imported < 12 {
		t.Errorf("only %d corpus files imported", imported)
	}
}

func TestImportGIFTWritesNothingWhenAnythingFails(t *testing.T) {
	good := []byte("Which of these is a messenger?{=Signal ~A spreadsheet ~A calendar}\n")
	tests := []struct {
		name  string
		req   func(dir string) course.GIFTImport
		setup func(t *testing.T, dir string)
		msg   string
	}{
		{
			name: "the GIFT file has an error",
			req: func(dir string) course.GIFTImport {
				return course.GIFTImport{CourseDir: dir, Module: "practice", Name: "q.gift", Source: []byte("Q{=a ~b}\n\nWhen?{#1822}\n")}
			},
			msg: "q.gift has errors",
		},
		{
			name: "the module already has a quiz",
			req: func(dir string) course.GIFTImport {
				return course.GIFTImport{CourseDir: dir, Module: "basics", Name: "q.gift", Source: good}
			},
			msg: "add --replace",
		},
		{
			name: "replacing a quiz that has translations",
			req: func(dir string) course.GIFTImport {
				return course.GIFTImport{CourseDir: dir, Module: "basics", Name: "q.gift", Source: good, Replace: true}
			},
			msg: "quiz.ar.yaml",
		},
		{
			name: "a module the course does not have",
			req: func(dir string) course.GIFTImport {
				return course.GIFTImport{CourseDir: dir, Module: "nope", Name: "q.gift", Source: good}
			},
			msg: `no module "nope" (its modules: basics, practice)`,
		},
		{
			name: "a language other than the course's default",
			req: func(dir string) course.GIFTImport {
				return course.GIFTImport{CourseDir: dir, Module: "practice", Lang: "ar", Name: "q.gift", Source: good}
			},
			msg: `default language is "en"`,
		},
		{
			name: "the course has an error once the quiz is in it",
			setup: func(t *testing.T, dir string) {
				if err := os.WriteFile(filepath.Join(dir, "practice", "drill", "en.md"), []byte("no front matter\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			req: func(dir string) course.GIFTImport {
				return course.GIFTImport{CourseDir: dir, Module: "practice", Name: "q.gift", Source: good}
			},
			msg: "nothing written",
		},
		{
			name: "a dry run",
			req: func(dir string) course.GIFTImport {
				return course.GIFTImport{CourseDir: dir, Module: "practice", Name: "q.gift", Source: good, DryRun: true}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sampleCourse(t)
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			before := snapshot(t, dir)
			res, err := course.ImportGIFT(tt.req(dir))
			switch {
			case tt.msg == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.msg != "" && (err == nil || !strings.Contains(err.Error(), tt.msg)):
				t.Fatalf("got %v, want an error containing %q", err, tt.msg)
			}
			if res.Written {
				t.Error("reported as written")
			}
			if after := snapshot(t, dir); !maps.Equal(before, after) {
				t.Errorf("the course folder changed")
			}
		})
	}
}

func TestImportGIFTReplacesAQuizAndReportsTheCheck(t *testing.T) {
	dir := sampleCourse(t)
	if err := os.Remove(filepath.Join(dir, "basics", "quiz.ar.yaml")); err != nil {
		t.Fatal(err)
	}
	courseYAML, _ := os.ReadFile(filepath.Join(dir, "course.yaml"))
	res, err := course.ImportGIFT(course.GIFTImport{
		CourseDir: dir, Module: "basics", Name: "q.gift", Replace: true,
		Source: []byte("::New one::Which of these is a messenger?{=Signal ~A spreadsheet ~A calendar}\n"),
	})
	if err != nil || !res.Written || res.CourseYAML {
		t.Fatalf("replace: %v, written %v, course.yaml changed %v", err, res.Written, res.CourseYAML)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "course.yaml")); string(after) != string(courseYAML) {
		t.Error("course.yaml changed although the module already had quiz: true")
	}
	c, ps := course.LoadOne(os.DirFS(dir), "sample", dir, course.Options{})
	if c == nil {
		t.Fatalf("does not load: %v", ps)
	}
	z := c.Module("basics").Quiz
	if len(z.Questions) != 1 || z.Questions[0].ID != "new-one" || z.PassMark != gift.DefaultPassMark {
		t.Fatalf("the quiz was not replaced: %+v", z)
	}
	// The check that ran before writing is the check of what was written.
	if len(res.Check) != len(ps) {
		t.Errorf("the check before writing found %d problems, loading afterwards %d", len(res.Check), len(ps))
	}
}
