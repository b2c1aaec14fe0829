package course_test

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cairn-lms/cairn/app/course"
)

// glossaryWarnings loads a one-lesson course whose lesson in lang has body, checked against
// the glossaries of testdata/glossary, and returns the glossary warnings.
func glossaryWarnings(t *testing.T, lang, body string) []string {
	t.Helper()
	gs, gps := course.LoadGlossaries(os.DirFS("testdata/glossary"), "g")
	if len(gps) != 0 {
		t.Fatalf("glossary problems: %v", gps)
	}
	fsys := courseFS("l")
	fsys["c/m/l/"+lang+".md"] = &fstest.MapFile{Data: []byte("---\ntitle: T\n---\n" + body + "\n")}
	_, ps := course.Load(fsys, "", course.Options{Glossaries: gs})
	var out []string
	for _, p := range ps {
		if strings.HasPrefix(p.Msg, "glossary: ") {
			if !p.Warning || p.Note {
				t.Fatalf("a glossary finding that is not a warning: %s", p)
			}
			out = append(out, p.String())
		}
	}
	return out
}

func TestGlossaryFindsFormsToAvoidAsWholeWordsInAnyCaseAndScript(t *testing.T) {
	for _, tc := range []struct {
		name, lang, body string
		found            []string // "line: text found"
	}{
		{"a form to avoid", "es", "Usa claves de acceso.", []string{`4: "claves de acceso"`}},
		{"any case", "es", "CLAVE DE ACCESO y Clave De Acceso.", []string{`4: "CLAVE DE ACCESO"`, `4: "Clave De Acceso"`}},
		{"across a line break, reported where it starts", "es", "Texto.\n\nUna clave de\nacceso.", []string{`6: "clave de acceso"`}},
		{"across a no-break space and emphasis", "es", "una clave\u00a0de **acceso**", []string{`4: "clave de **acceso"`}},
		{"whole words only", "es", "Las claves de accesos, laclave de acceso, decomisos.", nil},
		{"a decomposed accent is the same letter", "es", "La confiscacio\u0301n.", []string{`4: "confiscacio` + "\u0301" + `n"`}},
		{"not in a code span", "es", "No `clave de acceso` ni ``una `clave de acceso` aquí``.", nil},
		{"not in a fenced or indented code block", "es", "```text\nclave de acceso\n```\n\n    decomiso\n", nil},
		{"not in a link target or an address", "es", "[informe](https://example.org/decomiso) y https://example.org/a/decomiso", nil},
		{"but in the text of a link", "es", "[el decomiso](https://example.org/x)", []string{`4: "decomiso"`}},
		{"not inside the form to use that contains it", "es", "El duplicado fraudulento de SIM (SIM swapping) y el SIM swapping.", []string{`4: "SIM swapping"`}},
		{"only in the glossary's language", "fr", "Une clave de acceso, un decomiso.", nil},
		{"Arabic: tashkeel and tatweel in the text", "ar", "احفظ كَلِمَة السّـر جيدًا.", []string{`4: "كَلِمَة السّـر"`}},
		{"Arabic: tashkeel in the glossary, none in the text", "ar", "احفظ كلمة السر.", []string{`4: "كلمة السر"`}},
		{"Arabic: whole words", "ar", "كلمة السرية، وكلمة السر.", nil},
		{"Arabic: mixed scripts", "ar", "افتح مُتصفِّح TOR الآن، أي متصفح تور.", []string{`4: "مُتصفِّح TOR"`}},
		{"Arabic: not in code", "ar", "اكتب `كلمة السر` هنا.", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := glossaryWarnings(t, tc.lang, tc.body)
			if len(got) != len(tc.found) {
				t.Fatalf("found:\n%s\nwant %q", strings.Join(got, "\n"), tc.found)
			}
			for i, want := range tc.found {
				line, text, _ := strings.Cut(want, ": ")
				prefix := "c/m/l/" + tc.lang + ".md:" + line + ": warning: glossary: " + text + " is a form to avoid"
				if !strings.HasPrefix(got[i], prefix) {
					t.Fatalf("warning %d:\n%s\nwant prefix\n%s", i, got[i], prefix)
				}
			}
		})
	}
}

// TestGlossaryCheckCoversEveryTextOfTheLanguage runs the fixture in testdata/glossary: each
// kind of text (course and module titles and summaries, lesson front matter and body, quiz
// texts, trainer notes) has one form to avoid where a line says so, and others where they
// must not be found (code, link targets, accepted answers, other languages).
func TestGlossaryCheckCoversEveryTextOfTheLanguage(t *testing.T) {
	gs, gps := course.LoadGlossaries(os.DirFS("testdata/glossary"), "testdata/glossary")
	if len(gps) != 0 || len(gs) != 2 {
		t.Fatalf("%d glossaries, problems %v", len(gs), gps)
	}
	cat, ps := course.Load(os.DirFS("testdata/glossary"), "testdata/glossary", course.Options{Glossaries: gs})
	if cat.Course("words") == nil {
		t.Fatalf("the course is not published: %v", ps)
	}
	var got []string
	for _, p := range ps {
		if !strings.HasPrefix(p.Msg, "glossary: ") {
			t.Errorf("unexpected problem: %s", p)
			continue
		}
		found, _, _ := strings.Cut(strings.TrimPrefix(p.Msg, "glossary: "), " is a form")
		got = append(got, strings.TrimPrefix(p.File, "testdata/glossary/words/")+":"+strconv.Itoa(p.Line)+" "+found)
	}
	want := []string{
		`course.yaml:9 "claves de acceso"`,
		`course.yaml:14 "كلمة السر"`,
		`course.yaml:17 "decomiso"`,
		`m/l/ar.md:10 "كَلِمَة السّـر"`,
		`m/l/ar.md:12 "مُتَصَفِّح Tor"`,
		`m/l/es.md:2 "Claves de acceso"`,
		`m/l/es.md:5 "decomiso"`,
		`m/l/es.md:14 "clave de acceso"`,
		`m/l/es.md:15 "CLAVE DE ACCESO"`,
		`m/l/es.md:17 "SIM swapping"`,
		`m/l/es.md:19 "confiscación"`,
		`m/quiz.ar.yaml:4 "مُتَصَفِّح Tor"`,
		`m/quiz.es.yaml:5 "clave de acceso"`,
		`m/trainer.es.md:5 "decomiso"`,
		`m/trainer.es.md:10 "claves de acceso"`,
	}
	slices.Sort(got)
	slices.Sort(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("glossary warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	full := problemLines(ps)
	if !strings.Contains(full, `testdata/glossary/words/m/l/es.md:2: warning: glossary: "Claves de acceso" is a form to avoid for "passkey": write "llave de acceso" (testdata/glossary/glossary.es.yaml:3); Plural "llaves de acceso"`) {
		t.Fatalf("the warning does not name the glossary entry and its note:\n%s", full)
	}

	// Without glossaries (the server), nothing is checked and the glossary files are no course.
	_, ps = course.Load(os.DirFS("testdata/glossary"), "testdata/glossary", course.Options{})
	if len(ps) != 0 {
		t.Fatalf("problems without glossaries:\n%s", problemLines(ps))
	}
}

func TestMalformedGlossariesAreErrorsWithFileAndLine(t *testing.T) {
	gs, ps := course.LoadGlossaries(os.DirFS("testdata/glossary-broken"), "b")
	if len(gs) != 0 {
		t.Fatalf("%d broken glossaries were loaded", len(gs))
	}
	want := strings.Join([]string{
		`b/glossary.ar.yaml:5: error: unknown field "colour"`,
		`b/glossary.de.yaml:2: error: terms: give a list, one item per line starting with -`,
		`b/glossary.es.yaml:2: error: did not find expected '-' indicator`,
		`b/glossary.fr.yaml:1: error: language "es" differs from the file name's "fr"`,
		`b/glossary.fr.yaml:3: error: term "pop-up window" has no use: give the word to use`,
		`b/glossary.fr.yaml:8: error: term "two-factor authentication": avoid "Double  authentification" is the form to use`,
		`b/glossary.fr.yaml:9: error: term "two-factor authentication": avoid "«»" has no word to look for`,
		`b/glossary.fr.yaml:11: error: avoid "2fa" is listed twice (first on line 10)`,
	}, "\n")
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != want {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}
