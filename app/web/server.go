// Package web is the HTTP face of Cairn: a fiber app whose handlers parse, authorise, call
// the domain and store packages, and render html/template views. One file per page action.
package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"io/fs"
	"log/slog"
	"net/netip"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/websocket"
	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/intake"
	"github.com/cairn-lms/cairn/app/live"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/metrics"
	"github.com/cairn-lms/cairn/app/offline"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/assets"
	shipped "github.com/cairn-lms/cairn/courses"
	"github.com/cairn-lms/cairn/i18n"
)

// Deps is what the server needs from the outside world.
type Deps struct {
	Config config.Config
	DB     *bun.DB
	Logger *slog.Logger
	Now    func() time.Time // nil means the wall clock; tests move time forward
	// Courses is where course folders are read from; nil means the shipped (embedded) ones.
	Courses *CoursesSource
}

// Server holds the fiber app and everything its handlers share.
type Server struct {
	cfg      config.Config
	store    *store.Store
	hasher   *auth.Hasher
	locales  *locale.Bundle
	views    *views
	static   *staticAssets
	migrator *database.Migrator
	log      *slog.Logger
	now      func() time.Time
	keySalt  []byte         // salts the in-memory rate-limit keys so no client address is held in clear
	trusted  []netip.Prefix // reverse proxies whose X-Forwarded-For is believed
	limits   *limits
	issuer   string            // shown in authenticator apps next to the account name
	secrets  *auth.SecretBox   // encrypts two-factor secrets at rest; nil without CAIRN_SECRET_KEY
	attempts *auth.AttemptKeys // signs quiz attempt keys
	csrfKey  []byte            // signs CSRF tokens; the same on every instance (csrf.go)
	upgrader *websocket.Upgrader

	// Metrics are served by the CLI on CAIRN_METRICS_ADDR, when set.
	Metrics *metrics.Metrics

	live       *live.Service
	liveCtx    context.Context
	liveCancel context.CancelFunc

	// draining is set when shutdown starts: /readyz and new live connections answer 503.
	// drainMu orders it with the hand-over of live connections, so none is handed over
	// after shutdown has closed them all.
	drainMu  sync.RWMutex
	draining atomic.Bool
	corrupt  atomic.Bool // a request met a damaged SQLite file (health.go)
	ready    readiness
	dataDir  string // the SQLite file's directory, whose free space /readyz checks

	firstAid     sitePages // the digital first-aid page (first_aid_show.go)
	deviceTraces sitePages // what the site leaves on a device (device_traces_show.go)

	courses        atomic.Pointer[course.Catalog]
	intake         atomic.Pointer[intake.Intake] // nil: the courses folder has no (valid) risk intake
	coursesFS      fs.FS
	coursesLabel   string
	coursesShipped bool                             // coursesFS is the set built into the binary
	packaged       atomic.Pointer[map[string]int64] // course id → package row, for courses served from the database
	// reloadMu orders reloads of the catalogue; coursesSig is the published packages'
	// signature it was built from, coursesReloaded is closed by the next reload.
	reloadMu        sync.Mutex
	folderCourses   *course.Catalog // the folder (or shipped) courses as last loaded
	coursesSig      string
	coursesReloaded chan struct{}

	summaries summaryCache    // large cohorts' dashboard totals (cohort_summary.go)
	offline   *offlineBundles // signed offline copies of courses (offline_bundles.go)

	settings *settingsCache // the instance settings, cached (instance_settings.go)
	logoSlot chan struct{}  // one logo decoded at a time (admin_logo_upload.go)

	App *fiber.App
}

// LiveReady is closed once the server receives live events from every instance.
func (s *Server) LiveReady() <-chan struct{} { return s.live.Ready() }

// New builds the server and its routes; it does not listen.
func New(d Deps) (*Server, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	hasher, err := auth.NewHasher(d.Config.Argon2Memory, d.Config.Argon2Time, d.Config.Argon2Threads, d.Config.HashConcurrency)
	if err != nil {
		return nil, err
	}
	locales, err := locale.Load(i18n.Files, d.Config.DefaultLocale)
	if err != nil {
		return nil, err
	}
	vs, err := loadViews(assets.FS)
	if err != nil {
		return nil, err
	}
	staticFS, err := fs.Sub(assets.FS, "static")
	if err != nil {
		return nil, err
	}
	static, err := loadStatic(staticFS)
	if err != nil {
		return nil, err
	}
	migrator, err := database.NewMigrator(d.DB)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      d.Config,
		store:    store.New(d.DB, d.Now),
		hasher:   hasher,
		locales:  locales,
		views:    vs,
		static:   static,
		migrator: migrator,
		log:      d.Logger,
		now:      d.Now,
		keySalt:  make([]byte, 16),
		issuer:   "Cairn",
		upgrader: newUpgrader(),
		settings: newSettingsCache(d.DB),
		logoSlot: make(chan struct{}, 1),
	}
	_, _ = rand.Read(s.keySalt)
	if s.firstAid, err = s.loadSitePages(assets.FS, "first-aid"); err != nil {
		return nil, err
	}
	if s.deviceTraces, err = s.loadSitePages(assets.FS, "device-traces"); err != nil {
		return nil, err
	}
	bundles, err := offline.NewBuilder(assets.FS, locales)
	if err != nil {
		return nil, err
	}
	s.offline = newOfflineBundles(bundles, d.Config.DataDir, d.Now)
	if s.trusted, err = d.Config.TrustedProxyPrefixes(); err != nil {
		return nil, err
	}
	s.limits = newLimits(d.Config, d.Now)
	key, err := d.Config.SecretKeyBytes()
	if err != nil {
		return nil, err
	}
	if s.secrets, err = auth.NewSecretBox(key); err != nil {
		return nil, err
	}
	prepCtx, cancelPrep := context.WithTimeout(context.Background(), time.Minute)
	sealed, err := prepareTOTPSecrets(prepCtx, s.store, s.secrets)
	if err == nil {
		var master []byte
		if master, err = masterSecret(prepCtx, s.store, key); err == nil {
			s.csrfKey = auth.DeriveKey(master, "csrf")
			s.attempts, err = auth.AttemptKeysFrom(master)
		}
	}
	if err == nil {
		s.dataDir, err = database.SQLiteDir(prepCtx, d.DB)
	}
	cancelPrep()
	if err != nil {
		return nil, err
	}
	if sealed > 0 {
		d.Logger.Info("encrypted two-factor secrets stored in clear", "accounts", sealed)
	}
	if d.Courses == nil {
		d.Courses = &CoursesSource{FS: shipped.FS, Label: "courses (shipped)"}
		s.coursesShipped = true
	}
	s.coursesFS, s.coursesLabel = d.Courses.FS, d.Courses.Label
	s.coursesReloaded = make(chan struct{})
	s.ReloadCourses()
	s.live = &live.Service{Store: s.store, Hub: live.NewHub(d.Logger), Catalog: s.catalog, MinGroup: d.Config.LiveMinGroup, Log: d.Logger, Now: d.Now, Lease: d.Config.LiveLease}
	s.Metrics = metrics.New(d.DB.DB, func() float64 { return float64(s.live.Hub.Count()) })
	s.live.Events, s.live.VoteBatches = s.Metrics.LiveEvents, s.Metrics.LiveVoteBatches
	s.hasher.OnHash = s.Metrics.PasswordHashes.Inc
	s.liveCtx, s.liveCancel = context.WithCancel(context.Background())
	go s.live.Listen(s.liveCtx, d.DB)
	go s.listenForSettings(s.liveCtx, d.DB)
	go s.watchCourses(s.liveCtx)
	if u, err := url.Parse(d.Config.BaseURL); err == nil && u.Host != "" {
		s.issuer = "Cairn (" + u.Host + ")"
	}
	s.App = fiber.New(fiber.Config{
		AppName: "Cairn",
		// Bodies are streamed: fasthttp reads up to BodyLimit before the handlers run and
		// limitBody (body_limit.go) reads the rest, up to the upload limit on the one route
		// that takes course packages, so only that route holds a large body in memory.
		// Multipart forms are then parsed from the body read, within those limits.
		BodyLimit:                    d.Config.BodyLimitBytes,
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		ErrorHandler:                 s.handleError,
		DisableStartupMessage:        true,
		ReadTimeout:                  30 * time.Second,
		WriteTimeout:                 30 * time.Second,
		IdleTimeout:                  120 * time.Second,
		// fasthttp's default, which fits Cairn's few cookies. (Live connections leave it
		// behind when they are handed over: live_socket.go.)
		ReadBufferSize: 4096,
		// The client's address comes from clientIP (limits.go), which reads X-Forwarded-For
		// from the right; c.IP stays the socket's peer. The check keeps fiber from believing
		// X-Forwarded-Proto and -Host from anyone but the trusted proxies.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          d.Config.TrustedProxies,
	})
	// Live connections are handed over to their own goroutine (live_socket.go), which
	// closes them; fasthttp must not close them when its hijack handler returns.
	s.App.Server().KeepHijackedConns = true
	s.routes()
	return s, nil
}

// Drain starts the shutdown without stopping the HTTP server: /readyz answers 503, new live
// connections are refused, existing ones are closed with 1001. Pages are still served (a
// load balancer may send requests until it has seen /readyz fail). Idempotent.
func (s *Server) Drain() {
	s.drainMu.Lock()
	s.draining.Store(true)
	s.drainMu.Unlock()
	s.liveCancel()
}

// Shutdown drains the instance, then lets in-flight requests finish up to the context's
// deadline. Draining first: /readyz answers 503 and new live connections are refused with
// 503 and Retry-After, so neither a load balancer nor a reconnecting console sends more
// here. Then every live connection is closed with 1001 (going away): their clients
// reconnect, with jittered back-off, to an instance that stays. Live connections are
// hijacked from the HTTP server, which does not track them, hence their own step.
//
// It returns context.DeadlineExceeded when requests were still running at the deadline;
// they are cut off when the process exits.
func (s *Server) Shutdown(ctx context.Context) error {
	s.Drain()
	s.live.Wait(ctx)
	s.live.FlushAnonymous(ctx)
	if err := s.App.ShutdownWithContext(ctx); err != nil {
		return fmt.Errorf("shut down http server: %w", err)
	}
	return nil
}

// CleanExpiredSessions deletes expired sessions every interval until ctx ends (sign-ins
// past their expiry are refused anyway; this keeps the table small between the daily
// retention purges, which delete the rest: RunRetention).
func (s *Server) CleanExpiredSessions(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.store.DeleteExpiredSessions(ctx, s.cfg.SessionIdleTimeout); err != nil {
				s.log.Warn("delete expired sessions", "err", err)
			} else if n > 0 {
				s.log.Debug("deleted expired sessions", "count", n)
			}
		}
	}
}
