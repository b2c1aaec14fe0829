package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/model"
)

// RLO and friends: "\u202Enimda" is shown as "admin", and one left open reverses the words
// after it on the page.
const (
	rlo = "\u202E"
	rli = "\u2067"
	pdf = "\u202C"
)

// courseIsolateRE is a piece of course content isolated left to right (a code span or an
// address, as plain text: LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE, holding no other
// control). Course texts are written by the course's authors, not typed into the site.
var courseIsolateRE = regexp.MustCompile("\u2066[^\u202A-\u202E\u2066-\u2069]*\u2069")

func mustHaveNoBidiControls(t *testing.T, where, s string) {
	t.Helper()
	if freetext.HasBidiControls(courseIsolateRE.ReplaceAllString(s, "")) {
		t.Fatalf("%s holds a bidirectional control: %+q", where, s)
	}
}

func TestEveryFreeTextFieldIsStoredAndShownWithoutBidiControls(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		ctx := t.Context()
		tr := ts.trainer(t, "bidi-trainer")
		mustStatus(t, tr.post("/account/profile", url.Values{"display_name": {rlo + "nimda"}}), http.StatusOK)
		p := tr.post("/cohorts", url.Values{"course": {"sample"}, "name": {rlo + "puorg " + rli + "Spring"}, "lang": {"en"}, "seats": {"0"}})
		if !cohortURLRE.MatchString(p.URL) {
			t.Fatalf("creating a cohort led to %s (%d)\n%s", p.URL, p.Status, p.Body)
		}
		cohort, code := p.URL, joinCodeRE.FindStringSubmatch(p.Body)[1]
		learner := ts.browser(t)
		learner.post("/signup", url.Values{"username": {"bidi-learner"}, "display_name": {"Ana" + rlo + " ecila"}, "password": {strongPassword}, "password_confirm": {strongPassword}})
		learner.post("/join", url.Values{"code": {code}})
		p = tr.post(cohort+"/live", url.Values{"title": {rlo + "yadnoM", "x"}, "when": {"now"}})
		if !liveURLRE.MatchString(p.URL) {
			t.Fatalf("starting a session led to %s (%d)", p.URL, p.Status)
		}
		session := p.URL
		trainerWS, learnerWS := tr.mustDial(t, session), learner.mustDial(t, session)
		trainerWS.next("snapshot")
		learnerWS.next("snapshot")

		trainerWS.send(map[string]any{"type": "poll_open", "prompt": rlo + "?ydaer", "options": []string{rli + "sey" + pdf, "on" + rlo}})
		poll := learnerWS.next("poll_opened")["poll"].(map[string]any)
		if poll["prompt"] != "?ydaer" {
			t.Fatalf("poll prompt %+q", poll["prompt"])
		}
		for _, o := range poll["options"].([]any) {
			mustHaveNoBidiControls(t, "a poll option", o.(map[string]any)["text"].(string))
		}
		learnerWS.send(map[string]any{"type": "ask", "body": rlo + "?siht si"})
		q := trainerWS.next("question")["question"].(map[string]any)
		if q["body"] != "?siht si" || q["author"] != "Ana ecila" {
			t.Fatalf("question as the trainer sees it: %+q by %+q", q["body"], q["author"])
		}
		mustContain(t, learner.post(session+"/ask", url.Values{"body": {"plain " + rlo + "txet"}}), "Your question was sent.")
		mustContain(t, learner.get(session+"/frame"), "plain txet")

		for _, where := range []struct {
			b    *browser
			path string
		}{{tr, "/account"}, {tr, cohort}, {tr, "/cohorts"}, {tr, session}, {learner, "/learning"}, {learner, session}, {learner, session + "/frame"}, {learner, cohort}} {
			p := where.b.get(where.path)
			mustStatus(t, p, http.StatusOK)
			mustHaveNoBidiControls(t, "page "+where.path, p.Body)
		}
		makeAdmin(t, ts, "bidi-trainer")
		tr.signIn("bidi-trainer", strongPassword)
		mustStatus(t, tr.post("/admin/invites", url.Values{"note": {rlo + "A puorg"}, "max_uses": {"1"}, "days": {"7"}}), http.StatusCreated)
		admin := tr.get("/admin")
		mustContain(t, admin, "A puorg")
		mustHaveNoBidiControls(t, "page /admin", admin.Body)
		for _, col := range []struct{ table, column string }{
			{"invites", "note"},
			{"users", "display_name"}, {"cohorts", "name"}, {"live_sessions", "title"},
			{"live_questions", "body"}, {"live_polls", "prompt"}, {"live_polls", "options"},
		} {
			var values []string
			if err := ts.DB.NewSelect().Table(col.table).Column(col.column).Scan(ctx, &values); err != nil {
				t.Fatal(err)
			}
			if len(values) == 0 {
				t.Fatalf("nothing stored in %s.%s", col.table, col.column)
			}
			for _, v := range values {
				mustHaveNoBidiControls(t, col.table+"."+col.column, v)
			}
		}
	})
}

// Text stored before controls were stripped must not reorder the page around it: names
// are shown inside <bdi>, which isolates them.
func TestStoredNamesAreIsolatedWhereverTheyAreShownInline(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "bdi-trainer")
		legacy := rlo + "nimda"
		if _, err := ts.DB.NewUpdate().Model((*model.User)(nil)).Set("display_name = ?", legacy).Where("username_key = ?", "bdi-trainer").Exec(t.Context()); err != nil {
			t.Fatal(err)
		}
		cohort, _ := newCohort(t, tr, "0")
		p := tr.get(cohort)
		mustContain(t, p, `<a href="/account"><bdi>`+legacy+`</bdi></a>`)
		if n, m := strings.Count(p.Body, legacy), strings.Count(p.Body, "<bdi>"+legacy+"</bdi>"); n != m {
			t.Fatalf("the cohort page shows the stored name %d times, only %d of them isolated", n, m)
		}
	})
}
