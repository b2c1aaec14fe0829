// Package cli implements the cairn subcommands: serve, migrate, users, courses, settings,
// keys, audit, backup, restore, purge, loadtest, config, version.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/store"
)

// Env is the process environment, passed in so tests can run commands in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

const usage = `Cairn — self-hosted digital-security training.

Usage:
  cairn serve [flags]                 run the web server (SQLite in ./cairn-data by default)
  cairn migrate [up|status|down|unlock] [flags]
                                      manage the database schema (default: up)
  cairn users create --username NAME --role learner|trainer|admin --password-stdin
  cairn users set-role --username NAME --role ROLE
  cairn users reset --username NAME   print a one-time password reset link
  cairn users disable-2fa (--username NAME | --all-encrypted)
                                      turn two-step verification off (lost phone and codes, or lost key)
  cairn users list [--search S] [--role R] [--inactive-days N] [--active-days N] [--disabled]
                                      list accounts, filtered, in username order
  cairn users disable NAME            stop an account from signing in (sessions end, data kept)
  cairn users enable NAME             let a disabled account sign in again
  cairn users export --username NAME [--out FILE]
                                      everything the instance keeps about an account, as JSON
  cairn users delete --username NAME --yes
                                      delete an account and every row about the person
  cairn courses check [DIR]           validate course folders; prints file:line problems
  cairn courses stamp DIR [--lang L] [PATH…]
                                      record in translations the source revision they now match
  cairn courses import FILE.zip [--publish]
                                      check a course package and store it in the database (a draft)
  cairn courses import DIR [--replace] [--database] [--publish]
                                      check a course folder and copy it into the courses folder
                                      (--database or --publish: store it as a package instead)
  cairn courses list                  the stored course packages and the folder courses
  cairn courses publish|unpublish|archive ID [--version V]
                                      serve a package's version of a course, or stop serving it
  cairn courses import-gift FILE --course C --module M [--dir COURSES_DIR] [--lang L]
        [--dry-run] [--replace] [--skip-unsupported] [--pass-mark N]
                                      turn a Moodle GIFT question file into a module's quiz
  cairn courses export [--to DIR] [--replace] [COURSE…]
                                      write the courses built into the binary as editable folders
  cairn courses export --zip [--to DIR] [--replace] [COURSE…]
                                      write courses as served (package or folder) as COURSE.zip
  cairn courses export --offline COURSE [--lang L]… [--to FILE]
                                      write a signed static copy of a course to read offline (FILE and FILE.minisig)
  cairn courses verify FILE [--pubkey KEY]… [--sig FILE.minisig]
                                      check a signed offline copy or course package (default keys: this
                                      instance's and the partners' its admins trust)
  cairn settings list                 every setting admins change on /admin, with its value in force
  cairn settings set KEY VALUE [KEY VALUE]…
                                      change settings (registration, content_access, first_aid_contacts,
                                      quick_exit_url, discreet_mode on|off, instance_name.LANG,
                                      instance_description.LANG, offered_languages, default_language,
                                      retention_*_days), checked as /admin does; VALUE - reads stdin
  cairn settings logo FILE|--remove   set the instance's logo (PNG or JPEG, re-encoded) or remove it
  cairn keys list                     the partners' signing keys this instance trusts
  cairn keys trust FILE.pub --label L trust a partner's minisign public key for packages and copies
  cairn keys untrust ID               stop trusting a partner's key
  cairn audit [--action A] [--actor NAME] [--from DAY] [--to DAY] [--csv]
                                      print the audit log, newest first (--csv: as /admin/audit.csv)
  cairn backup FILE                   write a consistent copy of the SQLite database (server may run)
  cairn restore FILE                  put a backup in place of the SQLite database (server stopped)
  cairn purge --dry-run|--yes         apply the retention periods now (the server does it daily);
                                      --dry-run counts what would be deleted
  cairn loadtest live --url URL --participants N (--data-dir DIR | --database-url URL)
                                      connect N live-session participants and measure delivery
  cairn loadtest dashboard --url URL --learners N (--data-dir DIR | --database-url URL)
                                      seed a cohort of N learners with progress, time its dashboard and CSV
  cairn config [flags]                print the effective configuration (secrets redacted)
  cairn version                       print version and build information

Every flag can also be set with an environment variable: --data-dir is CAIRN_DATA_DIR,
and CAIRN_<NAME>_FILE reads a secret from a file. Run "cairn serve -h" for the full list.
`

// Main runs one command and returns the process exit code.
func Main(args []string, env Env) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = runServe(rest, env)
	case "migrate":
		err = runMigrate(rest, env)
	case "users":
		err = runUsers(rest, env)
	case "courses":
		err = runCourses(rest, env)
	case "loadtest":
		err = runLoadtest(rest, env)
	case "settings":
		err = runSettings(rest, env)
	case "keys":
		err = runKeys(rest, env)
	case "audit":
		err = runAudit(rest, env)
	case "backup":
		err = runBackup(rest, env)
	case "restore":
		err = runRestore(rest, env)
	case "purge":
		err = runPurge(rest, env)
	case "config":
		err = runConfig(rest, env)
	case "version", "--version", "-version":
		err = runVersion(env)
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
		return 0
	default:
		fmt.Fprintf(env.Stderr, "cairn: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(env.Stderr, "cairn %s: %v\n", cmd, err)
		return 2
	default:
		fmt.Fprintf(env.Stderr, "cairn %s: %v\n", cmd, err)
		return 1
	}
}

var errUsage = errors.New("usage")

func usageError(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

func loadConfig(name string, args []string, env Env, extra func(*flag.FlagSet)) (config.Config, *flag.FlagSet, error) {
	cfg, fs, err := config.Load("cairn "+name, args, env.Getenv, env.Stderr, extra)
	if err != nil && !errors.Is(err, flag.ErrHelp) && fs != nil && fs.Parsed() {
		return cfg, fs, err
	}
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return cfg, fs, fmt.Errorf("%w: %v", errUsage, err)
	}
	return cfg, fs, err
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	switch strings.ToLower(cfg.LogLevel) {
	case "debug":
		level = slog.LevelDebug
	case "warn", "warning":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
}

// openMigrated opens the database and, unless told not to, applies pending migrations; it
// refuses a schema that is newer than this binary or still pending.
func openMigrated(ctx context.Context, cfg config.Config, log *slog.Logger) (*bun.DB, error) {
	db, err := database.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	// Before migrating: a migration on a damaged file would spread the damage, and a
	// server on one answers 500 to everyone while /readyz says ready.
	started := time.Now()
	if err := database.CheckIntegrity(ctx, db); err != nil {
		_ = db.Close()
		return nil, err
	}
	log.Debug("database integrity checked", "took", time.Since(started).String())
	m, err := database.NewMigrator(db)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	if cfg.MigrateOnStart {
		done, err := m.Up(ctx)
		if err != nil {
			_ = db.Close()
			return nil, err
		}
		for _, name := range done {
			log.Info("applied migration", "name", name)
		}
	}
	if err := m.CheckCurrent(ctx); err != nil {
		_ = db.Close()
		if errors.Is(err, database.ErrSchemaTooNew) {
			return nil, fmt.Errorf("%w; upgrade Cairn before starting it on this database", err)
		}
		return nil, fmt.Errorf("%w; run `cairn migrate` first", err)
	}
	if err := backfillUsernameSkeletons(ctx, db, log); err != nil {
		_ = db.Close()
		return nil, err
	}
	if _, err := store.New(db, nil).BackfillNameKeys(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// backfillUsernameSkeletons gives every account made before usernames had skeletons (or
// since a Unicode upgrade cleared them) its skeleton. SQL cannot compute one, so this Go
// step follows the migrations wherever they run.
func backfillUsernameSkeletons(ctx context.Context, db *bun.DB, log *slog.Logger) error {
	clashes, err := store.New(db, nil).BackfillUsernameSkeletons(ctx, auth.UsernameSkeleton)
	if err != nil {
		return err
	}
	if len(clashes) > 0 {
		log.Warn("accounts whose usernames look like an older account's; check them with `cairn users list`", "user_ids", clashes)
	}
	return nil
}
