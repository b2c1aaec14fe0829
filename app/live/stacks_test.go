package live

import (
	"runtime"
	"sync"
	"testing"
	"unsafe"
)

func TestStackPoolRunsEachCallAndWaitsForIt(t *testing.T) {
	p := stackPool{maxIdle: 2}
	n := 0
	for range 100 {
		p.run(func() { n++ }) // no lock: each call has returned before the next starts
	}
	if n != 100 {
		t.Fatalf("ran %d calls of 100", n)
	}
	if got := p.idleCount(); got != 1 {
		t.Fatalf("%d goroutines idle after calls one at a time, want the one reused", got)
	}
}

func TestStackPoolKeepsAtMostMaxIdleGoroutines(t *testing.T) {
	p := stackPool{maxIdle: 3}
	const calls = 10
	release := make(chan struct{})
	var started, finished sync.WaitGroup
	started.Add(calls)
	finished.Add(calls)
	for range calls {
		go func() {
			defer finished.Done()
			p.run(func() {
				started.Done()
				<-release
			})
		}()
	}
	started.Wait() // ten calls running at once: ten goroutines
	if got := p.idleCount(); got != 0 {
		t.Fatalf("%d idle while every goroutine is busy", got)
	}
	close(release)
	finished.Wait()
	if got := p.idleCount(); got != 3 {
		t.Fatalf("%d goroutines kept after the burst, want maxIdle (3)", got)
	}
}

// idleCount is how many goroutines wait for a call.
func (p *stackPool) idleCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

// A goroutine's stack is copied elsewhere when the runtime grows or shrinks it, so a local
// variable's address at the same depth tells whether it was moved in between.
func TestStackPoolKeepsAGrownStackWhileIdle(t *testing.T) {
	p := stackPool{maxIdle: 1}
	grow := true
	var addr uintptr
	probe := func() { addr = stackProbe(grow) }
	p.run(probe) // grows the one goroutine's stack
	grown := addr
	for range 3 {
		runtime.GC() // would halve a stack that is mostly unused
	}
	grow = false
	p.run(probe)
	if addr != grown {
		t.Fatalf("the idle goroutine's stack was moved (local at %#x, then %#x): it was shrunk while waiting and the next call must grow it again", grown, addr)
	}
}

// stackProbe returns the address of one of its locals; with grow, it first calls deep
// enough to need a stack of about 4 KB more than the pool's floor.
//
//go:noinline
func stackProbe(grow bool) uintptr {
	var local [8]byte
	if grow {
		local[0] = deepCall(3)
	}
	return uintptr(unsafe.Pointer(&local[0]))
}

//go:noinline
func deepCall(frames int) byte {
	var frame [1000]byte
	if frames > 1 {
		frame[frames] = deepCall(frames - 1)
	}
	return frame[frames]
}
