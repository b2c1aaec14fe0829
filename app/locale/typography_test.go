package locale_test

import (
	"fmt"
	"regexp"
	"sort"
	"testing"
	"unicode/utf8"
)

// French puts a no-break space before the high punctuation and inside guillemets, so a line
// never starts with « ? » or ends on « : » the text belongs to. The interface writes a narrow
// no-break space (U+202F) before ; ? ! and a no-break space (U+00A0) before : and inside « ».
const (
	frNarrow = '\u202f'
	frNoBrk  = '\u00a0'
)

// notFrenchText matches what the rule does not apply to: template placeholders, web
// addresses, and a colon between digits (a time such as 10:30, a ratio).
var notFrenchText = regexp.MustCompile(`\{\{.*?\}\}|[a-z][a-z0-9+.-]*://[^\s"«»]*|\d:\d`)

// frenchTypographyProblems names each punctuation sign of s that lacks its space.
func frenchTypographyProblems(s string) []string {
	// A placeholder stands for a word: the space before a sign that follows it is checked.
	s = notFrenchText.ReplaceAllStringFunc(s, func(m string) string {
		if len(m) == 3 && m[1] == ':' { // digits:digits
			return m[:1] + m[2:]
		}
		return "X"
	})
	var out []string
	var prev rune
	for i, r := range s {
		next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
		switch {
		case (r == ';' || r == '?' || r == '!') && prev != frNarrow:
			out = append(out, fmt.Sprintf("%q before %q (want U+202F)", prev, r))
		case (r == ':' || r == '»') && prev != frNoBrk:
			out = append(out, fmt.Sprintf("%q before %q (want U+00A0)", prev, r))
		case r == '«' && next != frNoBrk:
			out = append(out, fmt.Sprintf("%q after %q (want U+00A0)", next, r))
		}
		prev = r
	}
	return out
}

func TestFrenchTypographyCheckSeesMissingAndPlainSpaces(t *testing.T) {
	cases := []struct {
		text string
		bad  int
	}{
		{"Mot de passe oublié\u202f?", 0},
		{"Mot de passe oublié ?", 1},
		{"Mot de passe oublié?", 1},
		{"Mot de passe oublié\u00a0?", 1}, // the wide space is for the colon
		{"Bonne réponse !", 1},
		{"Compte\u00a0: {{.Username}}", 0},
		{"Compte : {{.Username}}", 1},
		{"Compté à {{.When}}\u00a0: dans une cohorte", 0},
		{"Compté à {{.When}}: dans une cohorte", 1},
		{"ci-dessous ; vérifiez", 1},
		{"la page «\u00a0Mot de passe oublié\u202f?\u00a0»", 0},
		{"la page « Mot de passe oublié ? »", 3},
		{"la page «Mot de passe»", 2},
		{"commence par https:// ou http://.", 0},
		{"ouvrez https://exemple.org/a?b=1!", 0},
		{"à 10:30, au ratio 1:5", 0},
		{"{{if .X}}a{{end}}", 0},
	}
	for _, tc := range cases {
		if got := frenchTypographyProblems(tc.text); len(got) != tc.bad {
			t.Errorf("%q: %d problems %v, want %d", tc.text, len(got), got, tc.bad)
		}
	}
}

func TestFrenchMessagesPutNoBreakSpacesBeforePunctuationAndInsideGuillemets(t *testing.T) {
	texts := messageTexts(t, "fr")
	wheres := make([]string, 0, len(texts))
	for where := range texts {
		wheres = append(wheres, where)
	}
	sort.Strings(wheres)
	for _, where := range wheres {
		for _, p := range frenchTypographyProblems(texts[where]) {
			t.Errorf("fr: %s: %s in %q", where, p, texts[where])
		}
	}
}
