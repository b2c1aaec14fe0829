package web_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/web"
	"github.com/cairn-lms/cairn/app/web/webtest"
)

// translatedCourse is a course in English and Spanish: lesson "changed" was translated from
// an older English text and awaits a second reader, lesson "current" matches its English,
// and the quiz's Spanish texts were made from older English ones.
func translatedCourse() fstest.MapFS {
	en := map[string][]byte{
		"changed": []byte("---\ntitle: Changed\n---\nThe English says something new.\n"),
		"current": []byte("---\ntitle: Current\n---\nUnchanged English.\n"),
	}
	quizEN := []byte("q:\n  stem: Is it?\n  options: {\"yes\": Yes it is, \"no\": No it is not}\n")
	return fstest.MapFS{
		"t/course.yaml": {Data: []byte("id: t\nversion: \"1\"\ndefault_language: en\nlevel: beginner\nminutes: 5\nlicence: CC-BY-SA-4.0\n" +
			"title: {en: Translated course, es: Curso traducido}\nsummary: {en: S, es: R}\nmodules:\n" +
			"  - id: m\n    title: {en: M, es: M es}\n    lessons: [changed, current]\n    quiz: true\n")},
		"t/m/changed/en.md": {Data: en["changed"]},
		"t/m/changed/es.md": {Data: []byte("---\ntitle: Cambiada\ntranslated_from: 0123456789ab\nreview: pending\n---\nEl inglés decía otra cosa.\n")},
		"t/m/current/en.md": {Data: en["current"]},
		"t/m/current/es.md": {Data: []byte("---\ntitle: Al día\ntranslated_from: " + course.Revision(en["current"]) + "\n---\nInglés sin cambios.\n")},
		"t/m/quiz.yaml":     {Data: []byte("pass_mark: 50\nquestions:\n  - id: q\n    type: single\n    options: [{id: yes, correct: true}, {id: no}]\n")},
		"t/m/quiz.en.yaml":  {Data: quizEN},
		"t/m/quiz.es.yaml":  {Data: []byte("_translated_from: 0123456789ab\nq:\n  stem: ¿Lo es?\n  options: {\"yes\": Sí lo es, \"no\": No lo es}\n")},
	}
}

const (
	staleES   = "Es posible que esta traducción no esté al día: el texto original cambió después de traducirse."
	sourceES  = `Lee el original: <bdi><a href="?lang=en" lang="en" hreflang="en">English</a></bdi>`
	pendingES = "Una segunda persona todavía no ha revisado esta traducción."
)

func TestTranslationNoticesOnLessonQuizAndCoursePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		srv, err := web.New(web.Deps{
			Config: testConfigFor(t), DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Courses: &web.CoursesSource{FS: translatedCourse(), Label: "mem"},
		})
		if err != nil {
			t.Fatal(err)
		}
		b := (&testServer{URL: webtest.Serve(t, srv)}).browser(t)
		lacks := func(p page, text string) {
			t.Helper()
			if strings.Contains(p.Body, text) {
				t.Fatalf("page %s shows %q:\n%s", p.URL, text, p.Body)
			}
		}

		// An out-of-date, unreviewed translation says both, and links to the English.
		p := b.get("/courses/t/lessons/changed?lang=es")
		mustStatus(t, p, 200)
		mustContain(t, p, "El inglés decía otra cosa.", staleES, sourceES, pendingES)
		// The link leads to the English lesson, without the notices.
		p = b.get("/courses/t/lessons/changed?lang=en")
		mustContain(t, p, "The English says something new.")
		lacks(p, "This translation may be out of date")
		lacks(p, "This translation has not yet been checked")

		// A current, reviewed translation says nothing.
		p = b.get("/courses/t/lessons/current?lang=es")
		mustContain(t, p, "Inglés sin cambios.")
		lacks(p, staleES)
		lacks(p, pendingES)

		// The course page names the languages awaiting a second reader.
		mustContain(t, b.get("/courses/t?lang=es"), "Traducciones que una segunda persona todavía no ha revisado: Español</p>")
		mustContain(t, b.get("/courses/t?lang=en"), "Translations not yet checked by a second reader: Español</p>")

		// The quiz in Spanish, made from older English texts, says so too; in a language the
		// quiz has no texts in (the English shows), nothing.
		b.signUp("lectora")
		p = b.get("/courses/t/quizzes/m?lang=es")
		mustStatus(t, p, 200)
		mustContain(t, p, "¿Lo es?", staleES, sourceES)
		lacks(p, pendingES)
		p = b.get("/courses/t/quizzes/m?lang=ar")
		mustContain(t, p, "Is it?")
		lacks(p, "قد لا تكون هذه الترجمة محدَّثة")
	})
}
