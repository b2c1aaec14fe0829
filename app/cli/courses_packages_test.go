package cli_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/coursepkg"
	"github.com/cairn-lms/cairn/app/coursepkg/pkgtest"
)

func TestCoursePackageCommands(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		dir := t.TempDir()
		courses := filepath.Join(dir, "courses")
		if err := os.CopyFS(filepath.Join(courses, "sample"), os.DirFS("../course/testdata/valid/sample")); err != nil {
			t.Fatal(err)
		}
		vars["CAIRN_COURSES_DIR"] = courses
		write := func(name string, data []byte) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}
		list := func() string {
			code, out, errOut := run(t, vars, "", "courses", "list")
			if code != 0 {
				t.Fatalf("list: %d %s", code, errOut)
			}
			return out
		}
		folder := pkgtest.Snapshot(t, courses)

		// Each malicious package: refused with its reason, nothing stored, the folder untouched.
		for _, m := range pkgtest.Malicious(t) {
			code, _, errOut := run(t, vars, "", "courses", "import", "--publish", write("evil.zip", m.Data))
			if code != 1 || !strings.Contains(errOut, "refused, nothing imported") {
				t.Fatalf("%s: exit %d: %s", m.Code, code, errOut)
			}
			if !strings.Contains(list(), "0 package(s)") {
				t.Fatalf("%s: a package was stored", m.Code)
			}
			if !reflect.DeepEqual(pkgtest.Snapshot(t, courses), folder) {
				t.Fatalf("%s: the courses folder changed", m.Code)
			}
		}
		// A course with an error: the checker's report, nothing stored.
		code, out, _ := run(t, vars, "", "courses", "import", write("demo.zip", pkgtest.Package(t, "demo", pkgtest.Course("demo", "1", "See [x](lesson:nowhere)."))))
		if code != 1 || !strings.Contains(out, `demo/m/l/en.md:4: error: broken link "lesson:nowhere"`) || !strings.Contains(list(), "0 package(s)") {
			t.Fatalf("broken: %d\n%s", code, out)
		}

		v1 := write("demo.zip", pkgtest.Package(t, "demo", pkgtest.Course("demo", "1", "One.")))
		if code, out, errOut := run(t, vars, "", "courses", "import", v1); code != 0 || !strings.Contains(out, "imported demo version 1") || !strings.Contains(out, "as a draft") {
			t.Fatalf("import: %d %s %s", code, out, errOut)
		}
		if l := list(); !strings.Contains(l, "draft") || !strings.Contains(l, "sample 1.0.0") {
			t.Fatalf("list:\n%s", l)
		}
		if code, out, errOut := run(t, vars, "", "courses", "publish", "demo"); code != 0 || !strings.Contains(out, "published demo version 1") {
			t.Fatalf("publish: %d %s %s", code, out, errOut)
		}
		v2 := write("demo2.zip", pkgtest.Package(t, "demo", pkgtest.Course("demo", "2", "Two.")))
		if code, out, errOut := run(t, vars, "", "courses", "import", v2, "--publish"); code != 0 || !strings.Contains(out, "and published it") {
			t.Fatalf("import v2: %d %s %s", code, out, errOut)
		}
		if code, _, errOut := run(t, vars, "", "courses", "import", v1); code != 1 || !strings.Contains(errOut, "already imported") {
			t.Fatalf("re-import of a published version: %d %s", code, errOut)
		}

		// Export as served: demo from its package (the same bytes), sample from its folder;
		// the export of sample imports back.
		out1 := filepath.Join(dir, "out")
		if code, out, errOut := run(t, vars, "", "courses", "export", "--zip", "--to", out1); code != 0 || !strings.Contains(out, "exported demo") || !strings.Contains(out, "exported sample") {
			t.Fatalf("export: %d %s %s", code, out, errOut)
		}
		exported, err := os.ReadFile(filepath.Join(out1, "demo.zip"))
		if err != nil {
			t.Fatal(err)
		}
		stored := pkgtest.Package(t, "demo", pkgtest.Course("demo", "2", "Two."))
		if coursepkg.Checksum(exported) != coursepkg.Checksum(stored) {
			t.Fatal("the exported package differs from the one imported")
		}
		if code, out, errOut := run(t, vars, "", "courses", "import", filepath.Join(out1, "sample.zip")); code != 0 || !strings.Contains(out, "imported sample version 1.0.0") {
			t.Fatalf("re-import of an export: %d %s %s", code, out, errOut)
		}

		if code, out, errOut := run(t, vars, "", "courses", "unpublish", "demo"); code != 0 || !strings.Contains(out, "unpublished demo version 2") {
			t.Fatalf("unpublish: %d %s %s", code, out, errOut)
		}
		if code, _, _ := run(t, vars, "", "courses", "unpublish", "demo"); code != 1 {
			t.Fatal("unpublishing a course with nothing published must fail")
		}
		if code, out, errOut := run(t, vars, "", "courses", "archive", "demo"); code != 0 || !strings.Contains(out, "archived demo") {
			t.Fatalf("archive: %d %s %s", code, out, errOut)
		}
		if l := list(); strings.Count(l, "archived") != 2 {
			t.Fatalf("after archive:\n%s", l)
		}
		if code, _, _ := run(t, vars, "", "courses", "publish", "nothing-here"); code != 1 {
			t.Fatal("publishing an unknown course must fail")
		}
		if !reflect.DeepEqual(pkgtest.Snapshot(t, courses), folder) {
			t.Fatal("package commands changed the courses folder")
		}
	})
}
