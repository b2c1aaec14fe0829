package live

import "time"

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
