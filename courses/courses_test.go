package courses_test

import (
	"slices"
	"testing"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/intake"
	"github.com/cairn-lms/cairn/app/quiz"
	"github.com/cairn-lms/cairn/courses"
)

// TestShippedCurriculum holds the shipped courses to the bar the project set: five or more
// courses, each with three or more modules of two or more lessons and a quiz per module of
// five or more questions with feedback; every question type used; every course complete
// (every lesson and every quiz question) in English, Spanish, French and Arabic, and the
// threat-modelling and account-security courses in Persian too; learning objectives (2–4) on every lesson in every
// language it exists in, checklists of 2–5 items where a lesson has one, trainer notes in
// the default language with an agenda of 3–6 steps on every module; and no problem at all
// from the checker, warnings (the quiz-quality ones, out-of-date translations and words
// their language's glossary says to avoid included) as much as errors.
func TestShippedCurriculum(t *testing.T) {
	// As "cairn courses check courses" does: with the glossaries (courses/glossary.<lang>.yaml).
	glossaries, problems := course.LoadGlossaries(courses.FS, "courses")
	cat, ps := course.Load(courses.FS, "courses", course.Options{Glossaries: glossaries})
	for _, p := range append(problems, ps...) {
		// A note (a translation awaiting its second reader) is information, not a problem.
		if !p.Note {
			t.Errorf("%s", p)
		}
	}
	all := cat.All()
	if len(all) < 5 {
		t.Fatalf("%d courses shipped, want at least 5", len(all))
	}
	types := map[string]bool{}
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
			if n := m.TrainerNotes[c.DefaultLanguage]; n == nil {
				t.Errorf("%s/%s: no trainer notes (trainer.%s.md)", c.ID, m.ID, c.DefaultLanguage)
			} else if len(n.Agenda) < 3 || len(n.Agenda) > 6 {
				t.Errorf("%s/%s: trainer notes agenda has %d steps, want 3 to 6", c.ID, m.ID, len(n.Agenda))
			}
			for _, l := range m.Lessons {
				for _, lang := range l.LanguageList() {
					v := l.Versions[lang]
					if len(v.Objectives) < 2 || len(v.Objectives) > 4 {
						t.Errorf("%s/%s/%s/%s.md: %d objectives, want 2 to 4", c.ID, m.ID, l.ID, lang, len(v.Objectives))
					}
					if n := len(v.Checklist); n == 1 || n > 5 {
						t.Errorf("%s/%s/%s/%s.md: %d checklist items, want none or 2 to 5", c.ID, m.ID, l.ID, lang, n)
					}
				}
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
		want := []string{"en", "es", "fr", "ar"}
		if c.ID == "threat-modelling" || c.ID == "account-security" {
			want = append(want, "fa")
		}
		for _, lang := range want {
			if !c.HasLanguage(lang) {
				t.Errorf("%s: not offered in %s", c.ID, lang)
			}
			for _, m := range c.Modules {
				for _, l := range m.Lessons {
					if l.Versions[lang] == nil {
						t.Errorf("%s/%s/%s: no %s.md", c.ID, m.ID, l.ID, lang)
					}
				}
				if m.Quiz == nil {
					continue
				}
				for _, q := range m.Quiz.Questions {
					if q.Texts[lang] == nil {
						t.Errorf("%s/%s/%s: no %s text", c.ID, m.ID, q.ID, lang)
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
}

// TestShippedRiskIntake holds courses/intake.yaml to the bar of the shipped content: no
// problem from the checker (glossaries included), six to eight questions, every text in
// English, Spanish, French, Arabic and Persian, threat modelling opening every plan, and
// every rule able to apply.
func TestShippedRiskIntake(t *testing.T) {
	glossaries, _ := course.LoadGlossaries(courses.FS, "courses")
	cat, _ := course.Load(courses.FS, "courses", course.Options{Glossaries: glossaries})
	in, ps := intake.Load(courses.FS, "courses", cat, glossaries)
	for _, p := range ps {
		if !p.Note {
			t.Errorf("%s", p)
		}
	}
	if in == nil {
		t.Fatal("the shipped intake does not load")
	}
	if n := len(in.Questions); n < 6 || n > 8 {
		t.Errorf("%d questions, want 6 to 8: keep the intake short", n)
	}
	for _, lang := range []string{"en", "es", "fr", "ar", "fa"} {
		if !slices.Contains(in.Languages, lang) {
			t.Errorf("the intake is not offered in %s", lang)
		}
	}
	if len(in.StartItems) == 0 || in.StartItems[0].Course != "threat-modelling" {
		t.Errorf("the intake opens with %+v, want threat modelling", in.StartItems)
	}
	everything := intake.Answers{}
	for _, q := range in.Questions {
		if q.Type == intake.Multiple {
			for _, a := range q.Answers {
				everything[q.ID] = append(everything[q.ID], a.ID)
			}
		}
	}
	for _, answers := range []intake.Answers{{}, everything} {
		if p := in.Plan(answers); p.Steps[0].Item.Course != "threat-modelling" {
			t.Errorf("answers %s: the plan opens with %+v", answers.Encode(), p.Steps[0])
		}
	}
	for _, r := range in.Rules {
		a := intake.Answers{}
		for _, c := range r.When {
			a[c.Question] = append(a[c.Question], c.Answers[0])
		}
		if !r.Applies(in.Known(a)) {
			t.Errorf("rule %q cannot apply", r.ID)
		}
	}
}
