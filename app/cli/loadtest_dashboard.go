package cli

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/loadtest"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/courses"
)

// runLoadtestDashboard: cairn loadtest dashboard --url URL --learners N (--data-dir DIR | --database-url URL)
//
// It writes a cohort of N learners with progress straight into the server's database, then
// times, as the cohort's trainer, the CSV export, the dashboard (first page by name, by
// progress, a search) and its first quiz's page, each read plainly, again at once (a large
// cohort's totals are kept a minute) and with gzip, and reads the server's peak memory.
func runLoadtestDashboard(args []string, env Env) error {
	var base string
	var learners int
	var keep bool
	cfg, fs, err := loadConfig("loadtest dashboard", args, env, func(fs *flag.FlagSet) {
		fs.StringVar(&base, "url", "", "server to test (on this machine, for its memory)")
		fs.IntVar(&learners, "learners", 5000, "learners in the cohort")
		fs.BoolVar(&keep, "keep", false, "keep the load-test accounts, cohort and progress afterwards")
	})
	if err != nil {
		return err
	}
	if base == "" || learners < 1 || fs.NArg() > 0 {
		return usageError("give --url and a positive --learners")
	}
	ctx, stop := signalContext()
	defer stop()
	log := func(format string, a ...any) { fmt.Fprintf(env.Stderr, "loadtest: "+format+"\n", a...) }

	cfg.MigrateOnStart = false
	db, err := openMigrated(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return fmt.Errorf("open the server's database (give the same --data-dir or --database-url as the server): %w", err)
	}
	defer db.Close()
	fsys := os.DirFS(cfg.CoursesDir)
	if info, err := os.Stat(cfg.CoursesDir); err != nil || !info.IsDir() {
		fsys = courses.FS
	}
	cat, _ := course.Load(fsys, "courses", course.Options{})
	if len(cat.All()) == 0 {
		return fmt.Errorf("no published course to seed progress in")
	}
	crs := cat.All()[0]
	var lessons []string
	for _, l := range crs.Lessons {
		lessons = append(lessons, l.ID)
	}

	start := time.Now()
	st := store.New(db, nil)
	f, err := loadtest.Prepare(ctx, st, learners, crs.ID, lessons)
	if err != nil {
		return err
	}
	if !keep {
		defer func() {
			if err := loadtest.Cleanup(ctx, st, f); err != nil {
				log("cleanup failed: %v (delete users named %s%s-*)", err, loadtest.Prefix, f.RunID)
			}
		}()
	}
	if err := loadtest.SeedProgress(ctx, st, f, crs, time.Now()); err != nil {
		return err
	}
	if database.IsPostgres(db) {
		// The statistics autovacuum gathers within a minute of such a bulk load: measure the
		// settled database a server has, not the first seconds after. Only the tables seeded:
		// a database-wide ANALYZE fails on a table another client drops meanwhile.
		if _, err := db.ExecContext(ctx, "ANALYZE users, cohort_members, lesson_progress, quiz_attempts, live_attendance"); err != nil {
			return fmt.Errorf("analyze after seeding: %w", err)
		}
	}
	log("prepared %d learners with progress in %s (course %s, run %s)", learners, time.Since(start).Round(time.Millisecond), crs.ID, f.RunID)

	var quizID string
	if qs := crs.Quizzes(); len(qs) > 0 {
		quizID = qs[0].ID
	}
	timings, err := loadtest.MeasureDashboard(ctx, base, f, quizID)
	if err != nil {
		return err
	}
	names := []string{"csv", "page", "by_progress", "search", "quiz"}
	fmt.Fprintf(env.Stdout, "dashboard-loadtest learners=%d", learners)
	for i, tm := range timings {
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		n := names[i]
		fmt.Fprintf(env.Stdout, " %s_ms=%.0f %s_cpu_ms=%.0f %s_again_ms=%.0f %s_again_cpu_ms=%.0f %s_bytes=%d %s_gzip_bytes=%d",
			n, ms(tm.Took), n, ms(tm.CPU), n, ms(tm.Again), n, ms(tm.AgainCPU), n, tm.Bytes, n, tm.GzipBytes)
		if i == 0 {
			fmt.Fprintf(env.Stdout, " csv_lines=%d csv_server_rss_mb=%.0f", tm.Rows, tm.PeakRSSMiB)
		}
	}
	if len(timings) > 0 {
		fmt.Fprintf(env.Stdout, " server_rss_mb=%.0f", timings[len(timings)-1].PeakRSSMiB)
	}
	fmt.Fprintln(env.Stdout)
	return nil
}
