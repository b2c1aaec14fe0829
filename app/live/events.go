package live

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/store"
)

// Audiences of an event.
const (
	ToAll      = "all"
	ToTrainers = "trainers"
)

// Event is one change to fan out: the encoded message and who gets it. Events for everyone
// carry the session's sequence number; trainer-only updates (tallies, presence, hands) carry
// none, so participants never see gaps.
//
// Between instances (PostgreSQL NOTIFY, at most 8,000 bytes) an event travels as this
// envelope. Data is left out when the whole would not fit: a numbered event's body is then
// read from live_events, where its change kept it; a trainer-only update is replaced by
// Refresh, and each instance sends its trainers the state afresh.
type Event struct {
	Session  int64           `json:"s"`
	Audience string          `json:"a"`
	Seq      int64           `json:"q,omitempty"` // the session's number for this change; 0 if unnumbered
	Data     json.RawMessage `json:"d,omitempty"`
	Refresh  bool            `json:"r,omitempty"` // trainers: read presence, hands and tally again
	// SignOut names an account whose connections every instance closes (disabled or
	// deleted); the event has no session.
	SignOut int64 `json:"o,omitempty"`
}

// maxNotify is the largest envelope sent by NOTIFY (PostgreSQL refuses 8,000 bytes and
// more, and the channel name shares the limit).
const maxNotify = 7800

// change runs a numbered change: it keeps the event's body and publishes it to everyone.
func (s *Service) change(ctx context.Context, sessionID int64, fn func(ctx context.Context, tx bun.Tx, seq int64) (numbered, error)) error {
	inProcess := !database.IsPostgres(s.Store.DB())
	var t *ticket
	var committed *Event
	defer func() {
		if t != nil {
			s.order.finish(sessionID, t, committed, s.deliver)
		}
	}()
	var ev *Event
	_, err := s.Store.LiveChange(ctx, sessionID, true, func(ctx context.Context, tx bun.Tx, seq int64) error {
		if inProcess {
			t = s.order.take(sessionID)
		}
		msg, err := fn(ctx, tx, seq)
		if err != nil || msg == nil {
			return err
		}
		// The kept copy says nothing of when it was sent (sent_at 0): the table must not give
		// an anonymous question a finer time than live_questions does (the minute).
		msg.number(seq, time.UnixMilli(0))
		if err := s.Store.AddLiveEvent(ctx, tx, sessionID, seq, ToAll, mustJSON(msg)); err != nil {
			return err
		}
		msg.number(seq, time.Now())
		e := Event{Session: sessionID, Audience: ToAll, Seq: seq, Data: mustJSON(msg)}
		ev = &e
		return s.publish(ctx, tx, e)
	})
	if errors.Is(err, store.ErrSessionClosed) {
		return refuse("session_ended")
	}
	if err != nil {
		return err
	}
	if inProcess {
		committed = ev // delivered by the deferred finish, in number order
	}
	return nil
}

// toTrainers sends an unnumbered update to the session's trainers on every instance.
func (s *Service) toTrainers(ctx context.Context, sessionID int64, msg any) error {
	ev := Event{Session: sessionID, Audience: ToTrainers, Data: mustJSON(msg)}
	if !database.IsPostgres(s.Store.DB()) {
		s.deliver(ev)
		return nil
	}
	return s.publish(ctx, s.Store.DB(), ev)
}

// publish sends an event to every instance on PostgreSQL (NOTIFY, inside db when it is a
// transaction, so instances hear of changes in commit order). On SQLite it does nothing:
// the caller dispatches in process.
func (s *Service) publish(ctx context.Context, db bun.IDB, ev Event) error {
	if !database.IsPostgres(db) {
		return nil
	}
	payload := mustJSON(ev)
	if len(payload) > maxNotify {
		ev.Data = nil
		ev.Refresh = ev.Seq == 0
		payload = mustJSON(ev)
	}
	channel, err := s.Store.LiveChannel(ctx)
	if err != nil {
		return err
	}
	_, err = database.Notify(ctx, db, channel, payload)
	return err
}

// received handles one notification, on the listener's goroutine: events are delivered in
// the order they arrive, which is commit order.
func (s *Service) received(ctx context.Context, payload string) {
	var ev Event
	if err := json.Unmarshal([]byte(payload), &ev); err != nil {
		s.Log.Error("live: bad event payload", "err", err)
		return
	}
	switch {
	case ev.SignOut != 0:
		s.Hub.closeUser(ev.SignOut)
		return
	case ev.Refresh:
		go s.refreshTrainers(ctx, ev.Session)
		return
	case ev.Data == nil && ev.Seq != 0:
		if s.Hub.Local(ev.Session) == 0 && !s.holdsVotesOf(ev.Session) {
			return // nobody here to tell, nothing held to settle: do not read it for nothing
		}
		kept, err := s.Store.LiveEvent(ctx, ev.Session, ev.Seq)
		if err != nil {
			// The room's clients will see the gap at the next event, and the watcher finds it.
			s.Log.Warn("live: read a large event", "session", ev.Session, "seq", ev.Seq, "err", err)
			return
		}
		ev.Data = json.RawMessage(kept.Body)
	}
	s.deliver(ev)
}

// deliver hands an event to this instance's clients.
func (s *Service) deliver(ev Event) {
	if s.Events != nil {
		s.Events.Inc()
	}
	s.Hub.Dispatch(ev)
	if ev.Audience == ToAll && s.holdsVotesOf(ev.Session) && mayClosePolls(ev.Data) {
		// Not on the listener's goroutine: it must keep relaying events meanwhile.
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			s.settleClosedPolls(ctx, ev.Session)
		}()
	}
}

// Listen relays events published by every instance (PostgreSQL) to this instance's clients,
// and sends trainers presence counts. It returns when ctx ends.
func (s *Service) Listen(ctx context.Context, db *bun.DB) {
	go s.presenceLoop(ctx)
	go s.pruneLoop(ctx)
	if database.IsPostgres(db) {
		go s.watchLoop(ctx)
	}
	var channel string
	for {
		var err error
		if channel, err = s.Store.LiveChannel(ctx); err == nil {
			break
		}
		s.Log.Warn("live: channel name", "err", err)
		select { // the database is not reachable yet; Ready stays open meanwhile
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
	database.Listen(ctx, db, channel, func(payload string) { s.received(ctx, payload) },
		func() {
			s.listening.Store(true)
			if s.everListened.Swap(true) {
				go s.recoverRooms(ctx) // after a loss; the first time nobody could miss anything
			}
			s.readyOnce.Do(func() { close(s.ready()) })
		},
		func(err error) {
			s.listening.Store(false)
			s.Log.Warn("live: not listening to other instances; reconnecting", "err", err)
		})
}

// Ready is closed once this instance first receives the events of every instance (on
// PostgreSQL, once its LISTEN is in place). Before that a participant connected here could
// miss a step.
func (s *Service) Ready() <-chan struct{} { return s.ready() }

// Listening tells whether this instance receives the events of every instance now: false
// before its LISTEN is first in place and whenever the listening connection is down
// (/readyz answers 503 meanwhile).
func (s *Service) Listening() bool { return s.listening.Load() }

func (s *Service) ready() chan struct{} {
	s.readyInit.Do(func() { s.readyCh = make(chan struct{}) })
	return s.readyCh
}

// pruneLoop forgets kept event bodies that no client can need any more.
func (s *Service) pruneLoop(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := s.Store.PruneLiveEvents(ctx); err != nil && ctx.Err() == nil {
			s.Log.Warn("live: prune kept events", "err", err)
		}
	}
}
