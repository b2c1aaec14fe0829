package live

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// maxWriteBatch bounds one batch: a statement of a thousand rows still takes milliseconds.
const maxWriteBatch = 1000

// writeBatcher groups writes (votes, attendance rows): a caller queues its item, and one
// caller at a time becomes the flusher, writing everything queued in one call, then
// whatever arrived meanwhile, until the queue is empty. A lone item is written at once;
// when a poll opens or thousands join a room within a second, the batches grow by
// themselves, with no timer to tune. Each caller gets its own item's result.
type writeBatcher[In, Out any] struct {
	mu       sync.Mutex
	queue    []*pendingWrite[In, Out]
	flushing bool
}

type pendingWrite[In, Out any] struct {
	in   In
	out  Out
	err  error
	done chan struct{}
}

// Do queues in, waits until it is written by write (with the batch it joined), and returns
// its result, or ctx's error if ctx ends first (the item is still written). write gets a
// context that does not end with the caller's: the batch holds other callers' items.
func (b *writeBatcher[In, Out]) Do(ctx context.Context, in In, write func(context.Context, []In) ([]Out, error)) (Out, error) {
	p := b.Queue(ctx, in, write)
	select {
	case <-p.done:
		return p.Result()
	case <-ctx.Done():
		var none Out
		return none, ctx.Err()
	}
}

// Queue queues in and returns its pending write, whose Done is closed once it is written.
// If no batch was being written, the caller writes this one, and whatever queues meanwhile,
// before Queue returns; otherwise Queue returns at once, and the caller may wait somewhere
// cheaper than where it queued (Client.readLoop waits on the connection's reader, not on
// the pooled goroutine that handled the message).
func (b *writeBatcher[In, Out]) Queue(ctx context.Context, in In, write func(context.Context, []In) ([]Out, error)) *pendingWrite[In, Out] {
	p := &pendingWrite[In, Out]{in: in, done: make(chan struct{})}
	b.mu.Lock()
	b.queue = append(b.queue, p)
	lead := !b.flushing
	b.flushing = true
	b.mu.Unlock()
	if lead {
		b.flush(context.WithoutCancel(ctx), write)
	}
	return p
}

// Done is closed once the item is written, or has failed with its batch.
func (p *pendingWrite[In, Out]) Done() <-chan struct{} { return p.done }

// Result is the item's result; call it once Done is closed.
func (p *pendingWrite[In, Out]) Result() (Out, error) { return p.out, p.err }

func (b *writeBatcher[In, Out]) flush(ctx context.Context, write func(context.Context, []In) ([]Out, error)) {
	for {
		b.mu.Lock()
		n := min(len(b.queue), maxWriteBatch)
		if n == 0 {
			b.flushing = false
			b.mu.Unlock()
			return
		}
		batch := b.queue[:n:n]
		b.queue = append([]*pendingWrite[In, Out](nil), b.queue[n:]...)
		b.mu.Unlock()

		outs, err := writeOnce(ctx, batch, write)
		for i, p := range batch {
			if err != nil {
				p.err = err
			} else if i < len(outs) {
				p.out = outs[i]
			}
			close(p.done)
		}
	}
}

// writeOnce writes one batch. A panic while doing so fails this batch's items and no more:
// escaping flush, it would leave flushing set with nobody flushing, and every later item
// would wait for a flusher that never comes.
func writeOnce[In, Out any](ctx context.Context, batch []*pendingWrite[In, Out], write func(context.Context, []In) ([]Out, error)) (outs []Out, err error) {
	defer func() {
		if v := recover(); v != nil {
			outs, err = nil, &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	ins := make([]In, len(batch))
	for i, p := range batch {
		ins[i] = p.in
	}
	return write(ctx, ins)
}

// PanicError is a panic turned into an error, with the stack where it happened, so that
// whoever gets it can log it.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }
