package live

import (
	"net"
	"sync"
	"time"
)

// Corkable wraps a connection that is about to become a websocket so that the connection's
// writer can send everything queued for a client in one write (see Client.writeQueued).
// When an event reaches a room, each participant's writer wakes up with one or more
// messages; written one by one, every message costs a system call and a deadline change,
// which on a crowded instance is most of the fan-out's cost.
func Corkable(conn net.Conn) net.Conn { return &corkConn{Conn: conn} }

// corkConn holds writes back while corked and sends them in one write when uncorked.
// gorilla writes each frame with one Write (or two, for a large message) under its own
// lock; the reader may write a pong or a close frame meanwhile, so the state has a lock too.
type corkConn struct {
	net.Conn
	mu       sync.Mutex
	corked   bool
	buf      *[]byte
	deadline time.Time
}

// corkBuffers are shared: a buffer is held only while a client's queue is written.
var corkBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// maxKeptBuffer bounds the buffers put back in the pool: a snapshot can be large, and the
// pool would keep it for the next flush of a few small events.
const maxKeptBuffer = 64 << 10

func (c *corkConn) cork() {
	c.mu.Lock()
	c.corked = true
	c.mu.Unlock()
}

func (c *corkConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.corked {
		return c.Conn.Write(p)
	}
	if c.buf == nil {
		c.buf = corkBuffers.Get().(*[]byte)
	}
	*c.buf = append(*c.buf, p...)
	return len(p), nil
}

// SetWriteDeadline, while corked, applies to the write that uncork makes.
func (c *corkConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.corked {
		c.deadline = t
		return nil
	}
	return c.Conn.SetWriteDeadline(t)
}

// uncork writes what was held back, with the last deadline set while corked.
func (c *corkConn) uncork() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.corked = false
	if c.buf == nil {
		return nil
	}
	err := c.Conn.SetWriteDeadline(c.deadline)
	if err == nil {
		_, err = c.Conn.Write(*c.buf)
	}
	if cap(*c.buf) <= maxKeptBuffer {
		*c.buf = (*c.buf)[:0]
		corkBuffers.Put(c.buf)
	}
	c.buf = nil
	return err
}
