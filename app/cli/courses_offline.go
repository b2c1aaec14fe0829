package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/offline"
	"github.com/cairn-lms/cairn/app/signing"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/assets"
	"github.com/cairn-lms/cairn/courses"
	"github.com/cairn-lms/cairn/i18n"
)

// offlineFlags are the flags of the offline-copy commands, parsed wherever they come (before
// or after the file): the environment gives the defaults (CAIRN_DATA_DIR…), as for serve.
func offlineFlags(name string, env Env, withDatabase bool) (*flag.FlagSet, *config.Config, error) {
	cfg, _, err := config.Load(name, nil, env.Getenv, env.Stderr, nil)
	if err != nil {
		return nil, nil, err
	}
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	flags.SetOutput(env.Stderr)
	flags.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "the data directory, which holds the signing key (env CAIRN_DATA_DIR)")
	flags.StringVar(&cfg.CoursesDir, "courses-dir", cfg.CoursesDir, "the courses folder; the shipped courses when it does not exist (env CAIRN_COURSES_DIR)")
	if withDatabase {
		flags.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL URL, when the trusted keys are there (env CAIRN_DATABASE_URL)")
	}
	return flags, &cfg, nil
}

// runCoursesExportOffline writes a course's signed offline copy
// (cairn courses export --offline COURSE [--lang L]… [--to FILE]): the zip and, next to it,
// FILE.minisig, signed with the instance key (made on first need in the data directory).
func runCoursesExportOffline(args []string, env Env) error {
	flags, cfg, err := offlineFlags("cairn courses export --offline", env, false)
	if err != nil {
		return err
	}
	var langs []string
	var to string
	flags.Bool("offline", true, "write a signed static offline copy of one course")
	flags.Func("lang", "a language to include (repeat it for several; default: every language of the course)", func(v string) error {
		langs = append(langs, v)
		return nil
	})
	flags.StringVar(&to, "to", "", "the zip file to write (default: its standard name, in the current folder)")
	pos, err := parseInterleaved(flags, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("export --offline COURSE [--lang L]… [--to FILE.zip]")
	}
	cat, err := loadCatalog(*cfg)
	if err != nil {
		return err
	}
	c := cat.Course(pos[0])
	if c == nil {
		var ids []string
		for _, c := range cat.All() {
			ids = append(ids, c.ID)
		}
		return fmt.Errorf("no published course %q in %s; there are: %s", pos[0], catalogLabel(*cfg), strings.Join(ids, ", "))
	}
	langs, err = offline.Languages(c, langs)
	if err != nil {
		return err
	}
	locales, err := locale.Load(i18n.Files, cfg.DefaultLocale)
	if err != nil {
		return err
	}
	builder, err := offline.NewBuilder(assets.FS, locales)
	if err != nil {
		return err
	}
	key, err := signing.LoadOrCreateKey(cfg.DataDir)
	if err != nil {
		return err
	}
	if to == "" {
		to = offline.FileName(c, langs)
	}
	made := time.Now().UTC().Truncate(time.Second)
	var buf bytes.Buffer
	if err := builder.Write(&buf, c, langs, made); err != nil {
		return err
	}
	sig, err := signing.Sign(key, bytes.NewReader(buf.Bytes()), offline.Manifest(c, langs, made).Comment())
	if err != nil {
		return err
	}
	if err := os.WriteFile(to, buf.Bytes(), 0o644); err != nil { //nolint:gosec // a course's public content, meant to be passed on
		return err
	}
	if err := os.WriteFile(to+".minisig", sig, 0o644); err != nil { //nolint:gosec // a signature
		return err
	}
	_, pub := signing.KeyPaths(cfg.DataDir)
	fmt.Fprintf(env.Stdout, "wrote %s (%d bytes, %s in %s) and its signature %s.minisig\n", to, buf.Len(), c.ID, strings.Join(langs, ", "), to)
	fmt.Fprintf(env.Stdout, "signed with key %s; anyone can check it with: minisign -Vm %s -p %s\n", key.Public.ID(), to, pub)
	return nil
}

// runCoursesVerify checks a signed file (an offline copy or a course package) with
// FILE.minisig next to it (cairn courses verify FILE [--pubkey KEY]… [--sig FILE.minisig]).
// Without --pubkey it trusts this instance's key and the partners' keys its admins trust.
func runCoursesVerify(args []string, env Env) error {
	flags, cfg, err := offlineFlags("cairn courses verify", env, true)
	if err != nil {
		return err
	}
	var pubkeys []string
	var sigFile string
	flags.Func("pubkey", "a minisign public key to trust: a .pub file or the key's base64 line (repeatable; default: this instance's key and its trusted keys)", func(v string) error {
		pubkeys = append(pubkeys, v)
		return nil
	})
	flags.StringVar(&sigFile, "sig", "", "the signature file (default: FILE.minisig)")
	pos, err := parseInterleaved(flags, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("verify FILE [--pubkey KEY]… [--sig FILE.minisig]")
	}
	file := pos[0]
	if sigFile == "" {
		sigFile = file + ".minisig"
	}
	sig, err := os.ReadFile(sigFile)
	if err != nil {
		return fmt.Errorf("read the signature: %w", err)
	}
	var keys []signing.PublicKey
	if len(pubkeys) > 0 {
		for _, p := range pubkeys {
			k, err := publicKeyArg(p)
			if err != nil {
				return err
			}
			keys = append(keys, k)
		}
	} else if keys, err = instanceKeys(*cfg); err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	v, err := signing.Verify(f, sig, keys)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	fmt.Fprintf(env.Stdout, "good signature of %s by %s (key %s)\n", file, v.Key.Label, v.Key.ID())
	if m, err := signing.ParseManifest(v.TrustedComment); err == nil {
		fmt.Fprintf(env.Stdout, "%s: course %s, version %s, languages %s, signed %s\n", m.Kind, m.Course, m.Version, strings.Join(m.Languages, ", "), m.Date.Format(time.RFC3339))
	} else {
		fmt.Fprintf(env.Stdout, "trusted comment: %s\n", v.TrustedComment)
	}
	return nil
}

// publicKeyArg reads --pubkey: a file holding a key, or the key itself.
func publicKeyArg(arg string) (signing.PublicKey, error) {
	text := arg
	b, readErr := os.ReadFile(arg)
	if readErr == nil {
		text = string(b)
	}
	k, err := signing.ParsePublicKey(text)
	if err != nil && readErr != nil {
		return signing.PublicKey{}, fmt.Errorf("--pubkey %s: neither a key file (%v) nor a key (%v)", arg, readErr, err)
	}
	if err != nil {
		return signing.PublicKey{}, fmt.Errorf("--pubkey %s: %w", arg, err)
	}
	return signing.PublicKey{Label: "--pubkey " + signing.KeyID(k.ID()), Key: k}, nil
}

// instanceKeys are the keys an instance trusts: its own (when it has made one) and the
// partners' keys in its settings (when it has a database: a SQLite file that exists, or
// PostgreSQL). Nothing is created.
func instanceKeys(cfg config.Config) ([]signing.PublicKey, error) {
	var keys []signing.PublicKey
	own, err := signing.LoadKey(cfg.DataDir)
	switch {
	case err == nil:
		keys = append(keys, own.Public)
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	if _, err := os.Stat(cfg.SQLitePath()); cfg.UsesPostgres() || err == nil {
		ctx, stop := signalContext()
		defer stop()
		db, err := database.Open(ctx, cfg)
		if err != nil {
			return nil, err
		}
		defer db.Close()
		trusted, err := store.New(db, nil).TrustedKeys(ctx)
		if err != nil {
			return nil, fmt.Errorf("read the trusted keys: %w", err)
		}
		for _, t := range trusted {
			k, err := signing.ParsePublicKey(t.Key)
			if err != nil {
				return nil, fmt.Errorf("trusted key %s (%s): %w", t.ID, t.Label, err)
			}
			keys = append(keys, signing.PublicKey{Label: t.Label, Key: k})
		}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("this instance has no signing key in %s and trusts no partner key: give the signer's key with --pubkey", cfg.DataDir)
	}
	return keys, nil
}

// loadCatalog reads the courses the server would publish: the courses folder, or the
// shipped courses when there is none (as cairn serve does), with the interface's words for
// callouts and tables in each language.
func loadCatalog(cfg config.Config) (*course.Catalog, error) {
	locales, err := locale.Load(i18n.Files, cfg.DefaultLocale)
	if err != nil {
		return nil, err
	}
	in := func(lang string) *locale.Localizer {
		if l, ok := locales.Lookup(lang); ok {
			return l
		}
		return locales.Default()
	}
	opts := course.Options{
		CalloutLabel: func(lang, kind string) string { return in(lang).T("callout_" + kind) },
		TableLabel:   func(lang string) string { return in(lang).T("lesson_table_label") },
	}
	var fsys fs.FS = courses.FS
	if info, err := os.Stat(cfg.CoursesDir); err == nil && info.IsDir() {
		fsys = os.DirFS(cfg.CoursesDir)
	}
	cat, _ := course.Load(fsys, catalogLabel(cfg), opts)
	return cat, nil
}

func catalogLabel(cfg config.Config) string {
	if info, err := os.Stat(cfg.CoursesDir); err == nil && info.IsDir() {
		return filepath.Clean(cfg.CoursesDir)
	}
	return "the shipped courses"
}

// wantsOffline tells whether cairn courses export was asked for an offline copy.
func wantsOffline(args []string) bool {
	return slices.ContainsFunc(args, func(a string) bool {
		return a == "--offline" || a == "-offline" || strings.HasPrefix(a, "--offline=") || strings.HasPrefix(a, "-offline=")
	})
}
