package web

// The personal learning plan (/my-plan): the risk intake's questions as one form, and the
// plan its rules make (app/intake). Answers travel in POST bodies only, never in a URL (which
// ends up in history, logs and other tools), and are stored only when a signed-in learner
// saves the plan. The request log names the route, never the form.

import (
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/intake"
	"github.com/cairn-lms/cairn/app/store"
)

// noStore keeps a page with answers or a plan out of the browser's cache: on a shared or
// seized device, Back or the cache must not show it again.
func noStore(c *fiber.Ctx) { c.Set(fiber.HeaderCacheControl, "no-store") }

// currentIntake is the published risk intake; a 404 when the courses folder has none.
func (s *Server) currentIntake() (*intake.Intake, error) {
	in := s.intake.Load()
	if in == nil {
		return nil, fiber.ErrNotFound
	}
	return in, nil
}

// readIntakeForm reads the answers from the POST body (fiber's FormValue would also read the
// query string).
func readIntakeForm(c *fiber.Ctx, in *intake.Intake) (intake.Answers, []string) {
	args := c.Request().PostArgs()
	return in.Read(func(question string) []string {
		var out []string
		for _, v := range args.PeekMulti(question) {
			out = append(out, string(v))
		}
		return out
	})
}

func intakeText(t intake.Texts, lang, def string) course.Text {
	text, in := t.In(lang, def)
	return course.Text{Text: text, Lang: in}
}

type intakeAnswerView struct {
	ID      string
	Text    course.Text
	Checked bool
}

type intakeQuestionView struct {
	ID       string
	Multiple bool
	Text     course.Text
	Hint     course.Text
	Answers  []intakeAnswerView
	Invalid  bool // the form sent an answer this question does not have
}

type intakeFormData struct {
	Questions []intakeQuestionView
	Error     string
	HasSaved  bool // a signed-in learner with a saved plan (the form shows their answers)
}

func intakeFormView(in *intake.Intake, lang string, a intake.Answers, bad []string) []intakeQuestionView {
	var out []intakeQuestionView
	for _, q := range in.Questions {
		qv := intakeQuestionView{ID: q.ID, Multiple: q.Type == intake.Multiple, Text: intakeText(q.Text, lang, in.DefaultLanguage),
			Hint: intakeText(q.Hint, lang, in.DefaultLanguage), Invalid: slices.Contains(bad, q.ID)}
		for _, ans := range q.Answers {
			qv.Answers = append(qv.Answers, intakeAnswerView{ID: ans.ID, Text: intakeText(ans.Text, lang, in.DefaultLanguage), Checked: a.Has(q.ID, ans.ID)})
		}
		out = append(out, qv)
	}
	return out
}

// hiddenAnswer is one chosen answer, carried in the plan page's forms (save, change).
type hiddenAnswer struct{ Question, Answer string }

func hiddenAnswers(in *intake.Intake, a intake.Answers) []hiddenAnswer {
	var out []hiddenAnswer
	for _, q := range in.Questions {
		for _, id := range a[q.ID] {
			out = append(out, hiddenAnswer{Question: q.ID, Answer: id})
		}
	}
	return out
}

type intakeStepView struct {
	Checklist bool
	Title     course.Text // the lesson's title, or the checklist item's text
	Lesson    course.Text // for a checklist item: its lesson
	Course    course.Text
	URL       string
	Minutes   int
	Why       []course.Text
	Done      bool
}

type intakeGroupView struct {
	Priority string
	Steps    []intakeStepView
}

type intakePlanData struct {
	Groups    []intakeGroupView
	Answers   []hiddenAnswer
	Progress  bool // signed in: each step says whether it is done
	Done      int
	Total     int
	Saved     bool      // the learner's saved plan
	SavedOn   time.Time // the day it was saved
	Outdated  bool      // the questions changed since the answers were saved
	CanChange bool
}

// planView resolves a plan's steps to titles and links in lang, and, for a signed-in
// learner, whether each is done (a lesson marked complete, a checklist item ticked).
func (s *Server) planView(c *fiber.Ctx, in *intake.Intake, a intake.Answers) (*intakePlanData, error) {
	plan := in.Plan(a)
	cat := s.catalog()
	lang := lang(c)
	data := &intakePlanData{Answers: hiddenAnswers(in, in.Known(a)), CanChange: true}
	var progress *store.Progress
	var ticks store.Ticks
	if u := state(c).user; u != nil {
		var err error
		if progress, err = s.store.LearnerProgress(c.UserContext(), u.ID, plan.Courses()...); err != nil {
			return nil, err
		}
		if ticks, err = s.store.ChecklistTicks(c.UserContext(), u.ID, plan.Courses()...); err != nil {
			return nil, err
		}
		data.Progress = true
	}
	for _, g := range plan.Groups() {
		gv := intakeGroupView{Priority: g.Priority}
		for _, st := range g.Steps {
			v, ok := stepView(cat, st, lang, in.DefaultLanguage)
			if !ok {
				continue // the course changed since the intake was checked; reloading checks again
			}
			it := st.Item
			if progress != nil {
				if it.Kind == intake.KindChecklist {
					v.Done = ticks.Lesson(it.Course, it.Lesson)[it.Check]
				} else {
					v.Done = progress.Lessons[it.Course][it.Lesson]
				}
			}
			if v.Done {
				data.Done++
			}
			data.Total++
			gv.Steps = append(gv.Steps, v)
		}
		if len(gv.Steps) > 0 {
			data.Groups = append(data.Groups, gv)
		}
	}
	return data, nil
}

func stepView(cat *course.Catalog, st intake.Step, lang, def string) (intakeStepView, bool) {
	it := st.Item
	co := cat.Course(it.Course)
	if co == nil || co.Lesson(it.Lesson) == nil {
		return intakeStepView{}, false
	}
	lv, _ := co.Lesson(it.Lesson).Version(lang)
	v := intakeStepView{
		Course:  co.TextIn(co.Title, lang),
		Title:   course.Text{Text: lv.Title, Lang: lv.Lang},
		URL:     "/courses/" + co.ID + "/lessons/" + it.Lesson,
		Minutes: lv.Minutes,
	}
	for _, why := range st.Why {
		v.Why = append(v.Why, intakeText(why, lang, def))
	}
	if it.Kind != intake.KindChecklist {
		return v, true
	}
	i := slices.IndexFunc(lv.Checklist, func(ci course.ChecklistItem) bool { return ci.ID == it.Check })
	if i < 0 {
		return intakeStepView{}, false
	}
	v.Checklist, v.Lesson = true, v.Title
	v.Title = course.Text{Text: lv.Checklist[i].Text, Lang: lv.Lang}
	v.URL += "#checklist"
	return v, true
}
