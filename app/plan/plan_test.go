package plan_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/live"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/plan"
	"github.com/cairn-lms/cairn/courses"
)

func sample(t *testing.T) *course.Course {
	t.Helper()
	cat, problems := course.Load(os.DirFS("../course/testdata/valid"), "testdata", course.Options{})
	for _, p := range problems {
		if !p.Warning {
			t.Fatal(p)
		}
	}
	c := cat.Course("sample")
	if c == nil {
		t.Fatal("no sample course")
	}
	return c
}

func TestAModulesAgendaBecomesAPlanInTheAskedLanguageOrTheDefault(t *testing.T) {
	mod := sample(t).Module("basics")
	title, lang, steps, fellBack := plan.FromAgenda(mod, "ar")
	if title != "الأساسيات" || lang != "ar" || fellBack {
		t.Fatalf("Arabic agenda: %q %q fellBack=%v", title, lang, fellBack)
	}
	want := []model.PlanStep{
		{Kind: model.PlanDiscussion, Stage: "activity", Minutes: 15, Title: "من فقد حسابًا؟", Options: "[]"},
		{Kind: model.PlanLesson, Stage: "input", Minutes: 20, Title: "رموز الاسترداد", Lesson: "first-steps", Options: "[]"},
		{Kind: model.PlanDiscussion, Stage: "synthesis", Minutes: 10, Title: "شيء واحد هذا الأسبوع", Options: "[]"},
	}
	if !slices.Equal(steps, want) {
		t.Fatalf("Arabic steps:\n%+v\nwant\n%+v", steps, want)
	}
	title, lang, steps, fellBack = plan.FromAgenda(mod, "es")
	if title != "Basics" || lang != "en" || !fellBack || len(steps) != 3 || steps[0].Notes != "Pairs share only what they are comfortable with." {
		t.Fatalf("Spanish falls back to English: %q %q %v %+v", title, lang, fellBack, steps)
	}
	if _, _, steps, _ := plan.FromAgenda(sample(t).Module("practice"), "en"); steps != nil {
		t.Fatalf("a module without trainer notes gave steps %+v", steps)
	}
}

func TestEveryShippedAgendaMakesAValidPlan(t *testing.T) {
	cat, _ := course.Load(courses.FS, "courses", course.Options{})
	n := 0
	for _, c := range cat.All() {
		for _, mod := range c.Modules {
			for lang := range mod.TrainerNotes {
				_, _, steps, _ := plan.FromAgenda(mod, lang)
				for i := range steps {
					if p := plan.Clean(&steps[i], c, lang); len(p) > 0 {
						t.Errorf("%s/%s (%s) step %d: %v", c.ID, mod.ID, lang, i+1, p)
					}
					n++
				}
			}
		}
	}
	if n < 50 {
		t.Fatalf("only %d agenda steps in the shipped courses: the walk is broken", n)
	}
}

func TestStepsAreCheckedByKindAndKeepOnlyWhatTheirKindUses(t *testing.T) {
	crs := sample(t)
	cases := []struct {
		name string
		step model.PlanStep
		want plan.Problems
	}{
		{"a lesson", model.PlanStep{Kind: model.PlanLesson, Lesson: "first-steps", Minutes: 10, Options: `["stray"]`, QuizModule: "basics", Anonymous: true}, plan.Problems{}},
		{"an unknown lesson", model.PlanStep{Kind: model.PlanLesson, Lesson: "nope", Minutes: 10}, plan.Problems{"lesson": "error_plan_lesson"}},
		{"a section the lesson lacks", model.PlanStep{Kind: model.PlanLesson, Lesson: "first-steps", Section: "nowhere", Minutes: 10}, plan.Problems{"lesson": "error_plan_section"}},
		{"a poll", model.PlanStep{Kind: model.PlanPoll, Title: " Ready? ", Options: `["Yes","No"]`, Minutes: 2, Anonymous: true, Multiple: true, Lesson: "first-steps"}, plan.Problems{}},
		{"a poll without prompt or options", model.PlanStep{Kind: model.PlanPoll, Options: `["Yes"]`, Minutes: 2}, plan.Problems{"title": "error_plan_prompt", "options": "error_plan_options"}},
		{"a poll with a long option", model.PlanStep{Kind: model.PlanPoll, Title: "Q", Options: `["Yes","` + strings.Repeat("n", 121) + `"]`, Minutes: 2}, plan.Problems{"options": "error_plan_options"}},
		{"a quiz question", model.PlanStep{Kind: model.PlanQuiz, QuizModule: "basics", QuestionID: "pick-one", Minutes: 3, Multiple: true}, plan.Problems{}},
		{"an unknown question", model.PlanStep{Kind: model.PlanQuiz, QuizModule: "basics", QuestionID: "gone", Minutes: 3}, plan.Problems{"question": "error_plan_question"}},
		{"a discussion", model.PlanStep{Kind: model.PlanDiscussion, Title: "What worries you?", Stage: "discussion", Minutes: 15}, plan.Problems{}},
		{"a discussion without prompt", model.PlanStep{Kind: model.PlanDiscussion, Minutes: 15}, plan.Problems{"title": "error_plan_prompt"}},
		{"a break without title", model.PlanStep{Kind: model.PlanBreak, Minutes: 15, Anonymous: true}, plan.Problems{}},
		{"no time, an unknown stage, long notes", model.PlanStep{Kind: model.PlanBreak, Stage: "nap", Notes: strings.Repeat("x", plan.MaxNotes+1)}, plan.Problems{"minutes": "error_plan_minutes", "stage": "error_plan_stage", "notes": "error_plan_notes"}},
		{"too long", model.PlanStep{Kind: model.PlanBreak, Minutes: plan.MaxMinutes + 1, Title: strings.Repeat("t", plan.MaxTitle+1)}, plan.Problems{"minutes": "error_plan_minutes", "title": "error_plan_title_long"}},
		{"an unknown kind", model.PlanStep{Kind: "party", Minutes: 10}, plan.Problems{"kind": "error_plan_kind"}},
	}
	for _, tc := range cases {
		st := tc.step
		got := plan.Clean(&st, crs, "en")
		if len(got) != len(tc.want) {
			t.Errorf("%s: problems %v, want %v", tc.name, got, tc.want)
			continue
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s: problems %v, want %v", tc.name, got, tc.want)
			}
		}
		if len(got) > 0 {
			continue
		}
		if st.Kind != model.PlanLesson && st.Lesson != "" || st.Kind != model.PlanQuiz && st.QuizModule != "" ||
			st.Kind != model.PlanPoll && st.Options != "[]" || st.Kind != model.PlanPoll && st.Multiple ||
			(st.Kind != model.PlanPoll && st.Kind != model.PlanQuiz) && st.Anonymous {
			t.Errorf("%s keeps fields its kind does not use: %+v", tc.name, st)
		}
		if st.Kind == model.PlanPoll && st.Title != "Ready?" {
			t.Errorf("the prompt was not cleaned: %q", st.Title)
		}
	}
}

func TestHeadingsAreTheSectionsALessonStepCanShow(t *testing.T) {
	cat, _ := course.Load(courses.FS, "courses", course.Options{})
	l := cat.Course("account-security").Lesson("strong-passphrases")
	hs := plan.Headings(l, "en")
	if len(hs) < 3 || hs[0].Text != "Length matters more than complexity" || hs[0].ID == "" || hs[0].Level != 2 {
		t.Fatalf("headings %+v", hs)
	}
	ar := plan.Headings(l, "ar")
	if len(ar) == 0 || ar[0].ID == hs[0].ID {
		t.Fatalf("Arabic headings %+v: want their own anchors", ar)
	}
	st := model.PlanStep{Kind: model.PlanLesson, Lesson: l.ID, Section: ar[0].ID, Minutes: 5}
	if p := plan.Clean(&st, cat.Course("account-security"), "ar"); len(p) > 0 {
		t.Fatalf("an Arabic heading refused in an Arabic plan: %v", p)
	}
}

func TestPerformingAStepSendsTheConsolesOwnAction(t *testing.T) {
	cases := []struct {
		step model.PlanStep
		want live.Inbound
	}{
		{model.PlanStep{Kind: model.PlanLesson, Lesson: "l", Section: "s", Title: "ignored"}, live.Inbound{Type: live.MsgStep, Lesson: "l", Section: "s"}},
		{model.PlanStep{Kind: model.PlanPoll, Title: "Q?", Options: `["a","b"]`, Anonymous: true, Multiple: true}, live.Inbound{Type: live.MsgPollOpen, Prompt: "Q?", Options: []string{"a", "b"}, Anonymous: true, Multiple: true}},
		{model.PlanStep{Kind: model.PlanQuiz, QuizModule: "m", QuestionID: "q", Anonymous: true}, live.Inbound{Type: live.MsgPollOpen, QuizModule: "m", QuizQuestion: "q", Anonymous: true}},
		{model.PlanStep{Kind: model.PlanDiscussion, Title: "Why?", Minutes: 9}, live.Inbound{Type: live.MsgStep, Kind: model.PlanDiscussion, Text: "Why?"}},
		{model.PlanStep{Kind: model.PlanBreak, Title: "Lunch", Minutes: 45}, live.Inbound{Type: live.MsgStep, Kind: model.PlanBreak, Text: "Lunch", Minutes: 45}},
	}
	for _, tc := range cases {
		got := plan.Inbound(&tc.step)
		if got.Type != tc.want.Type || got.Lesson != tc.want.Lesson || got.Section != tc.want.Section || got.Prompt != tc.want.Prompt ||
			!slices.Equal(got.Options, tc.want.Options) || got.Anonymous != tc.want.Anonymous || got.Multiple != tc.want.Multiple ||
			got.QuizModule != tc.want.QuizModule || got.QuizQuestion != tc.want.QuizQuestion || got.Kind != tc.want.Kind ||
			got.Text != tc.want.Text || got.Minutes != tc.want.Minutes {
			t.Errorf("%s step: %+v, want %+v", tc.step.Kind, got, tc.want)
		}
	}
}

func TestScheduleAddsUpTheMinutes(t *testing.T) {
	steps := []model.PlanStep{{Minutes: 15}, {Minutes: 20}, {Minutes: 10}}
	starts, ends := plan.Schedule(steps)
	if !slices.Equal(starts, []int{0, 15, 35}) || !slices.Equal(ends, []int{15, 35, 45}) || plan.Total(steps) != 45 {
		t.Fatalf("starts %v ends %v total %d", starts, ends, plan.Total(steps))
	}
	if got := plan.SplitOptions("Yes\n\n  No \r\n\u202eMaybe"); !slices.Equal(got, []string{"Yes", "No", "Maybe"}) {
		t.Fatalf("options %q", got)
	}
}
