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
// unless this caller writes the batch itself. Whoever writes the batch calls then with the
// vote's outcome, and then closes the returned channel.
func (b *voteBatcher) QueueWith(ctx context.Context, write func(context.Context, []store.Vote) ([]error, error), observe prometheus.Observer, v store.Vote, then func(error)) <-chan struct{} {
	return b.Queue(ctx, v, b.writer(write, observe), func(outcome, err error) {
		if err != nil {
			then(err)
		} else {
			then(outcome)
		}
	}).Done()
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
