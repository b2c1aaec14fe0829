package loadtest

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync/atomic"
	"syscall"
	"time"
)

// stampedConn reads a TCP connection with recvmsg and keeps the kernel's receive timestamp
// (SO_TIMESTAMPNS) of the latest bytes read. Thousands of simulated participants share this
// machine's cores; the time a participant's goroutine gets to read a message is partly the
// load tool waiting for CPU, which a real participant's phone would not. The timestamp says
// when the message reached the participant's network stack. For a message read together
// with later bytes it is the later bytes' time, so it never flatters the server.
type stampedConn struct {
	*net.TCPConn
	raw     syscall.RawConn
	oob     []byte
	arrived atomic.Int64 // Unix nanoseconds; 0 while unknown
}

// unstampedReads counts reads that carried no kernel timestamp (their read time was used).
var unstampedReads atomic.Int64

func dialStamped(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	tcp, ok := c.(*net.TCPConn)
	if !ok {
		return c, nil
	}
	raw, err := tcp.SyscallConn()
	if err != nil {
		return c, nil
	}
	var optErr error
	if err := raw.Control(func(fd uintptr) {
		optErr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1)
	}); err != nil || optErr != nil {
		return c, nil // no timestamps here: the tool reports read times only
	}
	return &stampedConn{TCPConn: tcp, raw: raw, oob: make([]byte, syscall.CmsgSpace(16))}, nil
}

func (c *stampedConn) Read(p []byte) (int, error) {
	var n, oobn int
	var opErr error
	err := c.raw.Read(func(fd uintptr) bool {
		n, oobn, _, _, opErr = syscall.Recvmsg(int(fd), p, c.oob, 0)
		return !errors.Is(opErr, syscall.EAGAIN)
	})
	if err != nil {
		return 0, err
	}
	if opErr != nil {
		return 0, opErr
	}
	if n == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	at, ok := receiveTime(c.oob[:oobn])
	if !ok {
		// The kernel turns timestamping on a moment after the first socket asks for it;
		// bytes that came in before carry none. The read time is an upper bound.
		at = time.Now()
		unstampedReads.Add(1)
	}
	c.arrived.Store(at.UnixNano())
	return n, nil
}

// receiveTime finds the SCM_TIMESTAMPNS control message (a 64-bit timespec).
func receiveTime(oob []byte) (time.Time, bool) {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return time.Time{}, false
	}
	for _, m := range msgs {
		if m.Header.Level == syscall.SOL_SOCKET && m.Header.Type == syscall.SCM_TIMESTAMPNS && len(m.Data) == 16 {
			sec := int64(binary.NativeEndian.Uint64(m.Data[0:8]))
			nsec := int64(binary.NativeEndian.Uint64(m.Data[8:16]))
			if sec == 0 && nsec == 0 {
				return time.Time{}, false
			}
			return time.Unix(sec, nsec), true
		}
	}
	return time.Time{}, false
}

// arrivedAt is when the latest bytes read from conn reached this host, if known.
func arrivedAt(conn net.Conn) (time.Time, bool) {
	c, ok := conn.(*stampedConn)
	if !ok {
		return time.Time{}, false
	}
	ns := c.arrived.Load()
	if ns == 0 {
		return time.Time{}, false
	}
	return time.Unix(0, ns), true
}
