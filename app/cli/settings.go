package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	"github.com/cairn-lms/cairn/app/adminsetting"
	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/logo"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/retention"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/i18n"
)

// The settings admins change on /admin, from the command line: the same rules
// (app/adminsetting), the same writes (instance settings through SetInstanceSettings, which
// tells running servers) and the same audit entries as the web handlers.

const settingsUsage = "settings needs an action: list, set KEY VALUE [KEY VALUE]…, logo FILE or logo --remove"

func runSettings(args []string, env Env) error {
	if len(args) == 0 {
		return usageError(settingsUsage)
	}
	action, args := args[0], args[1:]
	var remove bool
	cfg, fs, err := loadConfig("settings "+action, args, env, func(fs *flag.FlagSet) {
		fs.BoolVar(&remove, "remove", false, "remove the logo: the header shows the instance's name again (logo)")
	})
	if err != nil {
		return err
	}
	pos, err := parseInterleaved(fs, fs.Args())
	if err != nil {
		return err
	}
	locales, err := locale.Load(i18n.Files, cfg.DefaultLocale)
	if err != nil {
		return err
	}
	switch action {
	case "list":
		if len(pos) > 0 {
			return usageError("list takes no argument")
		}
		return withStore(env, cfg, func(ctx context.Context, st *store.Store) error {
			return listSettings(ctx, st, env, cfg, locales)
		})
	case "set":
		if len(pos) == 0 || len(pos)%2 != 0 {
			return usageError("set needs KEY VALUE pairs (an empty VALUE \"\" removes a text; VALUE - reads it from standard input)")
		}
		return withStore(env, cfg, func(ctx context.Context, st *store.Store) error {
			return setSettings(ctx, st, env, cfg, locales, pos)
		})
	case "logo":
		switch {
		case remove && len(pos) == 0:
			return withStore(env, cfg, func(ctx context.Context, st *store.Store) error {
				if err := st.DeleteLogo(ctx); err != nil {
					return err
				}
				audit(ctx, st, env, store.AuditSettingInstance, store.NoTarget, store.AuditDetail("what", "logo_removed"))
				fmt.Fprintln(env.Stdout, "logo removed; the header shows the instance's name")
				return nil
			})
		case !remove && len(pos) == 1:
			return setLogo(env, cfg, pos[0])
		}
		return usageError("logo needs a FILE (PNG or JPEG) or --remove")
	}
	return usageError(settingsUsage)
}

// settingLanguages are the shipped languages, by tag, in the order the admin page lists them.
func settingLanguages(locales *locale.Bundle) []string {
	var tags []string
	for _, l := range locales.Languages() {
		tags = append(tags, l.Tag)
	}
	return tags
}

func retentionKeys() []string {
	return []string{retention.SettingAttendanceDays, retention.SettingAuditDays, retention.SettingInactiveDays, retention.SettingWarningDays}
}

// listSettings prints every setting an admin can change, with its value in force: stored,
// or the default when none is stored. Secrets (the instance secret) are not among them.
func listSettings(ctx context.Context, st *store.Store, env Env, cfg config.Config, locales *locale.Bundle) error {
	langs := settingLanguages(locales)
	keys := []string{store.SettingRegistration, adminsetting.SettingContentAccess, store.SettingFirstAidContacts,
		store.SettingQuickExitURL, store.SettingDiscreetMode, store.SettingOfferedLanguages, store.SettingDefaultLanguage}
	for _, base := range []string{store.SettingInstanceName, store.SettingInstanceDescription} {
		for _, l := range langs {
			keys = append(keys, store.InstanceSettingKey(base, l))
		}
	}
	stored, err := st.Settings(ctx, keys)
	if err != nil {
		return err
	}
	policy, err := retention.Load(ctx, st, retention.Defaults(cfg.AttendanceRetention))
	if err != nil {
		return err
	}
	offered, def := currentLanguages(stored, locales)
	etag, w, h, err := st.LogoVersion(ctx)
	if err != nil {
		return err
	}
	or := func(k, fallback string) string {
		if v, ok := stored[k]; ok {
			return v
		}
		return fallback
	}
	discreet := "off"
	if stored[store.SettingDiscreetMode] == "on" {
		discreet = "on"
	}
	logoText := "none"
	if etag != "" {
		logoText = fmt.Sprintf("%d×%d PNG", w, h)
	}
	rows := [][2]string{
		{store.SettingRegistration, or(store.SettingRegistration, cfg.Registration)},
		{adminsetting.SettingContentAccess, or(adminsetting.SettingContentAccess, adminsetting.AccessPublic)},
		{store.SettingFirstAidContacts, strconv.Quote(stored[store.SettingFirstAidContacts])},
		{store.SettingQuickExitURL, or(store.SettingQuickExitURL, "(not set: "+adminsetting.DefaultQuickExitURL+")")},
		{store.SettingDiscreetMode, discreet},
		{store.SettingOfferedLanguages, strings.Join(offered, ",")},
		{store.SettingDefaultLanguage, def},
	}
	for _, base := range []string{store.SettingInstanceName, store.SettingInstanceDescription} {
		for _, l := range langs {
			k := store.InstanceSettingKey(base, l)
			rows = append(rows, [2]string{k, strconv.Quote(stored[k])})
		}
	}
	rows = append(rows,
		[2]string{retention.SettingAttendanceDays, strconv.Itoa(policy.AttendanceDays)},
		[2]string{retention.SettingAuditDays, strconv.Itoa(policy.AuditDays)},
		[2]string{retention.SettingInactiveDays, strconv.Itoa(policy.InactiveDays)},
		[2]string{retention.SettingWarningDays, strconv.Itoa(policy.WarningDays)},
		[2]string{"logo", logoText},
	)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tVALUE")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", r[0], printable(r[1]))
	}
	return tw.Flush()
}

// currentLanguages is what the web serves: the stored offer when it is usable, otherwise
// every shipped language with the configured default.
func currentLanguages(stored map[string]string, locales *locale.Bundle) ([]string, string) {
	if offered := stored[store.SettingOfferedLanguages]; offered != "" {
		if o, err := locales.Offer(strings.Split(offered, ","), stored[store.SettingDefaultLanguage]); err == nil {
			var tags []string
			for _, l := range o.Languages() {
				tags = append(tags, l.Tag)
			}
			return tags, o.Default().Lang.Tag
		}
	}
	return settingLanguages(locales), locales.Default().Lang.Tag
}

// printable keeps a value from moving a terminal's cursor or turning its text around.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return '?'
		}
		return r
	}, s)
}

// settingChange is one validated group of writes and its audit entry.
type settingChange struct {
	plain    map[string]string // SetSetting: not cached by the servers
	instance map[string]string // SetInstanceSettings: cached, servers are told
	policy   *retention.Policy
	audits   [][2]string // action, detail
}

// setSettings validates every pair first and stores nothing if one is refused.
func setSettings(ctx context.Context, st *store.Store, env Env, cfg config.Config, locales *locale.Bundle, pairs []string) error {
	ch := settingChange{plain: map[string]string{}, instance: map[string]string{}}
	values := map[string]string{}
	for i := 0; i < len(pairs); i += 2 {
		k, v := pairs[i], pairs[i+1]
		if _, dup := values[k]; dup {
			return usageError("%s is given twice", k)
		}
		if v == "-" {
			data, err := io.ReadAll(io.LimitReader(env.Stdin, 64<<10))
			if err != nil {
				return err
			}
			v = string(data)
		}
		values[k] = v
	}
	var langs, retain bool
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := values[k]
		base, lang, perLang := strings.Cut(k, ".")
		switch {
		case k == store.SettingRegistration:
			if !adminsetting.ValidRegistration(v) {
				return fmt.Errorf("refused, nothing stored: registration is open, invite or closed, not %q", v)
			}
			ch.plain[k] = v
			ch.audits = append(ch.audits, [2]string{store.AuditSettingRegister, store.AuditDetail("mode", v)})
		case k == adminsetting.SettingContentAccess:
			if !adminsetting.ValidContentAccess(v) {
				return fmt.Errorf("refused, nothing stored: content_access is %s or %s, not %q", adminsetting.AccessPublic, adminsetting.AccessMembers, v)
			}
			ch.plain[k] = v
			ch.audits = append(ch.audits, [2]string{store.AuditSettingContent, store.AuditDetail("mode", v)})
		case k == store.SettingFirstAidContacts:
			text := adminsetting.CleanContacts(v)
			if !adminsetting.ContactsFit(text) {
				return fmt.Errorf("refused, nothing stored: first_aid_contacts may have at most %d characters on %d lines", adminsetting.MaxFirstAidContacts, adminsetting.MaxFirstAidContactsLines)
			}
			ch.plain[k] = text
			ch.audits = append(ch.audits, [2]string{store.AuditSettingFirstAid, store.AuditDetail("characters", utf8.RuneCountInString(text))})
		case k == store.SettingQuickExitURL:
			to := strings.TrimSpace(v)
			if !adminsetting.ValidQuickExitURL(to) {
				return fmt.Errorf("refused, nothing stored: quick_exit_url must be a whole http:// or https:// address of another site, not %q", printable(v))
			}
			ch.plain[k] = to
			ch.audits = append(ch.audits, [2]string{store.AuditSettingQuickExit, ""})
		case k == store.SettingDiscreetMode:
			if v != "on" && v != "off" {
				return fmt.Errorf("refused, nothing stored: discreet_mode is on or off, not %q", v)
			}
			ch.instance[k] = map[string]string{"on": "on", "off": ""}[v]
			ch.audits = append(ch.audits, [2]string{store.AuditSettingInstance, store.AuditDetail("what", "discreet_"+v)})
		case perLang && (base == store.SettingInstanceName || base == store.SettingInstanceDescription):
			if l, ok := locales.Lookup(lang); !ok || l.Lang.Tag != lang {
				return fmt.Errorf("refused, nothing stored: %q is not a shipped language (%s)", lang, strings.Join(settingLanguages(locales), ", "))
			}
			text, most := adminsetting.CleanLine(v), adminsetting.MaxInstanceName
			if base == store.SettingInstanceDescription {
				most = adminsetting.MaxInstanceDescription
			}
			if utf8.RuneCountInString(text) > most {
				return fmt.Errorf("refused, nothing stored: %s may have at most %d characters", k, most)
			}
			ch.instance[k] = text
			ch.audits = append(ch.audits, [2]string{store.AuditSettingInstance, store.AuditDetail("what", "name")})
		case k == store.SettingOfferedLanguages || k == store.SettingDefaultLanguage:
			langs = true
		case k == retention.SettingAttendanceDays || k == retention.SettingAuditDays || k == retention.SettingInactiveDays || k == retention.SettingWarningDays:
			retain = true
		default:
			return usageError("%q is not a setting this command changes; the keys are registration, content_access, first_aid_contacts, quick_exit_url, discreet_mode, instance_name.LANG, instance_description.LANG, offered_languages, default_language, %s", k, strings.Join(retentionKeys(), ", "))
		}
	}
	if langs {
		if err := languageChange(ctx, st, locales, values, &ch); err != nil {
			return err
		}
	}
	if retain {
		if err := retentionChange(ctx, st, cfg, values, &ch); err != nil {
			return err
		}
	}
	// Everything is valid: store it.
	for k, v := range ch.plain {
		if err := st.SetSetting(ctx, k, v); err != nil {
			return err
		}
	}
	if len(ch.instance) > 0 {
		if err := st.SetInstanceSettings(ctx, ch.instance); err != nil {
			return err
		}
	}
	if ch.policy != nil {
		if err := retention.Save(ctx, st, *ch.policy); err != nil {
			return err
		}
	}
	seen := map[[2]string]bool{}
	for _, a := range ch.audits {
		if !seen[a] {
			seen[a] = true
			audit(ctx, st, env, a[0], store.NoTarget, a[1])
		}
	}
	for _, k := range keys {
		fmt.Fprintf(env.Stdout, "%s set\n", k)
	}
	if len(ch.instance) > 0 {
		fmt.Fprintln(env.Stdout, "running servers show the change at once on PostgreSQL, within a minute on SQLite")
	}
	return nil
}

// languageChange checks the offered languages and the default together, as the admin
// page's form does: every offered language shipped, at least one, the default among them.
// A key not given keeps its value in force.
func languageChange(ctx context.Context, st *store.Store, locales *locale.Bundle, values map[string]string, ch *settingChange) error {
	stored, err := st.Settings(ctx, []string{store.SettingOfferedLanguages, store.SettingDefaultLanguage})
	if err != nil {
		return err
	}
	offered, def := currentLanguages(stored, locales)
	if v, ok := values[store.SettingOfferedLanguages]; ok {
		seen := map[string]bool{}
		offered = nil
		for _, t := range strings.Split(v, ",") {
			t = strings.TrimSpace(t)
			if t == "" {
				continue
			}
			l, ok := locales.Lookup(t)
			if !ok {
				return fmt.Errorf("refused, nothing stored: %q is not a shipped language (%s)", t, strings.Join(settingLanguages(locales), ", "))
			}
			if !seen[l.Lang.Tag] {
				seen[l.Lang.Tag] = true
				offered = append(offered, l.Lang.Tag)
			}
		}
		sort.Strings(offered)
	}
	if v, ok := values[store.SettingDefaultLanguage]; ok {
		def = strings.TrimSpace(v)
	}
	if len(offered) == 0 {
		return errors.New("refused, nothing stored: offer at least one language")
	}
	found := false
	for _, t := range offered {
		found = found || t == def
	}
	if !found {
		return fmt.Errorf("refused, nothing stored: the default language %q must be among the offered ones (%s); set both at once: settings set offered_languages LIST default_language TAG", def, strings.Join(offered, ","))
	}
	ch.instance[store.SettingOfferedLanguages] = strings.Join(offered, ",")
	ch.instance[store.SettingDefaultLanguage] = def
	ch.audits = append(ch.audits, [2]string{store.AuditSettingInstance, store.AuditDetail("what", "languages")})
	return nil
}

// retentionChange checks the retention periods together, as the admin page does: the
// periods not given keep their value in force.
func retentionChange(ctx context.Context, st *store.Store, cfg config.Config, values map[string]string, ch *settingChange) error {
	p, err := retention.Load(ctx, st, retention.Defaults(cfg.AttendanceRetention))
	if err != nil {
		return err
	}
	for _, f := range []struct {
		key string
		to  *int
	}{{retention.SettingAttendanceDays, &p.AttendanceDays}, {retention.SettingAuditDays, &p.AuditDays},
		{retention.SettingInactiveDays, &p.InactiveDays}, {retention.SettingWarningDays, &p.WarningDays}} {
		v, ok := values[f.key]
		if !ok {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("refused, nothing stored: %s is a whole number of days, not %q", f.key, v)
		}
		*f.to = n
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("refused, nothing stored: %w", err)
	}
	ch.policy = &p
	ch.audits = append(ch.audits, [2]string{store.AuditSettingRetain, p.Detail()})
	return nil
}

// setLogo replaces the logo with a re-encoded copy of the image, as the admin page's upload does.
func setLogo(env Env, cfg config.Config, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(f, logo.MaxBytes+1))
	f.Close()
	if err != nil {
		return err
	}
	var l *logo.Logo
	if len(data) > logo.MaxBytes {
		err = logo.ErrTooLarge
	} else {
		l, err = logo.Normalize(data)
	}
	if err != nil {
		return fmt.Errorf("%s: refused, nothing stored: %w (PNG or JPEG, at most %d KB and %d pixels a side)", path, err, logo.MaxBytes>>10, logo.MaxSourceSide)
	}
	return withStore(env, cfg, func(ctx context.Context, st *store.Store) error {
		if err := st.SetLogo(ctx, &model.InstanceLogo{PNG: l.PNG, ETag: l.ETag, Width: l.Width, Height: l.Height}); err != nil {
			return err
		}
		audit(ctx, st, env, store.AuditSettingInstance, store.NoTarget, store.AuditDetail("what", "logo"))
		fmt.Fprintf(env.Stdout, "logo set (%d×%d PNG, %d bytes); running servers show it at once on PostgreSQL, within a minute on SQLite\n", l.Width, l.Height, len(l.PNG))
		return nil
	})
}
