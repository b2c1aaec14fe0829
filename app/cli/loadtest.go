package cli

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/loadtest"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/courses"
)

type urlList []string

func (u *urlList) String() string     { return strings.Join(*u, ",") }
func (u *urlList) Set(v string) error { *u = append(*u, strings.TrimRight(v, "/")); return nil }

// runLoadtest: cairn loadtest live --url URL --participants N (--data-dir DIR | --database-url URL | --relay)
func runLoadtest(args []string, env Env) error {
	if len(args) > 0 && args[0] == "dashboard" {
		return runLoadtestDashboard(args[1:], env)
	}
	if len(args) == 0 || args[0] != "live" {
		return usageError("loadtest needs a scenario: live or dashboard")
	}
	var urls urlList
	var participants, steps, polls, workers int
	var keep, relay bool
	var stepEvery, voteWithin time.Duration
	cfg, fs, err := loadConfig("loadtest live", args[1:], env, func(fs *flag.FlagSet) {
		fs.Var(&urls, "url", "server to test (repeat for several instances; the trainer uses the first)")
		fs.IntVar(&participants, "participants", 100, "participants to connect")
		fs.IntVar(&steps, "steps", 10, "lesson steps the trainer shows")
		fs.IntVar(&polls, "polls", 3, "polls every participant answers")
		fs.DurationVar(&stepEvery, "step-every", 500*time.Millisecond, "pause between trainer actions")
		fs.IntVar(&workers, "dial-workers", 64, "connections opened at once")
		fs.DurationVar(&voteWithin, "vote-within", 0, "each participant votes at a random moment within this time (0: all at once)")
		fs.BoolVar(&relay, "relay", false, "the server is the bare relay of docs/bench/relay (no database, nothing to prepare): the floor to compare Cairn with")
		fs.BoolVar(&keep, "keep", false, "keep the load-test accounts, cohort and session afterwards")
	})
	if err != nil {
		return err
	}
	if len(urls) == 0 || participants < 1 || fs.NArg() > 0 {
		return usageError("give --url and a positive --participants")
	}
	ctx, stop := signalContext()
	defer stop()
	log := func(format string, a ...any) { fmt.Fprintf(env.Stderr, "loadtest: "+format+"\n", a...) }

	var f *loadtest.Fixture
	var recorded func() (int, error)
	if relay {
		// The relay (docs/bench/relay) has no database: nothing to prepare, and it counts
		// the votes it received itself.
		f = loadtest.RelayFixture(participants)
		before, err := loadtest.RelayVotes(ctx, urls[0])
		if err != nil {
			return fmt.Errorf("relay at %s: %w", urls[0], err)
		}
		recorded = func() (int, error) {
			n, err := loadtest.RelayVotes(ctx, urls[0])
			return n - before, err
		}
	} else {
		cfg.MigrateOnStart = false
		db, err := openMigrated(ctx, cfg, newLogger(cfg, env.Stderr))
		if err != nil {
			return fmt.Errorf("open the server's database (give the same --data-dir or --database-url as the server): %w", err)
		}
		defer db.Close()
		var fsys = os.DirFS(cfg.CoursesDir)
		if info, err := os.Stat(cfg.CoursesDir); err != nil || !info.IsDir() {
			fsys = courses.FS
		}
		cat, _ := course.Load(fsys, "courses", course.Options{})
		if len(cat.All()) == 0 {
			return fmt.Errorf("no published course to run a session on")
		}
		crs := cat.All()[0]
		var lessons []string
		for _, l := range crs.Lessons {
			lessons = append(lessons, l.ID)
		}

		start := time.Now()
		st := store.New(db, nil)
		f, err = loadtest.Prepare(ctx, st, participants, crs.ID, lessons)
		if err != nil {
			return err
		}
		log("prepared %d participants (run %s, usernames %s%s-*) in %s", participants, f.RunID, loadtest.Prefix, f.RunID, time.Since(start).Round(time.Millisecond))
		if !keep {
			defer func() {
				if err := loadtest.Cleanup(ctx, st, f); err != nil {
					log("cleanup failed: %v (delete users named %s%s-*)", err, loadtest.Prefix, f.RunID)
				}
			}()
		}
		recorded = func() (int, error) { return loadtest.VotesRecorded(ctx, st, f.SessionID) }
	}
	if loadtest.ShrinkingStacks() {
		log("GODEBUG=gcshrinkstackoff=1 is not set: the first events after a quiet moment may also measure this tool growing its goroutines' stacks (docs/bench/compare.sh sets it)")
	}
	res, err := loadtest.Run(ctx, f, loadtest.Options{URLs: urls, Steps: steps, Polls: polls, StepEvery: stepEvery, Settle: 30 * time.Second, DialWorkers: workers, VoteWithin: voteWithin}, log)
	if err != nil {
		return err
	}
	votes, err := recorded()
	if err != nil {
		return err
	}
	var rss float64
	for _, u := range urls {
		r, err := loadtest.ServerPeakRSS(u)
		if err != nil {
			log("server memory for %s: %v", u, err)
			continue
		}
		log("server %s peak RSS %.0f MB", u, r)
		rss = max(rss, r)
	}
	if res.VotesAcked != res.VotesSent {
		log("votes acknowledged %d of %d sent", res.VotesAcked, res.VotesSent)
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }
	fmt.Fprintf(env.Stdout, "live-loadtest participants=%d delivered=%d missed=%d out_of_order=%d p50_ms=%s p95_ms=%s p99_ms=%s max_ms=%s votes_sent=%d votes_recorded=%d server_rss_mb=%.0f",
		participants, res.Delivered, res.Missed, res.OutOfOrder, ms(res.P50), ms(res.P95), ms(res.P99), ms(res.Max), res.VotesSent, votes, rss)
	if res.ArrivalMax > 0 {
		fmt.Fprintf(env.Stdout, " arrival_p50_ms=%s arrival_p95_ms=%s arrival_p99_ms=%s arrival_max_ms=%s",
			ms(res.ArrivalP50), ms(res.ArrivalP95), ms(res.ArrivalP99), ms(res.ArrivalMax))
	}
	fmt.Fprintln(env.Stdout)
	return nil
}
