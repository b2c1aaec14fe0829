package course_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cairn-lms/cairn/app/course"
)

func TestLessonTablesScrollInsideAFocusableNamedBox(t *testing.T) {
	fsys := courseFS("l")
	fsys["c/m/l/fr.md"] = &fstest.MapFile{Data: []byte("---\ntitle: T\n---\nAvant.\n\n| Méthode | Protège contre |\n|---|---|\n| Clé de sécurité | L'hameçonnage |\n\n> | a | b |\n> |---|---|\n> | 1 | 2 |\n")}
	cat, ps := course.Load(fsys, "x", course.Options{TableLabel: func(lang string) string { return "Tableau (" + lang + ") & co" }})
	if len(cat.All()) != 1 {
		t.Fatalf("not loaded: %s", problemLines(ps))
	}
	v, _ := cat.Course("c").Lesson("l").Version("fr")
	html := string(v.HTML)
	box := `<div class="table-scroll" role="region" tabindex="0" aria-label="Tableau (fr) &amp; co">`
	if n := strings.Count(html, box); n != 2 {
		t.Fatalf("%d tables in a box (the sanitiser must keep it), want 2:\n%s", n, html)
	}
	// The box holds the table, and only the table.
	if !strings.Contains(html, box+"\n<table>") || strings.Count(html, "</table>\n</div>") != 2 {
		t.Fatalf("box does not hold exactly the table:\n%s", html)
	}
	if strings.Count(html, "<table>") != 2 {
		t.Fatalf("a table was lost:\n%s", html)
	}
}

func TestAddressesAreIsolatedLeftToRight(t *testing.T) {
	fsys := quizCourse("")
	fsys["c/m/l/en.md"].Data = []byte("---\ntitle: T\n---\nSee <https://example.org/a>, [example.org/help](https://example.org/help), [the help page](https://example.org/help) and `example.org`.\n")
	fsys["c/m/quiz.en.yaml"].Data = []byte("q:\n  stem: \"Open [signal.org](https://signal.org) or <https://signal.org/x>?\"\n  options: {\"yes\": Yes, \"no\": Nope}\n")
	cat, ps := course.Load(fsys, "x", course.Options{})
	if len(cat.All()) != 1 {
		t.Fatalf("not loaded: %s", problemLines(ps))
	}
	v, _ := cat.Course("c").Lesson("l").Version("en")
	html := string(v.HTML)
	for _, want := range []string{
		`<a href="https://example.org/a" class="url" rel="nofollow noreferrer">https://example.org/a</a>`,
		`<a href="https://example.org/help" class="url" rel="nofollow noreferrer">example.org/help</a>`,
		`<a href="https://example.org/help" rel="nofollow noreferrer">the help page</a>`,
		`<code>example.org</code>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("lesson lacks %s in\n%s", want, html)
		}
	}
	txt := cat.Course("c").Module("m").Quiz.Question("q").Texts["en"]
	if want := `Open <a href="https://signal.org" class="url" rel="nofollow noreferrer">signal.org</a> or <a href="https://signal.org/x" class="url" rel="nofollow noreferrer">https://signal.org/x</a>?`; string(txt.StemHTML) != want {
		t.Errorf("stem html\n got %s\nwant %s", txt.StemHTML, want)
	}
	// Without markup, the addresses are wrapped in LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE.
	if want := "Open \u2066signal.org\u2069 or \u2066https://signal.org/x\u2069?"; txt.Stem != want {
		t.Errorf("stem text %q, want %q", txt.Stem, want)
	}
}

func TestBareAddressesInRightToLeftContentAreReported(t *testing.T) {
	fsys := quizCourse("")
	body := "---\ntitle: T\n---\nالموقع هو example-ngo.org. أما login-check.net فلا.\n\n" +
		"في الرمز `example-ngo.org` وفي [example.org](https://example.org) وفي <https://example.org> وفي https://example.org/a/b (رابط) لا مشكلة.\n\n" +
		"![صورة فيها example.org](x.png)\n"
	fsys["c/m/l/ar.md"] = &fstest.MapFile{Data: []byte(body)}
	fsys["c/m/l/x.png"] = &fstest.MapFile{Data: []byte("\x89PNG\r\n\x1a\n")}
	// The same text in a left-to-right language is fine.
	fsys["c/m/l/fr.md"] = &fstest.MapFile{Data: []byte(strings.Replace(body, "x.png", "x.png", 1))}
	fsys["c/m/quiz.ar.yaml"] = &fstest.MapFile{Data: []byte("q:\n  stem: \"موقع منظمتك هو example-ngo.org. أيّ العناوين؟\"\n  options: {\"yes\": \"`https://mail.example-ngo.org`\", \"no\": لا}\n")}
	_, ps := course.Load(fsys, "x", course.Options{})
	got := problemLines(ps)
	for _, want := range []string{
		`x/c/m/l/ar.md:4: warning: "example-ngo.org" is written as plain right-to-left text`,
		`x/c/m/l/ar.md:4: warning: "login-check.net" is written as plain right-to-left text`,
		`x/c/m/quiz.ar.yaml:2: warning: "example-ngo.org" is written as plain right-to-left text`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, got)
		}
	}
	if n := strings.Count(got, "plain right-to-left text"); n != 3 {
		t.Errorf("%d address warnings, want 3 (code spans, links, alt text and left-to-right text are fine):\n%s", n, got)
	}
}
