package live

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/cairn-lms/cairn/app/store"
)

// People who follow a session without JavaScript have no connection to count: the live part
// of their page refreshes itself every VisitEvery, and each refresh is a heartbeat
// (Service.Visit). It renews a lease of their own in the same table as the instances'
// leases (lease.go), holding one attendance row: presence counts them while the lease runs,
// across instances, and the sweep that closes a stopped instance's rows closes theirs, as of
// their last refresh, once they stop coming. Nothing else is needed: no migration, no timer.

// VisitEvery is how often the page's live part refreshes itself without JavaScript.
const VisitEvery = 10 * time.Second

// VisitHold is how long one refresh keeps a person present: three refreshes, so one slow or
// lost request does not make them leave and join again.
const VisitHold = 3 * VisitEvery

// visitCacheSize bounds the visits an instance remembers (to skip needless writes).
const visitCacheSize = 4096

type visitCache struct {
	init sync.Once
	lru  *lru.Cache[string, time.Time] // holder → lease end this instance last wrote
}

// Visit records a heartbeat of m, who follows the session without a live connection: they
// count as present for hold from now. A lease with at least two thirds of hold still to
// run, renewed by this instance, is not written again: at one refresh every VisitEvery
// (hold VisitHold), every other refresh costs no write, and the lease always has a whole
// refresh interval to spare.
func (s *Service) Visit(ctx context.Context, m Member, hold time.Duration) error {
	s.visits.init.Do(func() { s.visits.lru, _ = lru.New[string, time.Time](visitCacheSize) })
	holder := visitHolder(m.Session.ID, m.UserID)
	now := s.Store.Now()
	if until, ok := s.visits.lru.Get(holder); ok && until.Sub(now) >= hold*2/3 {
		return nil
	}
	joined, err := s.Store.RenewVisit(ctx, holder, m.Session.ID, m.UserID, hold)
	if err != nil {
		return err
	}
	if until, ok := s.visits.lru.Get(holder); !ok || until.Before(now.Add(hold)) {
		s.visits.lru.Add(holder, now.Add(hold))
	}
	if joined {
		s.markPresence(m.Session.ID)
	}
	return nil
}

// visitHolder names a person's lease in a session: the same on every instance, so any of
// them renews it, and 32 characters (the column's size) that cannot be an instance's id
// (24 hexadecimal digits, lease.go).
func visitHolder(session, user int64) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(session, 10) + ":" + strconv.FormatInt(user, 10)))
	return store.VisitPrefix + hex.EncodeToString(sum[:])[:31]
}
