package cli

import (
	"fmt"

	"github.com/cairn-lms/cairn/app/database"
)

func runMigrate(args []string, env Env) error {
	action := "up"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		action, args = args[0], args[1:]
	}
	cfg, fs, err := loadConfig("migrate "+action, args, env, nil)
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	ctx, stop := signalContext()
	defer stop()
	db, err := database.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := database.NewMigrator(db)
	if err != nil {
		return err
	}
	switch action {
	case "up":
		done, err := m.Up(ctx)
		if err != nil {
			return err
		}
		if err := backfillUsernameSkeletons(ctx, db, newLogger(cfg, env.Stderr)); err != nil {
			return err
		}
		if len(done) == 0 {
			fmt.Fprintln(env.Stdout, "schema is up to date")
		}
		for _, name := range done {
			fmt.Fprintln(env.Stdout, "applied", name)
		}
	case "status":
		st, err := m.Status(ctx)
		if err != nil {
			return err
		}
		for _, name := range st.Applied {
			fmt.Fprintln(env.Stdout, "applied ", name)
		}
		for _, name := range st.Pending {
			fmt.Fprintln(env.Stdout, "pending ", name)
		}
		for _, name := range st.Unknown {
			fmt.Fprintln(env.Stdout, "unknown ", name, "(applied by a newer Cairn)")
		}
		if st.Current() {
			fmt.Fprintln(env.Stdout, "schema is up to date")
		}
	case "down":
		name, err := m.DownOne(ctx)
		if err != nil {
			return err
		}
		if name == "" {
			fmt.Fprintln(env.Stdout, "nothing to roll back")
		} else {
			fmt.Fprintln(env.Stdout, "rolled back", name)
		}
	case "unlock":
		if err := m.Unlock(ctx); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "migration lock released")
	default:
		return usageError("unknown action %q (want up, status, down or unlock)", action)
	}
	return nil
}
