package course

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// loadTrainerNotes reads a module's trainer.<lang>.md files. They sit next to the lesson
// folders, so they are never mistaken for lessons, and nothing in them becomes media.
func (l *loader) loadTrainerNotes(mod *Module, lessonIDs, quizModules map[string]bool) {
	matches, _ := fs.Glob(l.fsys, path.Join(l.dir, mod.ID, "trainer.*.md"))
	lines := map[string]int{} // line of each language's agenda, for the comparison below
	for _, m := range matches {
		lang := strings.TrimSuffix(strings.TrimPrefix(path.Base(m), "trainer."), ".md")
		rel := path.Join(mod.ID, path.Base(m))
		if n, line := l.loadTrainerFile(rel, lang, mod, lessonIDs, quizModules); n != nil {
			mod.TrainerNotes[lang] = n
			lines[lang] = line
		}
	}
	if len(mod.TrainerNotes) == 0 {
		return
	}
	def, ok := mod.TrainerNotes[l.c.DefaultLanguage]
	if !ok {
		for lang := range mod.TrainerNotes {
			l.ps.errorf(l.file(path.Join(mod.ID, "trainer."+lang+".md")), 0,
				"trainer notes in %q but not in the default language: write %s/trainer.%s.md first", lang, mod.ID, l.c.DefaultLanguage)
		}
		return
	}
	want := agendaShape(def.Agenda)
	for lang, n := range mod.TrainerNotes {
		file := l.file(path.Join(mod.ID, "trainer."+lang+".md"))
		if lang == def.Lang {
			l.sourceClaim(file, n.claim, keyTranslatedFrom, keyReview)
			continue
		}
		if got := agendaShape(n.Agenda); !slices.Equal(got, want) {
			l.ps.errorf(file, lines[lang],
				"agenda [%s] differs from the %s version's [%s]: every language has the same steps with the same stage, minutes and lesson",
				strings.Join(got, "; "), def.Lang, strings.Join(want, "; "))
		}
		n.Provenance = l.provenance(file, n.claim, "trainer."+def.Lang+".md", def.Lang, def.rev, keyTranslatedFrom, keyReview)
	}
}

// agendaShape is what must match across the languages of trainer notes: a plan run in two
// languages at once (or translated later) keeps the same timing.
func agendaShape(steps []AgendaStep) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = fmt.Sprintf("%s %d min", s.Stage, s.Minutes)
		if s.Lesson != "" {
			out[i] += " " + s.Lesson
		}
	}
	return out
}

func (l *loader) loadTrainerFile(rel, lang string, mod *Module, lessonIDs, quizModules map[string]bool) (*TrainerNotes, int) {
	file := l.file(rel)
	src, err := l.read(rel)
	if err != nil {
		l.ps.errorf(file, 0, "cannot read: %v", unwrapPath(err))
		return nil, 0
	}
	meta, body, bodyLine, ok := splitFrontMatter(src)
	if !ok {
		l.ps.errorf(file, 1, "missing front matter: start the file with ---, the materials: and agenda: of the session, and ---")
		return nil, 0
	}
	var tm trainerMatter
	if err := decodeStrict(meta, &tm); err != nil {
		l.ps.yamlError(file, 1, err)
		return nil, 0
	}
	inModule := map[string]bool{}
	for _, ls := range mod.Lessons {
		inModule[ls.ID] = true
	}
	l.glossaryYAML(file, lang, meta, 1)
	l.glossaryMarkdown(file, lang, body, bodyLine)
	n := &TrainerNotes{
		Lang: lang, Materials: l.textList(file, tm.Materials, "material"),
		rev: Revision(src), claim: frontMatterClaim(tm.TranslatedFrom, tm.Review, tm.keys),
	}
	for i, st := range tm.Agenda {
		line := func(key string) int { return 1 + at(st.keys, key, st.line) }
		if !slices.Contains(Stages, st.Stage) {
			l.ps.errorf(file, line("stage"), "agenda stage %q: use one of %s", st.Stage, strings.Join(Stages, ", "))
		}
		if st.Minutes <= 0 {
			l.ps.errorf(file, line("minutes"), "agenda step %d: minutes must be a positive estimate", i+1)
		}
		if strings.TrimSpace(st.Title) == "" {
			l.ps.errorf(file, line("title"), "agenda step %d has no title", i+1)
		}
		if st.Lesson != "" && !inModule[st.Lesson] {
			l.ps.errorf(file, line("lesson"), "agenda lesson %q is not a lesson of module %q", st.Lesson, mod.ID)
		}
		n.Agenda = append(n.Agenda, AgendaStep{
			Stage: st.Stage, Title: strings.TrimSpace(st.Title), Notes: strings.TrimSpace(st.Notes),
			Lesson: st.Lesson, Minutes: st.Minutes,
		})
	}
	lc := &lessonContext{
		file: file, bodyLine: bodyLine, lang: lang, courseID: l.c.ID,
		hasLesson: func(id string) bool { return lessonIDs[id] },
		hasQuiz:   func(id string) bool { return quizModules[id] },
		ps:        &l.ps, links: &l.c.links,
	}
	n.HTML, _, _ = l.md.render(body, lc)
	return n, 1 + at(tm.keys, "agenda", 1)
}
