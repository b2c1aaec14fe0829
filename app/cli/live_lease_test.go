package cli_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cairn-lms/cairn/app/loadtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// dialLive opens a member's websocket to a session, signed in by their session token.
func dialLive(t *testing.T, base string, session int64, token string) *websocket.Conn {
	t.Helper()
	h := http.Header{"Origin": {base}, "Cookie": {"cairn_session=" + token}}
	conn, resp, err := websocket.DefaultDialer.Dial(fmt.Sprintf("ws%s/live/%d/ws", strings.TrimPrefix(base, "http"), session), h)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial: %v (HTTP %d)", err, status)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

type liveMessage struct {
	Type         string `json:"type"`
	Participants *int   `json:"participants"`
}

// After kill -9 an instance cannot close its attendance: another instance does, once its
// lease has run out, as of its last renewal, and trainers stop counting those people.
func TestAKilledInstancesAttendanceIsClosedAndItsPeopleStopCounting(t *testing.T) {
	bin := buildBinary(t)
	databases(t, func(t *testing.T, vars map[string]string) {
		ctx := context.Background()
		vars["CAIRN_ADDR"] = "127.0.0.1:0"
		vars["CAIRN_LIVE_LEASE"] = "2s"
		first, killed, firstLog := startServe(t, bin, t.TempDir(), vars)
		db := openFromVars(t, vars)
		defer db.Close()
		st := store.New(db, nil)
		f, err := loadtest.Prepare(ctx, st, 1, "account-security", nil)
		if err != nil {
			t.Fatal(err)
		}
		participant := dialLive(t, first, f.SessionID, f.Participants[0])
		var msg liveMessage
		if err := participant.ReadJSON(&msg); err != nil || msg.Type != "snapshot" {
			t.Fatalf("first message %+v: %v\n%s", msg, err, firstLog)
		}
		var open []model.LiveAttendance
		if err := db.NewSelect().Model(&open).Where("session_id = ?", f.SessionID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(open) != 1 || open[0].LeftAt != nil || open[0].InstanceID == nil {
			t.Fatalf("attendance while connected: %+v", open)
		}

		if err := killed.Process.Kill(); err != nil { // SIGKILL: nothing runs on the way out
			t.Fatal(err)
		}
		_ = killed.Wait()
		killedAt := time.Now()

		second, _, secondLog := startServe(t, bin, t.TempDir(), vars)
		trainer := dialLive(t, second, f.SessionID, f.TrainerToken)
		// Each snapshot or presence count the trainer gets is a moment to look: the second
		// instance's sweep closes the row, then tells trainers the new count.
		_ = trainer.SetReadDeadline(time.Now().Add(30 * time.Second))
		for {
			var msg liveMessage
			if err := trainer.ReadJSON(&msg); err != nil {
				t.Fatalf("the killed instance's attendance was never closed: %v\n%s", err, secondLog)
			}
			if msg.Participants == nil {
				continue
			}
			var row model.LiveAttendance
			if err := db.NewSelect().Model(&row).Where("id = ?", open[0].ID).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			if row.LeftAt == nil {
				continue
			}
			if *msg.Participants != 1 { // the trainer, connected to the second instance
				continue // a count sent before the sweep
			}
			if row.LeftAt.Before(row.JoinedAt) || row.LeftAt.After(killedAt) {
				t.Fatalf("left at %v: not between joining (%v) and the kill (%v)", row.LeftAt, row.JoinedAt, killedAt)
			}
			break
		}
		n, err := st.PresentCount(ctx, f.SessionID)
		if err != nil || n != 1 {
			t.Fatalf("present: %d (%v), want the trainer only", n, err)
		}
	})
}
