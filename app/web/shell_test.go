package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func strconvI(n int64) string { return strconv.FormatInt(n, 10) }

func TestEveryPageSendsStrictSecurityHeaders(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		for _, path := range []string{"/", "/login", "/signup", "/recover", "/nope"} {
			p := b.get(path)
			csp := p.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Fatalf("%s: CSP %q lacks %q", path, csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") {
				t.Fatalf("%s: CSP allows inline code", path)
			}
			if p.Header.Get("Referrer-Policy") != "no-referrer" || p.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Fatalf("%s: missing Referrer-Policy or nosniff", path)
			}
		}
	})
}

var (
	externalRE = regexp.MustCompile(`(?i)(src|href|action)\s*=\s*"(https?:)?//`)
	inlineRE   = regexp.MustCompile(`(?i)\son[a-z]+\s*=|style\s*=`)
	// scriptRE finds script tags: each must load a file of this site (src), never carry code.
	scriptRE = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	srcRE    = regexp.MustCompile(`(?i)\ssrc\s*=\s*"/static/`)
)

func TestPagesLoadNothingFromElsewhereAndHaveNoInlineCode(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		pages := []string{"/", "/login", "/signup", "/recover", "/reset?token=x", "/nope"}
		for _, path := range pages {
			checkPage(t, path, b.get(path).Body)
		}
		b.signUp("auditor")
		makeAdmin(t, ts, "auditor")
		b.signIn("auditor", strongPassword)
		b.post("/account/2fa/setup", nil)
		for _, path := range []string{"/account", "/account/password", "/account/sessions", "/account/recovery-codes", "/account/2fa", "/admin", "/admin/users"} {
			p := b.get(path)
			mustStatus(t, p, http.StatusOK)
			checkPage(t, path, p.Body)
		}
	})
}

func checkPage(t *testing.T, path, body string) {
	t.Helper()
	if m := externalRE.FindString(body); m != "" {
		t.Fatalf("%s refers to another host: %s", path, m)
	}
	if m := inlineRE.FindString(body); m != "" {
		t.Fatalf("%s has inline script or style: %s", path, m)
	}
	for _, tag := range scriptRE.FindAllString(body, -1) {
		if !srcRE.MatchString(tag) {
			t.Fatalf("%s has an inline script: %s", path, tag)
		}
	}
	if !strings.Contains(body, `<a class="skip-link" href="#main">`) {
		t.Fatalf("%s has no skip link", path)
	}
}

func TestStaticAssetsAreHashedCachedAndCompressed(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		m := regexp.MustCompile(`href="(/static/css/cairn\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(b.get("/").Body)
		if m == nil {
			t.Fatal("stylesheet link is not content-hashed")
		}
		req, _ := http.NewRequest(http.MethodGet, ts.URL+m[1], nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
			t.Fatalf("asset: status %d, cache %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("asset not compressed: %q", resp.Header.Get("Content-Encoding"))
		}
		mustStatus(t, b.get("/static/css/cairn.0000000000.css"), http.StatusNotFound)
	})
}

func TestLanguageNegotiation(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		mustContain(t, b.get("/"), `<html lang="en" dir="ltr">`)

		b.header.Set("Accept-Language", "fr-CA, fr;q=0.9, en;q=0.5")
		mustContain(t, b.get("/"), `<html lang="fr" dir="ltr">`)

		b.header.Set("Accept-Language", "de, tlh")
		mustContain(t, b.get("/"), `<html lang="en" dir="ltr">`)

		p := b.get("/login?lang=ar")
		mustContain(t, p, `<html lang="ar" dir="rtl">`)
		// The choice is remembered, over what the browser asks for.
		b.header.Set("Accept-Language", "es")
		mustContain(t, b.get("/signup"), `<html lang="ar" dir="rtl">`)

		// An unknown language is ignored, not an error.
		p = ts.browser(t).get("/?lang=xx-unknown")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, `<html lang="en"`)

		// The switcher links keep the page and its query.
		mustContain(t, b.get("/reset?token=abc"), `href="/reset?lang=es&amp;token=abc"`)
	})
}

func TestErrorPagesAreLocalisedAndHideInternals(t *testing.T) {
	cfg := testConfig()
	cfg.BodyLimitBytes = 8 * 1024
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		p := b.get("/no/such/page")
		mustStatus(t, p, http.StatusNotFound)
		mustContain(t, p, "Page not found")

		b.header.Set("Accept-Language", "es")
		p = b.get("/no/such/page")
		mustStatus(t, p, http.StatusNotFound)
		mustContain(t, p, `lang="es"`)

		big := url.Values{"username": {strings.Repeat("a", 20*1024)}, "csrf_token": {b.csrf()}}
		p = b.postRaw("/login", big.Encode())
		mustStatus(t, p, http.StatusRequestEntityTooLarge)
		mustContain(t, p, `lang="es"`)

		b.header.Del("Accept-Language")
		req, _ := http.NewRequest(http.MethodDelete, ts.URL+"/login", nil)
		p = b.do(req)
		if p.Status != http.StatusForbidden && p.Status != http.StatusMethodNotAllowed && p.Status != http.StatusNotFound {
			t.Fatalf("DELETE /login: %d", p.Status)
		}
		for _, leak := range []string{"goroutine", ".go:", "panic", "sql:", "SELECT"} {
			if strings.Contains(p.Body, leak) {
				t.Fatalf("error page leaks %q", leak)
			}
		}
	})
}

// A write can be committed and its answer lost with the connection, so a 503 never says
// "nothing was saved": it says whether sending the form again is safe.
func TestDatabaseOutageGives503AndNeverClaimsNothingWasSaved(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("steady")
		b.post("/logout", nil)
		mustStatus(t, b.get("/readyz"), http.StatusOK)
		mustStatus(t, b.get("/healthz"), http.StatusOK)
		csrf := b.csrf()

		if err := ts.DB.Close(); err != nil {
			t.Fatal(err)
		}
		p := b.post("/login", url.Values{"username": {"steady"}, "password": {strongPassword}, "csrf_token": {csrf}})
		mustStatus(t, p, http.StatusServiceUnavailable)
		mustContain(t, p, "Temporarily unavailable", "may or may not have been saved", "Sending the same form again is safe")
		if p.Header.Get("Retry-After") == "" {
			t.Fatal("503 without Retry-After")
		}
		// Signing up twice is not the same as once (the name is then taken): check first.
		p = b.post("/signup", url.Values{"username": {"newcomer"}, "password": {strongPassword}, "password_confirm": {strongPassword}, "csrf_token": {csrf}})
		mustStatus(t, p, http.StatusServiceUnavailable)
		mustContain(t, p, "may or may not have been saved", "check whether it was")

		mustStatus(t, b.get("/readyz"), http.StatusServiceUnavailable)
		mustStatus(t, b.get("/healthz"), http.StatusOK)
	})
}

func TestReadyzIsUnavailableWhileMigrationsArePending(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		mustStatus(t, b.get("/readyz"), http.StatusOK)
		if _, err := ts.DB.ExecContext(context.Background(), "DELETE FROM bun_migrations"); err != nil {
			t.Fatal(err)
		}
		mustStatus(t, b.get("/readyz"), http.StatusServiceUnavailable)
	})
}

func TestUnexpectedErrorsGiveALocalised500WithoutInternals(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("unlucky")
		b.header.Set("Accept-Language", "fr")
		// A query that fails for a reason other than an outage: the table is gone.
		if _, err := ts.DB.ExecContext(context.Background(), "DROP TABLE recovery_codes"); err != nil {
			t.Fatal(err)
		}
		p := b.get("/account")
		mustStatus(t, p, http.StatusInternalServerError)
		mustContain(t, p, `lang="fr"`, "class=\"card error-page\"")
		for _, leak := range []string{"recovery_codes", "no such table", "does not exist", "SELECT", ".go:"} {
			if strings.Contains(p.Body, leak) {
				t.Fatalf("500 page leaks %q", leak)
			}
		}
	})
}
