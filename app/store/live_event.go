package store

import (
	"context"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// How long live event bodies are kept: enough for a phone switching networks, or an
// instance whose listener reconnected, to catch up without a snapshot, and no longer.
const (
	LiveEventsKept = 512             // per session, the latest
	LiveEventsFor  = 5 * time.Minute // and only this recent (to the minute)
)

// AddLiveEvent keeps a numbered event's body, inside the change's transaction, and forgets
// the session's events that fell out of the last LiveEventsKept. The time is kept to the
// minute, as for questions: enough to prune by.
func (s *Store) AddLiveEvent(ctx context.Context, tx bun.Tx, sessionID, seq int64, audience string, body []byte) error {
	ev := &model.LiveEvent{SessionID: sessionID, Seq: seq, Audience: audience, Body: string(body), CreatedAt: s.Now().Truncate(time.Minute)}
	if _, err := tx.NewInsert().Model(ev).Exec(ctx); err != nil {
		return err
	}
	if seq%32 != 0 { // pruning one change in 32 keeps the cost per change to one insert
		return nil
	}
	_, err := tx.NewDelete().Model((*model.LiveEvent)(nil)).Where("session_id = ?", sessionID).Where("seq <= ?", seq-LiveEventsKept).Exec(ctx)
	return err
}

// LiveEvent is one kept event, or ErrNotFound once it has been pruned.
func (s *Store) LiveEvent(ctx context.Context, sessionID, seq int64) (*model.LiveEvent, error) {
	ev := new(model.LiveEvent)
	err := s.db.NewSelect().Model(ev).Where("session_id = ?", sessionID).Where("seq = ?", seq).Scan(ctx)
	return ev, notFound(err)
}

// ErrEventsGone says that some events after a number are no longer kept.
var ErrEventsGone = errors.New("live events no longer kept")

// LiveEventsSince returns every event of the session numbered after since, oldest first,
// or ErrEventsGone unless all of them up to the session's current number are still kept
// (the caller then sends a snapshot). Events committed while it reads may be included or
// not: a caller already in the session's room receives those as they are dispatched.
func (s *Store) LiveEventsSince(ctx context.Context, sessionID, since int64) ([]model.LiveEvent, error) {
	var current int64
	if err := s.db.NewSelect().Model((*model.LiveSession)(nil)).Column("seq").Where("id = ?", sessionID).Scan(ctx, &current); err != nil {
		return nil, notFound(err)
	}
	if since < 0 || since > current {
		return nil, ErrEventsGone // a number this session never gave
	}
	var out []model.LiveEvent
	if err := s.db.NewSelect().Model(&out).Where("session_id = ?", sessionID).Where("seq > ?", since).
		Where("created_at >= ?", s.Now().Add(-LiveEventsFor)).Order("seq ASC").Scan(ctx); err != nil {
		return nil, err
	}
	// Numbers are consecutive: every one from since+1 to current must be here.
	for i, ev := range out {
		if ev.Seq != since+1+int64(i) {
			out = out[:i]
			break
		}
	}
	if int64(len(out)) < current-since {
		return nil, ErrEventsGone
	}
	return out, nil
}

// PruneLiveEvents forgets events older than LiveEventsFor and every event of an ended
// session.
func (s *Store) PruneLiveEvents(ctx context.Context) (int, error) {
	ended := s.db.NewSelect().Model((*model.LiveSession)(nil)).Column("id").Where("ended_at IS NOT NULL")
	res, err := s.db.NewDelete().Model((*model.LiveEvent)(nil)).
		WhereOr("created_at < ?", s.Now().Add(-LiveEventsFor)).WhereOr("session_id IN (?)", ended).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// DeleteLiveEvents forgets a session's events (when it ends).
func (s *Store) DeleteLiveEvents(ctx context.Context, tx bun.Tx, sessionID int64) error {
	_, err := tx.NewDelete().Model((*model.LiveEvent)(nil)).Where("session_id = ?", sessionID).Exec(ctx)
	return err
}
