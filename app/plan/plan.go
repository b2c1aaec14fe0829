// Package plan holds the rules of session plans: what each kind of step needs, how a
// module's shipped agenda becomes a plan, how a step's time adds up, and what performing a
// step asks of a live session. It knows nothing of HTTP or storage.
package plan

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/live"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/quiz"
)

// Kinds of step, in the order the pages offer them.
var Kinds = []string{model.PlanLesson, model.PlanPoll, model.PlanQuiz, model.PlanDiscussion, model.PlanBreak}

// Limits of a step's fields. Poll limits are the live session's own (app/live), so a plan
// never holds a poll the session would refuse.
const (
	MaxTitle      = 300
	MaxNotes      = 4000
	MaxMinutes    = 600
	MaxPlanTitle  = 200
	MinOptions    = 2
	MaxOptions    = 10
	MaxOptionText = 120
)

// Options returns a poll step's options.
func Options(st *model.PlanStep) []string {
	var out []string
	_ = json.Unmarshal([]byte(st.Options), &out)
	return out
}

// EncodeOptions is the stored form of a poll's options.
func EncodeOptions(opts []string) string {
	if opts == nil {
		opts = []string{}
	}
	b, _ := json.Marshal(opts)
	return string(b)
}

// SplitOptions reads options written one a line, leaving out blank lines.
func SplitOptions(text string) []string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		if line = freetext.Clean(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// Problems maps a form field to the message id of what is wrong with it.
type Problems map[string]string

// Clean tidies a step as a trainer wrote it and checks it against the plan's course: the
// fields its kind does not use are emptied, and every problem is reported by field.
func Clean(st *model.PlanStep, crs *course.Course, lang string) Problems {
	p := Problems{}
	st.Title, st.Notes, st.Section = freetext.Clean(st.Title), strings.TrimSpace(freetext.StripBidiControls(st.Notes)), freetext.Clean(st.Section)
	if !slices.Contains(Kinds, st.Kind) {
		p["kind"] = "error_plan_kind"
		return p
	}
	if st.Stage != "" && !slices.Contains(course.Stages, st.Stage) {
		p["stage"] = "error_plan_stage"
	}
	if st.Minutes < 1 || st.Minutes > MaxMinutes {
		p["minutes"] = "error_plan_minutes"
	}
	if utf8.RuneCountInString(st.Title) > MaxTitle {
		p["title"] = "error_plan_title_long"
	}
	if utf8.RuneCountInString(st.Notes) > MaxNotes {
		p["notes"] = "error_plan_notes"
	}
	opts := Options(st)
	keep := struct{ lesson, quiz, options, anonymous, multiple bool }{}
	switch st.Kind {
	case model.PlanLesson:
		keep.lesson = true
		l := crs.Lesson(st.Lesson)
		if l == nil {
			p["lesson"] = "error_plan_lesson"
		} else if st.Section != "" && !hasHeading(l, lang, st.Section) {
			p["lesson"] = "error_plan_section"
		}
	case model.PlanQuiz:
		keep.quiz, keep.anonymous = true, true
		if Question(crs, st) == nil {
			p["question"] = "error_plan_question"
		}
	case model.PlanPoll:
		keep.options, keep.anonymous, keep.multiple = true, true, true
		if st.Title == "" {
			p["title"] = "error_plan_prompt"
		}
		bad := len(opts) < MinOptions || len(opts) > MaxOptions
		for _, o := range opts {
			bad = bad || utf8.RuneCountInString(o) > MaxOptionText
		}
		if bad {
			p["options"] = "error_plan_options"
		}
	case model.PlanDiscussion:
		if st.Title == "" {
			p["title"] = "error_plan_prompt"
		}
	}
	if !keep.lesson {
		st.Lesson, st.Section = "", ""
	}
	if !keep.quiz {
		st.QuizModule, st.QuestionID = "", ""
	}
	if !keep.options {
		opts = nil
	}
	st.Options = EncodeOptions(opts)
	st.Anonymous = st.Anonymous && keep.anonymous
	st.Multiple = st.Multiple && keep.multiple
	return p
}

// Question returns the course quiz question a quiz step asks, or nil when the course has no
// such question (any more) or it cannot be asked live.
func Question(crs *course.Course, st *model.PlanStep) *QuizQuestion {
	mod := crs.Module(st.QuizModule)
	if mod == nil || mod.Quiz == nil {
		return nil
	}
	q := mod.Quiz.Question(st.QuestionID)
	if q == nil || !live.Askable(q) {
		return nil
	}
	return &QuizQuestion{Module: mod, Question: q}
}

// Schedule gives each step's start and end, in minutes from the plan's start.
func Schedule(steps []model.PlanStep) (starts, ends []int) {
	at := 0
	for _, st := range steps {
		starts = append(starts, at)
		at += st.Minutes
		ends = append(ends, at)
	}
	return starts, ends
}

// Total is the plan's planned length in minutes.
func Total(steps []model.PlanStep) int {
	n := 0
	for _, st := range steps {
		n += st.Minutes
	}
	return n
}

// Inbound is the live action that performs a step: the same message the console sends, so
// a plan is held to every rule an improvised step is.
func Inbound(st *model.PlanStep) live.Inbound {
	switch st.Kind {
	case model.PlanLesson:
		return live.Inbound{Type: live.MsgStep, Lesson: st.Lesson, Section: st.Section}
	case model.PlanPoll:
		return live.Inbound{Type: live.MsgPollOpen, Prompt: st.Title, Options: Options(st), Anonymous: st.Anonymous, Multiple: st.Multiple}
	case model.PlanQuiz:
		return live.Inbound{Type: live.MsgPollOpen, QuizModule: st.QuizModule, QuizQuestion: st.QuestionID, Anonymous: st.Anonymous}
	case model.PlanBreak:
		return live.Inbound{Type: live.MsgStep, Kind: model.PlanBreak, Text: st.Title, Minutes: st.Minutes}
	}
	return live.Inbound{Type: live.MsgStep, Kind: model.PlanDiscussion, Text: st.Title}
}

// FromAgenda turns a module's shipped agenda into a plan's steps, in lang or, when its
// notes are not written in lang, in the course's default language (fellBack). Steps that
// use a lesson show it; the others are discussion prompts titled as the agenda titles them.
// It returns nil when the module has no trainer notes.
func FromAgenda(mod *course.Module, lang string) (title, textLang string, steps []model.PlanStep, fellBack bool) {
	notes, fellBack := mod.TrainerNotesIn(lang)
	if notes == nil {
		return "", "", nil, false
	}
	for _, a := range notes.Agenda {
		st := model.PlanStep{Kind: model.PlanDiscussion, Stage: a.Stage, Minutes: a.Minutes, Title: a.Title, Notes: a.Notes, Options: EncodeOptions(nil)}
		if a.Lesson != "" {
			st.Kind, st.Lesson = model.PlanLesson, a.Lesson
		}
		steps = append(steps, st)
	}
	return mod.Course.In(mod.Title, notes.Lang), notes.Lang, steps, fellBack
}

// QuizQuestion is a course quiz question with the module it belongs to.
type QuizQuestion struct {
	Module   *course.Module
	Question *quiz.Question
}

// Headings lists the sections of a lesson in lang (or the course's default language) that
// a step may show: its second- and third-level headings, as the course loader found them
// (course.LessonVersion.Headings, which the console lists too). A trainer picks a heading,
// never types an anchor.
func Headings(l *course.Lesson, lang string) []course.Heading {
	v, _ := l.Version(lang)
	if v == nil {
		return nil
	}
	var out []course.Heading
	for _, h := range v.Headings {
		if h.Level == 2 || h.Level == 3 {
			out = append(out, h)
		}
	}
	return out
}

func hasHeading(l *course.Lesson, lang, id string) bool {
	return slices.ContainsFunc(Headings(l, lang), func(h course.Heading) bool { return h.ID == id })
}
