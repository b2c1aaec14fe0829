package web_test

import (
	"html"
	"net/http"
	"net/url"
	"testing"
)

func TestSignUpRefusesUsernamesThatPassForAnother(t *testing.T) {
	cfg := testConfig()
	cfg.AuthRateLimit = 100 // more attempts than one client may make in a window
	cfg.SignupRateLimit = 100
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		ts.browser(t).signUp("paypal")
		ts.browser(t).signUp("alice")
		users := countRows(t, ts.DB, "users")
		cases := []struct {
			name, username string
			status         int
			message        string
		}{
			{"digit one for l", "paypa1", http.StatusConflict, "looks too much like an existing one"},
			{"Cyrillic with a digit", "\u0440\u0430\u0443\u0440\u04301", http.StatusConflict, "looks too much like an existing one"},
			{"Cyrillic a in alice", "\u0430lice", http.StatusUnprocessableEntity, "Write the username in one script"},
			{"Cyrillic a in admin", "\u0430dmin", http.StatusUnprocessableEntity, "Write the username in one script"},
			{"reserved by look", "adrnin", http.StatusUnprocessableEntity, "This username is reserved"},
			{"combining grapheme joiner", "al\u034Fice", http.StatusUnprocessableEntity, "invisible characters"},
			{"variation selector", "alice\uFE0F", http.StatusUnprocessableEntity, "invisible characters"},
			{"right-to-left override", "\u202Enimda", http.StatusUnprocessableEntity, "invisible characters"},
			{"mixed digits", "محمد1\u0662", http.StatusUnprocessableEntity, "digits of one kind"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				b := ts.browser(t)
				p := b.post("/signup", url.Values{"username": {tc.username}, "password": {strongPassword}, "password_confirm": {strongPassword}})
				mustStatus(t, p, tc.status)
				mustContain(t, p, tc.message, `value="`+html.EscapeString(tc.username)+`"`)
				if b.cookie("cairn_session") != "" {
					t.Fatal("a refused sign-up must not sign anyone in")
				}
			})
		}
		if got := countRows(t, ts.DB, "users"); got != users {
			t.Fatalf("users: %d, want %d: a refused sign-up wrote something", got, users)
		}
		ts.browser(t).signUp("محمد12")
		ts.browser(t).signUp("Иван")
	})
}
