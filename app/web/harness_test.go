package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/web"
	"github.com/cairn-lms/cairn/app/web/webtest"
)

// clock is a settable time source shared by the server and the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testServer is the real fiber app on a real loopback port.
type testServer struct {
	URL   string
	DB    *bun.DB
	Srv   *web.Server
	Clock *clock
	Cfg   config.Config
}

// testConfig is the default configuration with cheap password hashing.
func testConfig() config.Config {
	cfg := config.Defaults()
	cfg.Argon2Memory = 1024
	cfg.Argon2Time = 1
	cfg.Argon2Threads = 1
	return cfg
}

// testConfigFor is testConfig with a data directory of the test's own, where the signing
// key is made when a page needs it.
func testConfigFor(t *testing.T) config.Config {
	cfg := testConfig()
	cfg.DataDir = t.TempDir()
	return cfg
}

func startServer(t *testing.T, db *bun.DB, cfg config.Config) *testServer {
	t.Helper()
	// The server's log is shown when the test fails: a refused event or a database error
	// there is the quickest way to an explanation.
	logs := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return startServerLogging(t, db, cfg, logs)
}

func startServerLogging(t *testing.T, db *bun.DB, cfg config.Config, logTo io.Writer) *testServer {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	logger := slog.New(slog.NewTextHandler(logTo, &slog.HandlerOptions{Level: slog.LevelDebug}))
	// Handler tests use the small course in app/course/testdata, not the shipped curriculum.
	courses := &web.CoursesSource{FS: os.DirFS("../course/testdata/valid"), Label: "testdata"}
	if cfg.DataDir == config.Defaults().DataDir {
		// The signing key is made in the data directory on first need: never in the source tree.
		cfg.DataDir = t.TempDir()
	}
	srv, err := web.New(web.Deps{Config: cfg, DB: db, Logger: logger, Now: clk.Now, Courses: courses})
	if err != nil {
		t.Fatal(err)
	}
	return &testServer{URL: webtest.Serve(t, srv), DB: db, Srv: srv, Clock: clk, Cfg: cfg}
}

// eachServer runs fn against a fresh server on SQLite and on PostgreSQL.
func eachServer(t *testing.T, cfg config.Config, fn func(t *testing.T, ts *testServer)) {
	t.Helper()
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		fn(t, startServer(t, db, cfg))
	})
}

// browser is one visitor with its own cookies; it follows redirects like a browser.
type browser struct {
	t      *testing.T
	ts     *testServer
	client *http.Client
	header http.Header
}

func (ts *testServer) browser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, ts: ts, client: &http.Client{Jar: jar, Timeout: 30 * time.Second}, header: http.Header{}}
}

type page struct {
	Status int
	Body   string
	Header http.Header
	URL    string
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	for k, v := range b.header {
		req.Header[k] = v
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return page{Status: resp.StatusCode, Body: string(body), Header: resp.Header, URL: resp.Request.URL.Path}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.ts.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post submits a form the way the page would, with the CSRF token from the cookie.
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	sent := url.Values{}
	for k, v := range form {
		sent[k] = v
	}
	if _, ok := sent["csrf_token"]; !ok {
		sent.Set("csrf_token", b.csrf())
	}
	return b.postRaw(path, sent.Encode())
}

func (b *browser) postRaw(path, body string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.ts.URL+path, strings.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// csrfRE finds the token a page embeds in its forms.
var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf returns the token the pages now embed for this browser, read from a page: it is
// bound to the session, so it changes at sign-in and sign-out. The sign-in page shows it
// to everyone (a signed-in visitor is sent on to a page whose sign-out form has it).
func (b *browser) csrf() string {
	b.t.Helper()
	p := b.get("/login")
	m := csrfRE.FindStringSubmatch(p.Body)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s (status %d):\n%s", p.URL, p.Status, p.Body)
	}
	return m[1]
}

func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.ts.URL)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func (b *browser) setCookie(name, value string) {
	u, _ := url.Parse(b.ts.URL)
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

const strongPassword = "correct horse battery staple"

var codeRE = regexp.MustCompile(`<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code>`)

// signUp creates an account through the form and returns its recovery codes.
func (b *browser) signUp(username string) []string {
	b.t.Helper()
	p := b.post("/signup", url.Values{"username": {username}, "password": {strongPassword}, "password_confirm": {strongPassword}})
	if p.Status != http.StatusCreated {
		b.t.Fatalf("sign up %q: status %d\n%s", username, p.Status, p.Body)
	}
	var codes []string
	for _, m := range codeRE.FindAllStringSubmatch(p.Body, -1) {
		codes = append(codes, m[1])
	}
	return codes
}

func (b *browser) signIn(username, password string) page {
	b.t.Helper()
	return b.post("/login", url.Values{"username": {username}, "password": {password}})
}

func mustContain(t *testing.T, p page, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(p.Body, w) {
			t.Fatalf("page %s (status %d) does not contain %q:\n%s", p.URL, p.Status, w, p.Body)
		}
	}
}

func mustStatus(t *testing.T, p page, want int) {
	t.Helper()
	if p.Status != want {
		t.Fatalf("page %s: status %d, want %d\n%s", p.URL, p.Status, want, p.Body)
	}
}

func countRows(t *testing.T, db *bun.DB, table string) int {
	t.Helper()
	n, err := db.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// behindProxy trusts the test's own loopback address as a reverse proxy, so that each
// browserFrom can stand for a different client.
func behindProxy(cfg config.Config) config.Config {
	cfg.TrustedProxies = []string{"127.0.0.1", "::1"}
	return cfg
}

// browserFrom is a browser whose requests reach the server through the trusted proxy
// (behindProxy) on behalf of the client at addr.
func (ts *testServer) browserFrom(t *testing.T, addr string) *browser {
	b := ts.browser(t)
	b.header.Set("X-Forwarded-For", addr)
	return b
}
