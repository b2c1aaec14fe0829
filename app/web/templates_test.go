package web_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/cairn-lms/cairn/assets"
	"github.com/cairn-lms/cairn/i18n"
)

// TestEveryMessageIDUsedExistsInEnglish catches a typo in a template or handler before a
// reader sees a raw message id.
func TestEveryMessageIDUsedExistsInEnglish(t *testing.T) {
	raw, err := fs.ReadFile(i18n.Files, "active.en.toml")
	if err != nil {
		t.Fatal(err)
	}
	en := map[string]any{}
	if err := toml.Unmarshal(raw, &en); err != nil {
		t.Fatal(err)
	}
	used := map[string]string{}
	tmplRE := regexp.MustCompile(`\.(?:T|N) "([a-z0-9_]+)"`)
	err = fs.WalkDir(assets.FS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets.FS, p)
		for _, m := range tmplRE.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = p
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goRE := regexp.MustCompile(`"((?:error|flash)_[a-z0-9_]*[a-z0-9]|[a-z_]+_title)"`)
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goRE.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = f
		}
	}
	if len(used) < 50 {
		t.Fatalf("found only %d message ids; the scan is broken", len(used))
	}
	for id, where := range used {
		if _, ok := en[id]; !ok {
			t.Errorf("%s uses message %q, which active.en.toml lacks", where, id)
		}
	}
}
