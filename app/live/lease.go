package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// DefaultLease is how long an instance's presence counts without a renewal.
const DefaultLease = 30 * time.Second

// Attendance rows name the instance that holds the connection, and every instance renews a
// lease row every third of its lease. An instance killed or cut off stops renewing: its
// rows stop counting as presence when the lease ends, and the next sweep of any other
// instance closes them as of its last renewal. Without it, the rows of a killed instance
// stayed open for good: trainers saw people who had gone, and summaries kept them.

func (s *Service) instance() string {
	s.instanceOnce.Do(func() {
		if s.Instance == "" {
			b := make([]byte, 12)
			_, _ = rand.Read(b)
			s.Instance = hex.EncodeToString(b)
		}
	})
	return s.Instance
}

func (s *Service) lease() time.Duration {
	if s.Lease > 0 {
		return s.Lease
	}
	return DefaultLease
}

// leaseLoop renews this instance's lease and sweeps those of stopped instances until ctx ends.
func (s *Service) leaseLoop(ctx context.Context) {
	t := time.NewTicker(s.lease() / 3)
	defer t.Stop()
	started := false
	for {
		s.renewLease(ctx, started)
		started = true
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Service) renewLease(ctx context.Context, started bool) {
	held, err := s.Store.RenewLease(ctx, s.instance(), s.lease())
	if err != nil {
		if ctx.Err() == nil {
			s.Log.Warn("live: renew the instance's lease", "err", err)
		}
		return
	}
	if !held {
		if started {
			// The lease ran out (the database was out of reach for that long) and another
			// instance closed this one's attendance: the people still here are here again.
			s.Log.Warn("live: the instance's lease had ended; recording its attendance again")
			s.reopenAttendance(ctx)
		}
		// Connections that joined before the lease existed count from now.
		for session := range s.Hub.seqs() {
			s.markPresence(session)
		}
	}
	sessions, err := s.Store.SweepLeases(ctx)
	if err != nil && ctx.Err() == nil {
		s.Log.Warn("live: close the attendance of stopped instances", "err", err)
	}
	if len(sessions) > 0 {
		s.Log.Info("live: closed the attendance of a stopped instance", "sessions", len(sessions))
	}
	for _, session := range sessions {
		s.markPresence(session)
	}
}

// reopenAttendance opens a new attendance row for every connection of this instance.
func (s *Service) reopenAttendance(ctx context.Context) {
	for _, c := range s.Hub.clients() {
		old := c.attendance.Load()
		if old == 0 {
			continue // still joining: its own row is being written
		}
		id, err := s.Store.JoinAttendance(ctx, c.Session, c.UserID, s.instance())
		if err != nil {
			s.Log.Warn("live: record attendance again", "err", err)
			return
		}
		select {
		case <-c.done:
		default:
			if c.attendance.CompareAndSwap(old, id) {
				continue
			}
		}
		// The connection ended meanwhile: its new row closes at once, whoever sees it first.
		if err := s.Store.LeaveAttendance(ctx, id); err != nil {
			s.Log.Warn("live: close attendance", "err", err)
		}
	}
}
