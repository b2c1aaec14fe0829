package cli_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cairn-lms/cairn/app/loadtest"
	"github.com/cairn-lms/cairn/app/store"
)

func copyTo(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// damage overwrites a page in the middle of a SQLite file with garbage, as a failing disk
// or a half-finished copy would.
func damage(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, _ := f.Stat()
	pages := info.Size() / 4096
	if pages < 4 {
		t.Fatalf("%s has %d pages; too small to damage in the middle", path, pages)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5, 0x5A, 0x00, 0xFF}, 1024), (pages/2)*4096); err != nil {
		t.Fatal(err)
	}
}

// TestRestoreAfterACrashWhereACopyCorrupts: a crash leaves cairn.db-wal beside cairn.db;
// copying a backup over cairn.db, as the README used to say, lets SQLite apply the old WAL
// to the new file. Start-up now refuses the damaged result and names `cairn restore`,
// which moves the WAL aside with the old file and checks what it put in place.
func TestRestoreAfterACrashWhereACopyCorrupts(t *testing.T) {
	live := map[string]string{"CAIRN_DATA_DIR": t.TempDir(), "CAIRN_ARGON2_MEMORY": "1024", "CAIRN_ARGON2_TIME": "1", "CAIRN_LOG_LEVEL": "warn"}
	if code, _, errOut := run(t, live, "a long enough passphrase\n", "users", "create", "--username", "kept", "--role", "trainer", "--password-stdin"); code != 0 {
		t.Fatal(errOut)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if code, _, errOut := run(t, live, "", "backup", backup); code != 0 {
		t.Fatal(errOut)
	}
	// Work after the backup, committed to the WAL and not yet checkpointed, then a crash:
	// the files as they are while the database is open.
	db := openFromVars(t, live)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE later (id INTEGER PRIMARY KEY, body BLOB)"); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if _, err := db.ExecContext(ctx, "INSERT INTO later (body) VALUES (randomblob(900))"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "UPDATE users SET username = ? WHERE username LIKE 'kept%'", fmt.Sprintf("kept%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	crashed := func() map[string]string {
		dir := t.TempDir()
		for _, f := range []string{"cairn.db", "cairn.db-wal"} {
			copyTo(t, filepath.Join(live["CAIRN_DATA_DIR"], f), filepath.Join(dir, f))
		}
		vars := map[string]string{}
		for k, v := range live {
			vars[k] = v
		}
		vars["CAIRN_DATA_DIR"] = dir
		return vars
	}
	naive, safe := crashed(), crashed()
	_ = db.Close()

	// The old way: copy the backup over cairn.db, leaving the WAL.
	copyTo(t, backup, filepath.Join(naive["CAIRN_DATA_DIR"], "cairn.db"))
	code, _, errOut := run(t, naive, "", "users", "list")
	if code != 1 || !strings.Contains(errOut, "damaged") || !strings.Contains(errOut, "cairn restore") {
		t.Fatalf("start on a backup copied beside an old WAL: exit %d, %q", code, errOut)
	}

	// The new way.
	code, out, errOut := run(t, safe, "", "restore", backup)
	if code != 0 || !strings.Contains(out, "restored") {
		t.Fatalf("restore: exit %d %s %s", code, out, errOut)
	}
	aside, _ := filepath.Glob(filepath.Join(safe["CAIRN_DATA_DIR"], "cairn.before-restore-*.db*"))
	if len(aside) != 2 {
		t.Fatalf("kept aside %v, want the old database and its WAL", aside)
	}
	if info, err := os.Stat(filepath.Join(safe["CAIRN_DATA_DIR"], "cairn.db")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("restored file: %v %v", info, err)
	}
	code, out, errOut = run(t, safe, "", "users", "list")
	if code != 0 || !strings.Contains(out, "kept\ttrainer") {
		t.Fatalf("users after restore: exit %d %q %s", code, out, errOut)
	}
}

func TestRestoreRefusesADamagedBackupAndARunningServer(t *testing.T) {
	vars := map[string]string{"CAIRN_DATA_DIR": t.TempDir(), "CAIRN_ARGON2_MEMORY": "1024", "CAIRN_ARGON2_TIME": "1", "CAIRN_LOG_LEVEL": "warn", "CAIRN_ADDR": "127.0.0.1:0"}
	for i := range 30 { // enough pages to damage one in the middle
		if code, _, errOut := run(t, vars, "a long enough passphrase\n", "users", "create", "--username", fmt.Sprintf("person%d", i), "--role", "learner", "--password-stdin"); code != 0 {
			t.Fatal(errOut)
		}
	}
	if _, err := openFromVars(t, vars).ExecContext(context.Background(), "CREATE TABLE filler AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 200) SELECT i, randomblob(500) AS b FROM n"); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if code, _, errOut := run(t, vars, "", "backup", backup); code != 0 {
		t.Fatal(errOut)
	}
	damaged := filepath.Join(t.TempDir(), "damaged.db")
	copyTo(t, backup, damaged)
	damage(t, damaged)
	before, _ := os.ReadFile(filepath.Join(vars["CAIRN_DATA_DIR"], "cairn.db"))
	code, _, errOut := run(t, vars, "", "restore", damaged)
	if code != 1 || !strings.Contains(errOut, "damaged") || !strings.Contains(errOut, "nothing was changed") {
		t.Fatalf("restore of a damaged backup: exit %d %q", code, errOut)
	}
	if after, _ := os.ReadFile(filepath.Join(vars["CAIRN_DATA_DIR"], "cairn.db")); !bytes.Equal(before, after) {
		t.Fatal("a refused restore changed the database")
	}

	// A server started on the damaged file refuses, naming the way out.
	other := map[string]string{"CAIRN_DATA_DIR": t.TempDir(), "CAIRN_LOG_LEVEL": "warn", "CAIRN_ADDR": "127.0.0.1:0"}
	copyTo(t, damaged, filepath.Join(other["CAIRN_DATA_DIR"], "cairn.db"))
	code, _, errOut = run(t, other, "", "serve")
	if code != 1 || !strings.Contains(errOut, "cairn restore") {
		t.Fatalf("serve on a damaged database: exit %d %q", code, errOut)
	}

	bin := buildBinary(t)
	startServe(t, bin, t.TempDir(), vars)
	code, _, errOut = run(t, vars, "", "restore", backup)
	if code != 1 || !strings.Contains(errOut, "stop it first") {
		t.Fatalf("restore under a running server: exit %d %q", code, errOut)
	}
}

// TestServeDrainsOnSIGTERM runs the real process with live participants connected: on
// SIGTERM they are told 1001 (going away), a new connection gets 503 with Retry-After,
// /readyz answers 503, and a request that never finishes cannot turn the stop into exit 1.
func TestServeDrainsOnSIGTERM(t *testing.T) {
	bin := buildBinary(t)
	databases(t, func(t *testing.T, vars map[string]string) {
		if code, _, errOut := run(t, vars, "", "migrate"); code != 0 {
			t.Fatal(errOut)
		}
		db := openFromVars(t, vars)
		f, err := loadtest.Prepare(context.Background(), store.New(db, nil), 3, "account-security", nil)
		_ = db.Close()
		if err != nil {
			t.Fatal(err)
		}
		vars["CAIRN_ADDR"] = "127.0.0.1:0"
		vars["CAIRN_LOG_LEVEL"] = "info"
		vars["CAIRN_DRAIN_DELAY"] = "5s"
		vars["CAIRN_SHUTDOWN_TIMEOUT"] = "1s"
		base, cmd, stderr := startServe(t, bin, t.TempDir(), vars)
		host := strings.TrimPrefix(base, "http://")
		dial := func(token string) (*websocket.Conn, *http.Response, error) {
			h := http.Header{"Origin": {base}, "Cookie": {"cairn_session=" + token}}
			return websocket.DefaultDialer.Dial(fmt.Sprintf("ws://%s/live/%d/ws", host, f.SessionID), h)
		}
		var conns []*websocket.Conn
		for _, token := range f.Participants[:2] {
			c, resp, err := dial(token)
			if err != nil {
				t.Fatalf("dial: %v %v", err, resp)
			}
			defer c.Close()
			if _, _, err := c.ReadMessage(); err != nil { // the snapshot
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		// A request whose body never finishes arriving.
		half, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		defer half.Close()
		fmt.Fprintf(half, "POST /login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=", host)

		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		for _, c := range conns {
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			var err error
			for err == nil {
				_, _, err = c.ReadMessage()
			}
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
				t.Fatalf("live connection ended with %v, want 1001", err)
			}
		}
		_, resp, err := dial(f.Participants[2])
		if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("new live connection while draining: %v %+v, want 503 with Retry-After", err, resp)
		}
		r, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("/readyz while draining: %d", r.StatusCode)
		}

		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("exit after SIGTERM with a request hanging: %v\n%s", err, stderr.String())
			}
		case <-time.After(30 * time.Second):
			t.Fatal("server did not stop")
		}
		log := stderr.String()
		if !strings.Contains(log, "shutdown timeout reached") || !strings.Contains(log, "msg=stopped") {
			t.Fatalf("forced close not logged:\n%s", log)
		}
	})
}
