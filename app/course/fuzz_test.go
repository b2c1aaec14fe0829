package course_test

import (
	"testing"
	"testing/fstest"

	"github.com/cairn-lms/cairn/app/course"
)

// FuzzLoadCourse loads arbitrary course.yaml, lesson and quiz files: the loader must never
// panic, must publish nothing it reported an error for, and must locate problems in files
// that exist.
func FuzzLoadCourse(f *testing.F) {
	f.Add("id: c\nversion: 1\ndefault_language: en\nlevel: beginner\nminutes: 5\nlicence: x\ntitle: {en: T}\nsummary: {en: S}\nmodules:\n  - id: m\n    title: {en: M}\n    lessons: [l]\n    quiz: true\n",
		"---\ntitle: L\n---\n# Hi\n\n> [!TIP]\n> ok\n\n[x](lesson:l) ![a](p.png)\n",
		"pass_mark: 50\nquestions:\n  - id: q\n    type: single\n    options: [{id: a, correct: true}, {id: b}]\n",
		"q:\n  stem: S\n  options: {a: A, b: B}\n")
	f.Add("id: [", "---\n---\n", "questions: 3", ": :")
	f.Add("modules:\n  - lessons: [\"\", \"../x\"]\n", "no front matter", "questions:\n  - {type: ordering, options: [{id: a}]}", "")
	f.Fuzz(func(t *testing.T, courseYAML, lesson, quizYAML, quizText string) {
		fsys := fstest.MapFS{
			"c/course.yaml":    {Data: []byte(courseYAML)},
			"c/m/l/en.md":      {Data: []byte(lesson)},
			"c/m/l/p.png":      {Data: []byte("png")},
			"c/m/quiz.yaml":    {Data: []byte(quizYAML)},
			"c/m/quiz.en.yaml": {Data: []byte(quizText)},
		}
		cat, problems := course.Load(fsys, "f", course.Options{})
		hasError := false
		for _, p := range problems {
			if !p.Warning {
				hasError = true
			}
			if p.Line < 0 {
				t.Fatalf("negative line: %s", p)
			}
		}
		if hasError && len(cat.All()) != 0 {
			t.Fatal("a course with errors was published")
		}
		for _, c := range cat.All() {
			for _, l := range c.Lessons {
				if _, fell := l.Version(c.DefaultLanguage); fell {
					t.Fatal("published lesson lacks the default language")
				}
			}
		}
	})
}
