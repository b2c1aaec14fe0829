package database_test

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/database/dbtest"
)

// pgOnly runs fn on PostgreSQL only (SQLite has no notifications).
func pgOnly(t *testing.T, fn func(t *testing.T, db *bun.DB)) {
	fn(t, dbtest.Open(t, "postgres"))
}

// pgPoll waits for cond with a deadline.
func pgPoll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond) // polling with a deadline
	}
}

// A consumer busy for a while (a burst of events for a large room) used to lose every
// notification beyond the 1,000 pgdriver's channel buffers, with nothing but a log line.
func TestListenLosesNothingWhileTheConsumerIsBusy(t *testing.T) {
	pgOnly(t, func(t *testing.T, db *bun.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		channel, err := database.ChannelName(ctx, db, "cairn_listen_test")
		if err != nil {
			t.Fatal(err)
		}
		release := make(chan struct{})
		var got []int
		var n, up atomic.Int64
		done := make(chan struct{})
		const sent = 3000
		go database.Listen(ctx, db, channel, func(payload string) {
			if len(got) == 0 {
				<-release // the consumer is stuck until everything has been sent
			}
			v, _ := strconv.Atoi(payload)
			got = append(got, v)
			if n.Add(1) == sent {
				close(done)
			}
		}, func() { up.Add(1) }, func(error) {})
		pgPoll(t, "listening", func() bool { return up.Load() > 0 })
		for i := range sent {
			if _, err := database.Notify(ctx, db, channel, []byte(strconv.Itoa(i))); err != nil {
				t.Fatal(err)
			}
		}
		close(release)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("received %d of %d notifications", n.Load(), sent)
		}
		for i, v := range got {
			if v != i {
				t.Fatalf("notification %d is %d: out of order or lost", i, v)
			}
		}
	})
}

// Readiness follows the listening connection both ways: down when its backend is
// terminated, up again once it has listened anew.
func TestListenReportsTheConnectionGoingDownAndComingBack(t *testing.T) {
	pgOnly(t, func(t *testing.T, db *bun.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		channel, err := database.ChannelName(ctx, db, "cairn_listen_test")
		if err != nil {
			t.Fatal(err)
		}
		var up, down atomic.Int64
		var listening atomic.Bool
		go database.Listen(ctx, db, channel, func(string) {},
			func() { up.Add(1); listening.Store(true) },
			func(error) { down.Add(1); listening.Store(false) })
		pgPoll(t, "listening", listening.Load)
		terminate(t, ctx, db, channel)
		pgPoll(t, "the loss is reported", func() bool { return down.Load() == 1 })
		pgPoll(t, "listening again", func() bool { return up.Load() == 2 && listening.Load() })
	})
}

// terminate ends the backend listening on channel (this test's channel only).
func terminate(t *testing.T, ctx context.Context, db *bun.DB, channel string) {
	t.Helper()
	var n int
	err := db.NewRaw(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE ?`,
		fmt.Sprintf(`LISTEN "%s%%`, channel)).Scan(ctx, &n)
	if err != nil || n != 1 {
		t.Fatalf("terminated %d listening backends (%v), want 1", n, err)
	}
}
