package live

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cairn-lms/cairn/app/store"
)

// maxVoteBatch bounds one batch: a statement of a thousand rows still takes milliseconds.
const maxVoteBatch = 1000

// voteBatcher records votes in batches. When a poll opens, every participant votes within
// the same second; one statement per vote would keep the database busy for seconds while
// the next step waits for it. Votes queue here instead, and one caller at a time becomes
// the flusher: it records everything queued in one batch, then whatever arrived meanwhile,
// until the queue is empty. A lone vote is recorded at once, as before; under a storm the
// batches grow by themselves, with no timer to tune.
type voteBatcher struct {
	mu       sync.Mutex
	queue    []*pendingVote
	flushing bool
}

type pendingVote struct {
	vote store.Vote
	done chan error
}

// Cast records one vote and returns its outcome (see store.CastVotes).
// observe, if not nil, is told each batch's size.
func (b *voteBatcher) Cast(ctx context.Context, st *store.Store, observe prometheus.Observer, v store.Vote) error {
	p := &pendingVote{vote: v, done: make(chan error, 1)}
	b.mu.Lock()
	b.queue = append(b.queue, p)
	lead := !b.flushing
	b.flushing = true
	b.mu.Unlock()
	if lead {
		// The batch holds other participants' votes: it must not fail because this
		// caller's connection ends.
		b.flush(context.WithoutCancel(ctx), st, observe)
	}
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (b *voteBatcher) flush(ctx context.Context, st *store.Store, observe prometheus.Observer) {
	for {
		b.mu.Lock()
		n := min(len(b.queue), maxVoteBatch)
		if n == 0 {
			b.flushing = false
			b.mu.Unlock()
			return
		}
		batch := b.queue[:n:n]
		b.queue = append([]*pendingVote(nil), b.queue[n:]...)
		b.mu.Unlock()

		outcomes, err := castBatch(ctx, st, observe, batch)
		for i, p := range batch {
			if err != nil {
				p.done <- err
			} else {
				p.done <- outcomes[i]
			}
		}
	}
}

// castBatch records one batch. A panic while doing so fails this batch's votes and no
// more: escaping flush, it would leave flushing set with nobody flushing, and every later
// vote of the instance would wait for a flusher that never comes.
func castBatch(ctx context.Context, st *store.Store, observe prometheus.Observer, batch []*pendingVote) (outcomes []error, err error) {
	defer func() {
		if v := recover(); v != nil {
			outcomes, err = nil, &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	votes := make([]store.Vote, len(batch))
	for i, p := range batch {
		votes[i] = p.vote
	}
	outcomes, err = st.CastVotes(ctx, votes)
	if err == nil && observe != nil {
		observe.Observe(float64(len(votes)))
	}
	return outcomes, err
}

// PanicError is a panic turned into an error, with the stack where it happened, so that
// whoever gets it can log it.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }
