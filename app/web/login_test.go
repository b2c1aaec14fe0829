package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

var inviteRE = regexp.MustCompile(`<code dir="ltr">([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code>`)

func makeAdmin(t *testing.T, ts *testServer, username string) {
	t.Helper()
	st := store.New(ts.DB, nil)
	u, err := st.UserByUsernameKey(context.Background(), auth.UsernameKey(username))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetRole(context.Background(), u.ID, model.RoleAdmin); err != nil {
		t.Fatal(err)
	}
}

// adminBrowser signs up name, makes them an admin and signs them in again (a role change
// ends the person's sessions).
func adminBrowser(t *testing.T, ts *testServer, name string) *browser {
	t.Helper()
	b := ts.browser(t)
	b.signUp(name)
	makeAdmin(t, ts, name)
	b.signIn(name, strongPassword)
	return b
}

func TestSignInOutAndWrongPassword(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		ts.browser(t).signUp("Nadia")
		b := ts.browser(t)

		p := b.signIn("nadia", "wrong password here")
		mustStatus(t, p, http.StatusUnauthorized)
		mustContain(t, p, "Wrong username or password")
		p = b.signIn("nobody-here", strongPassword)
		mustStatus(t, p, http.StatusUnauthorized)
		mustContain(t, p, "Wrong username or password")

		p = b.signIn("NADIA", strongPassword)
		mustStatus(t, p, http.StatusOK)
		if p.URL != "/account" {
			t.Fatalf("after sign-in landed on %s", p.URL)
		}
		p = b.post("/logout", nil)
		mustContain(t, p, "You are signed out")
		if p := b.get("/account"); p.URL != "/login" {
			t.Fatalf("signed-out /account went to %s", p.URL)
		}
	})
}

func TestSignInRedirectsOnlyToLocalPaths(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("traveller")
		b.post("/logout", nil)
		for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example"} {
			p := b.post("/login", url.Values{"username": {"traveller"}, "password": {strongPassword}, "next": {next}})
			if p.URL != "/account" {
				t.Fatalf("next=%q led to %s", next, p.URL)
			}
			b.post("/logout", nil)
		}
		p := b.post("/login", url.Values{"username": {"traveller"}, "password": {strongPassword}, "next": {"/account/sessions"}})
		if p.URL != "/account/sessions" {
			t.Fatalf("a local next led to %s", p.URL)
		}
	})
}

func TestCSRFRejectsMissingWrongAndCrossSiteForms(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("guarded")
		form := url.Values{"display_name": {"Changed"}}

		p := b.postRaw("/account/profile", form.Encode())
		mustStatus(t, p, http.StatusForbidden)
		mustContain(t, p, "This form has expired or did not come from this site")

		form.Set("csrf_token", strings.Repeat("x", 43))
		mustStatus(t, b.post("/account/profile", form), http.StatusForbidden)

		form.Set("csrf_token", b.csrf())
		b.header.Set("Sec-Fetch-Site", "cross-site")
		mustStatus(t, b.post("/account/profile", form), http.StatusForbidden)
		b.header.Del("Sec-Fetch-Site")

		var name string
		if err := ts.DB.NewSelect().Table("users").Column("display_name").Scan(context.Background(), &name); err != nil {
			t.Fatal(err)
		}
		if name != "" {
			t.Fatal("a rejected form changed the profile")
		}
		p = b.post("/account/profile", form)
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Your profile is saved", "Changed")
	})
}

func TestSignInRateLimitAnswers429WithRetryAfter(t *testing.T) {
	cfg := testConfig()
	cfg.AuthRateLimit = 3
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		ts.browser(t).signUp("target")
		attacker := ts.browser(t)
		for i := 0; i < 3; i++ {
			mustStatus(t, attacker.signIn("target", "not the password"), http.StatusUnauthorized)
		}
		p := attacker.signIn("target", "not the password")
		mustStatus(t, p, http.StatusTooManyRequests)
		mustContain(t, p, "Too many attempts")
		if p.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
		// The limit holds for this account from this address even with the right password
		// (from elsewhere it does not: limits_test.go).
		mustStatus(t, ts.browser(t).signIn("target", strongPassword), http.StatusTooManyRequests)
		// Another account is not affected.
		other := ts.browser(t)
		other.signUp("bystander")
		other.post("/logout", nil)
		mustStatus(t, other.signIn("bystander", strongPassword), http.StatusOK)
	})
}

func TestSignUpRateLimit(t *testing.T) {
	cfg := testConfig()
	cfg.SignupRateLimit = 2
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		for _, name := range []string{"one", "two"} {
			mustStatus(t, b.post("/signup", url.Values{"username": {"user-" + name}, "password": {strongPassword}, "password_confirm": {strongPassword}}), http.StatusCreated)
		}
		p := b.post("/signup", url.Values{"username": {"user-three"}, "password": {strongPassword}, "password_confirm": {strongPassword}})
		mustStatus(t, p, http.StatusTooManyRequests)
		if countRows(t, ts.DB, "users") != 2 {
			t.Fatal("a rate-limited sign-up was written")
		}
	})
}

func TestSessionRotatesOnSignInAndExpires(t *testing.T) {
	cfg := testConfig()
	cfg.SessionIdleTimeout = time.Hour
	cfg.SessionMaxAge = 3 * time.Hour
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("rotor")
		first := b.cookie("cairn_session")
		b.signIn("rotor", strongPassword)
		second := b.cookie("cairn_session")
		if first == "" || second == "" || first == second {
			t.Fatal("signing in again must issue a new session token")
		}
		stale := ts.browser(t)
		stale.setCookie("cairn_session", first)
		if p := stale.get("/account"); p.URL != "/login" {
			t.Fatal("the token from before sign-in still works")
		}
		var hashes []string
		if err := ts.DB.NewSelect().Table("sessions").Column("token_hash").Scan(context.Background(), &hashes); err != nil {
			t.Fatal(err)
		}
		for _, h := range hashes {
			if h == second {
				t.Fatal("session token stored in clear")
			}
		}

		// Idle timeout: active every 50 minutes keeps the session; 61 idle minutes end it.
		ts.Clock.Advance(50 * time.Minute)
		mustStatus(t, b.get("/account"), http.StatusOK)
		ts.Clock.Advance(50 * time.Minute)
		if p := b.get("/account"); p.URL != "/account" {
			t.Fatal("an active session expired early")
		}
		ts.Clock.Advance(61 * time.Minute)
		if p := b.get("/account"); p.URL != "/login" {
			t.Fatal("an idle session did not expire")
		}

		// Absolute expiry: even an active session ends after SessionMaxAge.
		b.signIn("rotor", strongPassword)
		for i := 0; i < 5; i++ {
			ts.Clock.Advance(30 * time.Minute)
			if p := b.get("/account"); p.URL != "/account" {
				t.Fatalf("active session ended after %d minutes", (i+1)*30)
			}
		}
		ts.Clock.Advance(30 * time.Minute)
		if p := b.get("/account"); p.URL != "/login" {
			t.Fatal("session outlived its absolute expiry")
		}
	})
}

func TestSessionsListRevokeAndSignOutEverywhere(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		laptop := ts.browser(t)
		laptop.signUp("multi")
		phone := ts.browser(t)
		phone.signIn("multi", strongPassword)
		tablet := ts.browser(t)
		tablet.signIn("multi", strongPassword)

		p := laptop.get("/account/sessions")
		if n := strings.Count(p.Body, "/revoke\""); n != 3 {
			t.Fatalf("session list shows %d sessions, want 3", n)
		}
		laptop.post("/account/sessions/revoke-others", nil)
		if phone.get("/account").URL != "/login" || tablet.get("/account").URL != "/login" {
			t.Fatal("other sessions survived 'sign out all other devices'")
		}
		mustStatus(t, laptop.get("/account"), http.StatusOK)

		phone.signIn("multi", strongPassword)
		p = phone.post("/account/sessions/revoke-all", nil)
		mustContain(t, p, "You are signed out on every device")
		if laptop.get("/account").URL != "/login" || phone.get("/account").URL != "/login" {
			t.Fatal("'sign out everywhere' left a session")
		}
		if countRows(t, ts.DB, "sessions") != 0 {
			t.Fatal("sessions remain in the database")
		}
	})
}

func TestSessionOfAnotherUserCannotBeRevoked(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		victim := ts.browser(t)
		victim.signUp("victim")
		var victimSession int64
		if err := ts.DB.NewSelect().Table("sessions").Column("id").Limit(1).Scan(context.Background(), &victimSession); err != nil {
			t.Fatal(err)
		}
		attacker := ts.browser(t)
		attacker.signUp("attacker")
		p := attacker.post("/account/sessions/"+strconv.FormatInt(victimSession, 10)+"/revoke", nil)
		mustStatus(t, p, http.StatusNotFound)
		mustStatus(t, victim.get("/account"), http.StatusOK)
	})
}

func TestChangePasswordSignsOutOtherDevices(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("changer")
		other := ts.browser(t)
		other.signIn("changer", strongPassword)
		before := b.cookie("cairn_session")

		newPassword := "a completely different phrase"
		p := b.post("/account/password", url.Values{"current_password": {"wrong one!!"}, "password": {newPassword}, "password_confirm": {newPassword}})
		mustStatus(t, p, http.StatusUnauthorized)
		mustContain(t, p, "current password is not correct")

		p = b.post("/account/password", url.Values{"current_password": {strongPassword}, "password": {newPassword}, "password_confirm": {newPassword}})
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Your password is changed")
		if b.cookie("cairn_session") == before {
			t.Fatal("session not rotated after a password change")
		}
		if other.get("/account").URL != "/login" {
			t.Fatal("other device still signed in after a password change")
		}
		fresh := ts.browser(t)
		mustStatus(t, fresh.signIn("changer", strongPassword), http.StatusUnauthorized)
		mustStatus(t, fresh.signIn("changer", newPassword), http.StatusOK)
	})
}

// A session's last activity is kept to the minute only: an exact time of someone's last
// request would line up with what they sent anonymously in the same instant.
func TestSessionActivityIsStoredToTheMinute(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("minute-person")
		ts.Clock.Advance(2*time.Minute + 17*time.Second + 345*time.Millisecond)
		mustStatus(t, b.get("/account/"), http.StatusOK)
		var seen []time.Time
		if err := ts.DB.NewSelect().Table("sessions").Column("last_seen_at").Scan(context.Background(), &seen); err != nil {
			t.Fatal(err)
		}
		if len(seen) == 0 {
			t.Fatal("no session stored")
		}
		for _, at := range seen {
			if !at.Equal(at.Truncate(time.Minute)) {
				t.Fatalf("last activity stored as %s, finer than the minute", at)
			}
		}
		if want := ts.Clock.Now().Truncate(time.Minute); !seen[len(seen)-1].Equal(want) && !seen[0].Equal(want) {
			t.Fatalf("last activity %v, want the minute of the request %s", seen, want)
		}
	})
}
