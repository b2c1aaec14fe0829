// Package config builds the effective configuration from defaults, CAIRN_* environment
// variables, CAIRN_*_FILE secret files and command-line flags, in that order of precedence.
package config

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Registration modes an operator can choose for the instance.
const (
	RegistrationOpen   = "open"
	RegistrationInvite = "invite"
	RegistrationClosed = "closed"
)

// Config is everything the server and the CLI need to know about their environment.
type Config struct {
	Addr          string
	DataDir       string
	DatabaseURL   string
	CoursesDir    string
	BaseURL       string
	DefaultLocale string
	LogLevel      string
	LogFormat     string
	LogIPs        bool
	// TrustedProxies lists reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For
	// is believed, so that rate limits key on the client rather than on the proxy. Empty
	// means trust nobody: the socket's peer is the client.
	TrustedProxies []string
	// Registration is the mode used until an admin changes it in the web settings.
	Registration string

	SessionIdleTimeout time.Duration
	SessionMaxAge      time.Duration
	BodyLimitBytes     int
	// UploadLimitBytes is the largest body of the one route that takes course packages
	// (every other route keeps BodyLimitBytes).
	UploadLimitBytes int
	// CoursesCheckInterval is how often an instance compares the published course packages
	// with what it serves: the backstop of the notifications between instances, and how a
	// server on SQLite sees what `cairn courses publish` changed.
	CoursesCheckInterval time.Duration

	// Argon2id cost. Memory is in KiB. HashConcurrency bounds how many hashes run at once,
	// so memory stays under HashConcurrency × Argon2Memory however many people sign in.
	Argon2Memory    uint32
	Argon2Time      uint32
	Argon2Threads   uint8
	HashConcurrency int

	// AuthRateLimit is how many failed sign-ins an account may have from one client (three
	// times that from one client over all accounts), and wrong join codes per account,
	// before each further try waits; and recovery and reset attempts per client per window.
	AuthRateLimit  int
	AuthRateWindow time.Duration
	// Sign-ups per client per AuthRateWindow: without, and with, a valid invitation or
	// join code. The second is higher so a workshop behind one address can sign up.
	SignupRateLimit     int
	SignupCodeRateLimit int

	MigrateOnStart  bool
	ShutdownTimeout time.Duration
	// DrainDelay is how long a stopping instance keeps serving pages while /readyz answers
	// 503 and live connections are refused, so a load balancer stops sending it traffic
	// before its listener closes. 0 (one machine, no load balancer) stops at once.
	DrainDelay time.Duration
	// LiveMinGroup is how many answers an anonymous live poll needs before its results
	// can be shown, so a small group cannot be de-anonymised by counting.
	LiveMinGroup int
	// AttendanceRetention is how long live-session attendance is kept.
	AttendanceRetention time.Duration
	// LiveLease is how long an instance's live connections count as present without it
	// renewing its lease (every third of it): after a crash, its attendance closes within
	// about that long.
	LiveLease time.Duration
	// DBMaxConns bounds connections to PostgreSQL per instance. More than about twice the
	// database's cores makes backends compete for CPU: a live vote storm across two
	// instances measured p99 667 ms with 20, 276–321 ms with 4 (docs/BENCHMARKS.md).
	DBMaxConns int
	// SQLiteSynchronous is "full" (every acknowledged write is on disk before the answer)
	// or "normal" (faster; the last writes can be lost if the machine or its filesystem
	// fails). The trade-off and its measured cost are in the README.
	SQLiteSynchronous string
	// DebugAddr, when set, serves Go's profiler (net/http/pprof) there. Keep it on loopback.
	DebugAddr string
	// MetricsAddr, when set, serves Prometheus metrics at /metrics there, apart from the
	// public listener.
	MetricsAddr string
	// SecretKey (32 bytes, base64 or hex), when set, encrypts two-factor secrets in the
	// database, so a copy of the database alone does not give them away.
	SecretKey string
}

// Defaults are safe for a single machine: loopback only, SQLite in ./cairn-data.
func Defaults() Config {
	return Config{
		Addr:                 "127.0.0.1:8080",
		DataDir:              "./cairn-data",
		CoursesDir:           "./courses",
		DefaultLocale:        "en",
		LogLevel:             "info",
		LogFormat:            "text",
		Registration:         RegistrationOpen,
		SessionIdleTimeout:   7 * 24 * time.Hour,
		SessionMaxAge:        30 * 24 * time.Hour,
		BodyLimitBytes:       1 << 20,
		UploadLimitBytes:     16 << 20,
		CoursesCheckInterval: time.Minute,
		Argon2Memory:         64 * 1024,
		Argon2Time:           3,
		Argon2Threads:        2,
		HashConcurrency:      2,
		AuthRateLimit:        10,
		AuthRateWindow:       5 * time.Minute,
		SignupRateLimit:      10,
		SignupCodeRateLimit:  100,
		MigrateOnStart:       true,
		LiveMinGroup:         5,
		DBMaxConns:           max(4, 2*runtime.NumCPU()),
		AttendanceRetention:  90 * 24 * time.Hour,
		LiveLease:            30 * time.Second,
		ShutdownTimeout:      30 * time.Second,
		SQLiteSynchronous:    "full",
	}
}

// option describes one setting once, for flags, environment variables and the dump.
type option struct {
	name   string // flag name; the env var is CAIRN_ + upper snake case
	usage  string
	secret bool
	value  flag.Value
}

func (o option) env() string {
	return "CAIRN_" + strings.ToUpper(strings.ReplaceAll(o.name, "-", "_"))
}

func options(c *Config) []option {
	return []option{
		{name: "addr", usage: "address to listen on (host:port)", value: (*stringValue)(&c.Addr)},
		{name: "data-dir", usage: "directory for the SQLite database and other data", value: (*stringValue)(&c.DataDir)},
		{name: "database-url", usage: "postgres://… to use PostgreSQL instead of SQLite", secret: true, value: (*stringValue)(&c.DatabaseURL)},
		{name: "courses-dir", usage: "directory holding the course folders", value: (*stringValue)(&c.CoursesDir)},
		{name: "base-url", usage: "public URL of the instance, e.g. https://learn.example.org (enables Secure cookies over HTTPS)", value: (*stringValue)(&c.BaseURL)},
		{name: "default-locale", usage: "language used when the browser asks for none we have", value: (*stringValue)(&c.DefaultLocale)},
		{name: "log-level", usage: "debug, info, warn or error", value: (*stringValue)(&c.LogLevel)},
		{name: "log-format", usage: "text or json", value: (*stringValue)(&c.LogFormat)},
		{name: "log-ips", usage: "log client IP addresses (off by default to protect learners)", value: (*boolValue)(&c.LogIPs)},
		{name: "trusted-proxies", usage: "comma-separated reverse proxy addresses or CIDR ranges whose X-Forwarded-For is trusted", value: (*listValue)(&c.TrustedProxies)},
		{name: "registration", usage: "initial sign-up mode: open, invite or closed", value: (*stringValue)(&c.Registration)},
		{name: "session-idle-timeout", usage: "sign out after this much inactivity", value: (*durationValue)(&c.SessionIdleTimeout)},
		{name: "session-max-age", usage: "sign out after this long whatever the activity", value: (*durationValue)(&c.SessionMaxAge)},
		{name: "body-limit", usage: "largest request body in bytes", value: (*intValue)(&c.BodyLimitBytes)},
		{name: "upload-limit", usage: "largest course package upload in bytes (the upload route only)", value: (*intValue)(&c.UploadLimitBytes)},
		{name: "courses-check-interval", usage: "how often to compare the published course packages with the served ones (a backstop for notifications between instances)", value: (*durationValue)(&c.CoursesCheckInterval)},
		{name: "argon2-memory", usage: "argon2id memory per hash in KiB", value: (*uint32Value)(&c.Argon2Memory)},
		{name: "argon2-time", usage: "argon2id passes", value: (*uint32Value)(&c.Argon2Time)},
		{name: "argon2-threads", usage: "argon2id lanes", value: (*uint8Value)(&c.Argon2Threads)},
		{name: "hash-concurrency", usage: "password hashes computed at once", value: (*intValue)(&c.HashConcurrency)},
		{name: "auth-rate-limit", usage: "failed sign-ins per account and client before waits grow; recovery and reset attempts per client per window", value: (*intValue)(&c.AuthRateLimit)},
		{name: "auth-rate-window", usage: "window for the per-client rate limits", value: (*durationValue)(&c.AuthRateWindow)},
		{name: "signup-rate-limit", usage: "sign-ups per client per window without a valid invitation or join code", value: (*intValue)(&c.SignupRateLimit)},
		{name: "signup-code-rate-limit", usage: "sign-ups per client per window with a valid invitation or join code", value: (*intValue)(&c.SignupCodeRateLimit)},
		{name: "migrate-on-start", usage: "apply pending migrations when the server starts", value: (*boolValue)(&c.MigrateOnStart)},
		{name: "live-min-group", usage: "answers an anonymous live poll needs before its results can be shown", value: (*intValue)(&c.LiveMinGroup)},
		{name: "attendance-retention", usage: "how long live-session attendance records are kept", value: (*durationValue)(&c.AttendanceRetention)},
		{name: "live-lease", usage: "how long a stopped instance's live participants still count as present before their attendance is closed", value: (*durationValue)(&c.LiveLease)},
		{name: "db-max-conns", usage: "connections to PostgreSQL per instance", value: (*intValue)(&c.DBMaxConns)},
		{name: "sqlite-synchronous", usage: "full (an acknowledged write survives a power or filesystem failure) or normal (faster; the last writes can be lost then)", value: (*stringValue)(&c.SQLiteSynchronous)},
		{name: "secret-key", usage: "32 random bytes (base64 or hex) that encrypt two-factor secrets in the database; keep it outside the database and its backups", secret: true, value: (*stringValue)(&c.SecretKey)},
		{name: "metrics-addr", usage: "serve Prometheus metrics at /metrics on this address (apart from the site); empty disables", value: (*stringValue)(&c.MetricsAddr)},
		{name: "debug-addr", usage: "serve Go profiling endpoints (/debug/pprof) on this address; empty disables", value: (*stringValue)(&c.DebugAddr)},
		{name: "shutdown-timeout", usage: "how long in-flight requests may take to finish on shutdown", value: (*durationValue)(&c.ShutdownTimeout)},
		{name: "drain-delay", usage: "on shutdown, how long to keep serving while /readyz answers 503, before closing the listener (behind a load balancer: its probe interval times its failure threshold)", value: (*durationValue)(&c.DrainDelay)},
	}
}

// Load reads defaults, then the environment (CAIRN_X or CAIRN_X_FILE), then the flags in
// args. extra, if not nil, adds a subcommand's own flags. The returned FlagSet has been
// parsed; its remaining arguments are the positional ones.
func Load(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (Config, *flag.FlagSet, error) {
	cfg := Defaults()
	opts := options(&cfg)
	for _, o := range opts {
		val, from, err := lookupEnv(o.env(), getenv)
		if err != nil {
			return cfg, nil, err
		}
		if from == "" {
			continue
		}
		if err := o.value.Set(val); err != nil {
			return cfg, nil, fmt.Errorf("%s: %w", from, err)
		}
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, o := range opts {
		fs.Var(o.value, o.name, fmt.Sprintf("%s (env %s)", o.usage, o.env()))
	}
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return cfg, fs, err
	}
	return cfg, fs, cfg.Validate()
}

// lookupEnv returns the value of key, or the contents of the file named by key_FILE,
// and where it came from ("" when unset).
func lookupEnv(key string, getenv func(string) string) (string, string, error) {
	if v := getenv(key); v != "" {
		return v, key, nil
	}
	path := getenv(key + "_FILE")
	if path == "" {
		return "", "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", fmt.Errorf("%s_FILE: %w", key, err)
	}
	return strings.TrimRight(string(b), "\r\n"), key + "_FILE", nil
}

// Validate reports settings that cannot work together.
func (c Config) Validate() error {
	var errs []error
	switch c.Registration {
	case RegistrationOpen, RegistrationInvite, RegistrationClosed:
	default:
		errs = append(errs, fmt.Errorf("registration must be open, invite or closed, not %q", c.Registration))
	}
	if c.DatabaseURL != "" && !c.UsesPostgres() {
		errs = append(errs, errors.New("database-url must start with postgres:// or postgresql:// (leave it empty for SQLite)"))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("base-url must be an absolute http(s) URL, not %q", c.BaseURL))
		}
	}
	if c.HashConcurrency < 1 {
		errs = append(errs, errors.New("hash-concurrency must be at least 1"))
	}
	if c.BodyLimitBytes < 4096 {
		errs = append(errs, errors.New("body-limit must be at least 4096 bytes"))
	}
	if c.UploadLimitBytes < c.BodyLimitBytes {
		errs = append(errs, errors.New("upload-limit must be at least body-limit"))
	}
	if c.CoursesCheckInterval < time.Second {
		errs = append(errs, errors.New("courses-check-interval must be at least 1s"))
	}
	if c.AuthRateLimit < 1 || c.AuthRateWindow <= 0 || c.SignupRateLimit < 1 || c.SignupCodeRateLimit < 1 {
		errs = append(errs, errors.New("auth-rate-limit, auth-rate-window, signup-rate-limit and signup-code-rate-limit must be positive"))
	}
	if _, err := c.TrustedProxyPrefixes(); err != nil {
		errs = append(errs, err)
	}
	if c.DBMaxConns < 1 {
		errs = append(errs, errors.New("db-max-conns must be at least 1"))
	}
	if c.SQLiteSynchronous != "full" && c.SQLiteSynchronous != "normal" {
		errs = append(errs, fmt.Errorf("sqlite-synchronous must be full or normal, not %q", c.SQLiteSynchronous))
	}
	if c.SecretKey != "" {
		if _, err := c.SecretKeyBytes(); err != nil {
			return err
		}
	}
	if c.LiveMinGroup < 1 || c.AttendanceRetention <= 0 {
		errs = append(errs, errors.New("live-min-group and attendance-retention must be positive"))
	}
	if c.LiveLease < time.Second {
		errs = append(errs, errors.New("live-lease must be at least 1s"))
	}
	if c.DrainDelay < 0 || c.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("drain-delay must not be negative and shutdown-timeout must be positive"))
	}
	if c.SessionIdleTimeout <= 0 || c.SessionMaxAge <= 0 {
		errs = append(errs, errors.New("session timeouts must be positive"))
	}
	return errors.Join(errs...)
}

// UsesPostgres tells whether the database is PostgreSQL rather than the SQLite default.
func (c Config) UsesPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// SQLitePath is where the default database lives.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "cairn.db") }

// SecureCookies is true when the public URL is HTTPS.
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// Dump writes the effective configuration, one NAME=value a line, secrets redacted.
func (c Config) Dump(w io.Writer) error {
	opts := options(&c)
	sort.Slice(opts, func(i, j int) bool { return opts[i].env() < opts[j].env() })
	for _, o := range opts {
		v := o.value.String()
		if o.secret && v != "" {
			v = redact(v)
		}
		if _, err := fmt.Fprintf(w, "%s=%s\n", o.env(), v); err != nil {
			return err
		}
	}
	return nil
}

// redact hides credentials but keeps what helps debugging (scheme, host, database).
func redact(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return "[redacted]"
	}
	if u.User != nil {
		u.User = url.UserPassword(u.User.Username(), "redacted")
	}
	q := u.Query()
	for k := range q {
		if strings.Contains(strings.ToLower(k), "password") {
			q.Set(k, "redacted")
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

type stringValue string

func (v *stringValue) Set(s string) error { *v = stringValue(s); return nil }
func (v *stringValue) String() string     { return string(*v) }

type boolValue bool

func (v *boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("%q is not true or false", s)
	}
	*v = boolValue(b)
	return nil
}
func (v *boolValue) String() string   { return strconv.FormatBool(bool(*v)) }
func (v *boolValue) IsBoolFlag() bool { return true }

type intValue int

func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("%q is not a whole number", s)
	}
	*v = intValue(n)
	return nil
}
func (v *intValue) String() string { return strconv.Itoa(int(*v)) }

type uint32Value uint32

func (v *uint32Value) Set(s string) error {
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return fmt.Errorf("%q is not a positive whole number", s)
	}
	*v = uint32Value(n)
	return nil
}
func (v *uint32Value) String() string { return strconv.FormatUint(uint64(*v), 10) }

type uint8Value uint8

func (v *uint8Value) Set(s string) error {
	n, err := strconv.ParseUint(s, 10, 8)
	if err != nil || n == 0 {
		return fmt.Errorf("%q is not a number from 1 to 255", s)
	}
	*v = uint8Value(n)
	return nil
}
func (v *uint8Value) String() string { return strconv.FormatUint(uint64(*v), 10) }

type durationValue time.Duration

func (v *durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration like 30s, 15m or 72h", s)
	}
	*v = durationValue(d)
	return nil
}
func (v *durationValue) String() string { return time.Duration(*v).String() }

type listValue []string

func (v *listValue) Set(s string) error {
	*v = nil
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*v = append(*v, p)
		}
	}
	return nil
}
func (v *listValue) String() string { return strings.Join(*v, ",") }

// TrustedProxyPrefixes parses TrustedProxies: an address stands for itself alone.
func (c Config) TrustedProxyPrefixes() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range c.TrustedProxies {
		if strings.Contains(p, "/") {
			prefix, err := netip.ParsePrefix(p)
			if err != nil {
				return nil, fmt.Errorf("trusted-proxies: %q is not an address or a CIDR range", p)
			}
			out = append(out, prefix.Masked())
			continue
		}
		addr, err := netip.ParseAddr(p)
		if err != nil {
			return nil, fmt.Errorf("trusted-proxies: %q is not an address or a CIDR range", p)
		}
		addr = addr.Unmap()
		out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
	}
	return out, nil
}

// SecretKeyBytes decodes SecretKey: 32 bytes written as base64 (standard or URL alphabet,
// padded or not) or as 64 hex digits. Empty means no key.
func (c Config) SecretKeyBytes() ([]byte, error) {
	v := strings.TrimSpace(c.SecretKey)
	if v == "" {
		return nil, nil
	}
	decoders := []func(string) ([]byte, error){
		hex.DecodeString,
		base64.StdEncoding.DecodeString, base64.RawStdEncoding.DecodeString,
		base64.URLEncoding.DecodeString, base64.RawURLEncoding.DecodeString,
	}
	for _, decode := range decoders {
		if b, err := decode(v); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("CAIRN_SECRET_KEY must be 32 random bytes as base64 or 64 hex digits (for example: openssl rand -base64 32)")
}
