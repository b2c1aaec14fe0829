package locale_test

import (
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/i18n"
)

// shipped are the languages the foundation promises complete.
var shipped = []string{"en", "es", "fr", "ar"}

func messages(t *testing.T, lang string) map[string]any {
	t.Helper()
	b, err := fs.ReadFile(i18n.Files, "active."+lang+".toml")
	if err != nil {
		t.Fatalf("language %s not shipped: %v", lang, err)
	}
	m := map[string]any{}
	if err := toml.Unmarshal(b, &m); err != nil {
		t.Fatalf("active.%s.toml: %v", lang, err)
	}
	return m
}

var placeholderRE = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func placeholders(v any) []string {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case map[string]any:
		s, _ = x["other"].(string)
	}
	var out []string
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return out
}

func TestEveryEnglishMessageIsTranslatedInEveryShippedLanguage(t *testing.T) {
	en := messages(t, "en")
	for _, lang := range shipped[1:] {
		other := messages(t, lang)
		for id, v := range en {
			tr, ok := other[id]
			if !ok {
				t.Errorf("%s: missing message %q", lang, id)
				continue
			}
			if strings.Join(placeholders(v), ",") != strings.Join(placeholders(tr), ",") {
				t.Errorf("%s: %q uses placeholders %v, English uses %v", lang, id, placeholders(tr), placeholders(v))
			}
		}
		for id := range other {
			if _, ok := en[id]; !ok {
				t.Errorf("%s: message %q does not exist in English", lang, id)
			}
		}
	}
}

func TestNegotiationAndDirection(t *testing.T) {
	b, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ chosen, accept, want, dir string }{
		{"", "", "en", "ltr"},
		{"ar", "fr", "ar", "rtl"},
		{"AR", "", "ar", "rtl"},
		{"", "es-MX,es;q=0.9", "es", "ltr"},
		{"", "fr-BE", "fr", "ltr"},
		{"", "ar-EG,en;q=0.3", "ar", "rtl"},
		{"zz", "de-DE", "en", "ltr"},
		{"", "not a header;;", "en", "ltr"},
	}
	for _, tc := range cases {
		l := b.Negotiate(tc.chosen, tc.accept)
		if l.Lang.Tag != tc.want || l.Lang.Dir != tc.dir {
			t.Errorf("Negotiate(%q, %q) = %s/%s, want %s/%s", tc.chosen, tc.accept, l.Lang.Tag, l.Lang.Dir, tc.want, tc.dir)
		}
	}
	if got := len(b.Languages()); got < len(shipped) {
		t.Fatalf("%d languages loaded, want at least %d", got, len(shipped))
	}
}

func TestTranslationsFillPlaceholdersAndPlurals(t *testing.T) {
	b, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range shipped {
		l, ok := b.Lookup(tag)
		if !ok {
			t.Fatalf("%s not loaded", tag)
		}
		for _, n := range []int{0, 1, 2, 3, 11, 100} {
			got := l.N("recovery_codes_left", n)
			if got == "recovery_codes_left" || got == "" {
				t.Fatalf("%s: plural for %d missing", tag, n)
			}
			if strings.Contains(got, "{{") {
				t.Fatalf("%s: unfilled template %q", tag, got)
			}
		}
		if got := l.T("error_password_too_short", "Min", 10); !strings.Contains(got, "10") {
			t.Fatalf("%s: placeholder not filled: %q", tag, got)
		}
	}
	en, _ := b.Lookup("en")
	if en.T("no_such_message_id") != "no_such_message_id" {
		t.Fatal("a missing id should show as itself")
	}
}
