package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/config"
)

func TestSignUpShowsTenRecoveryCodesAndSignsIn(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		codes := b.signUp("Amaru")
		if len(codes) != 10 {
			t.Fatalf("got %d recovery codes, want 10", len(codes))
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if seen[c] {
				t.Fatalf("duplicate recovery code %s", c)
			}
			seen[c] = true
		}
		p := b.get("/account")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Amaru", "10 recovery codes left")
		if countRows(t, ts.DB, "recovery_codes") != 10 {
			t.Fatal("recovery codes not stored")
		}
		var stored string
		if err := ts.DB.NewSelect().Table("recovery_codes").Column("code_hash").Limit(1).Scan(t.Context(), &stored); err != nil {
			t.Fatal(err)
		}
		if seen[stored] || strings.Contains(stored, "-") {
			t.Fatal("recovery codes must be stored hashed")
		}
	})
}

func TestSignUpRejectsBadInputAndWritesNothing(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		ts.browser(t).signUp("taken")
		users := countRows(t, ts.DB, "users")
		cases := []struct {
			name, username, password, confirm string
			status                            int
			message                           string
		}{
			{"taken, other case", "TAKEN", strongPassword, strongPassword, http.StatusConflict, "This username is taken"},
			{"taken, full-width", "ｔａｋｅｎ", strongPassword, strongPassword, http.StatusConflict, "This username is taken"},
			{"invalid characters", "bad name!", strongPassword, strongPassword, http.StatusUnprocessableEntity, "Use only letters, digits"},
			{"too short username", "ab", strongPassword, strongPassword, http.StatusUnprocessableEntity, "at least 3 characters"},
			{"reserved", "Admin", strongPassword, strongPassword, http.StatusUnprocessableEntity, "reserved"},
			{"short password", "newbie", "short", "short", http.StatusUnprocessableEntity, "at least 10 characters"},
			{"common password", "newbie", "password123", "password123", http.StatusUnprocessableEntity, "most common"},
			{"password contains username", "newbie", "newbie-rocks-2026", "newbie-rocks-2026", http.StatusUnprocessableEntity, "must not contain your username"},
			{"mismatch", "newbie", strongPassword, strongPassword + "x", http.StatusUnprocessableEntity, "not the same"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				b := ts.browser(t)
				p := b.post("/signup", url.Values{"username": {tc.username}, "password": {tc.password}, "password_confirm": {tc.confirm}})
				mustStatus(t, p, tc.status)
				mustContain(t, p, tc.message)
				if strings.Contains(p.Body, tc.password) {
					t.Fatal("the password must never be echoed back into the page")
				}
				if b.cookie("cairn_session") != "" {
					t.Fatal("a failed sign-up must not sign anyone in")
				}
			})
		}
		if got := countRows(t, ts.DB, "users"); got != users {
			t.Fatalf("users: %d, want %d: a rejected sign-up wrote something", got, users)
		}
		if got := countRows(t, ts.DB, "recovery_codes"); got != 10 {
			t.Fatalf("recovery codes: %d, want 10", got)
		}
	})
}

func TestSignUpErrorsAreLocalised(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.get("/?lang=es")
		p := b.post("/signup", url.Values{"username": {"x"}, "password": {"a"}, "password_confirm": {"a"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, `lang="es"`)
		if strings.Contains(p.Body, "The username must have at least") {
			t.Fatal("Spanish page shows the English error")
		}
	})
}

func TestRegistrationModes(t *testing.T) {
	t.Run("closed", func(t *testing.T) {
		cfg := testConfig()
		cfg.Registration = config.RegistrationClosed
		eachServer(t, cfg, func(t *testing.T, ts *testServer) {
			b := ts.browser(t)
			mustStatus(t, b.get("/signup"), http.StatusForbidden)
			p := b.post("/signup", url.Values{"username": {"someone"}, "password": {strongPassword}, "password_confirm": {strongPassword}})
			mustStatus(t, p, http.StatusForbidden)
			mustContain(t, p, "Registration on this site is closed")
			if countRows(t, ts.DB, "users") != 0 {
				t.Fatal("closed registration created an account")
			}
		})
	})
	t.Run("invite only", func(t *testing.T) {
		eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
			admin := ts.browser(t)
			admin.signUp("organiser")
			makeAdmin(t, ts, "organiser")
			admin.signIn("organiser", strongPassword)
			mustStatus(t, admin.post("/admin/registration", url.Values{"registration": {"invite"}}), http.StatusOK)
			p := admin.post("/admin/invites", url.Values{"note": {"cohort A"}, "max_uses": {"1"}, "days": {"7"}})
			mustStatus(t, p, http.StatusCreated)
			m := inviteRE.FindStringSubmatch(p.Body)
			if m == nil {
				t.Fatalf("no invite code shown:\n%s", p.Body)
			}
			code := m[1]

			b := ts.browser(t)
			form := url.Values{"username": {"invited"}, "password": {strongPassword}, "password_confirm": {strongPassword}}
			p = b.post("/signup", form)
			mustStatus(t, p, http.StatusUnprocessableEntity)
			mustContain(t, p, "Enter your invitation code")
			form.Set("invite", "aaaa-bbbb-cccc")
			p = b.post("/signup", form)
			mustStatus(t, p, http.StatusUnprocessableEntity)
			mustContain(t, p, "not valid")
			form.Set("invite", strings.ToUpper(code))
			mustStatus(t, b.post("/signup", form), http.StatusCreated)

			other := ts.browser(t)
			form.Set("username", "second")
			p = other.post("/signup", form)
			mustStatus(t, p, http.StatusUnprocessableEntity)
			mustContain(t, p, "used up")
			if countRows(t, ts.DB, "users") != 2 {
				t.Fatal("an invite for one person admitted two")
			}
		})
	})
}
