package live

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cairn-lms/cairn/app/store"
)

// voteBatcher records votes of named polls in batches (see writeBatcher). When a poll
// opens, every participant votes within the same second; one statement per vote would keep
// the database busy for seconds while the next step waits for it.
type voteBatcher struct {
	writeBatcher[store.Vote, error]
}

// Cast records one vote and returns its outcome (see store.CastVotes).
// observe, if not nil, is told each batch's size.
func (b *voteBatcher) Cast(ctx context.Context, st *store.Store, observe prometheus.Observer, v store.Vote) error {
	return b.CastWith(ctx, st.CastVotes, observe, v)
}

// CastWith is Cast writing each batch with write (store.CastTextAnswers for the typed
// answers of open-text polls).
func (b *voteBatcher) CastWith(ctx context.Context, write func(context.Context, []store.Vote) ([]error, error), observe prometheus.Observer, v store.Vote) error {
	outcome, err := b.Do(ctx, v, b.writer(write, observe))
	if err != nil {
		return err
	}
	return outcome
}

// QueueWith queues one vote like CastWith and returns without waiting for its batch,
// unless this caller writes the batch itself; voteOutcome gives the vote's outcome once
// the returned write is done.
func (b *voteBatcher) QueueWith(ctx context.Context, write func(context.Context, []store.Vote) ([]error, error), observe prometheus.Observer, v store.Vote) *pendingWrite[store.Vote, error] {
	return b.Queue(ctx, v, b.writer(write, observe))
}

func (b *voteBatcher) writer(write func(context.Context, []store.Vote) ([]error, error), observe prometheus.Observer) func(context.Context, []store.Vote) ([]error, error) {
	return func(ctx context.Context, votes []store.Vote) ([]error, error) {
		outcomes, err := write(ctx, votes)
		if err == nil && observe != nil {
			observe.Observe(float64(len(votes)))
		}
		return outcomes, err
	}
}

// voteOutcome is a written vote's outcome: its batch's error, or its own.
func voteOutcome(p *pendingWrite[store.Vote, error]) error {
	outcome, err := p.Result()
	if err != nil {
		return err
	}
	return outcome
}
