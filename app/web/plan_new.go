package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/plan"
)

type planNewData struct {
	Courses  []langOption
	Langs    []langOption
	CourseID string
	Lang     string
	Title    string
	Shared   bool
	Errors   map[string]string
	Agendas  []agendaCourse
}

// agendaCourse is a course whose modules ship trainer notes with an agenda.
type agendaCourse struct {
	ID, Title string
	Modules   []agendaModule
}

// agendaModule is a module's shipped agenda, read-only, as a starting point for a plan.
type agendaModule struct {
	ID, Title string
	Lang, Dir string // the language the agenda is shown in
	FellBack  bool   // not written in the reader's language
	Materials []string
	Steps     []planStepView
	Minutes   int
	Langs     []langOption // the languages the notes are written in
}

// newPlanData prepares the page that starts a plan: blank, or from a shipped agenda.
func (s *Server) newPlanData(c *fiber.Ctx) *planNewData {
	d := &planNewData{Lang: lang(c), Errors: map[string]string{}}
	for _, crs := range s.catalog().All() {
		d.Courses = append(d.Courses, langOption{Tag: crs.ID, Name: crs.In(crs.Title, lang(c))})
		if ac := s.agendaCourse(crs, lang(c)); len(ac.Modules) > 0 {
			d.Agendas = append(d.Agendas, ac)
		}
	}
	for _, l := range s.locales.Languages() {
		d.Langs = append(d.Langs, langOption{Tag: l.Tag, Name: l.Name})
	}
	return d
}

// agendaCourse lists crs's shipped agendas in lang, or the course's default language.
func (s *Server) agendaCourse(crs *course.Course, lang string) agendaCourse {
	ac := agendaCourse{ID: crs.ID, Title: crs.In(crs.Title, lang)}
	for _, mod := range crs.Modules {
		notes, fellBack := mod.TrainerNotesIn(lang)
		if notes == nil || len(notes.Agenda) == 0 {
			continue
		}
		_, textLang, steps, _ := plan.FromAgenda(mod, lang)
		am := agendaModule{ID: mod.ID, Title: crs.In(mod.Title, textLang), Lang: textLang, Dir: s.textDir(textLang), FellBack: fellBack,
			Materials: notes.Materials, Steps: planStepViews(crs, textLang, steps), Minutes: plan.Total(steps)}
		for _, l := range s.locales.Languages() {
			if _, ok := mod.TrainerNotes[l.Tag]; ok {
				am.Langs = append(am.Langs, langOption{Tag: l.Tag, Name: l.Name})
			}
		}
		ac.Modules = append(ac.Modules, am)
	}
	return ac
}

// showNewPlan offers a blank plan or a copy of a module's shipped agenda.
func (s *Server) showNewPlan(c *fiber.Ctx) error {
	d := s.newPlanData(c)
	d.CourseID = c.Query("course")
	return s.render(c, fiber.StatusOK, "plan_new", "plan_new_title", d)
}
