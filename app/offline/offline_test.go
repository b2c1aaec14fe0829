package offline_test

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"path"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/offline"
	"github.com/cairn-lms/cairn/assets"
	"github.com/cairn-lms/cairn/courses"
	"github.com/cairn-lms/cairn/i18n"
)

func builder(t *testing.T) (*offline.Builder, *course.Catalog) {
	t.Helper()
	locales, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	b, err := offline.NewBuilder(assets.FS, locales)
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := course.Load(courses.FS, "courses", course.Options{})
	return b, cat
}

// unzip reads a bundle into a map of path (below the top folder) → content, checking that
// every file sits in the one top folder.
func unzip(t *testing.T, data []byte, top string) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, top+"/")
		if !ok || !fs.ValidPath(name) {
			t.Fatalf("%s is not inside the top folder %s", f.Name, top)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = body
	}
	return files
}

func TestABundleIsSelfContainedWithRelativeLinksOnly(t *testing.T) {
	b, cat := builder(t)
	c := cat.Course("phishing-and-safe-browsing")
	if c == nil {
		t.Fatal("no shipped course phishing-and-safe-browsing")
	}
	langs, err := offline.Languages(c, []string{"ar", "en"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(langs, ",") != "en,ar" {
		t.Fatalf("languages %v, want the course's order en,ar", langs)
	}
	var buf bytes.Buffer
	if err := b.Write(&buf, c, langs, time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	name := offline.FileName(c, langs)
	if name != "phishing-and-safe-browsing-"+c.Version+"-en-ar-offline.zip" {
		t.Errorf("file name %q", name)
	}
	files := unzip(t, buf.Bytes(), strings.TrimSuffix(name, ".zip"))

	want := []string{"index.html", "cairn.css", "offline.css", "quiz.js", "en/index.html", "ar/index.html"}
	for _, l := range c.Lessons {
		want = append(want, "en/lesson-"+l.ID+".html", "ar/lesson-"+l.ID+".html")
	}
	for _, m := range c.Quizzes() {
		want = append(want, "en/quiz-"+m.ID+".html", "ar/quiz-"+m.ID+".html")
	}
	for p := range c.Media {
		want = append(want, "media/"+p)
	}
	for _, w := range want {
		if _, ok := files[w]; !ok {
			t.Errorf("bundle lacks %s", w)
		}
	}
	if _, ok := files["fr/index.html"]; ok {
		t.Error("a language that was not asked for is in the bundle")
	}

	for name, body := range files {
		if path.Ext(name) != ".html" {
			continue
		}
		checkPage(t, name, body, files)
	}
	// Right to left where the language is.
	if !bytes.Contains(files["ar/index.html"], []byte(`<html lang="ar" dir="rtl"`)) {
		t.Error("the Arabic course page is not laid out right to left")
	}
	if !bytes.Contains(files["en/index.html"], []byte(`<html lang="en" dir="ltr"`)) {
		t.Error("the English course page is not left to right")
	}
}

// checkPage parses one page and checks what makes it work from a file with no server: every
// link and image leads to a file of the bundle (or to another site, for a reader's click
// only), nothing is fetched from elsewhere, no inline script, no form, and the policy is in
// the page.
func checkPage(t *testing.T, name string, body []byte, files map[string][]byte) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	csp := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			switch n.Data {
			case "form":
				t.Errorf("%s has a form: it would need a server", name)
			case "script":
				if attr["src"] == "" {
					t.Errorf("%s has an inline script", name)
				}
			case "meta":
				if attr["http-equiv"] == "Content-Security-Policy" && strings.Contains(attr["content"], "script-src 'self'") {
					csp = true
				}
			case "a":
				href, ok := attr["href"]
				switch {
				case !ok:
				case strings.HasPrefix(href, "https://"), strings.HasPrefix(href, "http://"), strings.HasPrefix(href, "mailto:"):
					// Another site, opened only when the reader follows the link.
				default:
					checkTarget(t, name, href, files)
				}
			}
			for _, key := range []string{"src", "href"} {
				if v, ok := attr[key]; ok && n.Data != "a" {
					if strings.Contains(v, ":") {
						t.Errorf("%s: <%s %s=%q> fetches from outside the bundle", name, n.Data, key, v)
					} else {
						checkTarget(t, name, v, files)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if !csp {
		t.Errorf("%s has no Content-Security-Policy meta tag allowing only the bundle's scripts", name)
	}
}

func checkTarget(t *testing.T, page, ref string, files map[string][]byte) {
	t.Helper()
	if strings.HasPrefix(ref, "/") {
		t.Errorf("%s: absolute link %q", page, ref)
		return
	}
	file, frag, _ := strings.Cut(ref, "#")
	if file == "" {
		if frag != "" && !bytes.Contains(files[page], []byte(`id="`+frag+`"`)) {
			t.Errorf("%s: anchor #%s is not in the page", page, frag)
		}
		return
	}
	target := path.Join(path.Dir(page), file)
	if _, ok := files[target]; !ok {
		t.Errorf("%s: link %q leads to %s, which the bundle does not hold", page, ref, target)
	}
}

func TestQuizPagesShowEveryAnswerBehindDetails(t *testing.T) {
	b, cat := builder(t)
	c := cat.Course("account-security")
	var buf bytes.Buffer
	if err := b.Write(&buf, c, []string{"en"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	files := unzip(t, buf.Bytes(), strings.TrimSuffix(offline.FileName(c, []string{"en"}), ".zip"))
	for _, m := range c.Quizzes() {
		page := string(files["en/quiz-"+m.ID+".html"])
		if got, want := strings.Count(page, `<details class="offline-answer">`), len(m.Quiz.Questions); got != want {
			t.Errorf("quiz %s: %d answers behind details, want one per question (%d)", m.ID, got, want)
		}
		if got := strings.Count(page, "Right answer"); got != len(m.Quiz.Questions) {
			t.Errorf("quiz %s: %d right answers shown, want %d", m.ID, got, len(m.Quiz.Questions))
		}
		// The author's option ids never reach the page; positions do.
		for _, q := range m.Quiz.Questions {
			for _, o := range q.Options {
				if strings.Contains(page, `value="`+o.ID+`"`) {
					t.Errorf("quiz %s shows option id %q", m.ID, o.ID)
				}
			}
		}
		if !strings.Contains(page, `<script src="../quiz.js" defer></script>`) || !strings.Contains(page, `id="quiz-check" hidden`) {
			t.Errorf("quiz %s: the grading script or its hidden button is missing", m.ID)
		}
	}
}

func TestBundlesRefuseLanguagesTheCourseLacks(t *testing.T) {
	_, cat := builder(t)
	c := cat.Course("account-security")
	if _, err := offline.Languages(c, []string{"en", "xx"}); err == nil {
		t.Fatal("a language the course lacks was accepted")
	}
	all, err := offline.Languages(c, nil)
	if err != nil || strings.Join(all, ",") != strings.Join(c.Languages, ",") {
		t.Fatalf("no language asked: %v %v, want every language of the course", all, err)
	}
}
