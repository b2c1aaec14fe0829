package web_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/database/dbtest"
)

// queryLog keeps the text of every query the database sees.
type queryLog struct {
	mu sync.Mutex
	qs []string
}

func (q *queryLog) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	q.mu.Lock()
	q.qs = append(q.qs, e.Query)
	q.mu.Unlock()
	return ctx
}

func (q *queryLog) AfterQuery(context.Context, *bun.QueryEvent) {}

func (q *queryLog) take() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.qs
	q.qs = nil
	return out
}

func TestReadyzRunsNoDDLAndReusesItsAnswerBriefly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		log := &queryLog{}
		ts := startServer(t, db.WithQueryHook(log), testConfig())
		b := ts.browser(t)
		log.take()
		mustStatus(t, b.get("/readyz"), http.StatusOK)
		first := log.take()
		if len(first) == 0 {
			t.Fatal("the first probe ran no query")
		}
		wrote := false
		for _, q := range first {
			if strings.Contains(strings.ToUpper(q), "CREATE ") {
				t.Fatalf("readiness probe ran DDL: %s", q)
			}
			wrote = wrote || strings.Contains(q, "UPDATE") && strings.Contains(q, "readiness")
		}
		if !wrote {
			t.Fatalf("readiness probe did not try a write: %q", first)
		}
		ts.Clock.Advance(time.Second)
		mustStatus(t, b.get("/readyz"), http.StatusOK)
		if again := log.take(); len(again) != 0 {
			t.Fatalf("a probe within 2 s of the last ran %d queries", len(again))
		}
		ts.Clock.Advance(2 * time.Second)
		mustStatus(t, b.get("/readyz"), http.StatusOK)
		if len(log.take()) == 0 {
			t.Fatal("a probe 3 s later reused the old answer")
		}
	})
}

// TestReadyzReportsADatabaseThatCannotWrite: on SQLite, a data directory whose filesystem
// fills up; on PostgreSQL, a server that only allows reads (a standby, or a primary after
// failover): both answer SELECT 1 and would have been reported ready.
func TestReadyzReportsADatabaseThatCannotWrite(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
			t.Skipf("cannot mount a small filesystem to fill (needs root): %v %s", err, out)
		}
		t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
		cfg := testConfig()
		cfg.DataDir = dir
		db, err := database.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		m, err := database.NewMigrator(db)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Up(context.Background()); err != nil {
			t.Fatal(err)
		}
		ts := startServer(t, db, cfg)
		b := ts.browser(t)
		mustStatus(t, b.get("/readyz"), http.StatusOK)

		filler := filepath.Join(dir, "filler")
		f, err := os.Create(filler)
		if err != nil {
			t.Fatal(err)
		}
		chunk := make([]byte, 64<<10)
		for {
			if _, err := f.Write(chunk); err != nil {
				break // ENOSPC: the disk is full
			}
		}
		_ = f.Close()
		p := b.get("/readyz")
		mustStatus(t, p, http.StatusServiceUnavailable)
		if !strings.Contains(p.Body, "full") && !strings.Contains(p.Body, "cannot write") {
			t.Fatalf("full disk reported as %q", p.Body)
		}
		if err := os.Remove(filler); err != nil {
			t.Fatal(err)
		}
		mustStatus(t, b.get("/readyz"), http.StatusOK)
	})
	t.Run("postgres", func(t *testing.T) {
		db := dbtest.Open(t, "postgres")
		var schema string
		if err := db.NewRaw("SELECT current_schema()").Scan(context.Background(), &schema); err != nil {
			t.Fatal(err)
		}
		readOnly, err := database.OpenPostgres(context.Background(), dbtest.PostgresURL(t),
			pgdriver.WithConnParams(map[string]any{"search_path": schema, "default_transaction_read_only": "on"}))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = readOnly.Close() })
		cfg := testConfig()
		cfg.SecretKey = strings.Repeat("ab", 32) // else starting would store a secret: a write
		ts := startServer(t, readOnly, cfg)
		b := ts.browser(t)
		mustStatus(t, b.get("/"), http.StatusOK) // it reads well enough
		p := b.get("/readyz")
		mustStatus(t, p, http.StatusServiceUnavailable)
		mustContain(t, p, "cannot write")
	})
}

func TestDrainingRefusesNewLiveConnectionsAndClosesOpenOnesAsGoingAway(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.connect(t)
		mustStatus(t, f.learner.get("/readyz"), http.StatusOK)

		ts.Srv.Drain()
		for _, c := range []*wsConn{trainer, learner} {
			_ = c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			var err error
			for err == nil {
				_, _, err = c.conn.ReadMessage()
			}
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
				t.Fatalf("open connection ended with %v, want close 1001", err)
			}
		}
		_, resp, err := f.learner.dial(t, f.session)
		if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("upgrade while draining: %v %v, want 503", err, resp)
		}
		if resp.Header.Get("Retry-After") == "" {
			t.Fatal("503 to an upgrade without Retry-After")
		}
		p := f.learner.get("/readyz")
		mustStatus(t, p, http.StatusServiceUnavailable)
		mustContain(t, p, "shutting down")
		// Pages are still served while a load balancer notices.
		mustStatus(t, f.learner.get(f.session), http.StatusOK)
	})
}

// TestReadyzReportsADamagedSQLiteFile: pages overwritten under a running server (a failing
// disk) make the database answer SQLITE_CORRUPT; the instance then stays not ready, with a
// reason naming the way out, until a backup is restored.
func TestReadyzReportsADamagedSQLiteFile(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	ts := startServer(t, db, testConfig())
	b := ts.browser(t)
	b.signUp("fragile")
	mustStatus(t, b.get("/readyz"), http.StatusOK)
	ctx := context.Background()
	var seq int
	var name, file string
	if err := db.QueryRowContext(ctx, "PRAGMA database_list").Scan(&seq, &name, &file); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(file, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := f.Stat()
	garbage := []byte(strings.Repeat("\xa5\x5a\x00\xff", 1024))
	for off := int64(4096); off < info.Size(); off += 4096 { // every page but the header's
		if _, err := f.WriteAt(garbage, off); err != nil {
			t.Fatal(err)
		}
	}
	_ = f.Close()
	// The server's connection still holds good copies of some pages; drop them, as memory
	// pressure or a restart would.
	if _, err := db.ExecContext(ctx, "PRAGMA shrink_memory"); err != nil {
		t.Fatal(err)
	}
	ts.Clock.Advance(3 * time.Second)
	p := b.get("/readyz")
	mustStatus(t, p, http.StatusServiceUnavailable)
	mustContain(t, p, "damaged")
	ts.Clock.Advance(3 * time.Second)
	mustStatus(t, b.get("/readyz"), http.StatusServiceUnavailable)
}
