package live

import (
	"sync"
	"testing"
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
