package loadtest

import (
	"context"
	"net"
	"testing"
	"time"
)

// The arrival time is when the bytes reached this host, not when they were read: the reader
// here starts only well after the bytes came in, and the time must precede that.
func TestArrivalTimeIsWhenBytesArrivedNotWhenRead(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	written := make(chan time.Time, 1)
	go func() { // answers every byte it receives with a message, noting when it wrote it
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		b := make([]byte, 1)
		for {
			if _, err := c.Read(b); err != nil {
				return
			}
			before := time.Now()
			if _, err := c.Write([]byte("poll opened")); err != nil {
				return
			}
			written <- before
		}
	}()

	conn, err := dialStamped(context.Background(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, ok := conn.(*stampedConn); !ok {
		t.Fatalf("dialStamped gave %T: this kernel refused SO_TIMESTAMPNS", conn)
	}
	buf := make([]byte, 64)
	exchange := func(gap time.Duration) (before, readFrom time.Time) {
		if _, err := conn.Write([]byte{1}); err != nil {
			t.Fatal(err)
		}
		before = <-written
		time.Sleep(gap) // the delay the load tool's scheduling adds under load; not a synchronisation
		readFrom = time.Now()
		n, err := conn.Read(buf)
		if err != nil || string(buf[:n]) != "poll opened" {
			t.Fatalf("read %q, %v", buf[:n], err)
		}
		return before, readFrom
	}
	// Timestamping starts a moment after the first socket asks for it (see unstampedReads).
	for start := unstampedReads.Load(); ; start = unstampedReads.Load() {
		exchange(0)
		if unstampedReads.Load() == start {
			break
		}
		if unstampedReads.Load() > 1000 {
			t.Fatal("the kernel never timestamped a received message")
		}
	}
	before, readFrom := exchange(50 * time.Millisecond)
	at, ok := arrivedAt(conn)
	if !ok {
		t.Fatal("no arrival time after a read")
	}
	if at.Before(before.Round(0)) || !at.Before(readFrom.Round(0)) {
		t.Fatalf("arrival %s is not between the write (%s) and the read (%s)", at.Format(time.StampMicro), before.Format(time.StampMicro), readFrom.Format(time.StampMicro))
	}
}
