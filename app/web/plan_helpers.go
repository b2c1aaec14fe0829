package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/plan"
)

// Who may do what with a session plan: its owner everything; any other trainer may read,
// print, run and copy it once its owner shares it; to everyone else it does not exist. The
// trainers of a cohort whose session follows a plan also see it on the live console (it is
// shown there, not here).

// planAccess loads the plan in the URL for a trainer who may read it, and tells whether
// they own it. A private plan of someone else is a 404, so its existence is not revealed.
func (s *Server) planAccess(c *fiber.Ctx) (*model.SessionPlan, bool, error) {
	id, err := c.ParamsInt("plan")
	if err != nil {
		return nil, false, fiber.ErrNotFound
	}
	p, err := s.store.Plan(c.UserContext(), int64(id))
	if err != nil {
		return nil, false, err
	}
	own := p.OwnerID == state(c).user.ID
	if !own && !p.Shared {
		return nil, false, fiber.ErrNotFound
	}
	return p, own, nil
}

// planAsOwner is planAccess for changes: a shared plan of someone else is read-only (403).
func (s *Server) planAsOwner(c *fiber.Ctx) (*model.SessionPlan, error) {
	p, own, err := s.planAccess(c)
	if err != nil {
		return nil, err
	}
	if !own {
		return nil, fiber.ErrForbidden
	}
	return p, nil
}

// planCourse is the course a plan is for; nil once the course is gone from the catalog.
func (s *Server) planCourse(p *model.SessionPlan) *course.Course {
	return s.catalog().Course(p.CourseID)
}

func planPath(id int64) string { return "/plans/" + strconv.FormatInt(id, 10) }

// planStepView is a step as the plan pages and the console show it.
type planStepView struct {
	model.PlanStep
	N          int    // 1 first
	Start, End int    // minutes from the plan's start
	Name       string // what the step is called: its title, or what it shows
	Detail     string // the lesson (and section), or the quiz's module
	Options    []string
	First      bool
	Last       bool
}

// KindID and StageID are the message ids of the step's kind and ADIDS stage.
func (v planStepView) KindID() string { return "plan_kind_" + v.Kind }

func (v planStepView) StageID() string {
	if v.Stage == "" {
		return ""
	}
	return "plan_stage_" + v.Stage
}

// Span is the step's place in the plan's time, as "0:15–0:35".
func (v planStepView) Span() string { return hm(v.Start) + "–" + hm(v.End) }

// hm writes minutes as hours and minutes, "1:05".
func hm(minutes int) string {
	return strconv.Itoa(minutes/60) + ":" + twoDigits(minutes%60)
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// planStepViews names every step in the plan's language (or the course's default), with its
// place in the plan's time.
func planStepViews(crs *course.Course, lang string, steps []model.PlanStep) []planStepView {
	starts, ends := plan.Schedule(steps)
	out := make([]planStepView, len(steps))
	for i, st := range steps {
		v := planStepView{PlanStep: st, N: i + 1, Start: starts[i], End: ends[i], Name: st.Title, First: i == 0, Last: i == len(steps)-1}
		if crs != nil {
			switch st.Kind {
			case model.PlanLesson:
				if l := crs.Lesson(st.Lesson); l != nil {
					lv, _ := l.Version(lang)
					v.Detail = lv.Title
					if st.Section != "" {
						for _, h := range plan.Headings(l, lang) {
							if h.ID == st.Section {
								v.Detail += " › " + h.Text
							}
						}
					}
				}
			case model.PlanQuiz:
				if q := plan.Question(crs, &st); q != nil {
					v.Detail = crs.In(q.Module.Title, lang)
					if v.Name == "" {
						v.Name = q.Question.Text(lang, crs.DefaultLanguage).Stem
					}
				}
			case model.PlanPoll:
				v.Options = plan.Options(&st)
			}
		}
		if v.Name == "" && st.Kind == model.PlanLesson {
			v.Name, v.Detail = v.Detail, ""
		}
		out[i] = v
	}
	return out
}

// planStepForm is the form that adds or edits one step; its fields depend on the kind.
type planStepForm struct {
	Action   string
	ID       string // prefix of the fields' ids, unique on the page
	Kind     string
	Open     bool // shown unfolded (it was sent with a problem)
	Lang     string
	Dir      string
	Title    string
	Minutes  string
	Stage    string
	Notes    string
	Target   string // lesson, or lesson#section
	Question string // module/question
	Options  string // one a line
	Anon     bool
	Multiple bool
	Errors   map[string]string

	Lessons   []choiceGroup
	Questions []choiceGroup
	Stages    []string
}

type choiceGroup struct {
	Label   string
	Choices []choice
}

type choice struct{ Value, Label string }

// KindID is the message id of the form's kind.
func (f *planStepForm) KindID() string { return "plan_kind_" + f.Kind }

// stepForm prepares an empty or filled-in form for a step of a plan of crs.
func stepForm(crs *course.Course, p *model.SessionPlan, dir, action, id string, st *model.PlanStep) *planStepForm {
	f := &planStepForm{Action: action, ID: id, Kind: st.Kind, Lang: p.Lang, Dir: dir, Title: st.Title, Stage: st.Stage, Notes: st.Notes,
		Question: st.QuizModule + "/" + st.QuestionID, Anon: st.Anonymous, Multiple: st.Multiple,
		Errors: map[string]string{}, Stages: course.Stages}
	if st.Minutes > 0 {
		f.Minutes = strconv.Itoa(st.Minutes)
	}
	f.Target = st.Lesson
	if st.Section != "" {
		f.Target += "#" + st.Section
	}
	f.Options = strings.Join(plan.Options(st), "\n")
	if crs == nil {
		return f
	}
	switch st.Kind {
	case model.PlanLesson:
		for _, mod := range crs.Modules {
			g := choiceGroup{Label: crs.In(mod.Title, p.Lang)}
			for _, l := range mod.Lessons {
				v, _ := l.Version(p.Lang)
				g.Choices = append(g.Choices, choice{Value: l.ID, Label: v.Title})
				for _, h := range plan.Headings(l, p.Lang) {
					indent := " › "
					if h.Level == 3 {
						indent = " › › "
					}
					g.Choices = append(g.Choices, choice{Value: l.ID + "#" + h.ID, Label: v.Title + indent + h.Text})
				}
			}
			f.Lessons = append(f.Lessons, g)
		}
	case model.PlanQuiz:
		for _, mod := range crs.Quizzes() {
			g := choiceGroup{Label: crs.In(mod.Title, p.Lang)}
			for _, q := range mod.Quiz.Questions {
				st := model.PlanStep{QuizModule: mod.ID, QuestionID: q.ID}
				if plan.Question(crs, &st) != nil {
					g.Choices = append(g.Choices, choice{Value: mod.ID + "/" + q.ID, Label: q.Text(p.Lang, crs.DefaultLanguage).Stem})
				}
			}
			f.Questions = append(f.Questions, g)
		}
	}
	return f
}

// readStepForm reads a step's form into st (of st.Kind) and the form that shows it again.
func readStepForm(c *fiber.Ctx, st *model.PlanStep) {
	st.Title, st.Notes, st.Stage = c.FormValue("title"), c.FormValue("notes"), c.FormValue("stage")
	st.Minutes, _ = strconv.Atoi(strings.TrimSpace(c.FormValue("minutes")))
	st.Lesson, st.Section, _ = strings.Cut(c.FormValue("target"), "#")
	st.QuizModule, st.QuestionID, _ = strings.Cut(c.FormValue("question"), "/")
	st.Options = plan.EncodeOptions(plan.SplitOptions(c.FormValue("options")))
	st.Anonymous, st.Multiple = c.FormValue("anonymous") != "", c.FormValue("multiple") != ""
}

// localised turns plan.Problems into the messages a form shows.
func localised(loc *locale.Localizer, p plan.Problems) map[string]string {
	out := map[string]string{}
	for field, id := range p {
		out[field] = loc.T(id)
	}
	return out
}

// textDir is the direction of text written in lang.
func (s *Server) textDir(lang string) string {
	if l, ok := s.locales.Lookup(lang); ok {
		return l.Lang.Dir
	}
	return "auto"
}
