package auth

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/cairn-lms/cairn/app/locale"
)

// Username limits, in characters after normalisation.
const (
	UsernameMinLen = 3
	UsernameMaxLen = 32
)

// reservedUsernames could be mistaken for the instance's own staff or system.
var reservedUsernames = map[string]bool{
	"admin": true, "administrator": true, "root": true, "system": true, "cairn": true,
	"support": true, "moderator": true, "trainer": true, "staff": true, "security": true,
	"anonymous": true, "nobody": true, "null": true,
}

var folder = cases.Fold()

// UsernameKey is the form two usernames are compared in: NFKC-normalised and case-folded,
// so "Ａｌｉｃｅ", "ALICE" and "alice" are the same account in every script.
func UsernameKey(name string) string {
	return norm.NFKC.String(folder.String(norm.NFKC.String(strings.TrimSpace(name))))
}

// CleanUsername validates a username as typed and returns the form to display (NFKC) and
// the key to compare on, or a localisable problem.
func CleanUsername(raw string) (display, key string, err error) {
	display = norm.NFKC.String(strings.TrimSpace(raw))
	n := utf8.RuneCountInString(display)
	switch {
	case n == 0:
		return "", "", locale.Problem("error_username_required")
	case n < UsernameMinLen:
		return "", "", locale.Problem("error_username_too_short", "Min", UsernameMinLen)
	case n > UsernameMaxLen:
		return "", "", locale.Problem("error_username_too_long", "Max", UsernameMaxLen)
	}
	for i, r := range display {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r):
		case unicode.IsMark(r) && i > 0:
		case r == '_' || r == '-' || r == '.':
			if i == 0 || i+1 == len(display) {
				return "", "", locale.Problem("error_username_edges")
			}
		default:
			return "", "", locale.Problem("error_username_chars")
		}
	}
	key = UsernameKey(display)
	if reservedUsernames[key] {
		return "", "", locale.Problem("error_username_reserved")
	}
	return display, key, nil
}

// CleanDisplayName trims and bounds an optional display name.
func CleanDisplayName(raw string) (string, error) {
	name := norm.NFKC.String(strings.TrimSpace(raw))
	if utf8.RuneCountInString(name) > 60 {
		return "", locale.Problem("error_display_name_too_long", "Max", 60)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "", locale.Problem("error_display_name_chars")
		}
	}
	return name, nil
}
