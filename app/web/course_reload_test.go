package web_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/web"
	"github.com/cairn-lms/cairn/app/web/webtest"
)

func minimalCourse(id, lessonBody string) fstest.MapFS {
	return fstest.MapFS{
		id + "/course.yaml": {Data: []byte("id: " + id + "\nversion: \"1\"\ndefault_language: en\nlevel: beginner\nminutes: 5\nlicence: CC-BY-SA-4.0\n" +
			"title: {en: Course " + id + "}\nsummary: {en: S}\nmodules:\n  - id: m\n    title: {en: M}\n    lessons: [l]\n")},
		id + "/m/l/en.md": {Data: []byte("---\ntitle: Lesson of " + id + "\n---\n" + lessonBody + "\n")},
	}
}

func TestBrokenCourseIsNotPublishedButOthersAreAndReloadPicksUpFixes(t *testing.T) {
	fsys := fstest.MapFS{}
	for k, v := range minimalCourse("good", "Fine.") {
		fsys[k] = v
	}
	for k, v := range minimalCourse("broken", "See [nothing](lesson:missing).") {
		fsys[k] = v
	}
	logs := &syncBuffer{}
	srv, err := web.New(web.Deps{
		Config: testConfigFor(t), DB: dbtest.Open(t, "sqlite"),
		Logger:  slog.New(slog.NewTextHandler(io.MultiWriter(logs, io.Discard), nil)),
		Courses: &web.CoursesSource{FS: fsys, Label: "mem"},
	})
	if err != nil {
		t.Fatal(err)
	}
	b := (&testServer{URL: webtest.Serve(t, srv)}).browser(t)

	p := b.get("/courses")
	mustContain(t, p, "Course good")
	if strings.Contains(p.Body, "Course broken") {
		t.Fatal("a course with errors was published")
	}
	mustStatus(t, b.get("/courses/broken"), 404)
	if !strings.Contains(logs.String(), `mem/broken/m/l/en.md:4: error: broken link \"lesson:missing\"`) {
		t.Fatalf("the reason is not logged:\n%s", logs.String())
	}

	fsys["broken/m/l/en.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Fixed\n---\nFixed.\n")}
	if problems := srv.ReloadCourses(); len(problems) != 0 {
		t.Fatalf("problems after the fix: %v", problems)
	}
	mustContain(t, b.get("/courses"), "Course broken", "Course good")
}
