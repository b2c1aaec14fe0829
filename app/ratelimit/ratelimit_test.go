package ratelimit_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/ratelimit"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestBackoffAllowsFreeFailuresThenDoublesTheWaitUpToTheCap(t *testing.T) {
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	b := ratelimit.NewBackoff(ratelimit.BackoffConfig{Free: 3, Base: time.Minute, Max: 10 * time.Minute, Forget: 24 * time.Hour, Now: clk.now})
	for i := 0; i < 2; i++ {
		if w := b.Fail("k"); w != 0 {
			t.Fatalf("failure %d already waits %v", i+1, w)
		}
	}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute, 10 * time.Minute}
	for i, w := range want {
		if got := b.Fail("k"); got != w {
			t.Fatalf("failure %d: wait %v, want %v", i+3, got, w)
		}
		if got := b.Wait("k"); got != w {
			t.Fatalf("after failure %d: Wait %v, want %v", i+3, got, w)
		}
		if b.Wait("other") != 0 {
			t.Fatal("another key waits too")
		}
		clk.t = clk.t.Add(w)
		if got := b.Wait("k"); got != 0 {
			t.Fatalf("still waiting %v after the wait", got)
		}
	}
	b.Reset("k")
	if b.Fail("k") != 0 {
		t.Fatal("Reset did not forget the failures")
	}
	clk.t = clk.t.Add(24 * time.Hour)
	b.Fail("k")
	if b.Fail("k") != 0 {
		t.Fatal("failures older than Forget still count")
	}
}

func TestWindowRefusesBeyondItsLimitUntilTheWindowEnds(t *testing.T) {
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	w := ratelimit.NewWindow(2, 5*time.Minute, 0, clk.now)
	for i := 0; i < 2; i++ {
		if ok, _ := w.Take("k"); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	clk.t = clk.t.Add(time.Minute)
	ok, retry := w.Take("k")
	if ok || retry != 4*time.Minute {
		t.Fatalf("third attempt: ok %v, retry %v; want refused for 4m", ok, retry)
	}
	if ok, _ := w.Take("j"); !ok {
		t.Fatal("another key refused")
	}
	clk.t = clk.t.Add(4 * time.Minute)
	if ok, _ := w.Take("k"); !ok {
		t.Fatal("refused in a new window")
	}
}

func TestBucketsRefillAtTheirRate(t *testing.T) {
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	b := ratelimit.NewBuckets(3, 0.5, 0, clk.now)
	for i := 0; i < 3; i++ {
		if !b.Take("k") {
			t.Fatalf("token %d refused", i+1)
		}
	}
	if b.Take("k") {
		t.Fatal("a fourth token in the burst")
	}
	clk.t = clk.t.Add(2 * time.Second)
	if !b.Take("k") || b.Take("k") {
		t.Fatal("two seconds at 0.5/s must give exactly one token")
	}
}

func TestLimitersForgetTheLeastRecentlyUsedKeyBeyondTheirBound(t *testing.T) {
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	b := ratelimit.NewBackoff(ratelimit.BackoffConfig{Free: 1, Base: time.Hour, Max: time.Hour, MaxKeys: 10, Now: clk.now})
	b.Fail("first")
	for i := 0; i < 10; i++ {
		b.Fail(strconv.Itoa(i))
	}
	if b.Wait("first") != 0 {
		t.Fatal("an eleventh key did not push out the oldest of ten")
	}
	if b.Wait("9") == 0 {
		t.Fatal("a recent key was forgotten")
	}
}
