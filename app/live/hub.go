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
// slow phone cannot stall a room. The event is framed once, and most clients are written to
// from this loop, once each (Client.deliverFrame); the others get a writer goroutine.
// Callers deliver a session's events one at a time, in order (sequencer, the listener).
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
	// The room's clients are listed under its lock and written to outside it: the writes
	// of a large room take a while, and a join or a leave must not wait for them (nor,
	// through the hub's lock a join holds meanwhile, every other room).
	list := roomLists.Get().(*[]*Client)
	clients := (*list)[:0]
	r.mu.RLock()
	for c := range r.clients {
		if ev.Audience == ToTrainers && !c.Trainer {
			continue
		}
		clients = append(clients, c)
	}
	r.mu.RUnlock()
	if len(clients) > 0 {
		h.deliverAll(clients, textFrame(ev.Data), ev.Session)
	}
	clear(clients)
	*list = clients[:0]
	roomLists.Put(list)
}

// A large room's writes are shared among goroutines of fanOutChunk clients or more, at most
// maxFanOutParts of them; a room of fewer than twice fanOutChunk is written to by the caller
// alone. Not one goroutine per processor: when a poll opens in a room of thousands, the
// first votes arrive while the poll is still being written, and a few goroutines writing
// for 10 ms at a stretch got a small share of the processors next to the many short ones
// handling votes (the last readers got the poll up to twice as late as from a relay).
// Parts of about a hundred clients take a millisecond or two each, so the event's writes
// keep their share, at a goroutine per part instead of one per client.
const (
	fanOutChunk    = 128
	maxFanOutParts = 64
)

// deliverAll gives frame to every client and returns when each was written to or queued
// for its writer, so that the session's next event cannot overtake it anywhere.
func (h *Hub) deliverAll(clients []*Client, frame []byte, session int64) {
	each := func(part []*Client) {
		for _, c := range part {
			if !c.deliverFrame(frame) {
				h.log.Debug("live: dropping slow client", "session", session, "user_id", c.UserID)
				c.Close(CloseSlow)
			}
		}
	}
	parts := min(maxFanOutParts, len(clients)/fanOutChunk)
	if parts <= 1 {
		each(clients)
		return
	}
	size := (len(clients) + parts - 1) / parts
	var wg sync.WaitGroup
	for start := size; start < len(clients); start += size {
		wg.Go(func() { each(clients[start:min(start+size, len(clients))]) })
	}
	each(clients[:size])
	wg.Wait()
}

// roomLists are the client lists Dispatch makes, kept for the next event.
var roomLists = sync.Pool{New: func() any { return new([]*Client) }}

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
