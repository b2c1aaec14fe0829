package cli

import (
	"flag"
	"fmt"

	"github.com/cairn-lms/cairn/app/retention"
	"github.com/cairn-lms/cairn/app/store"
)

// runPurge applies the retention policy now, as the server does once a day: --dry-run
// counts what would be deleted, --yes deletes it. The policy is the one set on the admin
// page (retention.Load).
func runPurge(args []string, env Env) error {
	var dryRun, yes bool
	cfg, fs, err := loadConfig("purge", args, env, func(fs *flag.FlagSet) {
		fs.BoolVar(&dryRun, "dry-run", false, "count what would be deleted, delete nothing")
		fs.BoolVar(&yes, "yes", false, "delete it (cannot be undone)")
	})
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if dryRun == yes {
		return usageError("give --dry-run to see what would be deleted, or --yes to delete it")
	}
	ctx, stop := signalContext()
	defer stop()
	log := newLogger(cfg, env.Stderr)
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	st := store.New(db, nil)
	p, err := retention.Load(ctx, st, retention.Defaults(cfg.AttendanceRetention))
	if err != nil {
		return err
	}
	var liveSessions []int64
	c, err := retention.Purge(ctx, st, p, retention.Options{
		Idle: cfg.SessionIdleTimeout, DryRun: dryRun, Actor: store.CLIActor,
		Deleted: func(_ int64, gone *store.DeletedUser) { liveSessions = append(liveSessions, gone.LiveSessions...) },
	})
	if err != nil {
		return err
	}
	if len(liveSessions) > 0 {
		// No server hears of this: the rooms catch up at their next event (a gap).
		if err := st.SkipLiveNumbers(ctx, liveSessions); err != nil {
			return err
		}
	}
	verb := "deleted"
	if dryRun {
		verb = "would delete"
	}
	keep := func(days int) string {
		if days == 0 {
			return "kept without limit"
		}
		return fmt.Sprintf("older than %d days", days)
	}
	accounts := "off"
	if p.InactiveDays > 0 {
		accounts = fmt.Sprintf("unused for more than %d days, administrators never", p.InactiveDays)
	}
	fmt.Fprintf(env.Stdout, "%s:\n", verb)
	fmt.Fprintf(env.Stdout, "  expired sign-in sessions  %d\n", c.Sessions)
	fmt.Fprintf(env.Stdout, "  live-session attendance   %d  (%s)\n", c.Attendance, keep(p.AttendanceDays))
	fmt.Fprintf(env.Stdout, "  audit log entries         %d  (%s)\n", c.Audit, keep(p.AuditDays))
	fmt.Fprintf(env.Stdout, "  unused accounts           %d  (%s)\n", c.Accounts, accounts)
	if c.Kept > 0 {
		fmt.Fprintf(env.Stdout, "kept %d unused account(s) that are a cohort's only trainer: add another trainer to their cohorts\n", c.Kept)
	}
	return nil
}
