package live

import "sync"

// onOwnStack runs fn on another goroutine and waits for it. Decoding a message and the
// database queries behind it (bun, and above all the SQLite driver) need deep stacks, and a
// goroutine keeps a grown stack long after: run on a connection's reader, which lives as
// long as the session, they left thousands of readers with stacks several times what
// reading needs.
//
// The goroutines are kept for the next call (deepStacks): a fresh one per message grew its
// stack again every time, copying it two or three times, and at 10,000 votes in a second
// that copying and the goroutines' starts and ends were a tenth of the server's CPU.
func onOwnStack(fn func()) { deepStacks.run(fn) }

// deepStacks holds the idle goroutines of onOwnStack. When a poll opens, most of a room
// votes within a second; a vote waits for its batch on its reader, not here (see
// Client.readLoop), so the pool needs about as many goroutines as the cores decode votes
// at once, plus those writing batches and joining. Up to 1,024 are kept, so that a burst
// of joins or questions does not start them afresh each time, with their stacks (see
// stackFloor).
var deepStacks = stackPool{maxIdle: 1024}

// stackFloor is the frame each pool goroutine waits under. The collector halves a waiting
// goroutine's stack when it uses less than a quarter of it; with nothing under it, an idle
// goroutine gave back what its last message had grown before the next poll, and that
// poll's votes grew it again: about 0.15 s of a 5,000-participant run's CPU went to copying
// stacks, in the middle of the poll's fan-out (runtime.newstack under json.Unmarshal). A
// 2 KB floor keeps an 8 KB stack, enough to decode a message and hand it on: 1,024 idle
// goroutines then hold 8 MB. A stack the database driver grew larger is still given back
// down to that.
const stackFloor = 2 << 10

// stackPool is a set of goroutines that run one function at a time. A call takes an idle
// one, or starts one if none is idle; when its function returns, the goroutine waits for the
// next call unless maxIdle already wait, then it ends. So at most maxIdle grown stacks are
// kept, however many connections there are.
type stackPool struct {
	maxIdle int

	mu   sync.Mutex
	idle []chan *stackCall
}

type stackCall struct {
	fn   func()
	done chan struct{}
}

// run runs fn on one of the pool's goroutines and returns when it has returned. A panic in
// fn ends the program, as it would on a goroutine of its own.
func (p *stackPool) run(fn func()) {
	call := &stackCall{fn: fn, done: make(chan struct{})}
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		worker := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		worker <- call
	} else {
		p.mu.Unlock()
		worker := make(chan *stackCall, 1)
		worker <- call
		go p.work(worker)
	}
	<-call.done
}

func (p *stackPool) work(worker chan *stackCall) {
	var floor [stackFloor]byte
	p.serve(worker)
	keepFloor(floor[:])
}

// keepFloor uses the floor, so that the compiler keeps it in work's frame.
//
//go:noinline
func keepFloor(floor []byte) byte { return floor[len(floor)-1] }

// serve runs the calls sent to worker until the pool has enough idle goroutines.
func (p *stackPool) serve(worker chan *stackCall) {
	for call := range worker {
		call.fn()
		// Idle again before the caller goes on, so its next call finds this goroutine.
		p.mu.Lock()
		keep := len(p.idle) < p.maxIdle
		if keep {
			p.idle = append(p.idle, worker)
		}
		p.mu.Unlock()
		close(call.done)
		if !keep {
			return
		}
	}
}
