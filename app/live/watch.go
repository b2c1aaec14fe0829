package live

import (
	"context"
	"time"
)

// staleMessage asks clients to fetch a fresh snapshot.
var staleMessage = mustJSON(StaleMsg{Type: TypeStale})

// watchLoop finds rooms whose clients missed events. On PostgreSQL events reach an instance
// by NOTIFY, and a notification sent while the instance's listening connection is down (a
// database restart, a network cut) is lost for good: its clients would show the old step
// until the next event told them of the gap. Every few seconds the loop compares each
// local room's highest number with the session's in the database; a room still behind at
// two checks in a row (one could be a notification in flight) is told to resync. For the
// same reason it writes the anonymous votes held for polls that closed unheard.
func (s *Service) watchLoop(ctx context.Context) {
	every := s.WatchEvery
	if every <= 0 {
		every = 3 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	behind := map[int64]int64{} // session → the room's number when it was first seen behind
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.settleAll(ctx)
		local := s.Hub.seqs()
		if len(local) == 0 {
			clear(behind)
			continue
		}
		ids := make([]int64, 0, len(local))
		for id := range local {
			ids = append(ids, id)
		}
		current, err := s.Store.LiveSeqs(ctx, ids)
		if err != nil {
			if ctx.Err() == nil {
				s.Log.Warn("live: compare rooms with the database", "err", err)
			}
			continue
		}
		next := map[int64]int64{}
		for id, sent := range local {
			if current[id] <= sent {
				continue
			}
			if was, ok := behind[id]; ok && was == sent {
				s.Log.Info("live: clients missed events; asking them to resync", "session", id, "sent", sent, "current", current[id])
				// Noted before it is sent: whoever sees the message sees the room as told,
				// and their snapshots will say the same.
				s.Hub.noteSeq(id, current[id])
				s.Hub.Dispatch(Event{Session: id, Audience: ToAll, Data: staleMessage})
				continue
			}
			next[id] = sent
		}
		behind = next
	}
}
