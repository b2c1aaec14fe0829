package web_test

import (
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/web"
	"github.com/cairn-lms/cairn/app/web/webtest"
)

// withPrerequisite is the test course plus the course it names as a prerequisite.
func withPrerequisite(t *testing.T) fs.FS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("../course/testdata/valid"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile("../course/testdata/valid/" + p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range minimalCourse("threat-modelling", "Who, what, how likely.") {
		fsys[k] = v
	}
	return fsys
}

func TestCoursePageShowsLevelsPrerequisitesAndTrainerLinksForTrainersOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		logger := slog.New(slog.NewTextHandler(io.Discard, nil))
		srv, err := web.New(web.Deps{Config: testConfigFor(t), DB: db, Logger: logger, Courses: &web.CoursesSource{FS: withPrerequisite(t), Label: "mem"}})
		if err != nil {
			t.Fatal(err)
		}
		ts := &testServer{URL: webtest.Serve(t, srv), DB: db, Srv: srv}
		anon := ts.browser(t)
		p := anon.get("/courses/sample?lang=en")
		mustContain(t, p, `Best taken after: <a href="/courses/threat-modelling" lang="en" dir="ltr">Course threat-modelling</a>`,
			// The practice module is harder than the course and comes after Basics.
			`<p class="meta">Intermediate · Best done after: <span lang="en" dir="ltr">Basics</span></p>`)
		if strings.Count(p.Body, `<p class="meta">Intermediate`) != 1 {
			t.Fatal("a module of the course's own level repeats it")
		}
		learner := ts.browser(t)
		learner.signUp("reader")
		for _, b := range []*browser{anon, learner} {
			if strings.Contains(b.get("/courses/sample").Body, "trainer-notes") {
				t.Fatal("a learner or visitor is shown the trainer notes link")
			}
		}
		trainer := ts.trainer(t, "coach")
		p = trainer.get("/courses/sample?lang=en")
		mustContain(t, p, `<a href="/courses/sample/trainer-notes/basics">Trainer notes for this module</a>`)
		if strings.Contains(p.Body, "/trainer-notes/practice") {
			t.Fatal("a module without trainer notes has a link to them")
		}
		// The prerequisite course itself names none.
		if strings.Contains(anon.get("/courses/threat-modelling").Body, "Best taken after") {
			t.Fatal("a course without prerequisites says it has some")
		}
	})
}

func TestTrainerNotesShowPlanMaterialsAndNotesWithLanguageFallback(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "facilitator")
		p := tr.get("/courses/sample/trainer-notes/basics?lang=en")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, `<h1>Trainer notes: <span lang="en" dir="ltr">Basics</span></h1>`, "Session length: 45 minutes",
			`<article class="trainer-notes" lang="en" dir="ltr">`, "<li>Printed cards</li>",
			"<td lang=\"en\" dir=\"ltr\">Activity</td>", `<td class="num">15</td>`,
			"<strong>Who has lost an account?</strong><br>Pairs share only what they are comfortable with.",
			`<br><a href="/courses/sample/lessons/first-steps" lang="en" dir="ltr">First steps</a>`,
			`<th scope="row">Total</th><td class="num">45</td>`, "Before the session", `href="/first-aid"`)
		if strings.Contains(p.Body, "<script>alert") {
			t.Fatal("raw HTML from the notes reached the page")
		}
		if strings.Contains(p.Body, "trainer_notes_fallback") || strings.Contains(p.Body, `class="notice warning"`) {
			t.Fatal("English notes say they fell back")
		}

		p = tr.get("/courses/sample/trainer-notes/basics?lang=ar")
		mustContain(t, p, `<html lang="ar" dir="rtl">`, `<article class="trainer-notes" lang="ar" dir="rtl">`, "<td lang=\"ar\" dir=\"rtl\">نشاط</td>", "من فقد حسابًا؟", "الخطوات الأولى")

		// No Spanish notes: the English ones, saying so in Spanish.
		p = tr.get("/courses/sample/trainer-notes/basics?lang=es")
		mustContain(t, p, "Estas notas de facilitación aún no están disponibles en tu idioma", `lang="en" dir="ltr"`, "<td lang=\"es\" dir=\"ltr\">Actividad</td>")

		// Admins read them too; a module without notes, or no such module, is a 404.
		admin := ts.browser(t)
		admin.signUp("boss")
		setRole(t, ts, "boss", model.RoleAdmin)
		admin.signIn("boss", strongPassword)
		mustStatus(t, admin.get("/courses/sample/trainer-notes/basics"), http.StatusOK)
		mustStatus(t, tr.get("/courses/sample/trainer-notes/practice"), http.StatusNotFound)
		mustStatus(t, tr.get("/courses/sample/trainer-notes/nowhere"), http.StatusNotFound)
		mustStatus(t, tr.get("/courses/nowhere/trainer-notes/basics"), http.StatusNotFound)

		learner := ts.browser(t)
		learner.signUp("curious")
		p, _ = learner.getNoFollow("/courses/sample/trainer-notes/basics")
		mustStatus(t, p, http.StatusForbidden)
		p, location := ts.browser(t).getNoFollow("/courses/sample/trainer-notes/basics")
		if p.Status != http.StatusSeeOther || !strings.HasPrefix(location, "/login?next=") {
			t.Fatalf("an anonymous visitor got %d %q, want a sign-in redirect", p.Status, location)
		}
	})
}
