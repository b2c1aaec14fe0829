// Package ratelimit counts attempts per key in memory: failures with growing waits
// (Backoff), attempts per fixed window (Window) and token buckets (Buckets).
//
// Keys come from requests (an account name, a keyed hash of an address), so every limiter
// holds at most a fixed number of them and forgets the least recently used first: memory
// stays bounded whatever a client sends. Each limiter reads time from a clock it is given,
// so tests move time forward instead of sleeping.
package ratelimit

import (
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// DefaultMaxKeys bounds each limiter when its configuration says nothing: about 100 bytes
// a key, so some ten megabytes at most.
const DefaultMaxKeys = 100_000

// table is a bounded, locked map from keys to entries.
type table[E any] struct {
	mu   sync.Mutex
	now  func() time.Time
	keys *simplelru.LRU[string, *E]
}

func newTable[E any](maxKeys int, now func() time.Time) table[E] {
	if maxKeys < 1 {
		maxKeys = DefaultMaxKeys
	}
	if now == nil {
		now = time.Now
	}
	keys, err := simplelru.NewLRU[string, *E](maxKeys, nil)
	if err != nil {
		panic(err) // only for a size below one, excluded above
	}
	return table[E]{now: now, keys: keys}
}

// Backoff allows Free failures per key, then makes each further failure cost a wait that
// doubles from Base up to Max. A key with no failure for Forget is forgotten, and Reset
// forgets it at once (after a success).
type Backoff struct {
	cfg BackoffConfig
	t   table[backoffEntry]
}

// BackoffConfig sets a Backoff. Now nil means the wall clock; MaxKeys 0 means DefaultMaxKeys.
type BackoffConfig struct {
	Free      int
	Base, Max time.Duration
	Forget    time.Duration
	MaxKeys   int
	Now       func() time.Time
}

type backoffEntry struct {
	failures int
	last     time.Time // of the last failure
	until    time.Time // no attempt counts before this
}

// NewBackoff returns an empty Backoff.
func NewBackoff(cfg BackoffConfig) *Backoff {
	if cfg.Max < cfg.Base {
		cfg.Max = cfg.Base
	}
	if cfg.Forget < cfg.Max {
		cfg.Forget = cfg.Max
	}
	return &Backoff{cfg: cfg, t: newTable[backoffEntry](cfg.MaxKeys, cfg.Now)}
}

// Wait tells how long key must wait before its next attempt; 0 means it may try now.
func (b *Backoff) Wait(key string) time.Duration {
	b.t.mu.Lock()
	defer b.t.mu.Unlock()
	e, ok := b.t.keys.Get(key)
	if !ok {
		return 0
	}
	now := b.t.now()
	if now.Sub(e.last) >= b.cfg.Forget {
		b.t.keys.Remove(key)
		return 0
	}
	return max(0, e.until.Sub(now))
}

// Fail records a failed attempt of key and returns the wait it now imposes (0 while the
// key still has free failures).
func (b *Backoff) Fail(key string) time.Duration {
	b.t.mu.Lock()
	defer b.t.mu.Unlock()
	now := b.t.now()
	e, ok := b.t.keys.Get(key)
	if !ok || now.Sub(e.last) >= b.cfg.Forget {
		e = &backoffEntry{}
		b.t.keys.Add(key, e)
	}
	e.failures++
	e.last = now
	if over := e.failures - b.cfg.Free; over >= 0 {
		wait := b.cfg.Base
		for i := 0; i < over && wait < b.cfg.Max; i++ {
			wait *= 2
		}
		e.until = now.Add(min(wait, b.cfg.Max))
	}
	return max(0, e.until.Sub(now))
}

// Reset forgets key's failures.
func (b *Backoff) Reset(key string) {
	b.t.mu.Lock()
	defer b.t.mu.Unlock()
	b.t.keys.Remove(key)
}

// Window allows Max attempts per key in each Period, counted from the key's first attempt.
type Window struct {
	max    int
	period time.Duration
	t      table[windowEntry]
}

type windowEntry struct {
	start time.Time
	count int
}

// NewWindow returns an empty Window. now nil means the wall clock; maxKeys 0 means
// DefaultMaxKeys.
func NewWindow(limit int, period time.Duration, maxKeys int, now func() time.Time) *Window {
	return &Window{max: limit, period: period, t: newTable[windowEntry](maxKeys, now)}
}

// Take counts an attempt of key. When key has used its window up, the attempt is refused
// (and not counted), with the time until the window ends.
func (w *Window) Take(key string) (ok bool, retry time.Duration) {
	w.t.mu.Lock()
	defer w.t.mu.Unlock()
	now := w.t.now()
	e, found := w.t.keys.Get(key)
	if !found || now.Sub(e.start) >= w.period {
		e = &windowEntry{start: now}
		w.t.keys.Add(key, e)
	}
	if e.count >= w.max {
		return false, e.start.Add(w.period).Sub(now)
	}
	e.count++
	return true, 0
}

// Buckets is a token bucket per key: Burst tokens, refilled at Rate a second.
type Buckets struct {
	burst, rate float64
	t           table[bucketEntry]
}

type bucketEntry struct {
	tokens float64
	last   time.Time
}

// NewBuckets returns an empty set of buckets. now nil means the wall clock; maxKeys 0
// means DefaultMaxKeys.
func NewBuckets(burst, rate float64, maxKeys int, now func() time.Time) *Buckets {
	return &Buckets{burst: burst, rate: rate, t: newTable[bucketEntry](maxKeys, now)}
}

// Take spends a token of key's bucket, if it has one.
func (b *Buckets) Take(key string) bool {
	b.t.mu.Lock()
	defer b.t.mu.Unlock()
	now := b.t.now()
	e, ok := b.t.keys.Get(key)
	if !ok {
		e = &bucketEntry{tokens: b.burst, last: now}
		b.t.keys.Add(key, e)
	}
	e.tokens = min(b.burst, e.tokens+max(0, now.Sub(e.last).Seconds())*b.rate)
	e.last = now
	if e.tokens < 1 {
		return false
	}
	e.tokens--
	return true
}
