package course

import (
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/cairn-lms/cairn/app/quiz"
)

// MaxImageBytes keeps lesson pages light on slow connections.
const MaxImageBytes = 512 * 1024

// Options adjust loading; the zero value works.
type Options struct {
	// CalloutLabel returns the heading of a callout ("tip", "warning", "note") in a language.
	CalloutLabel func(lang, kind string) string
	// Glossaries, when given, are checked against every text in their language, each use of
	// a word to avoid being a warning (cairn courses check gives them; the server does not).
	Glossaries []*Glossary
	// TableLabel names, in a language, the box a lesson's table scrolls in (for screen
	// readers: the box is a region).
	TableLabel func(lang string) string
}

// Load reads every course folder directly under the root of fsys. label is how the root is
// named in problems (e.g. "courses"). Courses with errors are left out of the catalog; every
// problem, errors and warnings, is returned.
func Load(fsys fs.FS, label string, opts Options) (*Catalog, []Problem) {
	env := newLoadEnv(opts)
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return NewCatalog(nil), []Problem{{File: label, Msg: err.Error()}}
	}
	var all []Problem
	var courses []*Course
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "_") {
			continue
		}
		c, ps := loadCourse(fsys, e.Name(), path.Join(label, e.Name()), env)
		all = append(all, ps...)
		if !ps.hasErrors() {
			courses = append(courses, c)
		}
	}
	all = append(all, coursePrerequisites(courses, label)...)
	return NewCatalog(courses), append(all, courseLinks(courses)...)
}

// coursePrerequisites warns about prerequisites that name no published course: the course
// still works, but its "take first" link would lead nowhere. A single course checked on its
// own (LoadOne) cannot know the others, so only Load checks this.
func coursePrerequisites(courses []*Course, label string) []Problem {
	ids := map[string]bool{}
	for _, c := range courses {
		ids[c.ID] = true
	}
	var ps problems
	for _, c := range courses {
		for _, ref := range c.prereqs {
			if ref.ID != c.ID && !ids[ref.ID] {
				ps.warnf(path.Join(label, c.ID, "course.yaml"), ref.line, "prerequisite %q is not among the published courses", ref.ID)
			}
		}
	}
	return ps
}

// courseLinks warns about links to lessons of other courses that lead nowhere: a course that
// is not published, a lesson it does not have, or an anchor that is not a heading of that
// lesson in the language of the linking file (the version a reader of that file is shown,
// the course default when the lesson is not translated). Heading anchors come from the
// heading text, so a translation of either course can break one. Like prerequisites, only
// Load can check them; a course checked on its own (LoadOne) cannot see the others.
func courseLinks(courses []*Course) []Problem {
	byID := map[string]*Course{}
	for _, c := range courses {
		byID[c.ID] = c
	}
	var ps problems
	for _, c := range courses {
		for _, l := range c.links {
			target := byID[l.course]
			if target == nil {
				ps.warnf(l.file, l.line, "link %q: course %q is not among the published courses", l.dest, l.course)
				continue
			}
			lesson := target.Lesson(l.lesson)
			if lesson == nil {
				ps.warnf(l.file, l.line, "link %q: course %q has no lesson %q", l.dest, l.course, l.lesson)
				continue
			}
			if l.anchor == "" {
				continue
			}
			anchor := l.anchor
			if u, err := url.PathUnescape(anchor); err == nil {
				anchor = u
			}
			v, _ := lesson.Version(l.lang)
			// "checklist" is the lesson page's own anchor for the checklist at its end.
			if v.Heading(anchor) == nil && (anchor != "checklist" || len(v.Checklist) == 0) {
				ps.warnf(l.file, l.line, "link %q: lesson %q of course %q has no heading #%s in %s", l.dest, l.lesson, l.course, anchor, v.Lang)
			}
		}
	}
	return ps
}

// LoadOne reads a single course folder (the root of fsys).
func LoadOne(fsys fs.FS, dirName, label string, opts Options) (*Course, []Problem) {
	c, ps := loadCourse(fsys, ".", label, newLoadEnv(opts))
	if c != nil && c.ID != dirName && dirName != "" {
		ps.errorf(path.Join(label, "course.yaml"), 1, "id %q must equal the folder name %q", c.ID, dirName)
	}
	if ps.hasErrors() {
		return nil, ps
	}
	return c, ps
}

// loadEnv is what every course of one load shares.
type loadEnv struct {
	md *markdown
	gl glossaryIndex // nil when no glossary is checked
}

func newLoadEnv(opts Options) *loadEnv {
	return &loadEnv{md: newMarkdown(opts), gl: newGlossaryIndex(opts.Glossaries)}
}

type loader struct {
	fsys  fs.FS
	dir   string // path of the course folder inside fsys
	label string // how the course folder is named in problems
	md    *markdown
	gl    glossaryIndex
	ps    problems
	c     *Course
	cf    courseFile
}

func (l *loader) file(rel string) string { return path.Join(l.label, rel) }

func (l *loader) read(rel string) ([]byte, error) { return fs.ReadFile(l.fsys, path.Join(l.dir, rel)) }

func loadCourse(fsys fs.FS, dir, label string, env *loadEnv) (*Course, problems) {
	l := &loader{fsys: fsys, dir: dir, label: label, md: env.md, gl: env.gl}
	raw, err := l.read("course.yaml")
	if err != nil {
		l.ps.errorf(l.file("course.yaml"), 0, "cannot read course.yaml: %v", unwrapPath(err))
		return nil, l.ps
	}
	if err := decodeStrict(raw, &l.cf); err != nil {
		l.ps.yamlError(l.file("course.yaml"), 0, err)
		return nil, l.ps
	}
	l.checkCourseFile(path.Base(dir))
	l.glossaryCourseFile(l.file("course.yaml"), raw)
	// Go on after course.yaml problems, so one run reports everything that is wrong.
	l.build()
	l.languages()
	if l.ps.hasErrors() {
		return nil, l.ps
	}
	return l.c, l.ps
}

func (l *loader) checkCourseFile(folder string) {
	cf, f := &l.cf, l.file("course.yaml")
	line := func(key string) int { return at(cf.keys, key, cf.line) }
	if !validID(cf.ID) {
		l.ps.errorf(f, line("id"), "id %q: use lowercase letters, digits and hyphens, starting with a letter", cf.ID)
	} else if folder != "." && cf.ID != folder {
		l.ps.errorf(f, line("id"), "id %q must equal the folder name %q", cf.ID, folder)
	}
	if cf.Version == "" {
		l.ps.errorf(f, line("version"), "version is missing")
	}
	if cf.DefaultLanguage == "" {
		l.ps.errorf(f, line("default_language"), "default_language is missing")
	}
	if !slices.Contains(Levels, cf.Level) {
		l.ps.errorf(f, line("level"), "level %q: use one of %s", cf.Level, strings.Join(Levels, ", "))
	}
	if cf.Minutes <= 0 {
		l.ps.errorf(f, line("minutes"), "minutes must be a positive estimate of the time the course takes")
	}
	if cf.Licence == "" {
		l.ps.errorf(f, line("licence"), "licence is missing")
	}
	for _, tag := range cf.Tags {
		if tag != strings.ToLower(tag) || strings.TrimSpace(tag) == "" {
			l.ps.errorf(f, line("tags"), "tag %q: tags are lowercase words", tag)
		}
	}
	if cf.Title[cf.DefaultLanguage] == "" {
		l.ps.errorf(f, line("title"), "title has no %q (default language) text", cf.DefaultLanguage)
	}
	if cf.Summary[cf.DefaultLanguage] == "" {
		l.ps.errorf(f, line("summary"), "summary has no %q (default language) text", cf.DefaultLanguage)
	}
	if len(cf.Modules) == 0 {
		l.ps.errorf(f, line("modules"), "a course needs at least one module")
	}
	for _, ref := range cf.Prerequisites {
		switch {
		case !validID(ref.ID):
			l.ps.errorf(f, ref.line, "prerequisite %q: give the id of a course (lowercase letters, digits and hyphens, starting with a letter)", ref.ID)
		case ref.ID == cf.ID:
			l.ps.errorf(f, ref.line, "prerequisite %q: a course cannot be its own prerequisite", ref.ID)
		}
	}
	modules, lessons := map[string]int{}, map[string]int{}
	for _, m := range cf.Modules {
		if _, given := m.keys["level"]; given && !slices.Contains(Levels, m.Level) {
			l.ps.errorf(f, at(m.keys, "level", m.line), "module %q: level %q: use one of %s", m.ID, m.Level, strings.Join(Levels, ", "))
		}
		for _, ref := range m.Prerequisites {
			// modules holds the modules listed so far, so this accepts earlier ones only.
			if _, earlier := modules[ref.ID]; !earlier {
				l.ps.errorf(f, ref.line, "module %q: prerequisite %q is not an earlier module of this course", m.ID, ref.ID)
			}
		}
		if !validID(m.ID) {
			l.ps.errorf(f, m.line, "module id %q: use lowercase letters, digits and hyphens, starting with a letter", m.ID)
		} else if first, dup := modules[m.ID]; dup {
			l.ps.errorf(f, m.line, "duplicate module id %q (first on line %d)", m.ID, first)
		}
		modules[m.ID] = m.line
		if m.Title[cf.DefaultLanguage] == "" {
			l.ps.errorf(f, at(m.keys, "title", m.line), "module %q has no %q (default language) title", m.ID, cf.DefaultLanguage)
		}
		if len(m.Lessons) == 0 {
			l.ps.errorf(f, at(m.keys, "lessons", m.line), "module %q has no lessons", m.ID)
		}
		for _, ref := range m.Lessons {
			if !validID(ref.ID) {
				l.ps.errorf(f, ref.line, "lesson id %q: use lowercase letters, digits and hyphens, starting with a letter", ref.ID)
			} else if first, dup := lessons[ref.ID]; dup {
				l.ps.errorf(f, ref.line, "duplicate lesson id %q (first on line %d): lesson ids are unique within a course", ref.ID, first)
			}
			lessons[ref.ID] = ref.line
		}
	}
}

// build reads modules, lessons and quizzes into a Course.
func (l *loader) build() {
	cf := &l.cf
	c := &Course{
		ID: cf.ID, Version: cf.Version, DefaultLanguage: cf.DefaultLanguage, Level: cf.Level,
		Minutes: cf.Minutes, Tags: cf.Tags, Licence: cf.Licence, Authors: cf.Authors,
		Title: cf.Title, Summary: cf.Summary, Prerequisites: ids(cf.Prerequisites),
		Media: map[string][]byte{}, lessonsByID: map[string]*Lesson{}, prereqs: cf.Prerequisites,
	}
	l.c = c
	lessonIDs, quizModules := l.linkable()
	for _, me := range cf.Modules {
		mod := &Module{
			ID: me.ID, Title: me.Title, Level: cmp.Or(me.Level, cf.Level), Prerequisites: ids(me.Prerequisites),
			TrainerNotes: map[string]*TrainerNotes{}, QuizProvenance: map[string]Provenance{}, Course: c,
		}
		c.Modules = append(c.Modules, mod)
		if _, err := fs.Stat(l.fsys, path.Join(l.dir, me.ID)); err != nil {
			l.ps.errorf(l.file("course.yaml"), me.line, "module %q has no folder %s/", me.ID, me.ID)
			continue
		}
		for _, ref := range me.Lessons {
			lesson := &Lesson{ID: ref.ID, Module: mod, Index: len(c.Lessons), Versions: map[string]*LessonVersion{}}
			l.loadLesson(lesson, ref, lessonIDs, quizModules)
			mod.Lessons = append(mod.Lessons, lesson)
			c.Lessons = append(c.Lessons, lesson)
			c.lessonsByID[lesson.ID] = lesson
		}
		l.unlistedLessons(me)
		l.loadTrainerNotes(mod, lessonIDs, quizModules)
		switch {
		case me.Quiz:
			mod.Quiz = l.loadQuiz(me)
		case l.exists(path.Join(me.ID, "quiz.yaml")):
			l.ps.warnf(l.file(path.Join(me.ID, "quiz.yaml")), 0, "not published: course.yaml does not set quiz: true for module %q", me.ID)
		}
	}
	l.courseQuality()
	var search []string
	for _, m := range []map[string]string{cf.Title, cf.Summary} {
		for _, v := range m {
			search = append(search, v)
		}
	}
	search = append(search, cf.Tags...)
	c.search = foldForSearch(strings.Join(search, " "))
}

func ids(refs []idRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.ID
	}
	return out
}

func (l *loader) moduleLine(id string) int {
	for _, m := range l.cf.Modules {
		if m.ID == id {
			return at(m.keys, "title", m.line)
		}
	}
	return 0
}

func (l *loader) exists(rel string) bool {
	_, err := fs.Stat(l.fsys, path.Join(l.dir, rel))
	return err == nil
}

func (l *loader) loadLesson(lesson *Lesson, ref idRef, lessonIDs, quizModules map[string]bool) {
	rel := path.Join(lesson.Module.ID, lesson.ID)
	entries, err := fs.ReadDir(l.fsys, path.Join(l.dir, rel))
	if err != nil {
		l.ps.errorf(l.file("course.yaml"), ref.line, "lesson %q has no folder %s/", lesson.ID, rel)
		return
	}
	files := map[string]bool{}
	for _, e := range entries {
		if !e.IsDir() {
			files[e.Name()] = true
		}
	}
	used := map[string]bool{}
	checklistLines := map[string]int{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".md" {
			continue
		}
		lang := strings.TrimSuffix(name, ".md")
		v, line := l.loadLessonVersion(path.Join(rel, name), lang, lesson, files, used, lessonIDs, quizModules)
		if v != nil {
			lesson.Versions[lang] = v
			checklistLines[lang] = line
		}
	}
	def, ok := lesson.Versions[l.c.DefaultLanguage]
	if !ok {
		l.ps.errorf(l.file("course.yaml"), ref.line, "lesson %q is missing in the default language: no %s/%s.md", lesson.ID, rel, l.c.DefaultLanguage)
	}
	for lang, v := range lesson.Versions {
		file := l.file(path.Join(rel, lang+".md"))
		if ok && lang == def.Lang {
			l.sourceClaim(file, v.claim, keyTranslatedFrom, keyReview)
			continue
		}
		if !ok {
			continue
		}
		if !slices.Equal(checklistIDs(v.Checklist), checklistIDs(def.Checklist)) {
			l.ps.errorf(file, checklistLines[lang],
				"checklist ids [%s] differ from the %s version's [%s]: every language has the same items in the same order (ticks are stored by id)",
				strings.Join(checklistIDs(v.Checklist), ", "), def.Lang, strings.Join(checklistIDs(def.Checklist), ", "))
		}
		v.Provenance = l.provenance(file, v.claim, def.Lang+".md", def.Lang, def.rev, keyTranslatedFrom, keyReview)
	}
	for name := range used {
		b, err := l.read(path.Join(rel, name))
		switch {
		case err != nil:
			l.ps.errorf(l.file(path.Join(rel, name)), 0, "cannot read image: %v", unwrapPath(err))
		case len(b) > MaxImageBytes:
			l.ps.errorf(l.file(path.Join(rel, name)), 0, "image is %d KiB; keep images under %d KiB for slow connections", len(b)/1024, MaxImageBytes/1024)
		default:
			l.c.Media[path.Join(rel, name)] = b
		}
	}
}

func checklistIDs(items []ChecklistItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

// loadLessonVersion reads one language of a lesson; it also returns the line of the
// checklist (or of the front matter), for problems found once every language is read.
func (l *loader) loadLessonVersion(rel, lang string, lesson *Lesson, files, used, lessonIDs, quizModules map[string]bool) (*LessonVersion, int) {
	file := l.file(rel)
	src, err := l.read(rel)
	if err != nil {
		l.ps.errorf(file, 0, "cannot read: %v", unwrapPath(err))
		return nil, 0
	}
	meta, body, bodyLine, ok := splitFrontMatter(src)
	if !ok {
		l.ps.errorf(file, 1, "missing front matter: start the file with ---, a title: line, and ---")
		return nil, 0
	}
	var fm frontMatter
	if err := decodeStrict(meta, &fm); err != nil {
		l.ps.yamlError(file, 1, err)
		return nil, 0
	}
	if strings.TrimSpace(fm.Title) == "" {
		l.ps.errorf(file, 2, "front matter has no title")
	}
	// Lines inside the front matter are counted from the opening ---.
	l.glossaryYAML(file, lang, meta, 1)
	l.glossaryMarkdown(file, lang, body, bodyLine)
	objectives := l.textList(file, fm.Objectives, "objective")
	checklist := l.checklist(file, fm.Checklist)
	lc := &lessonContext{
		file: file, bodyLine: bodyLine, lang: lang, courseID: l.c.ID,
		mediaDir:   path.Join(lesson.Module.ID, lesson.ID),
		hasImage:   func(name string) bool { return files[name] },
		hasLesson:  func(id string) bool { return lessonIDs[id] },
		hasQuiz:    func(id string) bool { return quizModules[id] },
		usedImages: used, ps: &l.ps, links: &l.c.links,
	}
	html, words, headings := l.md.render(body, lc)
	minutes := fm.Minutes
	if minutes <= 0 {
		minutes = max(1, (words+199)/200)
	}
	return &LessonVersion{
		Lang: lang, Title: strings.TrimSpace(fm.Title), Minutes: minutes,
		Objectives: objectives, Checklist: checklist, HTML: html, Headings: headings,
		rev: Revision(src), claim: frontMatterClaim(fm.TranslatedFrom, fm.Review, fm.keys),
	}, 1 + at(fm.keys, "checklist", 1)
}

// textList checks a front-matter list of sentences (objectives, materials); items are on
// lines counted from the opening ---.
func (l *loader) textList(file string, items []textLine, what string) []string {
	var out []string
	for _, it := range items {
		t := strings.TrimSpace(it.Text)
		if t == "" {
			l.ps.errorf(file, 1+it.line, "empty %s", what)
			continue
		}
		out = append(out, t)
	}
	return out
}

func (l *loader) checklist(file string, items []checklistSpec) []ChecklistItem {
	var out []ChecklistItem
	seen := map[string]int{}
	for _, it := range items {
		line := 1 + it.line
		if !validID(it.ID) {
			l.ps.errorf(file, 1+at(it.keys, "id", it.line), "checklist id %q: use lowercase letters, digits and hyphens, starting with a letter", it.ID)
		} else if first, dup := seen[it.ID]; dup {
			l.ps.errorf(file, line, "duplicate checklist id %q (first on line %d)", it.ID, first)
		} else {
			seen[it.ID] = line
		}
		if strings.TrimSpace(it.Text) == "" {
			l.ps.errorf(file, line, "checklist item %q has no text", it.ID)
		}
		out = append(out, ChecklistItem{ID: it.ID, Text: strings.TrimSpace(it.Text)})
	}
	return out
}

// unlistedLessons warns about lesson folders that course.yaml does not mention.
func (l *loader) unlistedLessons(me moduleEntry) {
	entries, err := fs.ReadDir(l.fsys, path.Join(l.dir, me.ID))
	if err != nil {
		return
	}
	listed := map[string]bool{}
	for _, ref := range me.Lessons {
		listed[ref.ID] = true
	}
	for _, e := range entries {
		if e.IsDir() && !listed[e.Name()] {
			l.ps.warnf(l.file(path.Join(me.ID, e.Name())), 0, "not published: module %q in course.yaml does not list lesson %q", me.ID, e.Name())
		}
	}
}

func (l *loader) loadQuiz(me moduleEntry) *quiz.Quiz {
	rel := path.Join(me.ID, "quiz.yaml")
	file := l.file(rel)
	raw, err := l.read(rel)
	if err != nil {
		l.ps.errorf(l.file("course.yaml"), me.line, "module %q sets quiz: true but %s cannot be read: %v", me.ID, rel, unwrapPath(err))
		return nil
	}
	var qf quizFile
	if err := decodeStrict(raw, &qf); err != nil {
		l.ps.yamlError(file, 0, err)
		return nil
	}
	z := &quiz.Quiz{ID: me.ID, PassMark: qf.PassMark, Shuffle: qf.Shuffle, Review: l.checkReview(file, qf.Review)}
	if qf.PassMark < 1 || qf.PassMark > 100 {
		l.ps.errorf(file, 1, "pass_mark %d: give a percentage from 1 to 100", qf.PassMark)
	}
	if len(qf.Questions) == 0 {
		l.ps.errorf(file, 1, "a quiz needs at least one question")
	}
	seen := map[string]int{}
	for _, qs := range qf.Questions {
		if first, dup := seen[qs.ID]; dup {
			l.ps.errorf(file, qs.line, "duplicate question id %q (first on line %d)", qs.ID, first)
		}
		seen[qs.ID] = qs.line
		if q := l.checkQuestion(file, qs); q != nil {
			z.Questions = append(z.Questions, q)
		}
	}
	l.quizQuality(me.ID, z, l.loadQuizTexts(me.ID, z, qf))
	return z
}

// checkReview reads a quiz's review settings over the defaults; a value it does not know
// is an error, not a silent default, since a typo could hand out answers.
func (l *loader) checkReview(file string, rs *reviewSpec) quiz.Review {
	r := quiz.DefaultReview
	if rs == nil {
		return r
	}
	for _, part := range []struct {
		key   string
		value string
		into  *string
	}{
		{"correctness", rs.Correctness, &r.Correctness},
		{"answers", rs.Answers, &r.Answers},
		{"feedback", rs.Feedback, &r.Feedback},
	} {
		if _, given := rs.keys[part.key]; !given {
			continue
		}
		if !slices.Contains(quiz.ShowWhens, part.value) {
			l.ps.errorf(file, at(rs.keys, part.key, rs.line), "review %s %q: use %s", part.key, part.value, strings.Join(quiz.ShowWhens, ", "))
			continue
		}
		*part.into = part.value
	}
	return r
}

func (l *loader) checkQuestion(file string, qs questionSpec) *quiz.Question {
	if !validID(qs.ID) {
		l.ps.errorf(file, qs.line, "question id %q: use lowercase letters, digits and hyphens, starting with a letter", qs.ID)
	}
	if !slices.Contains(quiz.Types, qs.Type) {
		l.ps.errorf(file, qs.line, "question %q: unknown type %q (use %s)", qs.ID, qs.Type, strings.Join(quiz.Types, ", "))
		return nil
	}
	q := &quiz.Question{ID: qs.ID, Type: qs.Type, Texts: map[string]*quiz.Text{}}
	optIDs := map[string]int{}
	correct := 0
	for _, o := range qs.Options {
		if !validID(o.ID) {
			l.ps.errorf(file, o.line, "option id %q: use lowercase letters, digits and hyphens, starting with a letter", o.ID)
		}
		if first, dup := optIDs[o.ID]; dup {
			l.ps.errorf(file, o.line, "duplicate option id %q (first on line %d)", o.ID, first)
		}
		optIDs[o.ID] = o.line
		if o.Correct {
			correct++
		}
		q.Options = append(q.Options, quiz.Option{ID: o.ID, Correct: o.Correct})
	}
	switch qs.Type {
	case quiz.Single, quiz.Multiple, quiz.Ordering:
		if len(qs.Options) < 2 {
			l.ps.errorf(file, qs.line, "question %q: a %s question needs at least two options", qs.ID, qs.Type)
		}
	default:
		if len(qs.Options) > 0 {
			l.ps.errorf(file, qs.line, "question %q: a %s question has no options", qs.ID, qs.Type)
		}
	}
	switch {
	case qs.Type == quiz.Single && correct != 1:
		l.ps.errorf(file, qs.line, "question %q: a single-choice question needs exactly one correct option, found %d", qs.ID, correct)
	case qs.Type == quiz.Multiple && correct == 0:
		l.ps.errorf(file, qs.line, "question %q: no correct option", qs.ID)
	case qs.Type == quiz.Ordering && correct > 0:
		l.ps.errorf(file, qs.line, "question %q: ordering options are listed in the correct order; remove correct:", qs.ID)
	case qs.Type == quiz.TrueFalse && qs.Answer == nil:
		l.ps.errorf(file, qs.line, "question %q: a true_false question needs answer: true or answer: false", qs.ID)
	case qs.Type != quiz.TrueFalse && qs.Answer != nil:
		l.ps.errorf(file, qs.line, "question %q: answer: is only for true_false questions", qs.ID)
	}
	if qs.Answer != nil {
		q.Answer = *qs.Answer
	}
	if _, given := qs.keys["match"]; given {
		switch {
		case qs.Type != quiz.Short:
			l.ps.errorf(file, at(qs.keys, "match", qs.line), "question %q: match: is only for short-answer questions", qs.ID)
		case !slices.Contains(quiz.Matches, qs.Match):
			l.ps.errorf(file, at(qs.keys, "match", qs.line), "question %q: match %q: use %s", qs.ID, qs.Match, strings.Join(quiz.Matches, ", "))
		default:
			q.Match = qs.Match
		}
	}
	return q
}

// loadQuizTexts reads the quiz.<lang>.yaml files of a module, and returns the line of each
// question's text by language and question id.
func (l *loader) loadQuizTexts(moduleID string, z *quiz.Quiz, qf quizFile) map[string]map[string]int {
	matches, _ := fs.Glob(l.fsys, path.Join(l.dir, moduleID, "quiz.*.yaml"))
	langs := map[string]bool{}
	lines := map[string]map[string]int{}
	revs, claims := map[string]string{}, map[string]claim{}
	for _, m := range matches {
		lang := strings.TrimSuffix(strings.TrimPrefix(path.Base(m), "quiz."), ".yaml")
		rel := path.Join(moduleID, path.Base(m))
		file := l.file(rel)
		raw, err := l.read(rel)
		if err != nil {
			l.ps.errorf(file, 0, "cannot read: %v", unwrapPath(err))
			continue
		}
		var qt quizTexts
		if err := decodeStrict(raw, &qt); err != nil {
			l.ps.yamlError(file, 0, err)
			continue
		}
		texts := qt.texts
		langs[lang] = true
		revs[lang], claims[lang] = Revision(raw), qt.claim
		l.glossaryYAML(file, lang, raw, 0)
		lines[lang] = map[string]int{}
		for id, t := range texts {
			lines[lang][id] = t.line
			if z.Question(id) == nil && !hasQuestionSpec(qf, id) {
				l.ps.errorf(file, t.line, "text for unknown question %q", id)
			}
		}
		isDefault := lang == l.c.DefaultLanguage
		for _, q := range z.Questions {
			t, ok := texts[q.ID]
			if !ok {
				if isDefault {
					l.ps.errorf(file, 1, "question %q has no text", q.ID)
				} else {
					l.ps.warnf(file, 1, "question %q is not translated; learners see the %s text", q.ID, l.c.DefaultLanguage)
				}
				continue
			}
			l.checkQuestionText(file, q, t, isDefault)
			q.Texts[lang] = l.renderQuestionText(file, lang, t)
		}
	}
	def := l.c.DefaultLanguage
	if !langs[def] {
		l.ps.errorf(l.file(path.Join(moduleID, "quiz.yaml")), 0, "no texts in the default language: %s/quiz.%s.yaml is missing", moduleID, def)
		return lines
	}
	mod := l.c.Module(moduleID)
	for lang, c := range claims {
		file := l.file(path.Join(moduleID, "quiz."+lang+".yaml"))
		if lang == def {
			l.sourceClaim(file, c, keyQuizTranslatedFrom, keyQuizReview)
			continue
		}
		mod.QuizProvenance[lang] = l.provenance(file, c, "quiz."+def+".yaml", def, revs[def], keyQuizTranslatedFrom, keyQuizReview)
	}
	return lines
}

// renderQuestionText renders what a question says in one language (see quiz.Text).
func (l *loader) renderQuestionText(file, lang string, t *questionText) *quiz.Text {
	lessonIDs, quizModules := l.linkable()
	lc := &lessonContext{
		file: file, bodyLine: t.line, lang: lang, courseID: l.c.ID,
		hasLesson: func(id string) bool { return lessonIDs[id] },
		hasQuiz:   func(id string) bool { return quizModules[id] },
		ps:        &l.ps, links: &l.c.links,
	}
	out := &quiz.Text{
		Lang:    lang,
		Accept:  t.Accept,
		Options: map[string]string{}, Feedback: map[string]string{},
		OptionsHTML: map[string]template.HTML{}, FeedbackHTML: map[string]template.HTML{},
	}
	out.StemHTML, out.Stem = l.md.inline(t.Stem, lc)
	out.ExplanationHTML, out.Explanation = l.md.inline(t.Explanation, lc)
	for id, v := range t.Options {
		out.OptionsHTML[id], out.Options[id] = l.md.inline(v, lc)
	}
	for id, v := range t.Feedback {
		out.FeedbackHTML[id], out.Feedback[id] = l.md.inline(v, lc)
	}
	return out
}

// linkable returns the ids of the course's lessons and of the modules with a quiz, which
// content may link to.
func (l *loader) linkable() (lessons, quizzes map[string]bool) {
	lessons, quizzes = map[string]bool{}, map[string]bool{}
	for _, m := range l.cf.Modules {
		for _, ref := range m.Lessons {
			lessons[ref.ID] = true
		}
		if m.Quiz {
			quizzes[m.ID] = true
		}
	}
	return lessons, quizzes
}

func hasQuestionSpec(qf quizFile, id string) bool {
	for _, q := range qf.Questions {
		if q.ID == id {
			return true
		}
	}
	return false
}

func (l *loader) checkQuestionText(file string, q *quiz.Question, t *questionText, isDefault bool) {
	report := l.ps.warnf
	if isDefault {
		report = l.ps.errorf
	}
	if strings.TrimSpace(t.Stem) == "" {
		l.ps.errorf(file, t.line, "question %q has no stem", q.ID)
	}
	for _, o := range q.Options {
		if strings.TrimSpace(t.Options[o.ID]) == "" {
			report(file, t.line, "question %q: option %q has no text", q.ID, o.ID)
		}
	}
	for id := range t.Options {
		if !slices.ContainsFunc(q.Options, func(o quiz.Option) bool { return o.ID == id }) {
			l.ps.errorf(file, t.line, "question %q: text for unknown option %q", q.ID, id)
		}
	}
	for id := range t.Feedback {
		known := slices.ContainsFunc(q.Options, func(o quiz.Option) bool { return o.ID == id })
		if q.Type == quiz.TrueFalse {
			known = id == "true" || id == "false"
		}
		if !known {
			l.ps.errorf(file, t.line, "question %q: feedback for unknown option %q", q.ID, id)
		}
	}
	if q.Type == quiz.Short && len(t.Accept) == 0 {
		l.ps.errorf(file, t.line, "question %q: a short-answer question needs accept: with at least one answer", q.ID)
	}
	if q.Match == quiz.MatchDomain {
		for _, acc := range t.Accept {
			if !quiz.IsHostName(acc) {
				l.ps.errorf(file, at(t.keys, "accept", t.line), "question %q: accepted answer %q is not a host name: a domain question accepts names like www.example.org, without https:// or a path", q.ID, acc)
			}
		}
	}
	if q.Type != quiz.Short && len(t.Accept) > 0 {
		l.ps.errorf(file, t.line, "question %q: accept: is only for short-answer questions", q.ID)
	}
}

// languages works out which languages the course is complete in, and warns about gaps.
func (l *loader) languages() {
	c := l.c
	seen := map[string]bool{}
	for lang := range c.Title {
		seen[lang] = true
	}
	for _, ls := range c.Lessons {
		for lang := range ls.Versions {
			seen[lang] = true
		}
	}
	var langs []string
	for lang := range seen {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	c.Languages = []string{c.DefaultLanguage}
	for _, lang := range langs {
		if lang == c.DefaultLanguage {
			continue
		}
		complete := c.Title[lang] != ""
		if !complete {
			l.ps.warnf(l.file("course.yaml"), at(l.cf.keys, "title", l.cf.line), "no %q title: the course is not listed in that language", lang)
		}
		for _, ls := range c.Lessons {
			if _, ok := ls.Versions[lang]; !ok {
				complete = false
				l.ps.warnf(l.file(path.Join(ls.Module.ID, ls.ID)), 0, "lesson %q has no %s.md; readers of %q see the %s version", ls.ID, lang, lang, c.DefaultLanguage)
			}
		}
		for _, m := range c.Modules {
			if m.Title[lang] == "" {
				l.ps.warnf(l.file("course.yaml"), l.moduleLine(m.ID), "module %q has no %q title", m.ID, lang)
			}
			if m.Quiz != nil && !l.exists(path.Join(m.ID, "quiz."+lang+".yaml")) {
				l.ps.warnf(l.file(path.Join(m.ID, "quiz.yaml")), 0, "quiz has no %q texts (quiz.%s.yaml)", lang, lang)
			}
		}
		if complete {
			c.Languages = append(c.Languages, lang)
		}
	}
	c.ReviewPending = reviewPending(c)
}

// reviewPending lists the languages in which a lesson or quiz text awaits its second
// reader. Trainer notes are left out: learners read this on the course page, and a
// note only trainers see says nothing about what learners read.
func reviewPending(c *Course) []string {
	var out []string
	add := func(lang string, p Provenance) {
		if p.ReviewPending && !slices.Contains(out, lang) {
			out = append(out, lang)
		}
	}
	for _, ls := range c.Lessons {
		for lang, v := range ls.Versions {
			add(lang, v.Provenance)
		}
	}
	for _, m := range c.Modules {
		for lang, p := range m.QuizProvenance {
			add(lang, p)
		}
	}
	slices.Sort(out)
	return out
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s", pe.Err)
	}
	return err
}
