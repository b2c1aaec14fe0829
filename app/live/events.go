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
type Event struct {
	Session  int64           `json:"s"`
	Audience string          `json:"a"`
	Seq      int64           `json:"q,omitempty"` // the session's number for this change; 0 if unnumbered
	Data     json.RawMessage `json:"d"`
}

// change runs a numbered change and publishes its event to everyone.
func (s *Service) change(ctx context.Context, sessionID int64, fn func(ctx context.Context, tx bun.Tx, seq int64) (numbered, error)) error {
	var payload []byte
	var notified bool
	_, err := s.Store.LiveChange(ctx, sessionID, true, func(ctx context.Context, tx bun.Tx, seq int64) error {
		msg, err := fn(ctx, tx, seq)
		if err != nil || msg == nil {
			return err
		}
		msg.number(seq, time.Now())
		payload, notified, err = s.publish(ctx, tx, Event{Session: sessionID, Audience: ToAll, Seq: seq, Data: mustJSON(msg)})
		return err
	})
	if errors.Is(err, store.ErrSessionClosed) {
		return refuse("session_ended")
	}
	if err != nil || payload == nil {
		return err
	}
	if !notified {
		s.dispatchRaw(payload)
	}
	return nil
}

// toTrainers sends an unnumbered update to the session's trainers on every instance.
func (s *Service) toTrainers(ctx context.Context, sessionID int64, msg any) error {
	payload, notified, err := s.publish(ctx, s.Store.DB(), Event{Session: sessionID, Audience: ToTrainers, Data: mustJSON(msg)})
	if err != nil {
		return err
	}
	if !notified {
		s.dispatchRaw(payload)
	}
	return nil
}

// publish sends an event to every instance (PostgreSQL NOTIFY, inside db when it is a
// transaction, so instances hear of changes in commit order). It returns the encoded event,
// and whether it was sent: if not (SQLite), the caller dispatches it here.
func (s *Service) publish(ctx context.Context, db bun.IDB, ev Event) ([]byte, bool, error) {
	payload := mustJSON(ev)
	channel, err := s.Store.LiveChannel(ctx)
	if err != nil {
		return nil, false, err
	}
	notified, err := database.Notify(ctx, db, channel, payload)
	return payload, notified, err
}

func (s *Service) dispatchRaw(payload []byte) {
	var ev Event
	if err := json.Unmarshal(payload, &ev); err != nil {
		s.Log.Error("live: bad event payload", "err", err)
		return
	}
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
	database.Listen(ctx, db, channel, func(payload string) { s.dispatchRaw([]byte(payload)) },
		func() { s.readyOnce.Do(func() { close(s.ready()) }) },
		func(err error) { s.Log.Warn("live: listener", "err", err) })
}

// Ready is closed once this instance receives the events of every instance (on PostgreSQL,
// once its LISTEN is in place). Before that a participant connected here could miss a step.
func (s *Service) Ready() <-chan struct{} { return s.ready() }

func (s *Service) ready() chan struct{} {
	s.readyInit.Do(func() { s.readyCh = make(chan struct{}) })
	return s.readyCh
}
