package gift

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzImport feeds arbitrary text to the parser and the converter: they must never panic,
// must locate every problem on a line of the file, and whenever they report no error must
// give quiz files Cairn can read, with valid unique ids and a text for every question.
func FuzzImport(f *testing.F) {
	files, _ := filepath.Glob("testdata/corpus/*.gift")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(string(b), false)
		}
	}
	for _, s := range []string{
		"", "{", "}", "::", "::::", "$CATEGORY:", "\\", "\\n", "{#}", "{~}", "{=}", "{->}", "{=->}",
		"Q{~%%a ~%b}", "Q{~%-%a}", "Q{####}", "[html]<a href=\"x\">{T}", "<b><i>x</b></i>{T}",
		"Q{T#}", "Q{TRUE##}", "\uE000\uE001{T}", "{=a}{=b}", "a\r\n\r\nb{T}", "[markdown]![x](y){T}",
		"<code>`</code>{T}", "<a href\\=\"https\\://x\">`</a>{T}", "**<b>x</b>**{T}", "_{=a}_ {T}",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, src string, skip bool) {
		z, ps := Import("f.gift", []byte(src), Options{SkipUnsupported: skip})
		lines := strings.Count(src, "\n") + 1
		for _, p := range ps {
			if p.Line < 0 || p.Line > lines {
				t.Fatalf("problem outside the file (%d lines): %s", lines, p)
			}
		}
		if HasErrors(ps) {
			return
		}
		if z == nil || len(z.Questions) == 0 {
			t.Fatalf("no error and no question: %v", ps)
		}
		checkQuizFiles(t, "fuzz", z)
	})
}
