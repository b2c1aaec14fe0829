package offline

import (
	"encoding/json"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/quiz"
)

var funcs = template.FuncMap{
	"langDir": langDir,
	"inc":     func(i int) int { return i + 1 },
}

var langTagRE = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)

// langDir writes the lang and dir attributes of content written in lang (the site's own
// helper of the same name does the same).
func langDir(lang string) template.HTMLAttr {
	if !langTagRE.MatchString(lang) {
		return ""
	}
	return template.HTMLAttr(`lang="` + lang + `" dir="` + locale.Dir(lang) + `"`) //nolint:gosec // checked just above
}

// Page is what every offline template receives. Translation methods come from the embedded
// Localizer, as on the site.
type Page struct {
	*locale.Localizer
	Title  string
	Root   string // the way up to the bundle's top folder: "" or "../"
	Course *course.Course
	// CourseTitle is the course's title in the page's language.
	CourseTitle course.Text
	Made        time.Time
	// Switch links the same page in the bundle's other languages (empty on the top index).
	Switch []langLink
	Data   any
}

type langLink struct {
	Tag, Name, Href string
	Current         bool
}

// site renders every page of one bundle.
type site struct {
	b      *Builder
	course *course.Course
	langs  []string
	made   time.Time
}

func (s *site) pages() ([]page, error) {
	var out []page
	idx, err := s.b.render("index", s.page(s.b.localizer(s.langs[0]), "", "", indexData{Languages: s.switcher("", "index.html")}))
	if err != nil {
		return nil, err
	}
	out = append(out, page{name: "index.html", body: idx})
	for _, lang := range s.langs {
		ps, err := s.languagePages(lang)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}

func (s *site) page(loc *locale.Localizer, root, title string, data any) *Page {
	return &Page{Localizer: loc, Title: title, Root: root, Course: s.course,
		CourseTitle: s.course.TextIn(s.course.Title, loc.Lang.Tag), Made: s.made, Data: data}
}

// switcher links file in every language of the bundle.
func (s *site) switcher(current, file string) []langLink {
	var out []langLink
	for _, l := range s.langs {
		href := l + "/" + file
		if current != "" {
			href = "../" + href
		}
		out = append(out, langLink{Tag: l, Name: s.b.languageName(l), Href: href, Current: l == current})
	}
	return out
}

type indexData struct{ Languages []langLink }

type courseData struct {
	Summary course.Text
	Modules []moduleView
	First   string // file of the first lesson
}

type moduleView struct {
	Title   course.Text
	Lessons []lessonLink
	Quiz    string // file of the module's quiz; "" when it has none in the bundle
	// Withheld: the module has a quiz whose author keeps its answers from learners, which a
	// static page cannot do; it is left out of the bundle.
	Withheld bool
}

type lessonLink struct {
	File, Title, Lang string
	Minutes           int
}

func lessonFile(id string) string { return "lesson-" + id + ".html" }
func quizFile(id string) string   { return "quiz-" + id + ".html" }

// inBundle tells whether a module's quiz goes into bundles: not when its author chose never to
// show learners the answers, since a static page can only grade by carrying them.
func inBundle(m *course.Module) bool { return m.Quiz != nil && m.Quiz.Review.Answers != quiz.ShowNever }

func (s *site) languagePages(lang string) ([]page, error) {
	loc := s.b.localizer(lang)
	c := s.course
	var out []page
	cd := courseData{Summary: c.TextIn(c.Summary, lang), First: lessonFile(c.Lessons[0].ID)}
	for _, m := range c.Modules {
		mv := moduleView{Title: c.TextIn(m.Title, lang), Withheld: m.Quiz != nil && !inBundle(m)}
		if inBundle(m) {
			mv.Quiz = quizFile(m.ID)
		}
		for _, l := range m.Lessons {
			v, _ := l.Version(lang)
			mv.Lessons = append(mv.Lessons, lessonLink{File: lessonFile(l.ID), Title: v.Title, Lang: v.Lang, Minutes: v.Minutes})
		}
		cd.Modules = append(cd.Modules, mv)
	}
	p := s.page(loc, "../", s.course.TextIn(c.Title, lang).Text, cd)
	p.Switch = s.switcher(lang, "index.html")
	body, err := s.b.render("course", p)
	if err != nil {
		return nil, err
	}
	out = append(out, page{name: lang + "/index.html", body: body})
	for _, l := range c.Lessons {
		ld := s.lesson(l, lang)
		p := s.page(loc, "../", ld.Version.Title, ld)
		p.Switch = s.switcher(lang, lessonFile(l.ID))
		body, err := s.b.render("lesson", p)
		if err != nil {
			return nil, err
		}
		out = append(out, page{name: lang + "/" + lessonFile(l.ID), body: body})
	}
	for _, m := range c.Modules {
		if !inBundle(m) {
			continue
		}
		qd := s.quiz(m, loc)
		p := s.page(loc, "../", qd.Title.Text, qd)
		p.Switch = s.switcher(lang, quizFile(m.ID))
		body, err := s.b.render("quiz", p)
		if err != nil {
			return nil, err
		}
		out = append(out, page{name: lang + "/" + quizFile(m.ID), body: body})
	}
	return out, nil
}

type lessonData struct {
	ModuleTitle course.Text
	Version     *course.LessonVersion
	FellBack    bool
	HTML        template.HTML // the lesson's HTML with links made relative
	Prev, Next  *lessonLink
	Quiz        string // the module's quiz, after its last lesson
}

func (s *site) lesson(l *course.Lesson, lang string) lessonData {
	v, fellBack := l.Version(lang)
	d := lessonData{ModuleTitle: s.course.TextIn(l.Module.Title, lang), Version: v, FellBack: fellBack,
		HTML: relink(v.HTML, s.course, s.hasQuiz)}
	if p := l.Prev(); p != nil {
		pv, _ := p.Version(lang)
		d.Prev = &lessonLink{File: lessonFile(p.ID), Title: pv.Title, Lang: pv.Lang}
	}
	if n := l.Next(); n != nil {
		nv, _ := n.Version(lang)
		d.Next = &lessonLink{File: lessonFile(n.ID), Title: nv.Title, Lang: nv.Lang}
	}
	if l.LastInModule() && inBundle(l.Module) {
		d.Quiz = quizFile(l.Module.ID)
	}
	return d
}

func (s *site) hasQuiz(moduleID string) bool {
	m := s.course.Module(moduleID)
	return m != nil && inBundle(m)
}

type quizData struct {
	Title     course.Text
	PassMark  int
	Questions []questionView
	// Results holds the sentence for every possible score, made here with the language's
	// plural rules and digits: the script only picks one.
	Results []resultLine
	Next    string // the lesson after the module, or "" (back to the course)
}

type resultLine struct {
	Score  int
	Passed bool
	Text   string
}

type questionView struct {
	Number    int
	Type      string
	Lang      string // of the question's text
	Stem      template.HTML
	Options   []optionView
	Positions []int
	// What the script compares a typed answer with (short answers): the accepted answers,
	// already normalised by the server's rule, and the rule's name.
	Accept, Match string
	// Shown behind the <details> control: the right answer, the feedback of each choice
	// and the explanation.
	Expected    []template.HTML
	ExpectedSep string
	Feedback    []feedbackView
	Explanation template.HTML
}

type optionView struct {
	Value   string // position in the page, never the author's option id
	Text    template.HTML
	Lang    string
	Correct bool // single, multiple, true/false
	Rank    int  // ordering: the right position, from 1
}

type feedbackView struct {
	Option   template.HTML
	Lang     string
	Correct  bool
	Feedback template.HTML
}

// quizSeed fixes the order of options in a bundle: shuffled as on the site, so the right one
// is not always first, and the same in every copy of one version.
func (s *site) quizSeed() string { return "offline/" + s.course.Version }

func (s *site) quiz(m *course.Module, loc *locale.Localizer) quizData {
	c, lang := s.course, loc.Lang.Tag
	z := m.Quiz
	d := quizData{Title: c.TextIn(m.Title, lang), PassMark: z.PassMark}
	escaped := func(t string) template.HTML { return template.HTML(template.HTMLEscapeString(t)) } //nolint:gosec // escaped
	for i, p := range z.Present(s.quizSeed()) {
		t := p.Text(lang, c.DefaultLanguage)
		def := p.Text(c.DefaultLanguage, c.DefaultLanguage)
		q := questionView{Number: i + 1, Type: p.Type, Lang: t.Lang, Stem: t.StemHTML, Explanation: t.ExplanationHTML,
			ExpectedSep: s.b.localizer(t.Lang).T("list_separator")}
		option := func(id string) (template.HTML, string) {
			if h := t.OptionsHTML[id]; h != "" {
				return h, t.Lang
			}
			return def.OptionsHTML[id], def.Lang
		}
		feedback := func(key string) template.HTML {
			if h := t.FeedbackHTML[key]; h != "" {
				return h
			}
			return def.FeedbackHTML[key]
		}
		switch p.Type {
		case quiz.TrueFalse:
			for _, v := range []string{"true", "false"} {
				right := (v == "true") == p.Answer
				q.Options = append(q.Options, optionView{Value: v, Text: escaped(loc.T("quiz_" + v)), Lang: lang, Correct: right})
				if fb := feedback(v); fb != "" {
					q.Feedback = append(q.Feedback, feedbackView{Option: escaped(loc.T("quiz_" + v)), Lang: t.Lang, Correct: right, Feedback: fb})
				}
				if right {
					q.Expected = []template.HTML{escaped(loc.T("quiz_" + v))}
				}
			}
			q.ExpectedSep = loc.T("list_separator")
		case quiz.Short:
			accept := t.Accept
			if len(accept) == 0 {
				accept = def.Accept
			}
			norm := make([]string, 0, len(accept))
			for _, a := range accept {
				q.Expected = append(q.Expected, escaped(a))
				if n, ok := quiz.Normalize(p.Match, a); ok {
					norm = append(norm, n)
				}
			}
			b, _ := json.Marshal(norm)
			q.Accept, q.Match = string(b), p.Match
			if q.Match == "" {
				q.Match = quiz.MatchWords
			}
		default:
			rank := map[string]int{}
			for r, o := range p.Options {
				rank[o.ID] = r + 1
			}
			for pos, id := range p.OptionIDs {
				text, in := option(id)
				correct := false
				for _, o := range p.Options {
					if o.ID == id {
						correct = o.Correct
					}
				}
				q.Options = append(q.Options, optionView{Value: strconv.Itoa(pos), Text: text, Lang: in, Correct: correct, Rank: rank[id]})
				if fb := feedback(id); fb != "" {
					q.Feedback = append(q.Feedback, feedbackView{Option: text, Lang: in, Correct: correct, Feedback: fb})
				}
			}
			for r, o := range p.Options {
				if p.Type == quiz.Ordering || o.Correct {
					text, _ := option(o.ID)
					q.Expected = append(q.Expected, text)
				}
				if p.Type == quiz.Ordering {
					q.Positions = append(q.Positions, r+1)
				}
			}
		}
		d.Questions = append(d.Questions, q)
	}
	max := len(z.Questions)
	for score := 0; score <= max; score++ {
		percent := 0
		if max > 0 {
			percent = score * 100 / max
		}
		line := resultLine{Score: score, Passed: percent >= z.PassMark}
		if line.Passed {
			line.Text = loc.N("quiz_result_passed", max, "Score", score, "Max", max, "Percent", percent)
		} else {
			line.Text = loc.N("quiz_result_failed", max, "Score", score, "Max", max, "Percent", percent, "PassMark", z.PassMark)
		}
		d.Results = append(d.Results, line)
	}
	if last := m.Lessons[len(m.Lessons)-1]; last.Next() != nil {
		d.Next = lessonFile(last.Next().ID)
	}
	return d
}

// TContent translates id with a piece of course content in place of key, marked with the
// content's language and direction (as the site's page does).
func (p *Page) TContent(id, key string, content course.Text) template.HTML {
	const mark = "\uFFFF" // a noncharacter: never in a message or in content
	before, after, ok := strings.Cut(p.T(id, key, mark), mark)
	if !ok {
		return template.HTML(template.HTMLEscapeString(before)) //nolint:gosec // escaped
	}
	return template.HTML(template.HTMLEscapeString(before) + "<span " + string(langDir(content.Lang)) + ">" + //nolint:gosec // escaped
		template.HTMLEscapeString(content.Text) + "</span>" + template.HTMLEscapeString(after))
}
