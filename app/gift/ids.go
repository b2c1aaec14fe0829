package gift

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Cairn's id rule: lowercase letters, digits and hyphens, starting with a letter, at most
// 64 characters.
var idRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,63}$`)

// ValidID tells whether s is a valid Cairn id.
func ValidID(s string) bool { return idRE.MatchString(s) }

// slug makes an id from text: accents dropped, lowercase ASCII letters and digits kept,
// everything else a single hyphen, cut at a word boundary to at most max characters. It
// returns "" when nothing is left (text in a script without ASCII letters).
func slug(text string, maxLen int) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(text) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			hyphen = false
		case r >= 'A' && r <= 'Z':
			b.WriteRune(unicode.ToLower(r))
			hyphen = false
		case r == '\'' || r == '’':
			// "Grant's" reads better as grants than as grant-s.
		default:
			if !hyphen && b.Len() > 0 {
				b.WriteByte('-')
				hyphen = true
			}
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > maxLen {
		cut := s[:maxLen]
		if i := strings.LastIndexByte(cut, '-'); i >= maxLen/2 {
			cut = cut[:i]
		}
		s = strings.Trim(cut, "-")
	}
	return s
}

// idSet hands out unique ids.
type idSet struct {
	taken map[string]bool
	next  map[string]int // the next suffix to try for a base, so a thousand "a"s stay linear
}

func newIDSet() *idSet { return &idSet{taken: map[string]bool{}, next: map[string]int{}} }

// make returns an id for text: its slug (prefix added when it starts with a digit), or
// fallback when the text gives none; "-2", "-3"… make it unique.
func (ids *idSet) make(text, prefix, fallback string, maxLen int) string {
	base := slug(text, maxLen)
	switch {
	case base == "":
		base = fallback
	case base[0] >= '0' && base[0] <= '9':
		base = slug(prefix+"-"+base, maxLen)
	}
	id := base
	for n := max(ids.next[base], 2); ids.taken[id]; n++ {
		suffix := fmt.Sprintf("-%d", n)
		id = strings.TrimRight(base[:min(len(base), 64-len(suffix))], "-") + suffix
		ids.next[base] = n + 1
	}
	ids.taken[id] = true
	return id
}
