package live

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Test clients are never started: nothing writes their queue out, so a test reads it.

// queued counts the frames waiting in c's queue.
func (c *Client) queued() int {
	c.queueMu.Lock()
	defer c.queueMu.Unlock()
	return len(c.queue)
}

// pop takes the oldest frame in c's queue; nil if it is empty.
func (c *Client) pop() []byte {
	c.queueMu.Lock()
	defer c.queueMu.Unlock()
	if len(c.queue) == 0 {
		return nil
	}
	f := c.queue[0]
	c.queue = c.queue[1:]
	return f
}

// nextFrame takes the oldest frame in c's queue once there is one; nil if none came within.
func nextFrame(c *Client, within time.Duration) []byte {
	deadline := time.Now().Add(within)
	for {
		if f := c.pop(); f != nil {
			return f
		}
		if time.Now().After(deadline) {
			return nil
		}
		time.Sleep(time.Millisecond) // polling with a deadline, not synchronisation
	}
}

// dialTest opens a websocket to a test server, closed when the test ends.
func dialTest(t *testing.T, srv *httptest.Server) *websocket.Conn {
	t.Helper()
	client, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client
}
