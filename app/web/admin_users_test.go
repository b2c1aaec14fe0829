package web_test

import (
	"context"
	"fmt"
	"html"
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

// seedAccounts writes n learners named prefix-0000… straight into the database (no
// password anyone could use), active on the given day.
func seedAccounts(t *testing.T, ts *testServer, prefix string, n int, activeOn time.Time) {
	t.Helper()
	now := ts.Clock.Now().UTC()
	users := make([]model.User, n)
	for i := range users {
		name := fmt.Sprintf("%s-%04d", prefix, i)
		users[i] = model.User{Username: name, UsernameKey: auth.UsernameKey(name), UsernameSkeleton: auth.UsernameSkeleton(name),
			NameKey: store.NameKey(name), PasswordHash: "!", Role: model.RoleLearner, Locale: "en",
			CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now, ActiveOn: model.ActiveDay(activeOn)}
	}
	for len(users) > 0 {
		chunk := users[:min(1000, len(users))]
		if _, err := ts.DB.NewInsert().Model(&chunk).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		users = users[len(chunk):]
	}
}

var (
	nextLinkRE   = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
	prevLinkRE   = regexp.MustCompile(`<a href="([^"]+)" rel="prev">`)
	accountRowRE = regexp.MustCompile(`<th scope="row"><bdi>([^<]+)</bdi>`)
)

func link(t *testing.T, re *regexp.Regexp, p page) string {
	t.Helper()
	m := re.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no %s link on %s:\n%s", re, p.URL, p.Body)
	}
	return html.UnescapeString(m[1])
}

func accountRows(p page) []string {
	var out []string
	for _, m := range accountRowRE.FindAllStringSubmatch(p.Body, -1) {
		out = append(out, m[1])
	}
	return out
}

func signedInAdmin(t *testing.T, ts *testServer, name string) *browser {
	t.Helper()
	b := ts.browser(t)
	b.signUp(name)
	makeAdmin(t, ts, name)
	b.signIn(name, strongPassword)
	return b
}

func TestTheAccountListSearchesFiltersAndPagesByLinks(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := signedInAdmin(t, ts, "boss")
		now := ts.Clock.Now()
		seedAccounts(t, ts, "fresh", 70, now)
		seedAccounts(t, ts, "old", 40, now.AddDate(0, 0, -200))

		p := admin.get("/admin/users")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Accounts 1–50 of 111")
		if got := accountRows(p); len(got) != 50 || got[0] != "boss" || got[1] != "fresh-0000" {
			t.Fatalf("first page: %d rows from %v", len(got), got[:min(2, len(got))])
		}
		if prevLinkRE.MatchString(p.Body) {
			t.Fatal("the first page offers a previous page")
		}
		p2 := admin.get(link(t, nextLinkRE, p))
		mustContain(t, p2, "Accounts 51–100 of 111")
		if got := accountRows(p2); got[0] != "fresh-0049" || got[49] != "old-0028" {
			t.Fatalf("second page: %v … %v", got[0], got[len(got)-1])
		}
		p3 := admin.get(link(t, nextLinkRE, p2))
		mustContain(t, p3, "Accounts 101–111 of 111")
		if nextLinkRE.MatchString(p3.Body) {
			t.Fatal("the last page offers a next page")
		}
		back := admin.get(link(t, prevLinkRE, p3))
		if got, want := accountRows(back), accountRows(p2); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("back from the last page: %v, want the second page", got)
		}

		// Filters are query parameters, kept across pages.
		p = admin.get("/admin/users?activity=inactive90")
		mustContain(t, p, "Accounts 1–40 of 40", `<option value="inactive90" selected>`)
		p = admin.get("/admin/users?q=FRESH-006&activity=active7")
		if got := accountRows(p); strings.Join(got, ",") != "fresh-0060,fresh-0061,fresh-0062,fresh-0063,fresh-0064,fresh-0065,fresh-0066,fresh-0067,fresh-0068,fresh-0069" {
			t.Fatalf("search and activity: %v", got)
		}
		mustContain(t, p, `value="FRESH-006"`)
		p = admin.get("/admin/users?role=trainer")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "No account matches these filters.", `href="/admin/users">Show every account`)
		p = admin.get("/admin/users?q=fresh&role=learner")
		next := link(t, nextLinkRE, p)
		if !strings.Contains(next, "q=fresh") || !strings.Contains(next, "role=learner") || !strings.Contains(next, "after=") {
			t.Fatalf("the next page forgets the filter: %s", next)
		}
		mustContain(t, admin.get(next), "Accounts 51–70 of 70")
		// Nonsense in the query string is ignored, never an error.
		mustStatus(t, admin.get("/admin/users?role=king&activity=forever&status=maybe&after="+strings.Repeat("z", 300)), http.StatusOK)
	})
}

func TestPastTenThousandAccountsTheListSaysMoreThan(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := signedInAdmin(t, ts, "boss")
		seedAccounts(t, ts, "many", store.UserCountCap+60, ts.Clock.Now())
		p := admin.get("/admin/users")
		mustContain(t, p, "Accounts 1–50 of more than 10000")
		p = admin.get("/admin/users?after=many-9950")
		mustContain(t, p, "49 accounts, beyond the first 10000 that match")
		if nextLinkRE.MatchString(p.Body) || !prevLinkRE.MatchString(p.Body) {
			t.Fatal("the last page's links are wrong")
		}
		admin.setCookie("cairn_lang", "fa")
		mustContain(t, admin.get("/admin/users"), "از بیش از ۱۰۰۰۰")
	})
}

func TestAnAdministratorDisablesAndEnablesAnAccount(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := signedInAdmin(t, ts, "boss")
		coach := ts.trainer(t, "coach")
		cohort, code := newCohort(t, coach, "0")
		learner := ts.browser(t)
		learner.signUp("amal")
		learner.post("/join", url.Values{"code": {code}})
		other := ts.browser(t)
		other.signIn("amal", strongPassword)
		session := coach.post(cohort+"/live", url.Values{"title": {"Monday"}, "when": {"now"}}).URL
		ws := learner.mustDial(t, session)
		ws.next("snapshot")
		id := strconv.FormatInt(userIDByName(t, ts, "amal"), 10)

		p := admin.get("/admin/users?q=ama")
		mustContain(t, p, `href="/admin/users/`+id+`/disable?q=ama"`)
		p = admin.get("/admin/users/" + id + "/disable?q=ama")
		mustContain(t, p, "Disable an account", "cannot sign in", "Nothing is deleted", `action="/admin/users/`+id+`/disable?q=ama"`)
		p = admin.post("/admin/users/"+id+"/disable?q=ama", nil)
		mustContain(t, p, "Account disabled.", `<span class="badge">Disabled</span>`, `action="/admin/users/`+id+`/enable?q=ama"`)

		// Both browsers are signed out and the live connection closed.
		for _, b := range []*browser{learner, other} {
			if got := b.get("/account").URL; got != "/login" {
				t.Fatalf("a disabled account's browser reached %s", got)
			}
		}
		_ = ws.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		for {
			_, _, err := ws.conn.ReadMessage()
			if err == nil {
				continue
			}
			if ne, ok := err.(interface{ Timeout() bool }); ok && ne.Timeout() {
				t.Fatal("the disabled account's live connection is still open")
			}
			break
		}
		// The right password is told the account is disabled; a wrong one is not.
		p = learner.signIn("amal", strongPassword)
		mustStatus(t, p, http.StatusForbidden)
		mustContain(t, p, "This account is disabled.")
		p = learner.signIn("amal", "not the password at all")
		mustStatus(t, p, http.StatusUnauthorized)
		if strings.Contains(p.Body, "disabled") {
			t.Fatal("a wrong password learns that the account is disabled")
		}
		// Arabic, and nothing of the account is gone.
		learner.setCookie("cairn_lang", "ar")
		mustContain(t, learner.signIn("amal", strongPassword), "هذا الحساب معطَّل")
		learner.setCookie("cairn_lang", "en")
		if n := countRows(t, ts.DB, "cohort_members"); n != 2 {
			t.Fatalf("%d cohort memberships after disabling, want 2", n)
		}

		mustContain(t, admin.post("/admin/users/"+id+"/enable", nil), "Account enabled.")
		p = learner.signIn("amal", strongPassword)
		if p.Status != http.StatusOK || learner.get("/account").URL != "/account" {
			t.Fatalf("signing in after enabling: %d %s", p.Status, p.URL)
		}
	})
}

func TestAdministratorsNeitherDisableNorDemoteThemselvesNorTheLastAdministrator(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := signedInAdmin(t, ts, "boss")
		self := strconv.FormatInt(userIDByName(t, ts, "boss"), 10)
		p := admin.get("/admin/users")
		if strings.Contains(p.Body, "/admin/users/"+self+"/disable") {
			t.Fatal("the list offers to disable one's own account")
		}
		p = admin.get("/admin/users/" + self + "/disable")
		mustContain(t, p, "You cannot disable your own account.")
		if strings.Contains(p.Body, `method="post"`+` action="/admin/users/`+self) {
			t.Fatal("the blocked confirmation offers its form")
		}
		mustStatus(t, admin.post("/admin/users/"+self+"/disable", nil), http.StatusBadRequest)
		mustStatus(t, admin.post("/admin/users/"+self+"/role", url.Values{"role": {"learner"}}), http.StatusBadRequest)

		// A second administrator, disabled: boss is the last enabled one, which another
		// administrator's session could not change either (the store refuses).
		deputy := signedInAdmin(t, ts, "deputy")
		deputyID := strconv.FormatInt(userIDByName(t, ts, "deputy"), 10)
		mustContain(t, admin.post("/admin/users/"+deputyID+"/disable", nil), "Account disabled.")
		if got := deputy.get("/admin/users").URL; got != "/login" {
			t.Fatalf("the disabled administrator still reaches %s", got)
		}
		st := store.New(ts.DB, nil)
		bossID, _ := strconv.ParseInt(self, 10, 64)
		if err := st.DisableUser(context.Background(), bossID); err == nil {
			t.Fatal("the store disabled the last enabled administrator")
		}
		mustContain(t, admin.get("/admin/users/"+self+"/disable"), "You cannot disable your own account.")
		mustContain(t, admin.get("/admin/users/"+deputyID+"/disable"), "Disabled since")
	})
}

func TestWrongPasswordsOnThePasswordAndTwoFactorFormsCountAsFailedSignIns(t *testing.T) {
	cfg := testConfig()
	cfg.AuthRateLimit = 2
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("guesser")
		enableTOTP(t, ts, b)
		wrong := url.Values{"current_password": {"guess guess guess"}, "password": {"a new long passphrase"}, "password_confirm": {"a new long passphrase"}}
		mustStatus(t, b.post("/account/password", wrong), http.StatusUnauthorized)
		// The right password with a wrong code counts too: guessing codes is guessing.
		mustStatus(t, b.post("/account/2fa/disable", url.Values{"current_password": {strongPassword}, "code": {"000000"}}), http.StatusUnauthorized)
		p := b.post("/account/2fa/disable", url.Values{"current_password": {strongPassword}, "code": {"000000"}})
		mustStatus(t, p, http.StatusTooManyRequests)
		if p.Header.Get("Retry-After") == "" {
			t.Fatal("no Retry-After")
		}
		mustStatus(t, b.post("/account/password", wrong), http.StatusTooManyRequests)
		ts.Clock.Advance(2 * time.Hour)
		mustStatus(t, b.post("/account/password", wrong), http.StatusUnauthorized)
	})
}

func userIDByName(t *testing.T, ts *testServer, name string) int64 {
	t.Helper()
	u, err := store.New(ts.DB, nil).UserByUsernameKey(context.Background(), auth.UsernameKey(name))
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
