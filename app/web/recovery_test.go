package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/web"
)

func TestRecoveryCodeResetsPasswordOnceAndSignsOutEverywhere(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		owner := ts.browser(t)
		codes := owner.signUp("forgetful")
		newPassword := "my new long passphrase"
		form := url.Values{"username": {"forgetful"}, "code": {strings.ToUpper(codes[3])}, "password": {newPassword}, "password_confirm": {newPassword}}

		// A wrong code changes nothing.
		bad := url.Values{"username": {"forgetful"}, "code": {"aaaa-aaaa-aaaa-aaaa"}, "password": {newPassword}, "password_confirm": {newPassword}}
		p := ts.browser(t).post("/recover", bad)
		mustStatus(t, p, http.StatusUnauthorized)
		mustContain(t, p, "recovery code is not correct")
		mustStatus(t, ts.browser(t).signIn("forgetful", strongPassword), http.StatusOK)

		b := ts.browser(t)
		p = b.post("/recover", form)
		mustStatus(t, p, http.StatusOK)
		if p.URL != "/login" {
			t.Fatalf("after recovery landed on %s", p.URL)
		}
		mustContain(t, p, "Your password is changed")
		if owner.get("/account").URL != "/login" {
			t.Fatal("recovery did not sign out existing sessions")
		}
		mustStatus(t, b.signIn("forgetful", newPassword), http.StatusOK)
		mustContain(t, b.get("/account"), "9 recovery codes left")

		// The same code never works twice.
		again := url.Values{"username": {"forgetful"}, "code": {codes[3]}, "password": {"yet another passphrase"}, "password_confirm": {"yet another passphrase"}}
		p = ts.browser(t).post("/recover", again)
		mustStatus(t, p, http.StatusUnauthorized)
		mustStatus(t, ts.browser(t).signIn("forgetful", newPassword), http.StatusOK)
	})
}

func TestRegeneratingRecoveryCodesCancelsTheOldOnes(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		old := b.signUp("regen")
		mustStatus(t, b.post("/account/recovery-codes", url.Values{"current_password": {"nope nope nope"}}), http.StatusUnauthorized)
		p := b.post("/account/recovery-codes", url.Values{"current_password": {strongPassword}})
		mustStatus(t, p, http.StatusOK)
		fresh := codeRE.FindAllStringSubmatch(p.Body, -1)
		if len(fresh) != 10 {
			t.Fatalf("got %d new codes", len(fresh))
		}
		form := url.Values{"username": {"regen"}, "code": {old[0]}, "password": {"another long phrase"}, "password_confirm": {"another long phrase"}}
		mustStatus(t, ts.browser(t).post("/recover", form), http.StatusUnauthorized)
		form.Set("code", fresh[0][1])
		mustStatus(t, ts.browser(t).post("/recover", form), http.StatusOK)
	})
}

var secretRE = regexp.MustCompile(`<code dir="ltr" class="secret">([A-Z2-7 ]+)</code>`)

const testSecretKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" // base64 of 32 bytes

func TestTOTPSetupSignInReplayAndRecovery(t *testing.T) {
	withKey := testConfig()
	withKey.SecretKey = testSecretKey
	for name, cfg := range map[string]config.Config{"plain": testConfig(), "encrypted": withKey} {
		t.Run(name, func(t *testing.T) { testTOTPSetupSignInReplayAndRecovery(t, cfg) })
	}
}

func testTOTPSetupSignInReplayAndRecovery(t *testing.T, cfg config.Config) {
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		codes := b.signUp("careful")
		b.post("/account/2fa/setup", nil)
		p := b.get("/account/2fa")
		m := secretRE.FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatalf("no secret shown:\n%s", p.Body)
		}
		secret := strings.ReplaceAll(m[1], " ", "")
		storedSecret := func(column string) string {
			var v string
			if err := ts.DB.NewSelect().Table("users").Column(column).Where("username = 'careful'").Scan(context.Background(), &v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		if got := storedSecret("totp_pending_secret"); (cfg.SecretKey != "") != auth.IsSealed(got) || (cfg.SecretKey != "" && strings.Contains(got, secret)) {
			t.Fatalf("pending secret stored as %q (key set: %v)", got, cfg.SecretKey != "")
		}
		qr := b.get("/account/2fa/qr.png")
		mustStatus(t, qr, http.StatusOK)
		if qr.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(qr.Body, "\x89PNG") {
			t.Fatal("QR code is not a PNG")
		}

		code := func(at time.Time) string {
			c, err := auth.TOTPCode(secret, at)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		p = b.post("/account/2fa/enable", url.Values{"code": {"000000"}, "current_password": {strongPassword}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		before := b.cookie("cairn_session")
		p = b.post("/account/2fa/enable", url.Values{"code": {code(ts.Clock.Now())}, "current_password": {strongPassword}})
		mustContain(t, p, "Two-step verification is on")
		if got := storedSecret("totp_secret"); (cfg.SecretKey != "") != auth.IsSealed(got) {
			t.Fatalf("active secret stored as %q (key set: %v)", got, cfg.SecretKey != "")
		}
		if b.cookie("cairn_session") == before {
			t.Fatal("session not rotated when two-factor was turned on")
		}

		// Password alone no longer signs in.
		ts.Clock.Advance(30 * time.Second)
		phone := ts.browser(t)
		p = phone.signIn("careful", strongPassword)
		if p.URL != "/login/totp" {
			t.Fatalf("password-only sign-in landed on %s", p.URL)
		}
		if phone.get("/account").URL != "/login" {
			t.Fatal("a pending second-factor session can open the account")
		}
		mustStatus(t, phone.post("/login/totp", url.Values{"code": {"123456"}}), http.StatusUnauthorized)
		current := code(ts.Clock.Now())
		p = phone.post("/login/totp", url.Values{"code": {current}})
		if p.URL != "/account" {
			t.Fatalf("valid code led to %s", p.URL)
		}

		// The same code cannot be replayed by someone who saw it.
		thief := ts.browser(t)
		thief.signIn("careful", strongPassword)
		mustStatus(t, thief.post("/login/totp", url.Values{"code": {current}}), http.StatusUnauthorized)

		// A recovery code replaces a lost phone, once.
		p = thief.post("/login/totp", url.Values{"code": {codes[0]}})
		if p.URL != "/account" {
			t.Fatalf("recovery code at the second step led to %s", p.URL)
		}
		mustContain(t, p, "recovery code")
		late := ts.browser(t)
		late.signIn("careful", strongPassword)
		mustStatus(t, late.post("/login/totp", url.Values{"code": {codes[0]}}), http.StatusUnauthorized)

		// Turning it off needs the password and a code.
		ts.Clock.Advance(30 * time.Second)
		mustStatus(t, b.post("/account/2fa/disable", url.Values{"current_password": {strongPassword}, "code": {"111111"}}), http.StatusUnauthorized)
		p = b.post("/account/2fa/disable", url.Values{"current_password": {strongPassword}, "code": {code(ts.Clock.Now())}})
		mustContain(t, p, "Two-step verification is off")
		mustStatus(t, ts.browser(t).signIn("careful", strongPassword), http.StatusOK)
	})
}

func TestAdminResetLinkWorksOnce(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		ts.browser(t).signUp("lostall")
		admin := ts.browser(t)
		admin.signUp("steward")
		makeAdmin(t, ts, "steward")
		admin.signIn("steward", strongPassword)

		var id int64
		if err := ts.DB.NewSelect().Table("users").Column("id").Where("username_key = ?", "lostall").Scan(context.Background(), &id); err != nil {
			t.Fatal(err)
		}
		p := admin.post("/admin/users/"+strconvI(id)+"/reset-link", nil)
		mustStatus(t, p, http.StatusCreated)
		m := regexp.MustCompile(`/reset\?token=([A-Za-z0-9_-]+)`).FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatalf("no reset link:\n%s", p.Body)
		}
		b := ts.browser(t)
		p = b.get("/reset?token=" + m[1])
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "lostall")
		form := url.Values{"token": {m[1]}, "password": {"fresh start phrase"}, "password_confirm": {"fresh start phrase"}}
		p = b.post("/reset", form)
		if p.URL != "/login" {
			t.Fatalf("reset led to %s", p.URL)
		}
		mustStatus(t, b.signIn("lostall", "fresh start phrase"), http.StatusOK)
		mustStatus(t, ts.browser(t).post("/reset", form), http.StatusNotFound)
		mustStatus(t, ts.browser(t).get("/reset?token=bogus"), http.StatusNotFound)
	})
}

func TestAdminPagesNeedTheAdminRoleAndRoleChangesEndSessions(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		learner := ts.browser(t)
		learner.signUp("learner1")
		mustStatus(t, learner.get("/admin"), http.StatusForbidden)
		mustStatus(t, learner.post("/admin/registration", url.Values{"registration": {"closed"}}), http.StatusForbidden)
		if ts.browser(t).get("/admin").URL != "/login" {
			t.Fatal("anonymous visitor not sent to sign in")
		}

		admin := ts.browser(t)
		admin.signUp("boss")
		makeAdmin(t, ts, "boss")
		if admin.get("/account").URL != "/login" {
			t.Fatal("a role change must end the user's sessions")
		}
		admin.signIn("boss", strongPassword)
		mustStatus(t, admin.get("/admin"), http.StatusOK)

		var id int64
		if err := ts.DB.NewSelect().Table("users").Column("id").Where("username_key = ?", "learner1").Scan(context.Background(), &id); err != nil {
			t.Fatal(err)
		}
		p := admin.post("/admin/users/"+strconvI(id)+"/role", url.Values{"role": {"trainer"}})
		mustContain(t, p, "Role changed")
		if learner.get("/account").URL != "/login" {
			t.Fatal("promoted user kept a session from before the change")
		}
		mustStatus(t, admin.post("/admin/users/"+strconvI(id)+"/role", url.Values{"role": {"emperor"}}), http.StatusBadRequest)
	})
}

func TestStartEncryptsClearTwoFactorSecretsAndRefusesAMissingOrWrongKey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := startServer(t, db, testConfig())
		b := ts.browser(t)
		b.signUp("keyed")
		b.post("/account/2fa/setup", nil)
		read := func() string {
			var v string
			if err := db.NewSelect().Table("users").Column("totp_pending_secret").Where("username = 'keyed'").Scan(context.Background(), &v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		clear := read()
		if clear == "" || auth.IsSealed(clear) {
			t.Fatalf("without a key the secret is stored as it is, got %q", clear)
		}

		withKey := testConfig()
		withKey.SecretKey = testSecretKey
		srv, err := web.New(web.Deps{Config: withKey, DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		_ = srv.Shutdown(context.Background())
		sealed := read()
		if !auth.IsSealed(sealed) || strings.Contains(sealed, clear) {
			t.Fatalf("starting with a key left the secret as %q", sealed)
		}

		if _, err := web.New(web.Deps{Config: testConfig(), DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}); err == nil || !strings.Contains(err.Error(), "CAIRN_SECRET_KEY") {
			t.Fatalf("start without the key on encrypted secrets: %v", err)
		}
		wrong := testConfig()
		wrong.SecretKey = strings.Repeat("ab", 32)
		if _, err := web.New(web.Deps{Config: wrong, DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}); err == nil || !strings.Contains(err.Error(), "does not decrypt") {
			t.Fatalf("start with another key: %v", err)
		}
		if read() != sealed {
			t.Fatal("a refused start changed the stored secret")
		}
	})
}

// passwordHashes reads how many password hashes the server has computed or checked.
func passwordHashes(t *testing.T, ts *testServer) int {
	t.Helper()
	rec := httptest.NewRecorder()
	ts.Srv.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	m := regexp.MustCompile(`(?m)^cairn_password_hashes_total (\d+)$`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no password hash count in the metrics:\n%s", rec.Body.String())
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestRecoveryDoesTheSameWorkWhetherTheUsernameExistsOrNot(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		ts.browser(t).signUp("existing")
		work := func(username string) int {
			before := passwordHashes(t, ts)
			p := ts.browser(t).post("/recover", url.Values{"username": {username}, "code": {"aaaa-bbbb-cccc-dddd"}, "password": {strongPassword}, "password_confirm": {strongPassword}})
			mustStatus(t, p, http.StatusUnauthorized)
			mustContain(t, p, "the recovery code is not correct")
			return passwordHashes(t, ts) - before
		}
		known, unknown := work("existing"), work("nobody-by-this-name")
		if known != 1 || unknown != known {
			t.Fatalf("hashes: %d for a known username, %d for an unknown one; want one each", known, unknown)
		}
	})
}
