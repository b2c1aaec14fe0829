package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // served only on --debug-addr
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/web"
)

func runServe(args []string, env Env) error {
	cfg, fs, err := loadConfig("serve", args, env, nil)
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	log := newLogger(cfg, env.Stderr)
	limitMemory(cfg, env, log)
	scheduleOnTwo(env, log)
	ctx, stop := signalContext()
	defer stop()

	if !cfg.UsesPostgres() {
		// Held while serving, so that `cairn restore` cannot swap the file underneath.
		unlock, err := database.LockSQLite(cfg.SQLitePath(), false)
		if err != nil {
			return err
		}
		defer unlock()
	}
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	srv, err := web.New(web.Deps{Config: cfg, DB: db, Logger: log, Courses: coursesSource(cfg, log)})
	if err != nil {
		return err
	}
	// Announce the site once it is ready, live events included (PostgreSQL LISTEN).
	select {
	case <-srv.LiveReady():
	case <-time.After(15 * time.Second):
		log.Warn("live events are not connected yet; /readyz answers 503 until they are")
	case <-ctx.Done():
		return nil
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	backend := "SQLite " + cfg.SQLitePath()
	if cfg.UsesPostgres() {
		backend = "PostgreSQL"
	}
	log.Info("cairn started", "addr", ln.Addr().String(), "database", backend)
	fmt.Fprintf(env.Stdout, "Cairn is serving on http://%s\n", ln.Addr())
	if cfg.BaseURL != "" {
		fmt.Fprintf(env.Stdout, "Public URL: %s\n", cfg.BaseURL)
	}

	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("listen for metrics on %s: %w", cfg.MetricsAddr, err)
		}
		mux := http.NewServeMux() // its own mux: the profiler stays off this port
		mux.Handle("/metrics", srv.Metrics.Handler())
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		defer msrv.Close()
		go func() { _ = msrv.Serve(mln) }()
		fmt.Fprintf(env.Stdout, "Metrics: http://%s/metrics\n", mln.Addr())
	}
	if cfg.DebugAddr != "" {
		go func() {
			log.Warn("profiling endpoints enabled", "addr", cfg.DebugAddr)
			srv := &http.Server{Addr: cfg.DebugAddr, Handler: http.DefaultServeMux, ReadHeaderTimeout: 10 * time.Second}
			if err := srv.ListenAndServe(); err != nil {
				log.Error("debug listener", "err", err)
			}
		}()
	}

	cleanCtx, cancelClean := context.WithCancel(ctx)
	defer cancelClean()
	go srv.CleanExpiredSessions(cleanCtx, 10*time.Minute)
	go srv.RunRetention(cleanCtx, time.Hour)

	reload := make(chan os.Signal, 1)
	signal.Notify(reload, syscall.SIGHUP)
	defer signal.Stop(reload)
	go func() {
		for range reload {
			log.Info("SIGHUP: reloading courses")
			srv.ReloadCourses()
		}
	}()

	served := make(chan error, 1)
	go func() { served <- srv.App.Listener(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	srv.Drain()
	if cfg.DrainDelay > 0 {
		log.Info("draining: /readyz answers 503 and live connections are closed; pages still served", "drain_delay", cfg.DrainDelay.String())
		select {
		case <-time.After(cfg.DrainDelay):
		case err := <-served:
			return err
		}
	}
	log.Info("shutting down: finishing in-flight requests", "timeout", cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		// A client that never finishes its request (a slow or stalled upload) must not
		// turn a requested stop into a failure that a supervisor restarts or alerts on.
		log.Warn("shutdown timeout reached: closing the connections still open", "timeout", cfg.ShutdownTimeout.String())
	}
	<-served
	log.Info("stopped")
	return nil
}

// liveHeadroom is the soft memory limit above the password-hashing budget (limitMemory).
const liveHeadroom = 128 << 20

// limitMemory sets a soft memory limit from the password-hashing budget, unless the
// operator set GOMEMLIMIT. Each argon2id hash allocates its whole memory cost afresh; without
// a limit the garbage collector lets a burst of sign-ins pile up dead buffers to about twice
// the live budget. With it, peak memory stays near hashes-in-flight × memory-per-hash.
func limitMemory(cfg config.Config, env Env, log *slog.Logger) {
	if env.Getenv("GOMEMLIMIT") != "" {
		return
	}
	// 128 MiB above the hashing budget: 10,000 live connections keep about 130 MB (heap,
	// stacks, runtime; docs/BENCHMARKS.md, 2026-12-07), so the collector has room and does
	// not run continuously, and the peak stays under 300 MB. At 256 MiB the peak was set by
	// the limit, not by what the connections keep.
	limit := int64(cfg.HashConcurrency)*int64(cfg.Argon2Memory)*1024 + liveHeadroom
	debug.SetMemoryLimit(limit)
	log.Debug("soft memory limit", "mb", limit>>20)
}

// scheduleOnTwo gives the scheduler at least two processors (GOMAXPROCS), unless the
// operator set GOMAXPROCS. On a machine or container with one CPU Go runs one: when a poll
// opens in a large room, thousands of participants' readers become runnable at once, the
// ones the run queue cannot hold wait in the global queue, and so does a fan-out goroutine
// that is preempted or started then, since one processor takes from that queue only once
// in 61 turns while its own queue keeps filling. Pinned to one core with 5,000 SQLite
// participants, nine runs in ten delivered a poll 0.9–2.9 s late to some of them; with two
// processors on the same core, none of five (docs/BENCHMARKS.md, session 11). Two threads
// then share the core; the collector's background work, a quarter of the processors, takes
// up to half of it while it runs.
func scheduleOnTwo(env Env, log *slog.Logger) {
	if env.Getenv("GOMAXPROCS") != "" || runtime.GOMAXPROCS(0) >= 2 {
		return
	}
	runtime.GOMAXPROCS(2)
	log.Debug("two scheduler processors on one CPU")
}

// coursesSource prefers the courses folder on disk (so content can change without a new
// binary) and falls back to the courses built into the binary.
func coursesSource(cfg config.Config, log *slog.Logger) *web.CoursesSource {
	if info, err := os.Stat(cfg.CoursesDir); err == nil && info.IsDir() {
		return &web.CoursesSource{FS: os.DirFS(cfg.CoursesDir), Label: cfg.CoursesDir}
	}
	log.Info("no courses folder; serving the shipped courses", "courses_dir", cfg.CoursesDir)
	return nil
}
