package cli_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/signing"
)

// settingValue is KEY's value in `cairn settings list`.
func settingValue(t *testing.T, vars map[string]string, key string) string {
	t.Helper()
	code, out, errOut := run(t, vars, "", "settings", "list")
	if code != 0 {
		t.Fatalf("settings list: %d %s", code, errOut)
	}
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + ` +(.*)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("settings list has no %s:\n%s", key, out)
	}
	return strings.TrimSpace(m[1])
}

func TestSettingsSetChecksAsTheAdminPageDoesAndIsAudited(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		set := func(args ...string) (int, string) {
			code, out, errOut := run(t, vars, "", append([]string{"settings", "set"}, args...)...)
			return code, out + errOut
		}
		if code, out := set("registration", "invite", "content_access", "members", "quick_exit_url", "https://weather.example/"); code != 0 {
			t.Fatalf("set: %d %s", code, out)
		}
		for k, want := range map[string]string{"registration": "invite", "content_access": "members", "quick_exit_url": "https://weather.example/"} {
			if got := settingValue(t, vars, k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		// One refused value among good ones: nothing stored, and the reason said.
		for _, bad := range [][]string{
			{"registration", "closed", "quick_exit_url", "javascript:alert(1)"},
			{"registration", "wide-open"},
			{"content_access", "closed", "registration", "closed"},
			{"registration", "closed", "retention_inactive_days", "30", "retention_warning_days", "30"},
			{"registration", "closed", "retention_audit_days", "many"},
			{"registration", "closed", "instance_name.xx", "Somewhere"},
			{"registration", "closed", "instance_name.en", strings.Repeat("n", 61)},
			{"registration", "closed", "first_aid_contacts", strings.Repeat("line\n", 13)},
			{"registration", "closed", "discreet_mode", "yes"},
			{"registration", "closed", "offered_languages", "ar,es", "default_language", "en"},
			{"registration", "closed", "offered_languages", "klingon"},
			{"registration", "closed", "default_language", "xx"},
		} {
			code, out := set(bad...)
			if code == 0 || !strings.Contains(out, "nothing stored") {
				t.Errorf("set %q: exit %d, %s", bad, code, out)
			}
		}
		if code, out := set("instance_secret", "x"); code != 2 || !strings.Contains(out, "not a setting") {
			t.Errorf("set instance_secret: exit %d, %s", code, out)
		}
		for k, want := range map[string]string{"registration": "invite", "discreet_mode": "off", "retention_audit_days": "365", `instance_name.en`: `""`} {
			if got := settingValue(t, vars, k); got != want {
				t.Errorf("after refusals %s = %q, want %q", k, got, want)
			}
		}

		// The instance's identity, languages, discreet mode, retention, contacts from stdin.
		if code, out := set("instance_name.ar", "  مدرسة\u202e الأمان  ", "offered_languages", "en, ar", "default_language", "ar", "discreet_mode", "on", "retention_audit_days", "400"); code != 0 {
			t.Fatalf("set: %d %s", code, out)
		}
		code, _, errOut := run(t, vars, "Lawyer: +1 555 0100\r\nHotline\t24h  \n\n", "settings", "set", "first_aid_contacts", "-")
		if code != 0 {
			t.Fatalf("contacts: %d %s", code, errOut)
		}
		for k, want := range map[string]string{"instance_name.ar": `"مدرسة الأمان"`, "offered_languages": "ar,en", "default_language": "ar",
			"discreet_mode": "on", "retention_audit_days": "400", "retention_inactive_days": "0", "first_aid_contacts": `"Lawyer: +1 555 0100\nHotline 24h"`} {
			if got := settingValue(t, vars, k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		// The default must stay offered.
		if code, out := set("offered_languages", "en"); code != 1 || !strings.Contains(out, "default language") {
			t.Errorf("offering only en while ar is the default: %d %s", code, out)
		}
		code, out, _ := run(t, vars, "", "settings", "list")
		if code != 0 || strings.Contains(out, "instance_secret") || strings.Contains(out, "retention_last_run") {
			t.Errorf("settings list shows what it should not:\n%s", out)
		}

		// Every change is in the audit log, by the command line; refusals are not.
		code, out, errOut = run(t, vars, "", "audit")
		if code != 0 {
			t.Fatalf("audit: %d %s", code, errOut)
		}
		for _, want := range []string{"setting.registration", "mode=invite", "setting.content_access", "mode=members", "setting.quick_exit",
			"what=name", "what=languages", "what=discreet_on", "setting.retention", "audit=400", "setting.first_aid", "characters=31"} {
			if !strings.Contains(out, want) {
				t.Errorf("audit log lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "mode=closed") || strings.Contains(out, "wide-open") {
			t.Errorf("a refused change is in the audit log:\n%s", out)
		}
		code, out, _ = run(t, vars, "", "audit", "--action", "setting.retention", "--csv")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != 0 || len(lines) != 2 || !strings.HasPrefix(lines[0], "\ufeff") || !strings.Contains(lines[1], "setting.retention") {
			t.Errorf("audit --csv --action: %d\n%s", code, out)
		}
		if code, _, errOut := run(t, vars, "", "audit", "--action", "setting.everything"); code != 2 || !strings.Contains(errOut, "unknown action") {
			t.Errorf("unknown action: %d %s", code, errOut)
		}
		if code, _, errOut := run(t, vars, "", "audit", "--from", "2026-13-01"); code != 2 {
			t.Errorf("bad day: %d %s", code, errOut)
		}
		if code, out, _ := run(t, vars, "", "audit", "--to", "2000-01-01"); code != 0 || strings.Count(out, "\n") != 1 {
			t.Errorf("audit --to 2000-01-01 lists entries: %d\n%s", code, out)
		}
		if code, _, errOut := run(t, vars, "", "audit", "--actor", "nobody"); code != 1 || !strings.Contains(errOut, "no account") {
			t.Errorf("audit --actor nobody: %d %s", code, errOut)
		}
	})
}

func TestSettingsLogoIsReencodedAndRemoved(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		dir := t.TempDir()
		img := image.NewRGBA(image.Rect(0, 0, 40, 20))
		for x := 0; x < 40; x++ {
			img.Set(x, 10, color.RGBA{200, 30, 30, 255})
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		good, bad := filepath.Join(dir, "logo.png"), filepath.Join(dir, "logo.txt")
		if err := os.WriteFile(good, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bad, []byte("not an image at all"), 0o600); err != nil {
			t.Fatal(err)
		}
		if code, _, errOut := run(t, vars, "", "settings", "logo", bad); code != 1 || !strings.Contains(errOut, "nothing stored") {
			t.Fatalf("logo from text: %d %s", code, errOut)
		}
		if got := settingValue(t, vars, "logo"); got != "none" {
			t.Fatalf("logo after a refusal: %q", got)
		}
		if code, out, errOut := run(t, vars, "", "settings", "logo", good); code != 0 || !strings.Contains(out, "logo set") {
			t.Fatalf("logo: %d %s %s", code, out, errOut)
		}
		if got := settingValue(t, vars, "logo"); !strings.HasSuffix(got, "PNG") || got == "none" {
			t.Fatalf("logo after setting it: %q", got)
		}
		if code, _, errOut := run(t, vars, "", "settings", "logo", "--remove"); code != 0 {
			t.Fatalf("logo --remove: %d %s", code, errOut)
		}
		if got := settingValue(t, vars, "logo"); got != "none" {
			t.Fatalf("logo after removing it: %q", got)
		}
		_, out, _ := run(t, vars, "", "audit", "--action", "setting.instance")
		if !strings.Contains(out, "what=logo\n") && !strings.Contains(out, "what=logo ") || !strings.Contains(out, "what=logo_removed") {
			t.Errorf("audit log lacks the logo changes:\n%s", out)
		}
	})
}

func TestKeysTrustListUntrust(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		dir := t.TempDir()
		partner, err := signing.LoadOrCreateKey(filepath.Join(dir, "partner"))
		if err != nil {
			t.Fatal(err)
		}
		own, err := signing.LoadOrCreateKey(vars["CAIRN_DATA_DIR"])
		if err != nil {
			t.Fatal(err)
		}
		pub, ownPub, junk := filepath.Join(dir, "partner.pub"), filepath.Join(dir, "own.pub"), filepath.Join(dir, "junk.pub")
		for f, data := range map[string][]byte{pub: partner.Public.File(), ownPub: own.Public.File(), junk: []byte("untrusted comment: x\nnot base64 at all\n")} {
			if err := os.WriteFile(f, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		id := partner.Public.ID()
		list := func() string {
			code, out, errOut := run(t, vars, "", "keys", "list")
			if code != 0 {
				t.Fatalf("keys list: %d %s", code, errOut)
			}
			return out
		}
		for _, bad := range [][]string{
			{"trust", pub},                      // no label
			{"trust", pub, "--label", "a\nb"},   // two lines
			{"trust", junk, "--label", "Junk"},  // not a key
			{"trust", ownPub, "--label", "Own"}, // this instance's own
		} {
			if code, _, errOut := run(t, vars, "", append([]string{"keys"}, bad...)...); code == 0 {
				t.Errorf("keys %q accepted: %s", bad, errOut)
			}
		}
		if strings.Count(list(), "\n") != 1 {
			t.Fatalf("refused keys were stored:\n%s", list())
		}
		if code, out, errOut := run(t, vars, "", "keys", "trust", pub, "--label", " Partner\u202e NGO "); code != 0 || !strings.Contains(out, id) {
			t.Fatalf("trust: %d %s %s", code, out, errOut)
		}
		if l := list(); !strings.Contains(l, id) || !strings.Contains(l, "Partner NGO") || !strings.Contains(l, partner.Public.String()) {
			t.Errorf("keys list:\n%s", l)
		}
		if code, _, errOut := run(t, vars, "", "keys", "trust", pub, "--label", "Again"); code != 1 || !strings.Contains(errOut, "already trusted") {
			t.Errorf("trust twice: %d %s", code, errOut)
		}
		if code, _, errOut := run(t, vars, "", "keys", "untrust", "FFFF"); code != 1 || !strings.Contains(errOut, "no trusted key") {
			t.Errorf("untrust unknown: %d %s", code, errOut)
		}
		if code, _, errOut := run(t, vars, "", "keys", "untrust", id); code != 0 {
			t.Fatalf("untrust: %d %s", code, errOut)
		}
		if strings.Contains(list(), id) {
			t.Errorf("key still listed after untrust")
		}
		_, out, _ := run(t, vars, "", "audit", "--action", "setting.trusted_keys")
		if !strings.Contains(out, "added="+id) || !strings.Contains(out, "removed="+id) || strings.Count(out, "\n") != 3 {
			t.Errorf("audit log of keys:\n%s", out)
		}
	})
}
