package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/auth"
)

// sessionCookie is the Set-Cookie line of the sign-in cookie in p, "" if none.
func sessionCookie(p page) string {
	for _, line := range p.Header.Values("Set-Cookie") {
		if strings.HasPrefix(line, "cairn_session=") {
			return line
		}
	}
	return ""
}

func TestQuickExitEndsTheSignInClearsTheSiteAndLeaves(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("leila")
		mustStatus(t, b.get("/account"), http.StatusOK)
		token := b.cookie("cairn_session")
		if token == "" {
			t.Fatal("no sign-in cookie after signing up")
		}
		// Every page offers the exit as a plain link, first in the header.
		for _, path := range []string{"/", "/courses", "/account", "/login"} {
			mustContain(t, b.get(path), `<a class="quick-exit" id="quick-exit" href="/exit"`)
		}

		p, location := b.getNoFollow("/exit")
		if p.Status != http.StatusSeeOther || location != "https://www.wikipedia.org/" {
			t.Fatalf("quick exit answered %d to %q, want 303 to the default neutral site", p.Status, location)
		}
		if got := p.Header.Get("Clear-Site-Data"); got != `"cache", "cookies", "storage"` {
			t.Fatalf("Clear-Site-Data %q", got)
		}
		if got := p.Header.Get("Cache-Control"); got != "no-store" {
			t.Fatalf("Cache-Control %q", got)
		}
		if b.cookie("cairn_session") != "" {
			t.Fatal("the sign-in cookie survived the exit")
		}
		// A browser that ignored every header still holds a worthless cookie: the sign-in
		// ended on the server.
		b.setCookie("cairn_session", token)
		if p := b.get("/account"); p.URL != "/login" {
			t.Fatalf("the old cookie still opens %s after quick exit", p.URL)
		}
	})
}

func TestTheAdminChoosesWhereQuickExitLeads(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := ts.browser(t)
		admin.signUp("hanan")
		makeAdmin(t, ts, "hanan")
		admin.signIn("hanan", strongPassword)
		for _, bad := range []string{"javascript:alert(1)", "/courses", "//evil.example/", "data:text/html,hi", "ftp://example.org/", "https://user:pw@example.org/", "weather"} {
			p := admin.post("/admin/quick-exit", url.Values{"url": {bad}})
			mustStatus(t, p, http.StatusUnprocessableEntity)
			mustContain(t, p, "Enter a full web address that starts with https:// or http://.")
		}
		p := admin.post("/admin/quick-exit", url.Values{"url": {" https://weather.example.org/today "}})
		mustContain(t, p, "Settings saved.", `value="https://weather.example.org/today"`)

		visitor := ts.browser(t)
		if _, location := visitor.getNoFollow("/exit"); location != "https://weather.example.org/today" {
			t.Fatalf("quick exit leads to %q, want the admin's choice", location)
		}
		// Arabic: the error is in Arabic.
		admin.get("/?lang=ar")
		mustContain(t, admin.post("/admin/quick-exit", url.Values{"url": {"nowhere"}}), "أدخل عنوان ويب كاملًا")
	})
}

func TestQuickExitWorksWhenTheDatabaseDoesNot(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("samir")
		if err := ts.DB.Close(); err != nil {
			t.Fatal(err)
		}
		p, location := b.getNoFollow("/exit")
		if p.Status != http.StatusSeeOther || location != "https://www.wikipedia.org/" || p.Header.Get("Clear-Site-Data") == "" {
			t.Fatalf("with the database down quick exit answered %d to %q", p.Status, location)
		}
		if b.cookie("cairn_session") != "" {
			t.Fatal("the sign-in cookie survived the exit")
		}
	})
}

func TestASharedDeviceSignInEndsWithTheBrowserAndSoonWhenIdle(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		ts.browser(t).signUp("omar")
		mine, shared := ts.browser(t), ts.browser(t)

		p, _ := mine.postNoFollow("/login", url.Values{"username": {"omar"}, "password": {strongPassword}, "remember": {"1"}})
		if c := sessionCookie(p); !strings.Contains(strings.ToLower(c), "max-age=") {
			t.Fatalf("keep me signed in gave the cookie %q, want a lasting one", c)
		}
		// Both ticked: the shared device wins.
		p, _ = shared.postNoFollow("/login", url.Values{"username": {"omar"}, "password": {strongPassword}, "remember": {"1"}, "shared": {"1"}})
		if c := sessionCookie(p); c == "" || strings.Contains(strings.ToLower(c), "max-age=") || strings.Contains(c, "expires=") {
			t.Fatalf("a shared device got the cookie %q, want one that ends with the browser", c)
		}
		mustContain(t, shared.get("/account"), "Signed in for this visit only.")

		ts.Clock.Advance(16 * time.Minute)
		if p := shared.get("/account"); p.URL != "/login" {
			t.Fatalf("after 16 idle minutes the shared device still opens %s", p.URL)
		}
		mustStatus(t, mine.get("/account"), http.StatusOK)
		if p := mine.get("/account"); p.URL != "/account" {
			t.Fatalf("the owner's own device was signed out too (%s)", p.URL)
		}
	})
}

func TestASharedDeviceChoiceSurvivesTheSecondStep(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		owner := ts.browser(t)
		owner.signUp("nadia")
		secret := enableTOTP(t, ts, owner)
		ts.Clock.Advance(30 * time.Second)

		b := ts.browser(t)
		p := b.post("/login", url.Values{"username": {"nadia"}, "password": {strongPassword}, "shared": {"1"}})
		mustContain(t, p, `<input type="hidden" name="shared" value="1">`)
		code, err := auth.TOTPCode(secret, ts.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		p, _ = b.postNoFollow("/login/totp", url.Values{"code": {code}, "shared": {"1"}})
		if c := sessionCookie(p); c == "" || strings.Contains(strings.ToLower(c), "max-age=") {
			t.Fatalf("after the code step the shared device got the cookie %q", c)
		}
		ts.Clock.Advance(16 * time.Minute)
		if p := b.get("/account"); p.URL != "/login" {
			t.Fatalf("after 16 idle minutes the shared device still opens %s", p.URL)
		}
	})
}
