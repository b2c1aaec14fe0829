package auth

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/cairn-lms/cairn/app/freetext"
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

// Username is a valid username in the forms Cairn keeps: Display as typed (NFKC), Key to
// find the account by, Skeleton to keep look-alike names apart.
type Username struct {
	Display, Key, Skeleton string
}

// CleanUsername validates a username as typed against the identifier rules of UTS #39 (no
// invisible characters, one script, one set of digits, not confusable with a reserved name)
// and returns its forms, or a localisable problem. Whether it looks like another account's
// name is the database's to say: the skeleton is unique there.
func CleanUsername(raw string) (Username, error) {
	trimmed := strings.TrimSpace(raw)
	for _, r := range trimmed {
		if isDefaultIgnorable(r) {
			return Username{}, locale.Problem("error_username_invisible")
		}
	}
	display := norm.NFKC.String(trimmed)
	n := utf8.RuneCountInString(display)
	switch {
	case n == 0:
		return Username{}, locale.Problem("error_username_required")
	case n < UsernameMinLen:
		return Username{}, locale.PluralProblem("error_username_too_short", UsernameMinLen, "Min", UsernameMinLen)
	case n > UsernameMaxLen:
		return Username{}, locale.PluralProblem("error_username_too_long", UsernameMaxLen, "Max", UsernameMaxLen)
	}
	for i, r := range display {
		switch {
		case isDefaultIgnorable(r):
			return Username{}, locale.Problem("error_username_invisible")
		case unicode.IsLetter(r), unicode.IsDigit(r):
		case unicode.IsMark(r) && i > 0:
		case r == '_' || r == '-' || r == '.':
			if i == 0 || i+1 == len(display) {
				return Username{}, locale.Problem("error_username_edges")
			}
		default:
			return Username{}, locale.Problem("error_username_chars")
		}
	}
	if !singleScript(display) {
		return Username{}, locale.Problem("error_username_mixed_scripts")
	}
	if !oneNumberingSystem(display) {
		return Username{}, locale.Problem("error_username_mixed_digits")
	}
	u := Username{Display: display, Key: UsernameKey(display)}
	u.Skeleton = skeleton(u.Key)
	if reservedUsernames[u.Key] || reservedSkeletons[u.Skeleton] {
		return Username{}, locale.Problem("error_username_reserved")
	}
	return u, nil
}

// CleanDisplayName trims and bounds an optional display name, without the bidirectional
// controls that could make it read as someone else's.
func CleanDisplayName(raw string) (string, error) {
	name := norm.NFKC.String(freetext.Clean(raw))
	if utf8.RuneCountInString(name) > 60 {
		return "", locale.PluralProblem("error_display_name_too_long", 60, "Max", 60)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "", locale.Problem("error_display_name_chars")
		}
	}
	return name, nil
}
