package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copySample copies the valid sample course into a temporary courses folder.
func copySample(t *testing.T) (root, sample string) {
	t.Helper()
	root = t.TempDir()
	sample = filepath.Join(root, "sample")
	if err := os.CopyFS(sample, os.DirFS("../course/testdata/valid/sample")); err != nil {
		t.Fatal(err)
	}
	return root, sample
}

func TestCoursesStampRecordsTheSourceRevisionAfterTheSourceChanged(t *testing.T) {
	root, sample := copySample(t)
	arLesson := filepath.Join(sample, "basics", "first-steps", "ar.md")
	before, err := os.ReadFile(arLesson)
	if err != nil {
		t.Fatal(err)
	}

	// The English lesson changes: the Arabic translation is now out of date (the sample has
	// three warnings of its own).
	en := filepath.Join(sample, "basics", "first-steps", "en.md")
	f, err := os.OpenFile(en, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\nA new paragraph with a changed claim.\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, out, _ := run(t, nil, "", "courses", "check", root)
	stale := filepath.Join(root, "sample/basics/first-steps/ar.md") + ":7: warning: translated from revision "
	if code != 0 || !strings.Contains(out, stale) || !strings.Contains(out, "; the English has changed since (now ") || !strings.Contains(out, "0 error(s), 4 warning(s)") {
		t.Fatalf("check after the change: exit %d\n%s", code, out)
	}

	// Stamping another language, or a path with no translation, changes nothing.
	if code, out, _ := run(t, nil, "", "courses", "stamp", root, "--lang", "fr"); code != 0 || !strings.Contains(out, "stamped 0 translation(s); 0 already current") {
		t.Fatalf("stamp --lang fr: exit %d\n%s", code, out)
	}
	if code, out, _ := run(t, nil, "", "courses", "stamp", root, en); code != 1 || !strings.Contains(out, "no translation there to stamp") {
		t.Fatalf("stamp of a source file: exit %d\n%s", code, out)
	}
	if after, _ := os.ReadFile(arLesson); !bytes.Equal(after, before) {
		t.Fatal("a refused stamp changed the translation")
	}

	// The translator checks it and stamps that one file (flags after the paths work too).
	code, out, errOut := run(t, nil, "", "courses", "stamp", root, arLesson, "--lang", "ar")
	if code != 0 || !strings.Contains(out, arLesson+": translated_from 894be774e89d → ") || !strings.Contains(out, "stamped 1 translation(s); 0 already current") {
		t.Fatalf("stamp: exit %d\n%s%s", code, out, errOut)
	}
	after, err := os.ReadFile(arLesson)
	if err != nil {
		t.Fatal(err)
	}
	// Only the revision changed: same length, same bytes everywhere else.
	if len(after) != len(before) || strings.Count(string(after), "translated_from: ") != 1 {
		t.Fatalf("stamped file:\n%s", after)
	}
	diff := 0
	for i := range before {
		if before[i] != after[i] {
			diff++
		}
	}
	if diff == 0 || diff > 12 {
		t.Fatalf("%d bytes changed, want the 12 of the revision at most", diff)
	}
	if code, out, _ := run(t, nil, "", "courses", "check", root); code != 0 || !strings.Contains(out, "0 error(s), 3 warning(s); 1 course(s)") {
		t.Fatalf("check after stamping: exit %d\n%s", code, out)
	}
	// Stamping again is a no-op; a course folder works as well as the courses folder.
	if code, out, _ := run(t, nil, "", "courses", "stamp", sample); code != 0 || !strings.Contains(out, "stamped 0 translation(s); 5 already current") {
		t.Fatalf("second stamp: exit %d\n%s", code, out)
	}
	if code, _, errOut := run(t, nil, "", "courses", "stamp"); code != 2 || !strings.Contains(errOut, "stamp needs") {
		t.Fatalf("stamp without a folder: exit %d %s", code, errOut)
	}
}

func TestCoursesCheckReadsGlossariesBesideTheCoursesAndAboveOneCourse(t *testing.T) {
	root, sample := copySample(t)
	// The sample's Arabic lessons say "نص تجريبي" and "نص."; the glossary avoids "نص".
	glossary := "language: ar\nterms:\n  - term: text\n    use: محتوى\n    avoid: [نَصّ]\n"
	if err := os.WriteFile(filepath.Join(root, "glossary.ar.yaml"), []byte(glossary), 0o644); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(root, "sample/basics/first-steps/ar.md") + `:11: warning: glossary: "نص" is a form to avoid for "text": write "محتوى" (` + filepath.Join(root, "glossary.ar.yaml") + ":3)"
	for _, dir := range []string{root, sample} {
		code, out, _ := run(t, nil, "", "courses", "check", dir)
		if code != 0 || !strings.Contains(out, want) || strings.Count(out, "warning: glossary: ") != 2 || !strings.Contains(out, "1 course(s) ready to publish") {
			t.Fatalf("check %s: exit %d\n%s\nwant %s", dir, code, out, want)
		}
	}
	// A pending review is a note: counted apart, and no reason to fail.
	lesson := filepath.Join(sample, "practice", "drill", "ar.md")
	b, err := os.ReadFile(lesson)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lesson, bytes.Replace(b, []byte("---\n"), []byte("---\nreview: pending\n"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, nil, "", "courses", "check", root)
	if code != 0 || !strings.Contains(out, "ar.md:2: note: translation not yet checked by a second reader") || !strings.Contains(out, "0 error(s), 5 warning(s), 1 note(s); 1 course(s) ready to publish") {
		t.Fatalf("check with a pending review: exit %d\n%s", code, out)
	}
	// A malformed glossary is an error at its line.
	if err := os.WriteFile(filepath.Join(root, "glossary.ar.yaml"), []byte("language: ar\nterms:\n  - term: text\n    avoid: [نص]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, nil, "", "courses", "check", sample)
	if code != 1 || !strings.Contains(out, filepath.Join(root, "glossary.ar.yaml")+`:3: error: term "text" has no use`) {
		t.Fatalf("check with a malformed glossary: exit %d\n%s", code, out)
	}
}
