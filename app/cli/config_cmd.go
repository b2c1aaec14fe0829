package cli

import (
	"errors"
	"fmt"

	"github.com/cairn-lms/cairn/app/locale"
)

func runConfig(args []string, env Env) error {
	cfg, fs, err := loadConfig("config", args, env, nil)
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	return cfg.Dump(env.Stdout)
}

// problemText renders a validation problem for the terminal, in English.
func problemText(err error) string {
	var m *locale.Message
	if !errors.As(err, &m) {
		return err.Error()
	}
	text := map[string]string{
		"error_username_required":      "choose a username",
		"error_username_too_short":     "too short",
		"error_username_too_long":      "too long",
		"error_username_chars":         "use only letters, digits, and . _ -",
		"error_username_edges":         "must start and end with a letter or a digit",
		"error_username_reserved":      "reserved, or looks like a reserved name",
		"error_username_invisible":     "contains invisible characters (joiners, variation selectors, direction controls)",
		"error_username_mixed_scripts": "mixes scripts (for example Latin and Cyrillic letters); write it in one script",
		"error_username_mixed_digits":  "mixes digits of different kinds (for example 0-9 and Arabic-Indic)",
		"error_display_name_too_long":  "too long",
		"error_display_name_chars":     "contains control characters",
		"error_password_required":      "empty",
		"error_password_too_short":     "too short",
		"error_password_too_long":      "too long",
		"error_password_common":        "among the most common passwords",
		"error_password_has_username":  "contains the username",
	}[m.ID]
	if text == "" {
		text = m.ID
	}
	if len(m.Data) > 0 {
		text += fmt.Sprintf(" %v", m.Data)
	}
	return text
}
