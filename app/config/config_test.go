package config_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsAreSafe(t *testing.T) {
	cfg, _, err := config.Load("serve", nil, env(nil), io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:8080" || cfg.DataDir != "./cairn-data" || cfg.UsesPostgres() || cfg.LogIPs {
		t.Fatalf("unsafe or unexpected defaults: %+v", cfg)
	}
}

func TestFlagsBeatEnvironmentWhichBeatsDefaults(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "db-url")
	if err := os.WriteFile(secret, []byte("postgres://cairn:s3cret@db:5432/cairn\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e := env(map[string]string{
		"CAIRN_ADDR":              "0.0.0.0:9000",
		"CAIRN_DATABASE_URL_FILE": secret,
		"CAIRN_LOG_IPS":           "true",
		"CAIRN_SESSION_MAX_AGE":   "48h",
		"CAIRN_TRUSTED_PROXIES":   "10.0.0.1, 10.0.0.0/8, ::1",
		"CAIRN_SIGNUP_RATE_LIMIT": "20",
	})
	cfg, fs, err := config.Load("serve", []string{"--addr", "127.0.0.1:7000", "extra"}, e, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:7000" {
		t.Fatalf("flag did not win: %s", cfg.Addr)
	}
	if cfg.DatabaseURL != "postgres://cairn:s3cret@db:5432/cairn" || !cfg.UsesPostgres() {
		t.Fatalf("_FILE secret not read (trailing newline must be trimmed): %q", cfg.DatabaseURL)
	}
	if !cfg.LogIPs || cfg.SessionMaxAge != 48*time.Hour || len(cfg.TrustedProxies) != 3 || cfg.SignupRateLimit != 20 {
		t.Fatalf("env not applied: %+v", cfg)
	}
	if fs.NArg() != 1 || fs.Arg(0) != "extra" {
		t.Fatal("positional arguments lost")
	}
}

func TestInvalidSettingsAreExplained(t *testing.T) {
	cases := map[string]map[string]string{
		"registration must be open, invite or closed": {"CAIRN_REGISTRATION": "sometimes"},
		"database-url must start with postgres://":    {"CAIRN_DATABASE_URL": "mysql://x"},
		"base-url must be an absolute http(s) URL":    {"CAIRN_BASE_URL": "learn.example.org"},
		"CAIRN_LOG_IPS":                            {"CAIRN_LOG_IPS": "maybe"},
		"CAIRN_SESSION_IDLE_TIMEOUT":               {"CAIRN_SESSION_IDLE_TIMEOUT": "a while"},
		"CAIRN_DATABASE_URL_FILE":                  {"CAIRN_DATABASE_URL_FILE": "/nonexistent/secret"},
		"CAIRN_SECRET_KEY must be 32 random bytes": {"CAIRN_SECRET_KEY": "too-short"},
		`trusted-proxies: "proxy.local"`:           {"CAIRN_TRUSTED_PROXIES": "10.0.0.1,proxy.local"},
		"signup-code-rate-limit must be positive":  {"CAIRN_SIGNUP_CODE_RATE_LIMIT": "0"},
	}
	for want, vars := range cases {
		_, _, err := config.Load("serve", nil, env(vars), io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: error %v, want it to mention %q", vars, err, want)
		}
	}
}

func TestTrustedProxiesAreAddressesOrRanges(t *testing.T) {
	prefixes, err := config.Config{TrustedProxies: []string{"10.0.0.1", "192.168.0.0/16", "::ffff:172.16.0.1", "fd00::/8"}}.TrustedProxyPrefixes()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.1/32", "192.168.0.0/16", "172.16.0.1/32", "fd00::/8"}
	for i, p := range prefixes {
		if p.String() != want[i] {
			t.Errorf("%d: %s, want %s", i, p, want[i])
		}
	}
}

func TestDumpRedactsSecrets(t *testing.T) {
	cfg := config.Defaults()
	cfg.DatabaseURL = "postgres://cairn:hunter2-very-secret@db:5432/cairn?sslmode=disable&password=also-secret"
	cfg.SecretKey = "c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE="
	var buf bytes.Buffer
	if err := cfg.Dump(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "hunter2") || strings.Contains(out, "also-secret") || strings.Contains(out, "c2VjcmV0") {
		t.Fatalf("dump leaks a secret:\n%s", out)
	}
	for _, want := range []string{"CAIRN_DATABASE_URL=postgres://cairn:redacted@db:5432/cairn", "CAIRN_ADDR=127.0.0.1:8080", "CAIRN_LOG_IPS=false"} {
		if !strings.Contains(out, want) {
			t.Fatalf("dump lacks %q:\n%s", want, out)
		}
	}
}

func TestSecretKeyAcceptsBase64AndHexOf32Bytes(t *testing.T) {
	for _, key := range []string{
		"c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE=", // base64
		"c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE",  // unpadded
		strings.Repeat("0f", 32),                       // hex
	} {
		b, err := config.Config{SecretKey: key}.SecretKeyBytes()
		if err != nil || len(b) != 32 {
			t.Errorf("%q: %d bytes, %v", key, len(b), err)
		}
	}
	if b, err := (config.Config{}).SecretKeyBytes(); b != nil || err != nil {
		t.Errorf("no key: %v %v", b, err)
	}
	if _, err := (config.Config{SecretKey: strings.Repeat("0f", 16)}).SecretKeyBytes(); err == nil {
		t.Error("a 16-byte key was accepted")
	}
}
