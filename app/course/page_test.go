package course

import (
	"strings"
	"testing"
)

func TestRenderPageSanitisesAndRefusesLinksIntoCourses(t *testing.T) {
	src := []byte("Write to <help@example.org> or see [the kit](https://digitalfirstaid.org/).\n\n" +
		"<script>alert(1)</script>\n\n[a lesson](lesson:x) ![img](x.png)\n")
	html, ps := RenderPage(src, "pages/test.en.md", "en", Options{})
	out := string(html)
	for _, want := range []string{`href="mailto:help@example.org"`, `href="https://digitalfirstaid.org/"`, `noreferrer"`} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered page lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<script") {
		t.Errorf("raw HTML survived:\n%s", out)
	}
	var msgs []string
	for _, p := range ps {
		msgs = append(msgs, p.String())
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{"pages/test.en.md:3: warning: raw HTML", `pages/test.en.md:5: error: broken link "lesson:x"`, `pages/test.en.md:5: error: missing image "x.png"`} {
		if !strings.Contains(joined, want) {
			t.Errorf("problems lack %q:\n%s", want, joined)
		}
	}
}
