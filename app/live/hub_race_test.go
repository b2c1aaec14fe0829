package live

import (
	"io"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// inRoom tells whether c is in the room the hub holds for its session: the room events reach.
func (h *Hub) inRoom(c *Client) bool {
	h.mu.RLock()
	r := h.rooms[c.Session]
	h.mu.RUnlock()
	if r == nil {
		return false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.clients[c]
	return ok
}

// Joins racing leaves: a room whose last client leaves while another joins must never
// swallow the newcomer into a room the hub has already forgotten (it would hear no event,
// and the stale-room watcher could not see it).
func TestJoinsRacingLeavesNeverOrphanAClient(t *testing.T) {
	h := NewHub(slog.New(slog.NewTextHandler(io.Discard, nil)))
	// Two clients per session: each keeps leaving the room empty just as the other joins.
	sessions := max(runtime.GOMAXPROCS(0), 2)
	workers := 2 * sessions
	iterations := 500_000 / workers
	var orphaned atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := testClient(int64(w%sessions), false)
			for range iterations {
				h.add(c)
				if !h.inRoom(c) {
					orphaned.Add(1)
				}
				h.remove(c)
			}
		}()
	}
	wg.Wait()
	if n := orphaned.Load(); n != 0 {
		t.Fatalf("%d of %d joins landed in a room the hub had forgotten", n, workers*iterations)
	}
	if len(h.rooms) != 0 {
		t.Fatalf("%d rooms left with nobody in them", len(h.rooms))
	}
}
