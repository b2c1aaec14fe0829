package live

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/ratelimit"
	"github.com/cairn-lms/cairn/app/store"
)

// Member is who is connected: a cohort member in a session, with their role.
type Member struct {
	UserID  int64
	Name    string
	Trainer bool
	Lang    string
	Session *model.LiveSession
	Cohort  *model.Cohort
	// Watcher is a trainer's second screen (the presenter view on a projector): it gets
	// what trainers get and may act as one, but is not a person in the room, so it opens
	// no attendance and does not count as present.
	Watcher bool
}

// Service applies live-session actions and fans out their effects.
type Service struct {
	Store    *store.Store
	Hub      *Hub
	Catalog  func() *course.Catalog
	MinGroup int // anonymous poll results appear only from this many votes
	Log      *slog.Logger

	// Events and VoteBatches, when set, count dispatched events and observe how many votes
	// each database write recorded (metrics).
	Events      prometheus.Counter
	VoteBatches prometheus.Observer

	// Rand, when set, gives the source that shuffles a live quiz question's options (tests);
	// by default each poll draws from a generator seeded by the operating system.
	Rand func() *rand.Rand

	// WatchEvery is how often rooms are compared with the database for missed events
	// (PostgreSQL); 0 means every 3 seconds.
	WatchEvery time.Duration
	// PingEvery is how often connections are pinged; 0 means every 25 seconds.
	PingEvery time.Duration
	// Now is the clock of the per-person rate limits; nil means the wall clock.
	Now func() time.Time

	// Instance names this process in attendance rows and its lease (lease.go); empty means
	// random at start. Lease is how long its presence counts without a renewal; 0 means
	// DefaultLease.
	Instance     string
	Lease        time.Duration
	instanceOnce sync.Once

	limitsOnce sync.Once
	limits     map[string]*ratelimit.Buckets // per action type, keyed by session and person

	readyInit, readyOnce sync.Once
	readyCh              chan struct{} // see Ready
	listening            atomic.Bool   // see Listening
	everListened         atomic.Bool   // Listening was true once: a later start follows a loss

	order sequencer // SQLite: events leave in number order

	conns     sync.WaitGroup                    // connections being served, so shutdown can wait for them
	polls     pollCache                         // [session, poll] → *pollMeta
	snapshots snapshotCache                     // participants' shared snapshot per session, at its latest number
	votes     voteBatcher                       // votes of polls that are not anonymous
	texts     voteBatcher                       // typed answers to open-text polls that are not anonymous
	joins     writeBatcher[store.Joiner, int64] // attendance rows being opened
	leaves    writeBatcher[int64, struct{}]     // attendance rows being closed
	anon      sync.Map                          // [session, poll] → *anonPoll: anonymous votes not yet written
	visits    visitCache                        // people following without a connection (visit.go)

	presenceMu sync.Mutex
	dirty      map[tallyKey]bool // sessions whose presence, and polls whose tally, changed
}

// Wait blocks until every connection has finished (their attendance recorded), or ctx ends.
func (s *Service) Wait(ctx context.Context) {
	done := make(chan struct{})
	go func() { s.conns.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// Handle applies one action of a member. Refusals are ClientErrors.
func (s *Service) Handle(ctx context.Context, m Member, in Inbound) error {
	crs, err := s.admit(m, in)
	if err != nil {
		return err
	}
	switch in.Type {
	case MsgStep:
		return s.step(ctx, m, crs, in)
	case MsgPollOpen:
		return s.openPoll(ctx, m, crs, in)
	case MsgPollClose, MsgPollReveal:
		return s.closePoll(ctx, m, crs, in)
	case MsgVote:
		return s.vote(ctx, m, crs, in)
	case MsgAsk:
		return s.ask(ctx, m, in)
	case MsgUpvote, MsgAnswered, MsgHide:
		return s.question(ctx, m, in)
	case MsgHideWord:
		return s.hideWord(ctx, m, in)
	case MsgHand:
		return s.hand(ctx, m, in)
	case MsgEnd:
		return s.end(ctx, m)
	}
	return refuse("bad_message")
}

// admit checks that the member may send this message now, and returns the session's course.
func (s *Service) admit(m Member, in Inbound) (*course.Course, error) {
	if trainerOnly[in.Type] && !m.Trainer {
		return nil, refuse("forbidden")
	}
	if !s.allow(m, in.Type) {
		return nil, refuse("rate_limited")
	}
	crs := s.Catalog().Course(m.Cohort.CourseID)
	if crs == nil {
		return nil, refuse("course_unavailable")
	}
	return crs, nil
}

// unfinished is a message whose handling waits for a batch write: once done is closed,
// finish completes it and returns its outcome.
type unfinished struct {
	done   <-chan struct{}
	finish func() error
}

// start is Handle for a connection's reader: a vote returns once it is queued for its
// batch, with the rest unfinished (see Client.readLoop); anything else is handled whole.
func (s *Service) start(ctx context.Context, m Member, in Inbound) (*unfinished, error) {
	if in.Type != MsgVote {
		return nil, s.Handle(ctx, m, in)
	}
	crs, err := s.admit(m, in)
	if err != nil {
		return nil, err
	}
	return s.startVote(ctx, m, crs, in)
}
