package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// The person who does everything through the web: an id no other row holds, and names
// found nowhere else, so that any trace after deletion is theirs.
const (
	doerID      = 7_777_777
	doerName    = "quillon-vex"
	doerDisplay = "Zephyrine Marlowe"
)

func TestAPersonWhoDidEverythingDeletesTheirAccountAndNothingNamesThemAfter(t *testing.T) {
	cfg := testConfig()
	cfg.LiveMinGroup = 2
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		st := store.New(ts.DB, nil)
		admin := ts.browser(t)
		admin.signUp("site-admin")
		makeAdmin(t, ts, "site-admin")
		admin.signIn("site-admin", strongPassword)
		coach := ts.trainer(t, "coach")
		cohort, code := newCohort(t, coach, "0")
		other := ts.browser(t)
		other.signUp("other-learner")
		other.post("/join", url.Values{"code": {code}})

		// Signs up, names themself, becomes a trainer.
		dbtest.RestartIDs(t, ts.DB, "users", doerID)
		doer := ts.browser(t)
		doer.signUp(doerName)
		if id := userID(t, ts.DB, doerName); id != doerID {
			t.Fatalf("the account got id %d, want %d", id, doerID)
		}
		setRole(t, ts, doerName, model.RoleTrainer)
		doer.signIn(doerName, strongPassword)
		mustStatus(t, doer.post("/account/profile", url.Values{"display_name": {doerDisplay}}), http.StatusOK)

		// Learns: joins the cohort, completes a lesson, ticks its checklist, takes the quiz.
		if p := doer.post("/join", url.Values{"code": {code}}); p.URL != cohort {
			t.Fatalf("joining landed on %s", p.URL)
		}
		doer.post("/courses/sample/lessons/first-steps/complete", nil)
		doer.post("/courses/sample/lessons/first-steps/checklist", url.Values{"item": {"store-apart"}})
		if p := doer.post("/courses/sample/quizzes/basics", rightAnswers(t, doer.get("/courses/sample/quizzes/basics").Body)); !strings.Contains(p.URL, "/attempts/") {
			t.Fatalf("quiz submission landed on %s", p.URL)
		}
		// Trains: a cohort of their own (which, with no other trainer, stops the deletion
		// until the coach is added), and a session plan.
		own, _ := newCohort(t, doer, "0")
		if err := st.CreatePlan(ctx, &model.SessionPlan{OwnerID: doerID, CourseID: "sample", Lang: "en", Title: "Doer's plan"},
			[]model.PlanStep{{Kind: model.PlanBreak, Minutes: 5, Notes: "private", Options: "[]"}}); err != nil {
			t.Fatal(err)
		}
		// An administrator made them a reset link.
		mustStatus(t, admin.post("/admin/users/"+strconv.Itoa(doerID)+"/reset-link", nil), http.StatusCreated)

		// Takes part in a live session: attends, asks by name and anonymously, upvotes,
		// raises a hand, votes in a named and an anonymous poll, answers an open-text one.
		p := coach.post(cohort+"/live", url.Values{"title": {"Monday"}, "when": {"now"}})
		session := p.URL
		trainerWS := coach.mustDial(t, session)
		trainerWS.next("snapshot")
		doerWS, otherWS := doer.mustDial(t, session), other.mustDial(t, session)
		doerWS.next("snapshot")
		otherWS.next("snapshot")
		ask := func(c *wsConn, body string, anonymous bool) float64 {
			c.send(map[string]any{"type": "ask", "body": body, "anonymous": anonymous})
			return trainerWS.nextWhere("question", func(m map[string]any) bool {
				return m["question"].(map[string]any)["body"] == body
			})["question"].(map[string]any)["id"].(float64)
		}
		named := ask(doerWS, "How do I lock my phone?", false)
		ask(doerWS, "Is my employer watching?", true)
		theirs := ask(otherWS, "What is a passkey?", false)
		doerWS.send(map[string]any{"type": "upvote", "question": theirs})
		trainerWS.nextWhere("question", func(m map[string]any) bool { return m["question"].(map[string]any)["upvotes"].(float64) == 1 })
		doerWS.send(map[string]any{"type": "hand", "raised": true})
		trainerWS.nextWhere("hands", func(m map[string]any) bool { return len(m["names"].([]any)) == 1 })
		poll := func(open map[string]any, votes map[*wsConn]map[string]any) {
			trainerWS.send(open)
			id := otherWS.next("poll_opened")["poll"].(map[string]any)["id"]
			for c, v := range votes {
				v["type"], v["poll_id"], v["ref"] = "vote", id, "v"
				c.send(v)
				c.next("ack")
			}
			// Closing writes the anonymous votes held until then.
			trainerWS.send(map[string]any{"type": "poll_close", "poll_id": id})
			otherWS.next("poll_closed")
		}
		poll(map[string]any{"type": "poll_open", "prompt": "Ready?", "options": []string{"Yes", "No"}},
			map[*wsConn]map[string]any{doerWS: {"choice": "a"}, otherWS: {"choice": "b"}})
		poll(map[string]any{"type": "poll_open", "prompt": "Threatened?", "options": []string{"Yes", "No"}, "anonymous": true},
			map[*wsConn]map[string]any{doerWS: {"choice": "a"}, otherWS: {"choice": "a"}})
		poll(map[string]any{"type": "poll_open", "kind": "text", "prompt": "One word?"},
			map[*wsConn]map[string]any{doerWS: {"text": "worried"}, otherWS: {"text": "ready"}})
		// The page without JavaScript counts them present too (a visit lease).
		mustStatus(t, doer.get(session+"/frame?b=1"), http.StatusOK)
		visits := func() int {
			n, err := ts.DB.NewSelect().Table("live_instances").Where("id LIKE ?", store.VisitPrefix+"%").Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
		if visits() != 1 {
			t.Fatalf("%d visit leases after viewing the page without JavaScript, want 1", visits())
		}
		counts := func() (total int) {
			polls, err := st.Polls(ctx, liveID(t, session))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range polls {
				c, voters, err := st.PollCounts(ctx, nil, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				total += voters
				for _, n := range c {
					total += n
				}
			}
			return total
		}
		before := counts()

		// Two-step verification, last (sign-in needs a code after it).
		doer.post("/account/2fa/setup", nil)
		secret := strings.ReplaceAll(secretRE.FindStringSubmatch(doer.get("/account/2fa").Body)[1], " ", "")
		totp, err := auth.TOTPCode(secret, ts.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, doer.post("/account/2fa/enable", url.Values{"code": {totp}, "current_password": {strongPassword}}), "Two-step verification is on")
		if found := dbtest.Mentions(t, ts.DB, doerID, doerName, doerDisplay); len(found) < 15 {
			t.Fatalf("before deletion the search finds only %v: it cannot fail", found)
		}

		// The confirmation says what goes and what stays, and waits for their cohort to
		// have another trainer.
		p = doer.get("/account/delete")
		mustContain(t, p, "What is deleted", "What stays, without the account", "shown as asked by “deleted user”",
			"only trainer of the cohorts below", `href="`+own+`"`)
		if strings.Contains(p.Body, `action="/account/delete"`) {
			t.Fatal("a blocked deletion offers its form")
		}
		doer.post(own+"/trainers", url.Values{"username": {"coach"}})
		p = doer.get("/account/delete")
		mustContain(t, p, `action="/account/delete"`, "Backups of the site made before the deletion")

		// A wrong password, and a form without its token, delete nothing.
		mustStatus(t, doer.post("/account/delete", url.Values{"current_password": {"not my password"}}), http.StatusUnauthorized)
		mustStatus(t, doer.post("/account/delete", url.Values{"current_password": {strongPassword}, "csrf_token": {"forged"}}), http.StatusForbidden)
		userID(t, ts.DB, doerName)

		p = doer.post("/account/delete", url.Values{"current_password": {strongPassword}})
		if p.URL != "/" {
			t.Fatalf("deleting landed on %s (%d)", p.URL, p.Status)
		}
		mustContain(t, p, "The account has been deleted")
		if doer.get("/account").URL != "/login" {
			t.Fatal("the browser is still signed in")
		}
		// Their open connection is closed.
		_ = doerWS.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		for {
			_, _, err := doerWS.conn.ReadMessage()
			if err == nil {
				continue
			}
			if ne, ok := err.(interface{ Timeout() bool }); ok && ne.Timeout() {
				t.Fatal("the deleted account's live connection is still open")
			}
			break
		}

		// The room sees the named question as a deleted user's.
		q := trainerWS.nextWhere("question", func(m map[string]any) bool {
			return m["question"].(map[string]any)["id"] == named
		})["question"].(map[string]any)
		if q["author"] != "" || q["author_deleted"] != true {
			t.Fatalf("the room was shown %v", q)
		}
		// The trainers' view is sent afresh: no raised hand, their typed answer without name.
		trainerWS.nextWhere("hands", func(m map[string]any) bool { return len(m["names"].([]any)) == 0 })
		trainerWS.nextWhere("tally", func(m map[string]any) bool {
			list, _ := m["answers"].([]any)
			for _, a := range list {
				if a := a.(map[string]any); a["text"] == "worried" {
					return a["author"] == nil && a["author_deleted"] == true
				}
			}
			return false
		})
		if n := visits(); n != 0 {
			t.Fatalf("%d visit leases left: the digest of session and account names them", n)
		}
		if found := dbtest.Mentions(t, ts.DB, doerID, doerName, doerDisplay); len(found) > 0 {
			t.Fatalf("after deletion the database still mentions the person:\n%s", strings.Join(found, "\n"))
		}
		mustContain(t, coach.get(session), "How do I lock my phone?</bdi> <span class=\"muted small\">— deleted user ·",
			"worried</bdi> <span class=\"muted small\">— deleted user</span>")
		summary := coach.get(session + "/summary")
		mustContain(t, summary, "How do I lock my phone?</bdi> <span class=\"muted small\">— deleted user ·", "Is my employer watching?</bdi> <span class=\"muted small\">— anonymous ·")
		for _, name := range []string{doerName, doerDisplay} {
			if strings.Contains(summary.Body, name) {
				t.Fatalf("the summary still names %q", name)
			}
		}
		if after := counts(); after != before {
			t.Fatalf("poll results went from %d to %d votes and voters", before, after)
		}
		if p := doer.signIn(doerName, strongPassword); p.Status != http.StatusUnauthorized {
			t.Fatalf("signing in to the deleted account: %d", p.Status)
		}
	})
}

func TestDownloadingYourDataNeedsYourPasswordAndIsNeverCached(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("downloader")
		mustContain(t, b.get("/account"), `href="/account/export"`, `href="/account/delete"`)
		p := b.get("/account/export")
		mustContain(t, p, "The file is not encrypted", `name="current_password"`, `action="/account/export"`)
		p = b.post("/account/export", url.Values{"current_password": {"wrong password here"}})
		mustStatus(t, p, http.StatusUnauthorized)
		mustContain(t, p, "Your current password is not correct")
		mustStatus(t, b.post("/account/export", url.Values{"current_password": {strongPassword}, "csrf_token": {"forged"}}), http.StatusForbidden)

		p = b.post("/account/export", url.Values{"current_password": {strongPassword}})
		mustStatus(t, p, http.StatusOK)
		if ct, cd, cc := p.Header.Get("Content-Type"), p.Header.Get("Content-Disposition"), p.Header.Get("Cache-Control"); !strings.HasPrefix(ct, "application/json") ||
			cd != `attachment; filename="cairn-my-data-2026-11-23.json"` || cc != "no-store" {
			t.Fatalf("headers: %q, %q, %q", ct, cd, cc)
		}
		var doc store.UserData
		if err := json.Unmarshal([]byte(p.Body), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Format != store.UserDataFormat || doc.Account.Username != "downloader" || len(doc.SignInSessions) != 1 || doc.Account.RecoveryCodesUnused != 10 {
			t.Fatalf("document: %+v", doc)
		}
		if strings.Contains(p.Body, "argon2") {
			t.Fatal("the download holds the password hash")
		}
	})
}

func TestWrongPasswordsToConfirmCountAsFailedSignIns(t *testing.T) {
	cfg := testConfig()
	cfg.AuthRateLimit = 2
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("guesser")
		for range 2 {
			mustStatus(t, b.post("/account/delete", url.Values{"current_password": {"guess guess guess"}}), http.StatusUnauthorized)
		}
		p := b.post("/account/export", url.Values{"current_password": {strongPassword}})
		mustStatus(t, p, http.StatusTooManyRequests)
		if p.Header.Get("Retry-After") == "" {
			t.Fatal("no Retry-After")
		}
		// The same count as the sign-in form's, for this account from this client.
		mustStatus(t, ts.browser(t).signIn("guesser", strongPassword), http.StatusTooManyRequests)
		ts.Clock.Advance(2 * time.Hour)
		mustStatus(t, b.post("/account/export", url.Values{"current_password": {strongPassword}}), http.StatusOK)
	})
}

func TestAdministratorsExportAndDeleteAccountsButNeverTheLastAdministrator(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := ts.browser(t)
		admin.signUp("head-admin")
		makeAdmin(t, ts, "head-admin")
		admin.signIn("head-admin", strongPassword)
		learner := ts.browser(t)
		learner.signUp("leaving-learner")
		id := strconv.FormatInt(userID(t, ts.DB, "leaving-learner"), 10)
		self := strconv.FormatInt(userID(t, ts.DB, "head-admin"), 10)

		mustContain(t, admin.get("/admin/users"), `href="/admin/users/`+id+`/export"`, `href="/admin/users/`+id+`/delete"`)
		p := admin.get("/admin/users/" + id + "/export")
		mustContain(t, p, "Account: \u2068leaving-learner\u2069", "Your password")
		// The administrator's own password, not the learner's.
		mustStatus(t, admin.post("/admin/users/"+id+"/export", url.Values{"current_password": {"not the admin's"}}), http.StatusUnauthorized)
		p = admin.post("/admin/users/"+id+"/export", url.Values{"current_password": {strongPassword}})
		mustStatus(t, p, http.StatusOK)
		var doc store.UserData
		if err := json.Unmarshal([]byte(p.Body), &doc); err != nil || doc.Account.Username != "leaving-learner" {
			t.Fatalf("exported %+v (%v)", doc.Account, err)
		}
		if cd := p.Header.Get("Content-Disposition"); cd != `attachment; filename="cairn-account-`+id+`-2026-11-23.json"` {
			t.Fatalf("Content-Disposition %q", cd)
		}
		mustStatus(t, admin.get("/admin/users/99999999/export"), http.StatusNotFound)

		mustContain(t, admin.get("/admin/users/"+id+"/delete"), "What is deleted", `action="/admin/users/`+id+`/delete"`)
		mustStatus(t, admin.post("/admin/users/"+id+"/delete", url.Values{"current_password": {"not the admin's"}}), http.StatusUnauthorized)
		p = admin.post("/admin/users/"+id+"/delete", url.Values{"current_password": {strongPassword}})
		if p.URL != "/admin/users" {
			t.Fatalf("deleting landed on %s (%d)", p.URL, p.Status)
		}
		mustContain(t, p, "The account has been deleted")
		if strings.Contains(p.Body, "leaving-learner") {
			t.Fatal("the deleted account is still listed")
		}
		if learner.get("/account").URL != "/login" {
			t.Fatal("the deleted account's browser is still signed in")
		}

		// The last administrator cannot delete their own account, from either page.
		p = admin.get("/admin/users/" + self + "/delete")
		mustContain(t, p, "only administrator account")
		if strings.Contains(p.Body, `action="/admin/users/`+self+`/delete"`) {
			t.Fatal("the last administrator is offered the deletion")
		}
		mustContain(t, admin.get("/account/delete"), "only administrator account")
		mustStatus(t, admin.post("/admin/users/"+self+"/delete", url.Values{"current_password": {strongPassword}}), http.StatusConflict)
		mustStatus(t, admin.post("/account/delete", url.Values{"current_password": {strongPassword}}), http.StatusConflict)
		userID(t, ts.DB, "head-admin")

		// With a second administrator, they can, and are signed out.
		second := ts.browser(t)
		second.signUp("second-admin")
		makeAdmin(t, ts, "second-admin")
		p = admin.post("/admin/users/"+self+"/delete", url.Values{"current_password": {strongPassword}})
		if p.URL != "/" {
			t.Fatalf("an administrator deleting their own account landed on %s (%d)", p.URL, p.Status)
		}
		if admin.get("/admin/users").URL != "/login" {
			t.Fatal("still signed in after deleting one's own account")
		}
	})
}
