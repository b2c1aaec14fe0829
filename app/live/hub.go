package live

import (
	"log/slog"
	"sync"
)

// Hub holds the connections of this instance, grouped in rooms by session.
type Hub struct {
	mu    sync.RWMutex
	rooms map[int64]*room
	log   *slog.Logger
}

type room struct {
	mu      sync.RWMutex
	clients map[*Client]struct{}
	seq     int64 // the highest number this room's clients were sent (event or snapshot)
}

// NewHub returns an empty hub.
func NewHub(log *slog.Logger) *Hub {
	return &Hub{rooms: map[int64]*room{}, log: log}
}

// add puts a client in its session's room. The room is joined under the hub's lock, the
// order remove takes them in too: released in between, the room's last client could leave
// and the room be forgotten before the newcomer is in it, leaving them in a room that no
// event reaches and that the stale-room watcher cannot see.
func (h *Hub) add(c *Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[c.Session]
	if r == nil {
		r = &room{clients: map[*Client]struct{}{}}
		h.rooms[c.Session] = r
	}
	r.mu.Lock()
	r.clients[c] = struct{}{}
	r.mu.Unlock()
}

func (h *Hub) remove(c *Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[c.Session]
	if r == nil {
		return
	}
	r.mu.Lock()
	delete(r.clients, c)
	empty := len(r.clients) == 0
	r.mu.Unlock()
	if empty {
		delete(h.rooms, c.Session)
	}
}

// closeUser closes every connection of one account to this instance (its account is gone).
func (h *Hub) closeUser(userID int64) {
	for _, c := range h.clients() {
		if c.UserID == userID {
			c.Close(CloseNormal)
		}
	}
}

// Dispatch delivers an event to this instance's clients of its session. It never blocks: a
// client whose queue is full is dropped (it reconnects and resyncs from a snapshot), so one
// slow phone cannot stall a room.
func (h *Hub) Dispatch(ev Event) {
	h.mu.RLock()
	r := h.rooms[ev.Session]
	h.mu.RUnlock()
	if r == nil {
		return
	}
	if ev.Seq != 0 {
		r.mu.Lock()
		r.seq = max(r.seq, ev.Seq)
		r.mu.Unlock()
	}
	var slow []*Client
	var frame []byte // framed once, on the first client that gets it, for all of them
	r.mu.RLock()
	for c := range r.clients {
		if ev.Audience == ToTrainers && !c.Trainer {
			continue
		}
		if frame == nil {
			frame = textFrame(ev.Data)
		}
		if !c.enqueueFrame(frame) {
			slow = append(slow, c)
		}
	}
	r.mu.RUnlock()
	for _, c := range slow {
		h.log.Debug("live: dropping slow client", "session", ev.Session, "user_id", c.UserID)
		c.Close(CloseSlow)
	}
}

// noteSeq records that a client of the session was given the state as of seq.
func (h *Hub) noteSeq(session, seq int64) {
	h.mu.RLock()
	r := h.rooms[session]
	h.mu.RUnlock()
	if r == nil {
		return
	}
	r.mu.Lock()
	r.seq = max(r.seq, seq)
	r.mu.Unlock()
}

// seqs returns, for each session with clients on this instance, the highest number sent.
func (h *Hub) seqs() map[int64]int64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make(map[int64]int64, len(h.rooms))
	for id, r := range h.rooms {
		r.mu.RLock()
		out[id] = r.seq
		r.mu.RUnlock()
	}
	return out
}

// clients lists this instance's connections.
func (h *Hub) clients() []*Client {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []*Client
	for _, r := range h.rooms {
		r.mu.RLock()
		for c := range r.clients {
			out = append(out, c)
		}
		r.mu.RUnlock()
	}
	return out
}

// Count is the number of connections on this instance, all sessions together.
func (h *Hub) Count() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := 0
	for _, r := range h.rooms {
		r.mu.RLock()
		n += len(r.clients)
		r.mu.RUnlock()
	}
	return n
}

// Local counts the connections of a session on this instance.
func (h *Hub) Local(session int64) int {
	h.mu.RLock()
	r := h.rooms[session]
	h.mu.RUnlock()
	if r == nil {
		return 0
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.clients)
}
