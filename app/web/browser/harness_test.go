package browser_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/web"
	"github.com/cairn-lms/cairn/app/web/webtest"
)

const chromiumPath = "/usr/bin/chromium"

// startChromium starts headless Chromium (with extra flags, if any) and returns its root
// context, skipping when it is not installed unless CAIRN_TEST_REQUIRE_BROWSER=1 (CI) makes
// that a failure.
func startChromium(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CAIRN_TEST_REQUIRE_BROWSER") == "1" {
			t.Fatalf("Chromium required but not found at %s", chromiumPath)
		}
		t.Skipf("browser test skipped: no Chromium at %s (install the chromium package)", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	opts = append(opts, extra...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelRoot(); cancelAlloc() })
	if err := chromedp.Do(root, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return root
}

// withTimeout bounds a browser context for the test's duration.
func withTimeout(t *testing.T, ctx context.Context) context.Context {
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// newBrowser is one tab with page JavaScript disabled, as at Tor Browser's Safest level.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	ctx := withTimeout(t, startChromium(t, extra...))
	noJavaScript(t, ctx)
	return ctx
}

// noJavaScript disables page JavaScript in the context's tab (the setting is the tab's own:
// another tab of the same browser runs scripts unless told too).
func noJavaScript(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Func(func(c context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(c, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	if err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
}

// newBrowserContexts is two isolated browser contexts (separate cookies), JavaScript on: the
// live console is the one page that needs it.
func newBrowserContexts(t *testing.T) (context.Context, context.Context) {
	t.Helper()
	root := startChromium(t)
	a, cancelA := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	b, cancelB := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(func() { cancelA(); cancelB() })
	return withTimeout(t, a), withTimeout(t, b)
}

// phoneTab is a tab in a browser context of its own (its own cookies: another person) of
// the Chromium at root, at phone width with page JavaScript off, bounded to three minutes
// (a journey through several pages and uploads takes longer than withTimeout allows).
func phoneTab(t *testing.T, root context.Context) context.Context {
	t.Helper()
	c, cancelTab := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	c, cancelTime := context.WithTimeout(c, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab() })
	noJavaScript(t, c)
	phone(t, c)
	return c
}

// startServer serves the shipped curriculum from db on a loopback port.
func startServer(t *testing.T, db *bun.DB) string {
	t.Helper()
	return startServerWith(t, db, nil)
}

// startServerWith serves the given courses (nil: the shipped ones) from db.
func startServerWith(t *testing.T, db *bun.DB, courses *web.CoursesSource) string {
	t.Helper()
	cfg := config.Defaults()
	cfg.Argon2Memory, cfg.Argon2Time, cfg.Argon2Threads = 1024, 1, 1
	cfg.DataDir = t.TempDir() // where the signing key is made on first need
	srv, err := web.New(web.Deps{Config: cfg, DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Courses: courses})
	if err != nil {
		t.Fatal(err)
	}
	return webtest.Serve(t, srv)
}

// startServerAt serves the shipped curriculum with CAIRN_BASE_URL set to the server's own
// address: the presenter view then has a link a phone can open, and its QR code.
func startServerAt(t *testing.T, db *bun.DB) string {
	t.Helper()
	ln := webtest.Listen(t)
	cfg := config.Defaults()
	cfg.Argon2Memory, cfg.Argon2Time, cfg.Argon2Threads = 1024, 1, 1
	cfg.BaseURL = "http://" + ln.Addr().String()
	cfg.DataDir = t.TempDir()
	srv, err := web.New(web.Deps{Config: cfg, DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return webtest.ServeOn(t, srv, ln)
}

// liveJourneyFixture is what the live journeys share: a server of the shipped curriculum on
// a fresh SQLite database, and the accounts, cohorts and running sessions a journey starts
// from, stored through the store (every account with the same password).
type liveJourneyFixture struct {
	ctx      context.Context
	st       *store.Store
	base     string // the server's address
	password string
	hash     string
}

// newLiveJourneyFixture starts the server; withBaseURL sets its CAIRN_BASE_URL to its own
// address (startServerAt).
func newLiveJourneyFixture(t *testing.T, withBaseURL bool) *liveJourneyFixture {
	t.Helper()
	db := dbtest.Open(t, "sqlite")
	f := &liveJourneyFixture{ctx: context.Background(), st: store.New(db, nil), password: "a live journey passphrase"}
	if withBaseURL {
		f.base = startServerAt(t, db)
	} else {
		f.base = startServer(t, db)
	}
	hasher, err := auth.NewHasher(1024, 1, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if f.hash, err = hasher.Hash(f.ctx, f.password); err != nil {
		t.Fatal(err)
	}
	return f
}

// account stores an account with the fixture's password. (Each method fails the test t,
// the one calling it: a subtest's own.)
func (f *liveJourneyFixture) account(t *testing.T, name, role string) *model.User {
	t.Helper()
	u := &model.User{Username: name, UsernameKey: auth.UsernameKey(name), UsernameSkeleton: auth.UsernameSkeleton(name), PasswordHash: f.hash, Role: role}
	if err := f.st.CreateAccount(f.ctx, store.NewAccount{User: u}); err != nil {
		t.Fatal(err)
	}
	return u
}

// cohort stores co (of the shipped course account-security unless it names another), run by
// trainer, with learners in it.
func (f *liveJourneyFixture) cohort(t *testing.T, co *model.Cohort, trainer *model.User, learners ...*model.User) *model.Cohort {
	t.Helper()
	if co.CourseID == "" {
		co.CourseID = "account-security"
	}
	if err := f.st.CreateCohort(f.ctx, co, trainer.ID); err != nil {
		t.Fatal(err)
	}
	for _, u := range learners {
		if err := f.st.JoinCohort(f.ctx, co.ID, u.ID, 0); err != nil {
			t.Fatal(err)
		}
	}
	return co
}

// session stores a running live session of the cohort, and returns it and its path, /live/N.
func (f *liveJourneyFixture) session(t *testing.T, co *model.Cohort, title string) (*model.LiveSession, string) {
	t.Helper()
	ls := &model.LiveSession{CohortID: co.ID, Title: title}
	if err := f.st.CreateLiveSession(f.ctx, ls, true); err != nil {
		t.Fatal(err)
	}
	return ls, "/live/" + strconv.FormatInt(ls.ID, 10)
}

// signIn signs the browser in as the account called name.
func (f *liveJourneyFixture) signIn(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	signInAs(t, ctx, f.base, name, f.password)
}

// scrollWidth is how wide the page is laid out: more than the viewport means sideways
// scrolling.
func scrollWidth(t *testing.T, ctx context.Context) int {
	t.Helper()
	w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	return w
}
