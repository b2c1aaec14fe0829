package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/auth"
)

const (
	ownerAddr    = "198.51.100.7"
	attackerAddr = "203.0.113.66"
)

func retryAfter(t *testing.T, p page) time.Duration {
	t.Helper()
	secs, err := strconv.Atoi(p.Header.Get("Retry-After"))
	if err != nil || secs <= 0 {
		t.Fatalf("429 without a usable Retry-After: %q", p.Header.Get("Retry-After"))
	}
	return time.Duration(secs) * time.Second
}

func TestFailedSignInsElsewhereNeverLockTheOwnerOut(t *testing.T) {
	eachServer(t, behindProxy(testConfig()), func(t *testing.T, ts *testServer) {
		ts.browserFrom(t, ownerAddr).signUp("alice")
		attacker := ts.browserFrom(t, attackerAddr)
		refused := 0
		for i := 0; i < 50; i++ {
			switch p := attacker.signIn("alice", "guess "+strconv.Itoa(i)); p.Status {
			case http.StatusUnauthorized:
				if refused > 0 {
					t.Fatalf("attempt %d was checked after a refusal", i+1)
				}
			case http.StatusTooManyRequests:
				refused++
				mustContain(t, p, "Too many attempts")
				retryAfter(t, p)
			default:
				t.Fatalf("attempt %d: status %d", i+1, p.Status)
			}
		}
		if refused != 50-ts.Cfg.AuthRateLimit {
			t.Fatalf("%d of 50 guesses refused, want all after the first %d", refused, ts.Cfg.AuthRateLimit)
		}
		// Even the right password is refused to the attacker's client while it waits...
		mustStatus(t, attacker.signIn("alice", strongPassword), http.StatusTooManyRequests)
		// ...but alice, from her own address, signs in at once.
		owner := ts.browserFrom(t, ownerAddr)
		p := owner.signIn("alice", strongPassword)
		mustStatus(t, p, http.StatusOK)
		if p.URL != "/account" {
			t.Fatalf("the owner's sign-in led to %s", p.URL)
		}
	})
}

func TestWaitsAfterFailedSignInsGrowAndASuccessClearsThem(t *testing.T) {
	cfg := behindProxy(testConfig())
	cfg.AuthRateLimit = 2
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		ts.browserFrom(t, ownerAddr).signUp("forgetful")
		b := ts.browserFrom(t, ownerAddr)
		mustStatus(t, b.signIn("forgetful", "wrong one"), http.StatusUnauthorized)
		mustStatus(t, b.signIn("forgetful", "wrong two"), http.StatusUnauthorized)
		first := retryAfter(t, b.signIn("forgetful", "wrong three"))
		ts.Clock.Advance(first)
		mustStatus(t, b.signIn("forgetful", "wrong three"), http.StatusUnauthorized)
		second := retryAfter(t, b.signIn("forgetful", "wrong four"))
		if second != 2*first {
			t.Fatalf("second wait %v, want twice the first (%v)", second, first)
		}
		ts.Clock.Advance(second)
		mustStatus(t, b.signIn("forgetful", strongPassword), http.StatusOK)
		b.post("/logout", nil)
		// The success cleared the count: two free failures again.
		mustStatus(t, b.signIn("forgetful", "wrong again"), http.StatusUnauthorized)
		mustStatus(t, b.signIn("forgetful", "wrong again"), http.StatusUnauthorized)
		mustStatus(t, b.signIn("forgetful", "wrong again"), http.StatusTooManyRequests)
	})
}

func TestOneClientSprayingManyAccountsIsRefused(t *testing.T) {
	cfg := behindProxy(testConfig())
	cfg.AuthRateLimit = 3
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		ts.browserFrom(t, ownerAddr).signUp("bystander")
		sprayer := ts.browserFrom(t, attackerAddr)
		perClient := 3 * cfg.AuthRateLimit
		for i := 0; i < perClient; i++ {
			mustStatus(t, sprayer.signIn("account"+strconv.Itoa(i), "Summer2026!"), http.StatusUnauthorized)
		}
		p := sprayer.signIn("bystander", "Summer2026!")
		mustStatus(t, p, http.StatusTooManyRequests)
		retryAfter(t, p)
		mustStatus(t, ts.browserFrom(t, ownerAddr).signIn("bystander", strongPassword), http.StatusOK)
	})
}

// enableTOTP turns two-step verification on for b's account and returns the secret.
func enableTOTP(t *testing.T, ts *testServer, b *browser) string {
	t.Helper()
	b.post("/account/2fa/setup", nil)
	m := secretRE.FindStringSubmatch(b.get("/account/2fa").Body)
	if m == nil {
		t.Fatal("no secret shown")
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	code, err := auth.TOTPCode(secret, ts.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, b.post("/account/2fa/enable", url.Values{"code": {code}, "current_password": {strongPassword}}), "Two-step verification is on")
	return secret
}

func TestWrongCodesElsewhereNeverLockTheOwnerOutNorResetWithThePassword(t *testing.T) {
	eachServer(t, behindProxy(testConfig()), func(t *testing.T, ts *testServer) {
		owner := ts.browserFrom(t, ownerAddr)
		owner.signUp("careful")
		secret := enableTOTP(t, ts, owner)
		ts.Clock.Advance(30 * time.Second)

		// The attacker has the password (phished) and guesses codes.
		attacker := ts.browserFrom(t, attackerAddr)
		if p := attacker.signIn("careful", strongPassword); p.URL != "/login/totp" {
			t.Fatalf("password step led to %s", p.URL)
		}
		for i := 0; i < ts.Cfg.AuthRateLimit; i++ {
			mustStatus(t, attacker.post("/login/totp", url.Values{"code": {"00000" + strconv.Itoa(i%10)}}), http.StatusUnauthorized)
		}
		mustStatus(t, attacker.post("/login/totp", url.Values{"code": {"999999"}}), http.StatusTooManyRequests)
		// Giving the password again does not buy more guesses.
		attacker.signIn("careful", strongPassword)
		mustStatus(t, attacker.post("/login/totp", url.Values{"code": {"999999"}}), http.StatusTooManyRequests)

		// The owner, elsewhere, signs in with password and code.
		phone := ts.browserFrom(t, ownerAddr)
		phone.signIn("careful", strongPassword)
		code, err := auth.TOTPCode(secret, ts.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if p := phone.post("/login/totp", url.Values{"code": {code}}); p.URL != "/account" {
			t.Fatalf("the owner's code led to %s (status %d)", p.URL, p.Status)
		}
	})
}

// recoverAttempt uses up one of the client's tries at the recovery form.
func recoverAttempt(b *browser) page {
	return b.post("/recover", url.Values{"username": {"nobody"}, "code": {"aaaa-bbbb-cccc-dddd"}, "password": {strongPassword}, "password_confirm": {strongPassword}})
}

func TestForgedForwardedForDoesNotEscapeTheLimits(t *testing.T) {
	cfg := testConfig()
	cfg.AuthRateLimit = 3
	t.Run("behind a trusted proxy the rightmost untrusted address counts", func(t *testing.T) {
		eachServer(t, behindProxy(cfg), func(t *testing.T, ts *testServer) {
			b := ts.browser(t)
			for i := 0; i < 10; i++ {
				// What the client wrote is on the left; our proxy appended the address it saw.
				b.header.Set("X-Forwarded-For", "10.9.8."+strconv.Itoa(i)+", "+attackerAddr)
				want := http.StatusUnauthorized
				if i >= cfg.AuthRateLimit {
					want = http.StatusTooManyRequests
				}
				mustStatus(t, recoverAttempt(b), want)
			}
			// A chain of trusted proxies is walked through to the client.
			b.header.Set("X-Forwarded-For", "10.9.8.99, "+attackerAddr+", 127.0.0.1")
			mustStatus(t, recoverAttempt(b), http.StatusTooManyRequests)
			// Another client behind the same proxy is not limited.
			mustStatus(t, recoverAttempt(ts.browserFrom(t, ownerAddr)), http.StatusUnauthorized)
			// An IPv6 client is one /64: rotating addresses inside it gains nothing.
			for i := 0; i < 10; i++ {
				b.header.Set("X-Forwarded-For", "2001:db8:1:2::"+strconv.FormatInt(int64(i+1), 16))
				want := http.StatusUnauthorized
				if i >= cfg.AuthRateLimit {
					want = http.StatusTooManyRequests
				}
				mustStatus(t, recoverAttempt(b), want)
			}
		})
	})
	t.Run("a direct client's header is ignored", func(t *testing.T) {
		eachServer(t, cfg, func(t *testing.T, ts *testServer) {
			b := ts.browser(t)
			for i := 0; i < 10; i++ {
				b.header.Set("X-Forwarded-For", "203.0.113."+strconv.Itoa(i))
				want := http.StatusUnauthorized
				if i >= cfg.AuthRateLimit {
					want = http.StatusTooManyRequests
				}
				mustStatus(t, recoverAttempt(b), want)
			}
		})
	})
}

func TestAWorkshopOfFiftyBehindOneAddressSignsUpWithTheJoinCode(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "workshop-trainer") // one sign-up without a code
		path, code := newCohort(t, tr, "0")
		for i := 0; i < 50; i++ {
			b := ts.browser(t)
			form := url.Values{"username": {"learner-" + strconv.Itoa(i)}, "password": {strongPassword}, "password_confirm": {strongPassword}, "join_code": {code}}
			p := b.post("/signup", form)
			mustStatus(t, p, http.StatusCreated)
			mustContain(t, p, `href="/join?code=`+code+`"`)
			if p = b.post("/join", url.Values{"code": {code}}); p.URL != path {
				t.Fatalf("learner %d: joining led to %s (%d)", i, p.URL, p.Status)
			}
		}
		// A mistyped code is pointed out, and nothing typed is lost.
		p := ts.browser(t).post("/signup", url.Values{"username": {"typo-learner"}, "password": {strongPassword}, "password_confirm": {strongPassword}, "join_code": {"wrong-code"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "This join code is not valid", `value="typo-learner"`, `value="wrong-code"`)

		// Without a code, the same address has the smaller budget (the trainer and the typo used two).
		for i := 2; i < ts.Cfg.SignupRateLimit; i++ {
			ts.browser(t).signUp("stranger-" + strconv.Itoa(i))
		}
		p = ts.browser(t).post("/signup", url.Values{"username": {"one-too-many"}, "password": {strongPassword}, "password_confirm": {strongPassword}})
		mustStatus(t, p, http.StatusTooManyRequests)
		retryAfter(t, p)
	})
}

func TestJoinCodeGuessesAreLimitedPerAccountNotPerAddress(t *testing.T) {
	cfg := testConfig()
	cfg.AuthRateLimit = 3
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "join-trainer")
		path, code := newCohort(t, tr, "0")
		guesser := ts.browser(t)
		guesser.signUp("guesser")
		for i := 0; i < cfg.AuthRateLimit; i++ {
			mustStatus(t, guesser.post("/join", url.Values{"code": {"aaaaa-bbbb" + strconv.Itoa(i)}}), http.StatusUnprocessableEntity)
		}
		p := guesser.post("/join", url.Values{"code": {code}})
		mustStatus(t, p, http.StatusTooManyRequests)
		retryAfter(t, p)
		// Others at the same address join as usual.
		for i := 0; i < 2*cfg.AuthRateLimit; i++ {
			b := ts.browser(t)
			b.signUp("neighbour-" + strconv.Itoa(i))
			if p := b.post("/join", url.Values{"code": {code}}); p.URL != path {
				t.Fatalf("neighbour %d: joining led to %s (%d)", i, p.URL, p.Status)
			}
		}
	})
}

func TestPlainLiveFormsShareThePersonsBudgetWithTheWebsocket(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		_, learner := f.connect(t)
		for i := 0; i < 3; i++ {
			learner.send(map[string]any{"type": "ask", "body": "Question " + strconv.Itoa(i), "ref": "q" + strconv.Itoa(i)})
			learner.next("ack")
		}
		// The websocket used the burst up: the plain form is refused too, and keeps the text.
		p := f.learner.post(f.session+"/ask", url.Values{"body": {"Is my phone safe & sound?"}, "anonymous": {"1"}})
		mustStatus(t, p, http.StatusTooManyRequests)
		mustContain(t, p, "Slow down a little", "Is my phone safe &amp; sound?</textarea>", `name="anonymous" value="1" checked`)
		if n := countRows(t, ts.DB, "live_questions"); n != 3 {
			t.Fatalf("%d questions stored, want the 3 allowed", n)
		}
		// Another person is not affected; the same person may ask again a little later.
		other := f.join(t, "other-learner")
		mustStatus(t, other.post(f.session+"/ask", url.Values{"body": {"Mine"}}), http.StatusOK)
		ts.Clock.Advance(5 * time.Second)
		p = f.learner.post(f.session+"/ask", url.Values{"body": {"Is my phone safe & sound?"}})
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Your question was sent")
	})
}

func TestOpeningAScheduledSessionDoesNotStartItAPostByItsTrainerDoes(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "planner")
		path, code := newCohort(t, tr, "0")
		learner := ts.browser(t)
		learner.signUp("early-learner")
		learner.post("/join", url.Values{"code": {code}})
		p := tr.post(path+"/live", url.Values{"title": {"Next week"}, "when": {"later"}, "scheduled_at": {"2026-12-01T10:00"}})
		m := regexp.MustCompile(`href="(/live/(\d+))"`).FindStringSubmatch(p.Body)
		if p.URL != path || m == nil {
			t.Fatalf("scheduling led to %s (%d)\n%s", p.URL, p.Status, p.Body)
		}
		session, id := m[1], m[2]
		started := func() bool {
			var n int
			if err := ts.DB.NewSelect().Table("live_sessions").ColumnExpr("count(*)").Where("id = ? AND started_at IS NOT NULL", id).Scan(t.Context(), &n); err != nil {
				t.Fatal(err)
			}
			return n == 1
		}
		p = tr.get(session)
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, `action="`+session+`/start"`)
		mustContain(t, tr.get(path), `action="`+session+`/start"`)
		if started() {
			t.Fatal("opening the console started the session")
		}
		mustStatus(t, learner.post(session+"/start", nil), http.StatusForbidden)
		if started() {
			t.Fatal("a learner started the session")
		}
		if p = tr.post(session+"/start", url.Values{"csrf_token": {"forged"}}); p.Status != http.StatusForbidden || started() {
			t.Fatalf("a start without the CSRF token: %d, started %v", p.Status, started())
		}
		p = tr.post(session+"/start", nil)
		if p.URL != session || !started() {
			t.Fatalf("starting led to %s, started %v", p.URL, started())
		}
		if strings.Contains(tr.get(session).Body, `action="`+session+`/start"`) {
			t.Fatal("a running session still offers to start")
		}
	})
}
