package course_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cairn-lms/cairn/app/course"
)

// TestImageAltTextSurvivesSanitising keeps the full text alternative of an image: long alt
// text with semicolons, quotes, question marks, URLs and Arabic punctuation is the whole
// point of a figure for a reader who cannot see it, so none of it may be dropped.
func TestImageAltTextSurvivesSanitising(t *testing.T) {
	alts := map[string]string{
		"en": `Step 1: the site sends a challenge; step 2: "unlock" it? Link: https://zentrabank-alerts.example/secure & more`,
		"ar": `الخطوة 1: يرسل الموقع تحديًا؛ هل تفتحه؟ الرابط «https://example.org/x»، ثم 3 × 3`,
	}
	en := []byte("---\ntitle: L\n---\n![" + alts["en"] + "](f.en.png)\n")
	fsys := fstest.MapFS{
		"c/course.yaml":  {Data: []byte("id: c\nversion: 1.0.0\ndefault_language: en\nlevel: beginner\nminutes: 5\nlicence: CC-BY-SA-4.0\ntitle: {en: T, ar: ت}\nsummary: {en: S, ar: س}\nmodules:\n  - id: m\n    title: {en: M, ar: م}\n    lessons: [l]\n")},
		"c/m/l/en.md":    {Data: en},
		"c/m/l/ar.md":    {Data: []byte("---\ntitle: ل\ntranslated_from: " + course.Revision(en) + "\n---\n![" + alts["ar"] + "](f.ar.png)\n")},
		"c/m/l/f.en.png": {Data: []byte("png")},
		"c/m/l/f.ar.png": {Data: []byte("png")},
	}
	cat, problems := course.Load(fsys, "f", course.Options{})
	for _, p := range problems {
		t.Errorf("%s", p)
	}
	c := cat.Course("c")
	if c == nil {
		t.Fatal("course not published")
	}
	for lang, alt := range alts {
		v, _ := c.Lesson("l").Version(lang)
		want := `alt="` + strings.NewReplacer(`&`, `&amp;`, `"`, `&#34;`).Replace(alt) + `"`
		if !strings.Contains(string(v.HTML), want) {
			t.Errorf("%s: rendered image lacks %s:\n%s", lang, want, v.HTML)
		}
	}
}
