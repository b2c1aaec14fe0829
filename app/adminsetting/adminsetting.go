// Package adminsetting holds the rules for the instance settings admins change, shared by
// the admin page (app/web) and the command line (app/cli) so that both accept and store
// exactly the same values.
package adminsetting

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/freetext"
)

// Content access modes, an instance setting: whether reading courses needs an account.
const (
	SettingContentAccess = "content_access"
	AccessPublic         = "public"
	AccessMembers        = "members"
)

// ValidContentAccess reports whether mode is a content access mode.
func ValidContentAccess(mode string) bool { return mode == AccessPublic || mode == AccessMembers }

// ValidRegistration reports whether mode is a registration mode.
func ValidRegistration(mode string) bool {
	switch mode {
	case config.RegistrationOpen, config.RegistrationInvite, config.RegistrationClosed:
		return true
	}
	return false
}

// Limits of the instance's name and description, in characters: the name shares the
// header of a 360-pixel screen with the menu, the description is one paragraph.
const (
	MaxInstanceName        = 60
	MaxInstanceDescription = 240
)

// CleanLine is the stored form of a one-line text an admin typed: no control characters
// or bidirectional overrides (which could turn the rest of a page around), runs of spaces
// and line breaks made one space, nothing at either end.
func CleanLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, freetext.StripBidiControls(s))
	return strings.Join(strings.Fields(s), " ")
}

// Local contacts stay short enough for the first-aid page to print on one sheet.
const (
	MaxFirstAidContacts      = 600 // characters
	MaxFirstAidContactsLines = 12
)

// CleanContacts is the stored form of the contacts: Unix line breaks, no bidirectional
// overrides or other control characters, no trailing spaces, no blank lines at either end.
func CleanContacts(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, freetext.StripBidiControls(s))
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n ")
}

// ContactsFit reports whether cleaned contacts are within the limits.
func ContactsFit(text string) bool {
	return utf8.RuneCountInString(text) <= MaxFirstAidContacts && strings.Count(text, "\n") < MaxFirstAidContactsLines
}

const maxQuickExitURL = 500

// DefaultQuickExitURL is where quick exit leads until an admin chooses another site.
const DefaultQuickExitURL = "https://www.wikipedia.org/"

// ValidQuickExitURL accepts an absolute http(s) address with a host, and nothing that could
// lead back into Cairn or run anything (a path, javascript:, data:).
func ValidQuickExitURL(raw string) bool {
	if raw == "" || len(raw) > maxQuickExitURL || strings.ContainsAny(raw, " \t\r\n") {
		return false
	}
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}

// MaxTrustedKeyLabel bounds the name an admin gives a partner's signing key, in characters.
const MaxTrustedKeyLabel = 80

// CleanKeyLabel is the stored form of a trusted key's label and whether it is acceptable:
// not empty, one line, at most MaxTrustedKeyLabel characters.
func CleanKeyLabel(s string) (string, bool) {
	label := strings.TrimSpace(freetext.StripBidiControls(s))
	return label, label != "" && utf8.RuneCountInString(label) <= MaxTrustedKeyLabel && !strings.ContainsAny(label, "\r\n")
}
