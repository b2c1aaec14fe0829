package quiz_test

import (
	"testing"

	"github.com/cairn-lms/cairn/app/quiz"
)

func shortQuestion(match string, accept ...string) *quiz.Question {
	return &quiz.Question{ID: "q", Type: quiz.Short, Match: match, Texts: map[string]*quiz.Text{"en": {Accept: accept}}}
}

func TestShortAnswerMatchModes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		match  string
		accept []string
		typed  string
		right  bool
	}{
		{"words is the default: case, spaces and punctuation ignored", "", []string{"Tor Browser"}, "  tor-BROWSER! ", true},
		{"words keeps accents", quiz.MatchWords, []string{"contraseña"}, "contrasena", false},
		{"words: punctuation only is never an answer", quiz.MatchWords, []string{"?"}, "!", false},
		{"exact trims surrounding spaces", quiz.MatchExact, []string{"2FA-Code"}, "  2FA-Code\t", true},
		{"exact: case counts", quiz.MatchExact, []string{"2FA-Code"}, "2fa-code", false},
		{"exact: punctuation counts", quiz.MatchExact, []string{"2FA-Code"}, "2FA Code", false},
		{"exact: composed and decomposed accents are the same text", quiz.MatchExact, []string{"café"}, "cafe\u0301", true},

		{"domain: the host itself", quiz.MatchDomain, []string{"example-bank.com"}, "example-bank.com", true},
		{"domain: a look-alike host is wrong", quiz.MatchDomain, []string{"example-bank.com"}, "verifynow.net", false},
		{"domain: the real name as a subdomain of another is wrong", quiz.MatchDomain, []string{"example-bank.com"}, "example-bank.com.verifynow.net", false},
		{"domain: a URL with scheme, case, trailing dot, path and query", quiz.MatchDomain, []string{"www.example-bank.com"}, "https://WWW.Example-Bank.com./login?x", true},
		{"domain: www. is not stripped from the answer", quiz.MatchDomain, []string{"example-bank.com"}, "https://WWW.Example-Bank.com./login?x", false},
		{"domain: www. is not stripped from the accepted answer", quiz.MatchDomain, []string{"www.example-bank.com"}, "example-bank.com", false},
		{"domain: user, port and fragment dropped", quiz.MatchDomain, []string{"example.org"}, "http://user:pw@example.org:8443/#top", true},
		{"domain: the user part is not the host", quiz.MatchDomain, []string{"example.org"}, "https://example.org@evil.example/", false},
		{"domain: a backslash ends the host like a slash", quiz.MatchDomain, []string{"example.org"}, `example.org\login`, true},
		{"domain: internationalised name matches its punycode", quiz.MatchDomain, []string{"bücher.example"}, "xn--bcher-kva.example", true},
		{"domain: punycode answer matches the Unicode accepted name", quiz.MatchDomain, []string{"xn--bcher-kva.example"}, "https://BÜCHER.example/", true},
		{"domain: a Cyrillic look-alike is a different host", quiz.MatchDomain, []string{"apple.com"}, "аpple.com", false},
		{"domain: not a host name at all", quiz.MatchDomain, []string{"example.org"}, "example org", false},
		{"domain: an empty host", quiz.MatchDomain, []string{"example.org"}, "https:///path", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := quiz.GradeOne(shortQuestion(tc.match, tc.accept...), "en", "en", []string{tc.typed})
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.right {
				t.Fatalf("%q against %q (%s): right=%v, want %v", tc.typed, tc.accept, tc.match, got, tc.right)
			}
		})
	}
}

func TestIsHostNameRefusesURLsAndJunk(t *testing.T) {
	for s, want := range map[string]bool{
		"example-bank.com":         true,
		"www.example-bank.com":     true,
		"bücher.example":           true,
		"https://example-bank.com": false,
		"example-bank.com/login":   false,
		"example-bank.com:443":     false,
		"user@example-bank.com":    false,
		"example bank.com":         false,
		"exa_mple.com":             false,
		"-example.com":             false,
		"":                         false,
	} {
		if got := quiz.IsHostName(s); got != want {
			t.Errorf("IsHostName(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestNormalizeDomain(t *testing.T) {
	for in, want := range map[string]string{
		"https://WWW.Example-Bank.com./login?x": "www.example-bank.com",
		"Bücher.Example":                        "xn--bcher-kva.example",
		"//example.org:80":                      "example.org",
	} {
		if got, ok := quiz.NormalizeDomain(in); !ok || got != want {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
