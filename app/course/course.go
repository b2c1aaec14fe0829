// Package course reads the course folders (YAML and Markdown), validates them with
// file:line problems, renders every lesson once, and answers catalog queries from memory.
package course

import (
	"html/template"
	"slices"
	"strings"

	"github.com/cairn-lms/cairn/app/quiz"
)

// Levels a course may declare, easiest first.
var Levels = []string{"beginner", "intermediate", "advanced"}

// Course is a published course, fully rendered.
type Course struct {
	ID              string
	Version         string
	DefaultLanguage string
	Level           string
	Minutes         int
	Tags            []string
	Licence         string
	Authors         []string
	Title           map[string]string
	Summary         map[string]string
	Prerequisites   []string // ids of courses best taken first
	Modules         []*Module
	Lessons         []*Lesson // every lesson, in course order
	// Languages the course is complete in (title and every lesson), default first.
	Languages []string
	// ReviewPending lists the languages, sorted, in which some lesson or quiz text is a
	// translation that no second reader has checked yet (review: pending).
	ReviewPending []string
	Media         map[string][]byte // media path ("module/lesson/file.png") → bytes

	lessonsByID map[string]*Lesson
	search      string       // folded text the catalog search matches against
	prereqs     []idRef      // Prerequisites with their lines, checked once every course is loaded
	links       []courseLink // links to other courses' lessons, checked once every course is loaded
}

// Module groups lessons and an optional quiz.
type Module struct {
	ID            string
	Title         map[string]string
	Level         string   // the module's own level, or the course's
	Prerequisites []string // ids of earlier modules of the course best done first
	Lessons       []*Lesson
	Quiz          *quiz.Quiz // nil when the module has none
	// TrainerNotes are the module's notes for people running it as a workshop, by
	// language; only trainers and admins see them.
	TrainerNotes map[string]*TrainerNotes
	// QuizProvenance tells, by language, how the quiz's translated texts stand against
	// the default language's (quiz.<lang>.yaml against quiz.<default>.yaml); the default
	// language has no entry.
	QuizProvenance map[string]Provenance
	Course         *Course
}

// Stages of an agenda step: the ADIDS rhythm (activity, discussion, input, deepening,
// synthesis) that adult-learning curricula for defenders follow.
var Stages = []string{"activity", "discussion", "input", "deepening", "synthesis"}

// TrainerNotes is a module's trainer notes in one language.
type TrainerNotes struct {
	Lang      string
	Materials []string
	Agenda    []AgendaStep
	HTML      template.HTML // the Markdown body, sanitised
	// Provenance of a translation against the default language's notes (zero for those).
	Provenance Provenance

	rev   string // revision of the file
	claim claim
}

// AgendaStep is one step of a workshop plan.
type AgendaStep struct {
	Stage   string // one of Stages
	Title   string
	Notes   string
	Lesson  string // id of a lesson of the module the step uses, or ""
	Minutes int
}

// ChecklistItem is one "what now" action at the end of a lesson. Progress is stored against
// its ID, which therefore never changes.
type ChecklistItem struct {
	ID, Text string
}

// Lesson is one lesson in every language it exists in.
type Lesson struct {
	ID       string
	Module   *Module
	Index    int // position in the course, from 0
	Versions map[string]*LessonVersion
}

// LessonVersion is a lesson in one language, rendered to sanitised HTML.
type LessonVersion struct {
	Lang       string
	Title      string
	Minutes    int
	Objectives []string // what a learner can do after the lesson
	Checklist  []ChecklistItem
	HTML       template.HTML
	// Headings are the anchored headings of HTML, in order: what a trainer can take a live
	// session to (a step's section).
	Headings []Heading
	// Provenance of a translation against the default language's version (zero for that
	// one): whether it is out of date, and whether it awaits a second reader.
	Provenance Provenance

	rev   string // revision of the file
	claim claim
}

// Heading is one heading of a lesson: its anchor (the id of the element in HTML), its text
// without markup, and its level (1 for #, 2 for ##…).
type Heading struct {
	ID, Text string
	Level    int
}

// Heading returns the heading with anchor id, or nil.
func (v *LessonVersion) Heading(id string) *Heading {
	for i := range v.Headings {
		if v.Headings[i].ID == id {
			return &v.Headings[i]
		}
	}
	return nil
}

// Lesson returns the lesson with id, or nil.
func (c *Course) Lesson(id string) *Lesson { return c.lessonsByID[id] }

// Module returns the module with id, or nil.
func (c *Course) Module(id string) *Module {
	for _, m := range c.Modules {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// Quizzes returns the modules that have a quiz, in course order.
func (c *Course) Quizzes() []*Module {
	var out []*Module
	for _, m := range c.Modules {
		if m.Quiz != nil {
			out = append(out, m)
		}
	}
	return out
}

// In returns text in lang, or in the course's default language.
func (c *Course) In(text map[string]string, lang string) string {
	if t, ok := text[lang]; ok && t != "" {
		return t
	}
	return text[c.DefaultLanguage]
}

// Text is a piece of course content with the language it is written in, which a page in
// another interface language marks with lang and dir (an English course in an Arabic
// catalogue is laid out and read aloud as English). It prints as its text.
type Text struct {
	Text string
	Lang string
}

func (t Text) String() string { return t.Text }

// TextIn is In with the language the text is in.
func (c *Course) TextIn(text map[string]string, lang string) Text {
	if t, ok := text[lang]; ok && t != "" {
		return Text{Text: t, Lang: lang}
	}
	return Text{Text: text[c.DefaultLanguage], Lang: c.DefaultLanguage}
}

// HasLanguage tells whether the course is complete in lang.
func (c *Course) HasLanguage(lang string) bool { return slices.Contains(c.Languages, lang) }

// Version returns the lesson in lang, falling back to the course default; fellBack tells
// whether it did, so the page can say so.
func (l *Lesson) Version(lang string) (v *LessonVersion, fellBack bool) {
	if v, ok := l.Versions[lang]; ok {
		return v, false
	}
	return l.Versions[l.Module.Course.DefaultLanguage], true
}

// TrainerNotesIn returns the module's trainer notes in lang, falling back to the course
// default; nil when the module has none.
func (m *Module) TrainerNotesIn(lang string) (n *TrainerNotes, fellBack bool) {
	if n, ok := m.TrainerNotes[lang]; ok {
		return n, false
	}
	n = m.TrainerNotes[m.Course.DefaultLanguage]
	return n, n != nil
}

// LanguageList returns the languages this lesson exists in, default first.
func (l *Lesson) LanguageList() []string {
	def := l.Module.Course.DefaultLanguage
	out := []string{def}
	var rest []string
	for lang := range l.Versions {
		if lang != def {
			rest = append(rest, lang)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// Prev and Next are the neighbouring lessons in course order, or nil.
func (l *Lesson) Prev() *Lesson {
	if l.Index == 0 {
		return nil
	}
	return l.Module.Course.Lessons[l.Index-1]
}

// Next is the following lesson in course order, or nil.
func (l *Lesson) Next() *Lesson {
	all := l.Module.Course.Lessons
	if l.Index+1 >= len(all) {
		return nil
	}
	return all[l.Index+1]
}

// LastInModule tells whether the module's quiz (if any) comes after this lesson.
func (l *Lesson) LastInModule() bool {
	ls := l.Module.Lessons
	return ls[len(ls)-1] == l
}

func foldForSearch(s string) string { return strings.ToLower(quiz.NormalizeShortKeepSpaces(s)) }
