package courses_test

import (
	"testing"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/quiz"
	"github.com/cairn-lms/cairn/courses"
)

// TestShippedCurriculum holds the shipped courses to the bar the project set: five or more
// courses, each with three or more modules of two or more lessons and a quiz per module of
// five or more questions with feedback; every question type used; at least two courses
// complete in Spanish, French and Arabic; and no problem at all from the checker.
func TestShippedCurriculum(t *testing.T) {
	cat, problems := course.Load(courses.FS, "courses", course.Options{})
	for _, p := range problems {
		t.Errorf("%s", p)
	}
	all := cat.All()
	if len(all) < 5 {
		t.Fatalf("%d courses shipped, want at least 5", len(all))
	}
	types := map[string]bool{}
	translated := 0
	for _, c := range all {
		if c.Licence != "CC-BY-SA-4.0" {
			t.Errorf("%s: licence %q", c.ID, c.Licence)
		}
		if len(c.Modules) < 3 {
			t.Errorf("%s: %d modules", c.ID, len(c.Modules))
		}
		for _, m := range c.Modules {
			if len(m.Lessons) < 2 {
				t.Errorf("%s/%s: %d lessons", c.ID, m.ID, len(m.Lessons))
			}
			if m.Quiz == nil || len(m.Quiz.Questions) < 5 {
				t.Errorf("%s/%s: no quiz of five or more questions", c.ID, m.ID)
				continue
			}
			for _, q := range m.Quiz.Questions {
				types[q.Type] = true
				if q.Texts[c.DefaultLanguage].Explanation == "" {
					t.Errorf("%s/%s/%s: no explanation", c.ID, m.ID, q.ID)
				}
			}
		}
		if c.HasLanguage("es") && c.HasLanguage("fr") && c.HasLanguage("ar") {
			translated++
			for _, m := range c.Modules {
				for _, q := range m.Quiz.Questions {
					for _, lang := range []string{"es", "fr", "ar"} {
						if q.Texts[lang] == nil {
							t.Errorf("%s/%s/%s: no %s text", c.ID, m.ID, q.ID, lang)
						}
					}
				}
			}
		}
	}
	for _, typ := range quiz.Types {
		if !types[typ] {
			t.Errorf("no %s question in the curriculum", typ)
		}
	}
	if translated < 2 {
		t.Errorf("%d courses complete in Spanish, French and Arabic, want at least 2", translated)
	}
}
