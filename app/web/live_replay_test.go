package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/database"
)

// dialSince opens the live socket of a session as a reconnecting console does, giving the
// last number it has.
func dialSince(t *testing.T, b *browser, session string, since int64) *wsConn {
	t.Helper()
	u, _ := url.Parse(b.ts.URL)
	h := http.Header{"Origin": {b.ts.URL}}
	var cookies []string
	for _, c := range b.client.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	h.Set("Cookie", strings.Join(cookies, "; "))
	conn, _, err := websocket.DefaultDialer.Dial(fmt.Sprintf("ws://%s%s/ws?since=%d", u.Host, session, since), h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return &wsConn{t: t, conn: conn}
}

// first reads the replay or snapshot a (re)connecting client is sent first. Live events and
// trainer updates may come before it (the client keeps events until it arrives).
func (c *wsConn) first() map[string]any {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			c.t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			c.t.Fatal(err)
		}
		if m["type"] == "replay" || m["type"] == "snapshot" {
			return m
		}
	}
}

func TestAReconnectingConsoleIsSentTheEventsItMissedInsteadOfASnapshot(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.trainer.mustDial(t, f.session), f.learner.mustDial(t, f.session)
		trainer.next("snapshot")
		learner.next("snapshot")
		trainer.send(map[string]any{"type": "step", "lesson": "drill"})
		k := seqOf(learner.next("step")) // what the learner has when it drops off
		_ = learner.conn.Close()         // the learner's phone drops off; the trainer goes on
		for i, lesson := range []string{"second-steps", "drill", "second-steps"} {
			trainer.send(map[string]any{"type": "step", "lesson": lesson, "ref": fmt.Sprint(i)})
			trainer.next("ack")
		}

		// Back with the number it had: the three steps, in order, and no snapshot.
		back := dialSince(t, f.learner, f.session, k)
		r := back.first()
		if r["type"] != "replay" || seqOf(r) != k+3 {
			t.Fatalf("first message %v, want a replay up to %d", r, k+3)
		}
		evs := r["events"].([]any)
		if len(evs) != 3 {
			t.Fatalf("%d events replayed, want 3", len(evs))
		}
		for i, e := range evs {
			e := e.(map[string]any)
			if e["type"] != "step" || seqOf(e) != k+1+int64(i) {
				t.Fatalf("replayed event %d: %v", i, e)
			}
		}
		// A resync that gives its number is answered the same way.
		back.send(map[string]any{"type": "resync", "since": k + 2})
		if r := back.next("replay"); seqOf(r) != k+3 || len(r["events"].([]any)) != 1 {
			t.Fatalf("resync since %d: %v", k+2, r)
		}

		// A trainer catching up also gets presence and hands afresh.
		tr := dialSince(t, f.trainer, f.session, k+3)
		if r := tr.first(); r["type"] != "replay" || len(r["events"].([]any)) != 0 {
			t.Fatalf("trainer up to date: %v", r)
		}
		tr.next("presence")
		tr.next("hands")

		// Once the events it needs are no longer kept, a snapshot.
		if _, err := ts.DB.NewDelete().Table("live_events").Where("seq <= ?", k+1).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		again := dialSince(t, f.learner, f.session, k)
		if s := again.first(); s["type"] != "snapshot" || seqOf(s) != k+3 {
			t.Fatalf("since %d with event %d gone: %v, want a snapshot", k, k+1, s)
		}
	})
}

// /readyz follows the live listener both ways: 503 while the instance's LISTEN connection
// is down (it would miss other instances' events), 200 again once it listens anew.
func TestReadyzFollowsTheLiveListener(t *testing.T) {
	db := openPostgresForTest(t)
	cfg := config.Defaults()
	cfg.Argon2Memory, cfg.Argon2Time, cfg.Argon2Threads = 1024, 1, 1
	ts := startServer(t, db, cfg)
	b := ts.browser(t)
	status := func() int {
		resp, err := b.client.Get(ts.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	until := func(what string, want int) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for status() != want {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting until %s", what)
			}
			time.Sleep(2 * time.Millisecond) // polling with a deadline
		}
	}
	until("ready", http.StatusOK)
	ctx := context.Background()
	channel, err := database.ChannelName(ctx, db, "cairn_live")
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.NewRaw(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE ?`,
		fmt.Sprintf(`LISTEN "%s%%`, channel)).Scan(ctx, &n); err != nil || n != 1 {
		t.Fatalf("terminated %d listening backends (%v), want 1", n, err)
	}
	until("not ready while the listener is down", http.StatusServiceUnavailable)
	until("ready again", http.StatusOK)
}
