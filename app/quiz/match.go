package quiz

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// How a short answer is compared with the accepted answers.
const (
	// MatchWords ignores case, spacing and punctuation, and keeps accents (NormalizeShort).
	MatchWords = "words"
	// MatchExact trims surrounding spaces only: case and punctuation count.
	MatchExact = "exact"
	// MatchDomain compares host names: what a learner reads off a link or address bar.
	MatchDomain = "domain"
)

// Matches lists the match modes; the first is the default.
var Matches = []string{MatchWords, MatchExact, MatchDomain}

// normalizeFor puts a short answer into the comparable form of a match mode; ok is false
// when the text cannot be an answer in that mode at all (not a host name, for domain).
func normalizeFor(match, s string) (string, bool) {
	switch match {
	case MatchExact:
		// NFC only, so the same visible text typed with combining accents still matches.
		return norm.NFC.String(strings.TrimSpace(s)), true
	case MatchDomain:
		return NormalizeDomain(s)
	default:
		return NormalizeShort(s), true
	}
}

// NormalizeDomain reduces a host name or URL to its host in ASCII form: lower-cased, without
// scheme, user, port, path, query, fragment or a trailing dot, internationalised names in
// punycode. "www." is kept: www.example.org and example.org are different hosts, and a quiz
// that accepts both lists both. ok is false when what is left is not a valid host name.
func NormalizeDomain(s string) (string, bool) {
	h := strings.TrimSpace(s)
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	} else {
		h = strings.TrimPrefix(h, "//")
	}
	// Browsers read a backslash like a slash in web addresses.
	if i := strings.IndexAny(h, `/\?#`); i >= 0 {
		h = h[:i]
	}
	if i := strings.LastIndex(h, "@"); i >= 0 {
		h = h[i+1:]
	}
	if i := strings.LastIndex(h, ":"); i >= 0 && strings.Trim(h[i+1:], "0123456789") == "" {
		h = h[:i]
	}
	h = strings.TrimSuffix(h, ".")
	if h == "" || !utf8.ValidString(h) {
		return "", false
	}
	ascii, err := idna.Lookup.ToASCII(h)
	if err != nil || ascii == "" || strings.ContainsAny(ascii, ":[]") || strings.Contains("."+ascii+".", "..") {
		return "", false
	}
	// A name whose punycode does not convert back the same way is not one a browser shows.
	if again, err := idna.Lookup.ToASCII(ascii); err != nil || again != ascii {
		return "", false
	}
	return ascii, true
}

// IsHostName tells whether s is a bare host name (no scheme, path, port or user), as the
// accepted answers of a domain question must be, so authors cannot hide a mistake in a URL.
func IsHostName(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, `/\?#@: `) {
		return false
	}
	_, ok := NormalizeDomain(s)
	return ok
}

// Normalize is the comparable form of a short answer in a match mode (ShortMatches compares
// these); ok is false when s cannot be an answer in that mode. The offline quiz script gets
// accepted answers in this form, so it only has to put the typed answer in it.
func Normalize(match, s string) (string, bool) { return normalizeFor(match, s) }

// ShortMatches tells whether typed is one of the accepted answers under the match mode.
func ShortMatches(match, typed string, accepted []string) bool {
	got, ok := normalizeFor(match, typed)
	if !ok || got == "" {
		return false
	}
	for _, a := range accepted {
		if want, ok := normalizeFor(match, a); ok && want == got {
			return true
		}
	}
	return false
}
