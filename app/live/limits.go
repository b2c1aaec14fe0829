package live

import (
	"strconv"
	"sync"
	"time"

	"github.com/cairn-lms/cairn/app/ratelimit"
)

// personBudgets are how fast one person may vote, ask, upvote and raise or lower a hand in one session: token
// buckets of burst tokens refilled at rate a second. They belong to the person, not to a
// connection, so several tabs and the plain page's forms share one budget.
var personBudgets = map[string]struct{ burst, rate float64 }{
	MsgVote:   {5, 5},
	MsgAsk:    {3, 0.2}, // three at once, then one every five seconds
	MsgUpvote: {10, 2},
	MsgHand:   {6, 1},
}

// allow spends one of m's tokens for an action of type typ; types without a personal
// budget are limited per connection instead (Client.allow).
func (s *Service) allow(m Member, typ string) bool {
	s.limitsOnce.Do(func() {
		now := s.Now
		if now == nil {
			now = time.Now
		}
		s.limits = map[string]*ratelimit.Buckets{}
		for typ, b := range personBudgets {
			s.limits[typ] = ratelimit.NewBuckets(b.burst, b.rate, 0, now)
		}
	})
	b, ok := s.limits[typ]
	if !ok {
		return true
	}
	return b.Take(strconv.FormatInt(m.Session.ID, 10) + ":" + strconv.FormatInt(m.UserID, 10))
}

// bucket is a token bucket: burst tokens, refilled at rate per second.
type bucket struct {
	mu     sync.Mutex
	tokens float64
	burst  float64
	rate   float64
	last   time.Time
}

func newBucket(burst, rate float64) *bucket { return &bucket{tokens: burst, burst: burst, rate: rate} }

func (b *bucket) take(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
