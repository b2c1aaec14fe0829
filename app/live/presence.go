package live

import (
	"context"
	"time"
)

// tallyKey names what needs resending to trainers: a session's presence (poll 0) or a
// poll's tally.
type tallyKey struct{ session, poll int64 }

// markPresence notes that a session's attendance changed; trainers get the new count within
// a second, however many people join at once.
func (s *Service) markPresence(sessionID int64) { s.mark(tallyKey{session: sessionID}) }

func (s *Service) mark(k tallyKey) {
	s.presenceMu.Lock()
	if s.dirty == nil {
		s.dirty = map[tallyKey]bool{}
	}
	s.dirty[k] = true
	s.presenceMu.Unlock()
}

// presenceLoop sends trainers presence counts and tallies, and keeps this instance's
// presence true (its lease, and the sweep of stopped instances' attendance), and pings
// its connections.
func (s *Service) presenceLoop(ctx context.Context) {
	go s.leaseLoop(ctx)
	go s.pingLoop(ctx)
	// Four times a second: fresh enough for a live bar chart, and a thousand votes in that
	// time cost trainers one message, not a thousand.
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.presenceMu.Lock()
		dirty := s.dirty
		s.dirty = nil
		s.presenceMu.Unlock()
		for k := range dirty {
			var err error
			if k.poll != 0 {
				err = s.sendTally(ctx, k.session, k.poll)
			} else {
				var n int
				n, err = s.Store.PresentCount(ctx, k.session)
				if err == nil {
					err = s.toTrainers(ctx, k.session, PresenceMsg{Type: TypePresence, Participants: n})
				}
			}
			if err != nil && ctx.Err() == nil {
				s.Log.Warn("live: presence", "err", err)
			}
		}
	}
}
