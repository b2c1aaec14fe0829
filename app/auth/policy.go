package auth

import (
	"bufio"
	_ "embed"
	"strings"
	"unicode/utf8"

	"github.com/cairn-lms/cairn/app/locale"
)

// Password limits. The maximum only bounds work; long passphrases are encouraged.
const (
	PasswordMinLen   = 10
	PasswordMaxBytes = 1024
)

//go:embed common_passwords.txt
var commonPasswordsFile string

var commonPasswords = func() map[string]bool {
	set := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsFile))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			set[strings.ToLower(line)] = true
		}
	}
	return set
}()

// CheckPassword applies the password rules: long enough, not absurdly long, not one of the
// most common passwords, and not the username.
func CheckPassword(password, usernameKey string) error {
	switch {
	case password == "":
		return locale.Problem("error_password_required")
	case utf8.RuneCountInString(password) < PasswordMinLen:
		return locale.PluralProblem("error_password_too_short", PasswordMinLen, "Min", PasswordMinLen)
	case len(password) > PasswordMaxBytes:
		return locale.Problem("error_password_too_long")
	}
	lower := strings.ToLower(password)
	if commonPasswords[lower] || isRepetitive(lower) {
		return locale.Problem("error_password_common")
	}
	if usernameKey != "" && strings.Contains(UsernameKey(password), usernameKey) {
		return locale.Problem("error_password_has_username")
	}
	return nil
}

// isRepetitive catches "aaaaaaaaaa" and "abababababab": one short unit repeated.
func isRepetitive(s string) bool {
	runes := []rune(s)
	for unit := 1; unit <= 3 && unit < len(runes); unit++ {
		same := true
		for i := unit; i < len(runes); i++ {
			if runes[i] != runes[i-unit] {
				same = false
				break
			}
		}
		if same {
			return true
		}
	}
	return false
}
