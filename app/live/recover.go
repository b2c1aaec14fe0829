package live

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/cairn-lms/cairn/app/store"
)

// catchUp is what a member (re)joining, or asking to resync, is sent first. A client that
// says which number it has (since > 0) gets the events after it, from live_events, when
// they are all still kept: a replay, far cheaper than a snapshot for the server and the
// phone. Otherwise, or without a number, it gets a snapshot. Trainers also get presence,
// hands and tally afresh after a replay, since those updates carry no number and the
// missed ones cannot be replayed.
func (s *Service) catchUp(ctx context.Context, m Member, since int64) ([][]byte, error) {
	if since > 0 {
		evs, err := s.Store.LiveEventsSince(ctx, m.Session.ID, since)
		if err == nil {
			r := ReplayMsg{Type: TypeReplay, Seq: since, Events: []json.RawMessage{}}
			for _, ev := range evs {
				r.Seq = ev.Seq
				// Numbered events are for everyone today; one for trainers must never be
				// replayed to anyone else.
				if ev.Audience == ToAll || m.Trainer {
					r.Events = append(r.Events, json.RawMessage(ev.Body))
				}
			}
			s.Hub.noteSeq(m.Session.ID, r.Seq)
			out := [][]byte{mustJSON(r)}
			if m.Trainer {
				more, err := s.trainerMessages(ctx, m.Session.ID)
				if err != nil {
					return nil, err
				}
				out = append(out, more...)
			}
			return out, nil
		}
		if !errors.Is(err, store.ErrEventsGone) {
			return nil, err
		}
	}
	snap, err := s.Snapshot(ctx, m)
	if err != nil {
		return nil, err
	}
	return [][]byte{snap}, nil
}

// trainerMessages are the trainer-only updates as they stand now: presence, hands, and the
// current poll's tally.
func (s *Service) trainerMessages(ctx context.Context, sessionID int64) ([][]byte, error) {
	n, err := s.Store.PresentCount(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	names, err := s.handNames(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	out := [][]byte{
		mustJSON(PresenceMsg{Type: TypePresence, Participants: n}),
		mustJSON(HandsMsg{Type: TypeHands, Names: names}),
	}
	p, err := s.Store.CurrentPoll(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if p != nil {
		t, err := s.tally(ctx, sessionID, p.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, mustJSON(t))
	}
	return out, nil
}

// refreshTrainers sends this instance's trainers of a session the trainer-only state afresh.
func (s *Service) refreshTrainers(ctx context.Context, sessionID int64) {
	if s.Hub.Local(sessionID) == 0 {
		return
	}
	msgs, err := s.trainerMessages(ctx, sessionID)
	if err != nil {
		if ctx.Err() == nil {
			s.Log.Warn("live: refresh trainers", "session", sessionID, "err", err)
		}
		return
	}
	for _, msg := range msgs {
		s.Hub.Dispatch(Event{Session: sessionID, Audience: ToTrainers, Data: msg})
	}
}

// recoverRooms runs each time the listener is (again) in place. Notifications sent while it
// was down are lost for good: rooms behind the database are told to resync at once (their
// clients replay what they missed), and trainers get their unnumbered state afresh.
func (s *Service) recoverRooms(ctx context.Context) {
	local := s.Hub.seqs()
	if len(local) == 0 {
		return
	}
	ids := make([]int64, 0, len(local))
	for id := range local {
		ids = append(ids, id)
	}
	current, err := s.Store.LiveSeqs(ctx, ids)
	if err != nil {
		if ctx.Err() == nil {
			s.Log.Warn("live: compare rooms with the database after reconnecting", "err", err)
		}
		// The watcher will find the rooms behind; trainers still get their state.
	}
	for id, sent := range local {
		if current[id] > sent {
			s.Hub.noteSeq(id, current[id])
			s.Hub.Dispatch(Event{Session: id, Audience: ToAll, Data: staleMessage})
		}
		s.refreshTrainers(ctx, id)
	}
}
