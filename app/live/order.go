package live

import "sync"

// sequencer hands a session's events to the hub in the order of their numbers. On SQLite
// events are dispatched in process once their transaction has committed, and goroutines
// that committed one after another can reach the hub the other way round: with a hundred
// questions asked at once, every client saw gaps and asked for a snapshot. A change takes a
// ticket inside its transaction, right after numbering it, while it holds the database's
// write lock, so tickets are taken in number order; events leave in ticket order, each
// once its own transaction has finished (a change rolled back or without a message leaves
// nothing, and frees the ones behind it).
type sequencer struct {
	mu    sync.Mutex
	queue map[int64][]*ticket // per session, oldest first
}

type ticket struct {
	done bool
	ev   *Event
}

// take queues a ticket for the session's next change. Call it inside the change's
// transaction, after its number was taken.
func (q *sequencer) take(session int64) *ticket {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.queue == nil {
		q.queue = map[int64][]*ticket{}
	}
	t := &ticket{}
	q.queue[session] = append(q.queue[session], t)
	return t
}

// finish settles a ticket with its event (nil if the change published nothing) and delivers
// every settled event at the head of the session's queue, in order. Delivery happens under
// the lock, so two finishing goroutines cannot swap events; deliver must not block.
func (q *sequencer) finish(session int64, t *ticket, ev *Event, deliver func(Event)) {
	q.mu.Lock()
	defer q.mu.Unlock()
	t.done, t.ev = true, ev
	line := q.queue[session]
	n := 0
	for n < len(line) && line[n].done {
		if line[n].ev != nil {
			deliver(*line[n].ev)
		}
		n++
	}
	if n == len(line) {
		delete(q.queue, session)
		return
	}
	q.queue[session] = line[n:]
}
