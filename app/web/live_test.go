package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/store"
)

var liveURLRE = regexp.MustCompile(`^/live/(\d+)$`)

// liveFixture is a cohort with a trainer, a learner and a running session.
type liveFixture struct {
	ts      *testServer
	trainer *browser
	learner *browser
	cohort  string // /cohorts/N
	code    string
	session string // /live/N
}

func newLiveFixture(t *testing.T, ts *testServer) *liveFixture {
	t.Helper()
	f := &liveFixture{ts: ts, trainer: ts.trainer(t, "live-trainer")}
	f.cohort, f.code = newCohort(t, f.trainer, "0")
	f.learner = f.join(t, "live-learner")
	p := f.trainer.post(f.cohort+"/live", url.Values{"title": {"Monday session"}, "when": {"now"}})
	if !liveURLRE.MatchString(p.URL) {
		t.Fatalf("starting a session led to %s (%d)", p.URL, p.Status)
	}
	f.session = p.URL
	return f
}

// connect opens the trainer's and the learner's sockets and reads their snapshots.
func (f *liveFixture) connect(t *testing.T) (trainer, learner *wsConn) {
	t.Helper()
	trainer, learner = f.trainer.mustDial(t, f.session), f.learner.mustDial(t, f.session)
	trainer.next("snapshot")
	learner.next("snapshot")
	return trainer, learner
}

func (f *liveFixture) join(t *testing.T, name string) *browser {
	t.Helper()
	b := f.ts.browser(t)
	b.signUp(name)
	b.post("/join", url.Values{"code": {f.code}})
	return b
}

// wsConn is a gorilla client with helpers to read typed messages.
type wsConn struct {
	t    *testing.T
	conn *websocket.Conn
}

func (b *browser) dial(t *testing.T, path string) (*wsConn, *http.Response, error) {
	t.Helper()
	u, _ := url.Parse(b.ts.URL)
	h := http.Header{"Origin": {b.ts.URL}}
	var cookies []string
	for _, c := range b.client.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	h.Set("Cookie", strings.Join(cookies, "; "))
	conn, resp, err := websocket.DefaultDialer.Dial("ws://"+u.Host+path+"/ws", h)
	if err != nil {
		return nil, resp, err
	}
	t.Cleanup(func() { _ = conn.Close() })
	return &wsConn{t: t, conn: conn}, resp, nil
}

func (b *browser) mustDial(t *testing.T, path string) *wsConn {
	t.Helper()
	c, resp, err := b.dial(t, path)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)", path, err, status)
	}
	return c
}

func (c *wsConn) send(msg map[string]any) {
	c.t.Helper()
	if err := c.conn.WriteJSON(msg); err != nil {
		c.t.Fatal(err)
	}
}

// next reads messages until one of type typ arrives (skipping others), within 5 seconds.
func (c *wsConn) next(typ string) map[string]any {
	c.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	_ = c.conn.SetReadDeadline(deadline)
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			c.t.Fatalf("waiting for %q: %v", typ, err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			c.t.Fatal(err)
		}
		if m["type"] == typ {
			return m
		}
	}
}

// nextWhere reads until a message of type typ satisfies ok.
func (c *wsConn) nextWhere(typ string, ok func(map[string]any) bool) map[string]any {
	c.t.Helper()
	for {
		if m := c.next(typ); ok(m) {
			return m
		}
	}
}

func seqOf(m map[string]any) int64 { return int64(m["seq"].(float64)) }

// optionIDs maps a poll's option texts to the ids it gives them.
func optionIDs(poll map[string]any) map[string]string {
	out := map[string]string{}
	for _, o := range poll["options"].([]any) {
		o := o.(map[string]any)
		out[o["text"].(string)] = o["id"].(string)
	}
	return out
}

func TestLiveStepsReachEveryoneInOrderAndRejoinGetsTheState(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer := f.trainer.mustDial(t, f.session)
		learner := f.learner.mustDial(t, f.session)
		snapT, snapL := trainer.next("snapshot"), learner.next("snapshot")
		if snapT["role"] != "trainer" || snapL["role"] != "participant" {
			t.Fatalf("roles: %v / %v", snapT["role"], snapL["role"])
		}
		start := seqOf(snapL)
		trainer.send(map[string]any{"type": "step", "lesson": "second-steps", "ref": "1"})
		if a := trainer.next("ack"); a["ref"] != "1" {
			t.Fatalf("ack %v", a)
		}
		step := learner.next("step")
		if seqOf(step) != start+1 || step["step"].(map[string]any)["lesson"] != "second-steps" {
			t.Fatalf("step event %v (snapshot seq %d)", step, start)
		}
		trainer.send(map[string]any{"type": "step", "lesson": "drill", "section": "practice"})
		if s := learner.next("step"); seqOf(s) != start+2 {
			t.Fatalf("second step seq %v", s["seq"])
		}
		// A late joiner (or a reconnect) gets the current state at once.
		late := f.join(t, "late-learner").mustDial(t, f.session)
		snap := late.next("snapshot")
		st := snap["step"].(map[string]any)
		if seqOf(snap) != start+2 || st["lesson"] != "drill" || st["href"] != "/courses/sample/lessons/drill#practice" {
			t.Fatalf("late snapshot %v", snap)
		}
		learner.send(map[string]any{"type": "resync"})
		if seqOf(learner.next("snapshot")) != start+2 {
			t.Fatal("resync snapshot out of date")
		}
		var stored string
		if err := ts.DB.NewSelect().Table("live_sessions").Column("step_lesson").Scan(context.Background(), &stored); err != nil || stored != "drill" {
			t.Fatalf("the step is not in the database: %q %v", stored, err)
		}
	})
}

func TestLiveVotesCountOncePerParticipantAcrossReconnectsAndTabs(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.connect(t)
		trainer.send(map[string]any{"type": "poll_open", "prompt": "Ready?", "options": []string{"Yes", "No"}})
		opened := learner.next("poll_opened")["poll"].(map[string]any)
		poll := opened["id"]
		if _, leaked := opened["counts"]; leaked {
			t.Fatal("an open poll must not show counts to participants")
		}
		learner.send(map[string]any{"type": "vote", "poll_id": poll, "choice": "a", "ref": "v1"})
		learner.next("ack")
		tally := trainer.next("tally")
		if tally["voters"].(float64) != 1 || tally["counts"].(map[string]any)["a"].(float64) != 1 {
			t.Fatalf("tally %v", tally)
		}
		learner.send(map[string]any{"type": "vote", "poll_id": poll, "choice": "b", "ref": "v2"})
		if e := learner.next("error"); e["code"] != "already_voted" {
			t.Fatalf("second vote: %v", e)
		}
		tab := f.learner.mustDial(t, f.session)
		if !tab.next("snapshot")["poll"].(map[string]any)["voted"].(bool) {
			t.Fatal("a second tab must know this participant voted")
		}
		tab.send(map[string]any{"type": "vote", "poll_id": poll, "choice": "b"})
		if e := tab.next("error"); e["code"] != "already_voted" {
			t.Fatalf("vote from a second tab: %v", e)
		}
		if n := countRows(t, ts.DB, "live_poll_voters"); n != 1 {
			t.Fatalf("%d votes recorded, want 1", n)
		}
		trainer.send(map[string]any{"type": "poll_close", "poll_id": poll})
		learner.next("poll_closed")
		learner.send(map[string]any{"type": "vote", "poll_id": poll, "choice": "a"})
		if e := learner.next("error"); e["code"] != "poll_closed" && e["code"] != "already_voted" {
			t.Fatalf("vote on a closed poll: %v", e)
		}
	})
}

func TestAnonymousPollsHideVotersAndNeedAMinimumGroup(t *testing.T) {
	cfg := testConfig()
	cfg.LiveMinGroup = 3
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer := f.trainer.mustDial(t, f.session)
		trainer.next("snapshot")
		var voters []*wsConn
		for _, b := range []*browser{f.learner, f.join(t, "anon-two"), f.join(t, "anon-three")} {
			c := b.mustDial(t, f.session)
			c.next("snapshot")
			voters = append(voters, c)
		}
		trainer.send(map[string]any{"type": "poll_open", "prompt": "Have you been threatened?", "options": []string{"Yes", "No"}, "anonymous": true})
		var poll any
		for _, v := range voters {
			poll = v.next("poll_opened")["poll"].(map[string]any)["id"]
		}
		// Someone following without JavaScript is told, at the question, that it is anonymous.
		frame := f.join(t, "anon-nojs").get(f.session + "/frame")
		mustContain(t, frame, "Have you been threatened?", "Anonymous: nobody, not even the trainer, can tell which answer is yours.")
		for i, v := range voters[:2] {
			v.send(map[string]any{"type": "vote", "poll_id": poll, "choice": []string{"a", "b"}[i], "ref": "v"})
			v.next("ack")
		}
		tally := trainer.next("tally")
		if _, shown := tally["counts"]; shown {
			t.Fatalf("the trainer must not see per-answer counts of an anonymous poll before it is revealed: %v", tally)
		}
		trainer.send(map[string]any{"type": "poll_reveal", "poll_id": poll, "ref": "r1"})
		if e := trainer.next("error"); e["code"] != "too_few_votes" {
			t.Fatalf("reveal below the minimum group: %v", e)
		}
		voters[2].send(map[string]any{"type": "vote", "poll_id": poll, "choice": "a", "ref": "v"})
		voters[2].next("ack")
		trainer.send(map[string]any{"type": "poll_reveal", "poll_id": poll, "ref": "r2"})
		for _, v := range voters {
			p := v.next("poll_revealed")["poll"].(map[string]any)
			counts := p["counts"].(map[string]any)
			if counts["a"].(float64) != 2 || counts["b"].(float64) != 1 || p["voters"].(float64) != 3 {
				t.Fatalf("revealed poll %v", p)
			}
		}
		var withChoice int
		if err := ts.DB.NewSelect().Table("live_poll_voters").ColumnExpr("COUNT(*)").Where("choice IS NOT NULL").Scan(context.Background(), &withChoice); err != nil {
			t.Fatal(err)
		}
		if withChoice != 0 || countRows(t, ts.DB, "live_poll_voters") != 3 {
			t.Fatalf("anonymous votes stored with the voter's choice: %d", withChoice)
		}
	})
}

func TestQuizQuestionsRevealTheAnswerOnlyWhenTheTrainerSaysSo(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.connect(t)
		trainer.send(map[string]any{"type": "poll_open", "quiz_module": "basics", "quiz_question": "pick-one"})
		opened := learner.next("poll_opened")["poll"].(map[string]any)
		raw, _ := json.Marshal(opened)
		for _, leak := range []string{"correct", "explanation", "Only one is right"} {
			if strings.Contains(string(raw), leak) {
				t.Fatalf("the open quiz question leaks %q: %s", leak, raw)
			}
		}
		right := optionIDs(opened)["The right one"]
		learner.send(map[string]any{"type": "vote", "poll_id": opened["id"], "choice": right, "ref": "v"})
		learner.next("ack")
		trainer.send(map[string]any{"type": "poll_reveal", "poll_id": opened["id"]})
		p := learner.next("poll_revealed")["poll"].(map[string]any)
		if p["explanation"] != "Only one is right." || fmt.Sprint(p["correct"]) != "["+right+"]" || p["counts"].(map[string]any)[right] != float64(1) {
			t.Fatalf("revealed quiz question %v, want %q right with one vote", p, right)
		}
	})
}

func TestQuestionsAnonymousAndUpvotedOnce(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.connect(t)
		learner.send(map[string]any{"type": "ask", "body": "Is my phone tapped?", "anonymous": true})
		q := trainer.next("question")["question"].(map[string]any)
		if q["author"] != "" {
			t.Fatalf("the trainer sees who asked an anonymous question: %v", q)
		}
		var uid *int64
		if err := ts.DB.NewSelect().Table("live_questions").Column("user_id").Scan(context.Background(), &uid); err != nil || uid != nil {
			t.Fatalf("anonymous question stored with its author: %v %v", uid, err)
		}
		learner.send(map[string]any{"type": "ask", "body": "Named question"})
		if q := trainer.next("question")["question"].(map[string]any); q["author"] != "live-learner" {
			t.Fatalf("named question: %v", q)
		}
		other := f.join(t, "upvoter").mustDial(t, f.session)
		other.next("snapshot")
		for i := 0; i < 2; i++ {
			other.send(map[string]any{"type": "upvote", "question": q["id"], "ref": "u"})
		}
		up := learner.nextWhere("question", func(m map[string]any) bool {
			return m["question"].(map[string]any)["id"] == q["id"] && m["question"].(map[string]any)["upvotes"].(float64) > 0
		})["question"].(map[string]any)
		if up["upvotes"].(float64) != 1 {
			t.Fatalf("upvotes %v", up)
		}
		if e := other.next("error"); e["code"] != "already_upvoted" {
			t.Fatalf("second upvote: %v", e)
		}
		trainer.send(map[string]any{"type": "hide", "question": q["id"]})
		learner.nextWhere("question", func(m map[string]any) bool { return m["question"].(map[string]any)["hidden"] == true })
		late := f.join(t, "late-asker").mustDial(t, f.session)
		for _, lq := range late.next("snapshot")["questions"].([]any) {
			if lq.(map[string]any)["hidden"] == true {
				t.Fatal("a hidden question is sent to participants")
			}
		}
	})
}

func TestLiveConnectionsAreAuthorisedAndBadMessagesRefused(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		stranger := ts.browser(t)
		stranger.signUp("stranger")
		if _, resp, err := stranger.dial(t, f.session); err == nil || resp == nil || resp.StatusCode != http.StatusNotFound {
			t.Fatalf("a non-member could connect: %v %v", err, resp)
		}
		otherTrainer := ts.trainer(t, "other-coach")
		if _, resp, err := otherTrainer.dial(t, f.session); err == nil || resp.StatusCode != http.StatusNotFound {
			t.Fatalf("another cohort's trainer could connect: %v", err)
		}
		if _, resp, err := ts.browser(t).dial(t, f.session); err == nil || resp.StatusCode == http.StatusSwitchingProtocols {
			t.Fatal("an anonymous visitor could connect")
		}
		// A page of another site cannot open the socket with the learner's cookies.
		u, _ := url.Parse(ts.URL)
		h := http.Header{"Origin": {"https://evil.example"}}
		for _, c := range f.learner.client.Jar.Cookies(u) {
			h.Add("Cookie", c.Name+"="+c.Value)
		}
		if _, resp, err := websocket.DefaultDialer.Dial("ws://"+u.Host+f.session+"/ws", h); err == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site websocket accepted: %v", err)
		}
		// A plain request to the socket's address is told to upgrade.
		mustStatus(t, f.learner.get(f.session+"/ws"), http.StatusUpgradeRequired)
		// A handshake that only the websocket library refuses, after the connection left the
		// HTTP server, still gets a proper HTTP answer, then the connection closes.
		raw, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		h.Set("Origin", ts.URL)
		h.Set("Host", u.Host)
		h.Set("Connection", "Upgrade")
		h.Set("Upgrade", "websocket")
		h.Set("Sec-WebSocket-Version", "8")
		h.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
		_ = raw.SetDeadline(time.Now().Add(5 * time.Second))
		var handshake strings.Builder
		handshake.WriteString("GET " + f.session + "/ws HTTP/1.1\r\n")
		_ = h.Write(&handshake)
		handshake.WriteString("\r\n")
		if _, err := raw.Write([]byte(handshake.String())); err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReader(raw)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("no HTTP answer to a refused handshake: %v", err)
		}
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Sec-Websocket-Version") != "13" {
			t.Fatalf("old websocket version: status %d, Sec-WebSocket-Version %q", resp.StatusCode, resp.Header.Get("Sec-Websocket-Version"))
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		if _, err := br.ReadByte(); err != io.EOF {
			t.Fatalf("the connection stayed open after a refused handshake: %v", err)
		}

		learner := f.learner.mustDial(t, f.session)
		learner.next("snapshot")
		learner.send(map[string]any{"type": "step", "lesson": "drill", "ref": "x"})
		if e := learner.next("error"); e["code"] != "forbidden" {
			t.Fatalf("a learner drove the session: %v", e)
		}
		learner.send(map[string]any{"type": "poll_open", "prompt": "p", "options": []string{"a", "b"}})
		if e := learner.next("error"); e["code"] != "forbidden" {
			t.Fatalf("a learner opened a poll: %v", e)
		}
		if err := learner.conn.WriteMessage(websocket.TextMessage, []byte("{not json")); err != nil {
			t.Fatal(err)
		}
		if e := learner.next("error"); e["code"] != "bad_message" {
			t.Fatalf("malformed message: %v", e)
		}
		learner.send(map[string]any{"type": "launch_missiles"})
		if e := learner.next("error"); e["code"] != "bad_message" {
			t.Fatalf("unknown message: %v", e)
		}
		for i := 0; i < 5; i++ {
			_ = learner.conn.WriteMessage(websocket.TextMessage, []byte("garbage"))
		}
		_ = learner.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		var closeErr *websocket.CloseError
		for {
			_, _, err := learner.conn.ReadMessage()
			if err != nil {
				if !errorsAs(err, &closeErr) || closeErr.Code != websocket.ClosePolicyViolation {
					t.Fatalf("after repeated garbage: %v, want a policy-violation close", err)
				}
				break
			}
		}
		big := f.learner.mustDial(t, f.session)
		big.next("snapshot")
		_ = big.conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"ask","body":"`+strings.Repeat("x", 5000)+`"}`))
		_ = big.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		for {
			_, _, err := big.conn.ReadMessage()
			if err != nil {
				if !errorsAs(err, &closeErr) || closeErr.Code != websocket.CloseMessageTooBig {
					t.Fatalf("oversized message: %v, want close 1009", err)
				}
				break
			}
		}
	})
}

func TestEndingASessionNotifiesEveryoneAndLeavesASummary(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.connect(t)
		trainer.send(map[string]any{"type": "poll_open", "prompt": "Useful?", "options": []string{"Yes", "No"}})
		poll := learner.next("poll_opened")["poll"].(map[string]any)["id"]
		learner.send(map[string]any{"type": "vote", "poll_id": poll, "choice": "a"})
		learner.send(map[string]any{"type": "hand", "raised": true})
		if h := trainer.next("hands"); len(h["names"].([]any)) != 1 {
			t.Fatalf("raised hands %v", h)
		}
		trainer.send(map[string]any{"type": "end"})
		if e := learner.next("ended"); e["summary"] != f.session+"/summary" {
			t.Fatalf("ended %v", e)
		}
		s := f.trainer.get(f.session + "/summary")
		mustStatus(t, s, http.StatusOK)
		mustContain(t, s, "Attendance", "live-learner", "Useful?")
		ls := f.learner.get(f.session + "/summary")
		if strings.Contains(ls.Body, "Attendance") {
			t.Fatal("attendance is for trainers only")
		}
		if _, resp, err := f.learner.dial(t, f.session); err == nil || resp.StatusCode != http.StatusGone {
			t.Fatal("an ended session must refuse new connections")
		}
	})
}

func TestTwoInstancesShareALiveSessionThroughPostgres(t *testing.T) {
	db := openPostgresForTest(t)
	cfg := config.Defaults()
	cfg.Argon2Memory, cfg.Argon2Time, cfg.Argon2Threads = 1024, 1, 1
	a := startServer(t, db, cfg)
	b := startServer(t, db, cfg)
	f := newLiveFixture(t, a)
	// The learner's browser talks to instance B with the same cookies (shared sessions).
	onB := &browser{t: t, ts: b, client: f.learner.client, header: http.Header{}}
	copyCookies(t, a, b, f.learner)
	trainer := f.trainer.mustDial(t, f.session)
	learner := onB.mustDial(t, f.session)
	trainer.next("snapshot")
	start := seqOf(learner.next("snapshot"))
	trainer.send(map[string]any{"type": "step", "lesson": "drill"})
	step := learner.next("step")
	if seqOf(step) != start+1 {
		t.Fatalf("step via the other instance: %v", step)
	}
	trainer.send(map[string]any{"type": "poll_open", "prompt": "Across?", "options": []string{"Yes", "No"}})
	poll := learner.next("poll_opened")["poll"].(map[string]any)["id"]
	learner.send(map[string]any{"type": "vote", "poll_id": poll, "choice": "a"})
	if tally := trainer.next("tally"); tally["voters"].(float64) != 1 {
		t.Fatalf("the trainer on A did not see the vote cast on B: %v", tally)
	}
}

func TestVotesForAnswersThePollDoesNotHaveAreRefused(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.connect(t)
		trainer.send(map[string]any{"type": "poll_open", "prompt": "Pick", "options": []string{"One", "Two"}})
		poll := learner.next("poll_opened")["poll"].(map[string]any)["id"]
		for _, bad := range []string{"z", "", strings.Repeat("x", 100)} {
			learner.send(map[string]any{"type": "vote", "poll_id": poll, "choice": bad, "ref": "b"})
			if e := learner.next("error"); e["code"] != "bad_choice" {
				t.Fatalf("vote %q: %v", bad, e)
			}
		}
		learner.send(map[string]any{"type": "vote", "poll_id": 999999, "choice": "a"})
		if e := learner.next("error"); e["code"] != "unknown_poll" {
			t.Fatalf("vote for an unknown poll: %v", e)
		}
		if countRows(t, ts.DB, "live_poll_voters") != 0 || countRows(t, ts.DB, "live_poll_counts") != 0 {
			t.Fatal("a refused vote was recorded")
		}
		learner.send(map[string]any{"type": "vote", "poll_id": poll, "choice": "b", "ref": "ok"})
		learner.next("ack")

		// Metrics: the connections, the events and the one vote written, nothing about whom.
		rec := httptest.NewRecorder()
		ts.Srv.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		for _, want := range []string{"cairn_live_connections 2", "cairn_live_vote_batch_size_count 1", "cairn_live_vote_batch_size_sum 1", "cairn_live_events_total"} {
			if !strings.Contains(rec.Body.String(), want) {
				t.Fatalf("metrics lack %q:\n%s", want, rec.Body.String())
			}
		}
	})
}

func TestMultipleAnswerPollsCountEveryTickedAnswerAndEachVoterOnce(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.connect(t)
		other := f.join(t, "ticks-two").mustDial(t, f.session)
		other.next("snapshot")

		// A course question with several right answers, then the same from a plain form.
		trainer.send(map[string]any{"type": "poll_open", "quiz_module": "basics", "quiz_question": "pick-many"})
		opened := learner.next("poll_opened")["poll"].(map[string]any)
		other.next("poll_opened")
		if opened["multiple"] != true {
			t.Fatalf("a multiple-answer quiz question opened as %v", opened)
		}
		poll := opened["id"]
		ids := optionIDs(opened)
		a, b, c := ids["Option A"], ids["Option B"], ids["Option C"]
		for _, bad := range []any{[]string{"a", "a"}, []string{"a", "zzz"}, []string{}} {
			learner.send(map[string]any{"type": "vote", "poll_id": poll, "choices": bad, "ref": "bad"})
			if e := learner.next("error"); e["code"] != "bad_choice" {
				t.Fatalf("choices %v: %v", bad, e)
			}
		}
		plain := f.learner.get(f.session + "/frame")
		mustContain(t, plain, "Tick every answer that applies.", `type="checkbox" id="c-a" name="choice" value="a"`)
		learner.send(map[string]any{"type": "vote", "poll_id": poll, "choices": []string{b, a}, "ref": "v"})
		learner.next("ack")
		other.send(map[string]any{"type": "vote", "poll_id": poll, "choices": []string{b}, "ref": "v"})
		other.next("ack")

		trainer.send(map[string]any{"type": "poll_reveal", "poll_id": poll})
		p := learner.next("poll_revealed")["poll"].(map[string]any)
		counts := p["counts"].(map[string]any)
		if counts[a] != float64(1) || counts[b] != float64(2) || counts[c] != nil || p["voters"] != float64(2) {
			t.Fatalf("revealed multiple-answer poll: counts %v, voters %v; want A=1 B=2 from 2 voters (ids %v)", counts, p["voters"], ids)
		}
		inOrder := []string{a, b}
		sort.Strings(inOrder) // position names: the poll's order is their alphabetical order
		if fmt.Sprint(p["correct"]) != fmt.Sprint(inOrder) {
			t.Fatalf("right answers %v, want %v", p["correct"], inOrder)
		}
		var stored []string
		want := []string{strings.Join(inOrder, ","), b}
		sort.Strings(want)
		if err := ts.DB.NewSelect().Table("live_poll_voters").Column("choice").Where("poll_id = ?", poll).Order("choice").Scan(context.Background(), &stored); err != nil || fmt.Sprint(stored) != fmt.Sprint(want) {
			t.Fatalf("stored choices %q (%v), want %q: each voter's answers in the poll's order", stored, err, want)
		}

		// An ad-hoc poll with several answers, voted on from the page without JavaScript.
		trainer.send(map[string]any{"type": "poll_open", "prompt": "Which apps?", "options": []string{"Signal", "SMS", "Email"}, "multiple": true})
		adhoc := learner.next("poll_opened")["poll"].(map[string]any)["id"]
		page := f.learner.post(f.session+"/vote", url.Values{"poll": {fmt.Sprint(adhoc)}, "choice": {"a", "c"}})
		mustContain(t, page, "Your answer is in.")
		if tally := trainer.nextWhere("tally", func(m map[string]any) bool { return m["poll_id"] == adhoc }); tally["voters"] != float64(1) {
			t.Fatalf("tally after a plain multiple vote: %v", tally)
		}
		counts2, voters, err := store.New(ts.DB, nil).PollCounts(context.Background(), nil, int64(adhoc.(float64)))
		if err != nil || voters != 1 || counts2["a"] != 1 || counts2["c"] != 1 || counts2["b"] != 0 {
			t.Fatalf("plain multiple vote counted %v from %d voters (%v)", counts2, voters, err)
		}

		// A single-answer poll refuses a list, and a question the quiz lacks cannot be asked.
		ts.Clock.Advance(time.Second) // a person's votes refill at five a second
		trainer.send(map[string]any{"type": "poll_open", "prompt": "One only", "options": []string{"x", "y"}})
		single := learner.next("poll_opened")["poll"].(map[string]any)["id"]
		learner.send(map[string]any{"type": "vote", "poll_id": single, "choices": []string{"a", "b"}, "ref": "s"})
		if e := learner.next("error"); e["code"] != "bad_choice" {
			t.Fatalf("two answers to a single-answer poll: %v", e)
		}
		trainer.send(map[string]any{"type": "poll_open", "quiz_module": "basics", "quiz_question": "no-such-question", "ref": "o"})
		if e := trainer.next("error"); e["code"] != "unknown_question" {
			t.Fatalf("a question the quiz lacks: %v", e)
		}
	})
}

// Disabling an account on one instance closes its live connection to another.
func TestDisablingAnAccountClosesItsLiveConnectionOnEveryInstance(t *testing.T) {
	db := openPostgresForTest(t)
	cfg := config.Defaults()
	cfg.Argon2Memory, cfg.Argon2Time, cfg.Argon2Threads = 1024, 1, 1
	a := startServer(t, db, cfg)
	b := startServer(t, db, cfg)
	f := newLiveFixture(t, a)
	onB := &browser{t: t, ts: b, client: f.learner.client, header: http.Header{}}
	copyCookies(t, a, b, f.learner)
	learner := onB.mustDial(t, f.session)
	learner.next("snapshot")

	admin := adminBrowser(t, a, "gatekeeper")
	id := strconv.FormatInt(userIDByName(t, a, "live-learner"), 10)
	mustContain(t, admin.post("/admin/users/"+id+"/disable", nil), "Account disabled.")
	_ = learner.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, _, err := learner.conn.ReadMessage()
		if err == nil {
			continue // events sent before the close
		}
		if ne, ok := err.(interface{ Timeout() bool }); ok && ne.Timeout() {
			t.Fatal("the disabled account's connection to the other instance is still open")
		}
		break
	}
}
