package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/course"
)

const bank = `// A small question bank, as a partner might export it from Moodle.
$CATEGORY: $course$/Phones

::Screen lock::Which screen lock is hardest to guess?{
    ~A pattern#Smudges on the screen often give it away.
    =A long passphrase#Yes.
    ~A four-digit PIN
}

::Previews::[html]Message previews on a <b>locked</b> screen can be read by anyone holding the phone.{TRUE}

::Tor::Which browser routes traffic through the Tor network?{=Tor Browser =Tor}

::Lost phone steps::Put the first steps after losing a phone in the order of this lesson.{
    =Change the passwords it was signed in to -> 2
    =Lock it remotely -> 1
}
`

const unsupported = "::Born::In which year was the first SMS sent?{#1992}\n"

func TestCoursesImportGIFTWritesACheckedQuiz(t *testing.T) {
	courses := t.TempDir()
	if err := os.CopyFS(filepath.Join(courses, "sample"), os.DirFS("../course/testdata/valid/sample")); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "bank.gift")
	if err := os.WriteFile(file, []byte(bank+"\n"+unsupported), 0o644); err != nil {
		t.Fatal(err)
	}
	quiz := filepath.Join(courses, "sample", "practice", "quiz.yaml")
	vars := map[string]string{"CAIRN_COURSES_DIR": courses}

	// The numerical question is refused, at its line, and nothing is written.
	code, out, errOut := run(t, vars, "", "courses", "import-gift", file, "--course", "sample", "--module", "practice")
	if code != 1 || !strings.Contains(out, file+":19: error: numerical question (answer 1992)") ||
		!strings.Contains(out, file+": 1 error(s)") || !strings.Contains(errOut, "nothing written") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if _, err := os.Stat(quiz); err == nil {
		t.Fatal("a quiz was written although the file has an error")
	}

	// A dry run with the question left out checks the course and writes nothing.
	code, out, errOut = run(t, vars, "", "courses", "import-gift", "--skip-unsupported", "--dry-run", file, "--course", "sample", "--module", "practice")
	if code != 0 || !strings.Contains(out, file+":19: warning: question left out: numerical question") ||
		!strings.Contains(out, "4 question(s) to import") || !strings.Contains(out, "1 course(s) ready to publish") ||
		!strings.Contains(out, "dry run: nothing written") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, err := os.Stat(quiz); err == nil {
		t.Fatal("a dry run wrote the quiz")
	}

	// The real import, into a courses folder named with --dir.
	code, out, errOut = run(t, nil, "", "courses", "import-gift", file, "--dir", courses, "--course", "sample",
		"--module", "practice", "--skip-unsupported", "--pass-mark", "80")
	if code != 0 || !strings.Contains(out, "note: matching items to the positions 1 to 2 becomes an ordering question") ||
		!strings.Contains(out, "0 error(s)") || !strings.Contains(out, "wrote ") || !strings.Contains(out, quiz+",") ||
		!strings.Contains(out, `(quiz: true for module "practice")`) {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
	c, problems := course.LoadOne(os.DirFS(filepath.Join(courses, "sample")), "sample", "sample", course.Options{})
	for _, p := range problems {
		if !p.Warning {
			t.Errorf("the imported course has an error: %s", p)
		}
	}
	if c == nil {
		t.Fatal("the course does not load")
	}
	z := c.Module("practice").Quiz
	if z == nil || z.PassMark != 80 || len(z.Questions) != 4 {
		t.Fatalf("quiz: %+v", z)
	}
	var got []string
	for _, q := range z.Questions {
		got = append(got, q.ID+":"+q.Type)
	}
	if want := "screen-lock:single previews:true_false tor:short lost-phone-steps:ordering"; strings.Join(got, " ") != want {
		t.Errorf("questions %q, want %q", strings.Join(got, " "), want)
	}
	previews := z.Question("previews").Texts["en"]
	if previews.Stem != "Message previews on a locked screen can be read by anyone holding the phone." ||
		!strings.Contains(string(previews.StemHTML), "<strong>locked</strong>") {
		t.Errorf("previews stem %q / %q", previews.Stem, previews.StemHTML)
	}
	if code, out, _ := run(t, vars, "", "courses", "check", filepath.Join(courses, "sample")); code != 0 {
		t.Fatalf("courses check after the import: exit %d\n%s", code, out)
	}

	// A second import does not overwrite the quiz unless told to.
	before, _ := os.ReadFile(quiz)
	code, _, errOut = run(t, vars, "", "courses", "import-gift", file, "--course", "sample", "--module", "practice", "--skip-unsupported")
	if code != 1 || !strings.Contains(errOut, "--replace") {
		t.Fatalf("second import: exit %d %s", code, errOut)
	}
	if after, _ := os.ReadFile(quiz); string(after) != string(before) {
		t.Fatal("the quiz changed without --replace")
	}
	code, out, errOut = run(t, vars, "", "courses", "import-gift", file, "--course", "sample", "--module", "practice", "--skip-unsupported", "--replace")
	if code != 0 || !strings.Contains(out, "wrote ") || strings.Contains(out, "quiz: true for module") {
		t.Fatalf("--replace: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestCoursesImportGIFTUsage(t *testing.T) {
	for _, args := range [][]string{
		{"courses", "import-gift", "bank.gift", "--module", "m"},
		{"courses", "import-gift", "bank.gift", "--course", "c"},
		{"courses", "import-gift", "--course", "c", "--module", "m"},
		{"courses", "import-gift", "a.gift", "b.gift", "--course", "c", "--module", "m"},
		{"courses", "import-gift", "a.gift", "--course", "../c", "--module", "m"},
	} {
		if code, _, errOut := run(t, nil, "", args...); code != 2 || !strings.Contains(errOut, "import-gift") && !strings.Contains(errOut, "ids") {
			t.Errorf("%v: exit %d %s", args, code, errOut)
		}
	}
	code, _, errOut := run(t, nil, "", "courses", "import-gift", filepath.Join(t.TempDir(), "missing.gift"), "--course", "c", "--module", "m")
	if code != 1 || !strings.Contains(errOut, "missing.gift") {
		t.Errorf("missing file: exit %d %s", code, errOut)
	}
}
