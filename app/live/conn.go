package live

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cairn-lms/cairn/app/store"
)

// Connection limits.
const (
	SendQueue      = 64               // messages buffered per client before it counts as slow
	MaxMessage     = 4096             // largest message a client may send, in bytes
	writeWait      = 10 * time.Second // a write that takes longer drops the client
	pongWait       = 60 * time.Second // silence longer than this drops the client
	pingEvery      = 25 * time.Second // unless Service.PingEvery says otherwise
	maxBadMessages = 5                // malformed messages before a policy-violation close
)

// Close codes sent to clients.
const (
	CloseNormal = websocket.CloseNormalClosure
	ClosePolicy = websocket.ClosePolicyViolation
	CloseSlow   = 4008 // application code: you fell behind; reconnect and resync
	CloseEnded  = 4010 // the session has ended
)

// Client is one websocket connection of a session member.
type Client struct {
	UserID  int64
	Name    string
	Trainer bool
	Session int64

	conn *websocket.Conn
	// queue holds the frames waiting for the writer, at most SendQueue; nil when empty. A
	// slice under a lock rather than a buffered channel: a channel of SendQueue slots is
	// 1.6 KB kept by every idle participant (16 MB at 10,000), this is 24 bytes until
	// something is queued.
	queueMu sync.Mutex
	queue   [][]byte
	done    chan struct{}
	once    sync.Once
	closeAs int
	// writable is set once the connection may be written to (start); writing while a
	// goroutine writes to it: a writer goroutine (wake), or one delivering a frame straight
	// to the socket (deliverFrame).
	writable, writing atomic.Bool
	// raw is the socket under the connection, for writes that must not wait (deliverFrame);
	// nil when there is none (TLS, or a wrapped connection in tests).
	raw syscall.RawConn
	// partial is the rest of a frame the socket took only part of; it is written before
	// anything else. Only the goroutine holding writing touches it.
	partial []byte
	other   *bucket // messages without a personal budget (limits.go); made on the first such
	// message, since most participants only ever vote
	// attendance is the connection's open attendance row (0 until written); a new one
	// replaces it if this instance's lease ran out and its rows were closed (lease.go).
	attendance atomic.Int64
}

func newClient(conn *websocket.Conn, m Member) *Client {
	c := &Client{
		UserID: m.UserID, Name: m.Name, Trainer: m.Trainer, Session: m.Session.ID,
		conn: conn, done: make(chan struct{}),
	}
	if conn != nil {
		if sc, ok := conn.NetConn().(syscall.Conn); ok {
			c.raw, _ = sc.SyscallConn()
		}
	}
	return c
}

// enqueue frames a message for this client alone and delivers it without blocking; false
// means the queue is full.
func (c *Client) enqueue(msg []byte) bool { return c.deliverFrame(textFrame(msg)) }

// deliverFrame gives the client a framed message (textFrame) without blocking; false means
// its queue is full. When nothing else is being written to the connection, the frame goes
// straight to the socket from the calling goroutine, in one write that does not wait;
// otherwise, or for whatever part the socket did not take, a writer goroutine takes over.
// An event reaches a room of thousands in one loop of writes this way (Hub.Dispatch), with
// no goroutine started, scheduled and ended for each of them; a queue and a writer are
// needed only for a client that is behind or whose socket is full.
func (c *Client) deliverFrame(frame []byte) bool {
	if c.closed() {
		return true
	}
	if c.raw == nil || !c.writable.Load() || !c.writing.CompareAndSwap(false, true) {
		return c.enqueueFrame(frame) // a writer runs, or this connection has no socket of its own
	}
	// This goroutine is the connection's only writer until it lets go.
	if !c.queueEmpty() { // queued by someone who found writing set a moment ago
		ok := c.push(frame)
		go c.writeLoop()
		return ok
	}
	if n := c.writeNow(frame); n < len(frame) {
		c.partial = frame[n:]
		go c.writeLoop() // it writes the rest first, waiting for the socket as it must
		return true
	}
	c.release()
	return true
}

// writeNow makes one write of frame to the socket that does not wait for room in it, and
// returns how many bytes the socket took (0 when it is full, or on an error, which the
// writer that takes over meets again and closes the connection on).
func (c *Client) writeNow(frame []byte) int {
	n := 0
	_ = c.raw.Write(func(fd uintptr) bool {
		var err error
		n, err = syscall.Write(int(fd), frame)
		if err != nil || n < 0 {
			n = 0
		}
		return true // one attempt: never wait here
	})
	return n
}

// release lets go of writing; a frame queued or a Close meanwhile (whose wake found writing
// set) gets a writer.
func (c *Client) release() {
	if c.letGo() {
		go c.writeLoop()
	}
}

// letGo clears writing and reports whether this goroutine must take it back: something was
// queued, or the client closed, after the holder's last look, and whoever did it found
// writing still set and started no writer (unless another has started since).
func (c *Client) letGo() bool {
	c.writing.Store(false)
	return (!c.queueEmpty() || c.closed()) && c.writing.CompareAndSwap(false, true)
}

// enqueueFrame queues a framed message (textFrame) for the writer goroutine without
// blocking; false means the queue is full.
func (c *Client) enqueueFrame(frame []byte) bool {
	if c.closed() {
		return true
	}
	if !c.push(frame) {
		return false
	}
	c.wake()
	return true
}

// push adds frame to the queue unless it is full.
func (c *Client) push(frame []byte) bool {
	c.queueMu.Lock()
	defer c.queueMu.Unlock()
	if len(c.queue) >= SendQueue {
		return false
	}
	c.queue = append(c.queue, frame)
	return true
}

// takeQueued empties the queue and returns what it held.
func (c *Client) takeQueued() [][]byte {
	c.queueMu.Lock()
	defer c.queueMu.Unlock()
	q := c.queue
	c.queue = nil
	return q
}

func (c *Client) queueEmpty() bool {
	c.queueMu.Lock()
	defer c.queueMu.Unlock()
	return len(c.queue) == 0
}

// Close ends the connection with a close code, once.
func (c *Client) Close(code int) {
	c.once.Do(func() {
		c.closeAs = code
		close(c.done)
	})
	c.wake() // the writer sends the close frame and closes the connection
}

// ping asks the writer to ping the client, unless its queue is full: then it has plenty
// to write, and it is dropped as slow if that lasts.
func (c *Client) ping() { c.enqueueFrame(pingFrame) }

// start lets the client's writer run: what was queued before is written now.
func (c *Client) start() {
	c.writable.Store(true)
	c.wake()
}

// wake starts a writer goroutine unless one is running. A connection has a writer only
// while it has something to write: a goroutine parked for each idle participant would keep
// a stack of its own (4 KB, 40 MB at 10,000) for the whole session.
func (c *Client) wake() {
	if c.writable.Load() && c.writing.CompareAndSwap(false, true) {
		go c.writeLoop()
	}
}

func (c *Client) closed() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// writeLoop writes until the queue is empty, then ends; once the client is closed it sends
// the close frame and closes the connection, and writing stays set so no writer starts again.
func (c *Client) writeLoop() {
	if len(c.partial) > 0 {
		rest := c.partial
		c.partial = nil
		if err := c.writeFrames(rest); err != nil {
			c.Close(CloseNormal)
			_ = c.conn.Close()
			return
		}
	}
	for {
		if c.closed() {
			_ = c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(c.closeAs, ""), time.Now().Add(time.Second))
			_ = c.conn.Close()
			return
		}
		if frames := c.takeQueued(); len(frames) > 0 {
			if err := c.writeQueued(frames); err != nil {
				c.Close(CloseNormal)
				_ = c.conn.Close()
				return
			}
			continue
		}
		if !c.letGo() {
			return
		}
	}
}

// writeQueued writes the frames taken from the queue (no more: a steady stream must not
// hold back what is already written) in one write, with one deadline.
//
// The frames go straight to the network connection, not through gorilla, which frames and
// copies every message again for every client. gorilla writes only the close frame, from
// this writer (pongs are queued like messages: see readLoop), in a single Write of its
// own, which a net.Conn keeps from interleaving with these (see writeFrames).
func (c *Client) writeQueued(frames [][]byte) error {
	if len(frames) == 1 {
		return c.writeFrames(frames[0])
	}
	buf := writeBuffers.Get().(*[]byte)
	b := (*buf)[:0]
	for _, f := range frames {
		b = append(b, f...)
	}
	err := c.writeFrames(b)
	if cap(b) <= maxKeptBuffer {
		*buf = b[:0]
		writeBuffers.Put(buf)
	}
	return err
}

// writeFrames writes whole frames in one Write. A net.Conn's Write sends all of p before
// another Write on the same connection starts (for TCP, the descriptor's write lock is
// held for the whole call), so the close frame gorilla writes lands between two of these
// writes, never inside a frame.
func (c *Client) writeFrames(p []byte) error {
	nc := c.conn.NetConn()
	if err := nc.SetWriteDeadline(time.Now().Add(writeWait)); err != nil {
		return err
	}
	_, err := nc.Write(p)
	return err
}

// writeBuffers are shared: a buffer is held only while a client's queue is written.
var writeBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// maxKeptBuffer bounds the buffers put back in the pool: a snapshot can be large, and the
// pool would keep it for the next write of a few small events.
const maxKeptBuffer = 64 << 10

// pingLoop pings every connection of the instance every PingEvery, so that a silent line
// is noticed (the reader's deadline) and idle connections stay open through proxies. One
// sweep instead of a ticker per connection: thousands of timers cost memory and keep the
// runtime's timer heap busy for nothing.
func (s *Service) pingLoop(ctx context.Context) {
	every := s.PingEvery
	if every <= 0 {
		every = pingEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, c := range s.Hub.clients() {
			c.ping()
		}
	}
}

// readLoop reads messages and hands them to handle until the connection ends.
func (c *Client) readLoop(ctx context.Context, handle func(context.Context, Inbound) (*unfinished, error), reply func([]byte)) {
	c.conn.SetReadLimit(MaxMessage)
	_ = c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error { return c.conn.SetReadDeadline(time.Now().Add(pongWait)) })
	// gorilla would answer a ping, and echo a close, by writing to the connection from this
	// goroutine, possibly between the two parts of a frame the socket took only part of
	// (deliverFrame). The pong goes through the queue instead; a close from the client ends
	// the read below, and the writer then sends the close frame after what is queued.
	c.conn.SetPingHandler(func(data string) error {
		c.deliverFrame(controlFrame(websocket.PongMessage, []byte(data)))
		return nil
	})
	c.conn.SetCloseHandler(func(int, string) error { return nil })
	bad := 0
	for {
		kind, data, err := c.conn.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				c.Close(websocket.CloseMessageTooBig)
			} else {
				c.Close(CloseNormal)
			}
			return
		}
		_ = c.conn.SetReadDeadline(time.Now().Add(pongWait))
		// Decoding and handling a message (JSON, then bun and the database driver for a
		// vote or a question) grow a stack several kilobytes deep; done on the reader,
		// which lives as long as the connection, that stack would stay grown all
		// session long for every participant.
		var stop bool
		var rest *unfinished
		var ref string
		onOwnStack(func() { stop, rest, ref = c.handleMessage(ctx, kind, data, &bad, handle, reply) })
		if stop {
			return
		}
		if rest != nil {
			// A vote waits here for its batch, on the reader's small stack, and frees the
			// pooled goroutine that decoded it: when a poll opens, a tenth of the room's
			// votes wait at once, and each held a grown stack, most of them started afresh
			// for the poll. The reader reads this client's next message only after the
			// answer, so the replies keep the messages' order.
			select {
			case <-rest.done:
			case <-ctx.Done():
				err = ctx.Err()
			}
			onOwnStack(func() {
				if err == nil {
					err = rest.finish()
				}
				c.answer(ref, err, reply)
			})
		}
	}
}

// handleMessage decodes one message and handles it, or starts to (rest, with the message's
// ref, is what is left to wait for); stop means the connection is closed.
func (c *Client) handleMessage(ctx context.Context, kind int, data []byte, bad *int, handle func(context.Context, Inbound) (*unfinished, error), reply func([]byte)) (stop bool, rest *unfinished, ref string) {
	var in Inbound
	if kind != websocket.TextMessage || json.Unmarshal(data, &in) != nil || !knownTypes[in.Type] {
		*bad++
		if *bad >= maxBadMessages {
			c.Close(ClosePolicy)
			return true, nil, ""
		}
		reply(errorMessage(in.Ref, "bad_message"))
		return false, nil, ""
	}
	if !c.allow(in.Type) {
		reply(errorMessage(in.Ref, "rate_limited"))
		return false, nil, ""
	}
	rest, err := handle(ctx, in)
	if err == nil && rest != nil {
		return false, rest, in.Ref
	}
	c.answer(in.Ref, err, reply)
	return false, nil, ""
}

// answer tells the client how its message ended: the refusal's code, server_error, or, if
// the message had a ref, an acknowledgement.
func (c *Client) answer(ref string, err error, reply func([]byte)) {
	var ce *ClientError
	switch {
	case errors.As(err, &ce):
		reply(errorMessage(ref, ce.Code))
	case err != nil:
		reply(errorMessage(ref, "server_error"))
	case ref != "":
		reply(mustJSON(AckMsg{Type: TypeAck, Ref: ref}))
	}
}

// allow limits the messages that have no personal budget; those that have one are
// limited by Service.allow, whichever way they come.
func (c *Client) allow(typ string) bool {
	if _, personal := personBudgets[typ]; personal {
		return true
	}
	if c.other == nil {
		c.other = newBucket(20, 10)
	}
	return c.other.take(time.Now())
}

func errorMessage(ref, code string) []byte {
	return mustJSON(ErrorMsg{Type: TypeError, Code: code, Ref: ref})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps and structs of plain values are encoded here
	}
	return b
}

// Serve runs one websocket connection until it ends: attendance, snapshot (or, for a client
// that gave the last number it has, since > 0, the events it missed), then messages.
func (s *Service) Serve(ctx context.Context, conn *websocket.Conn, m Member, since int64) {
	s.conns.Add(1)
	defer s.conns.Done()
	c := newClient(conn, m)
	c.start()
	stop := context.AfterFunc(ctx, func() { c.Close(websocket.CloseGoingAway) })
	defer stop()
	s.Hub.add(c)
	var err error
	if !m.Watcher {
		var attendance int64
		onOwnStack(func() { attendance, err = s.joinAttendance(ctx, m) })
		if err != nil {
			s.Log.Warn("live: record attendance", "err", err)
		}
		c.attendance.Store(attendance)
		s.markPresence(m.Session.ID)
	}
	defer func() {
		s.Hub.remove(c)
		c.Close(CloseNormal)
		if attendance := c.attendance.Load(); attendance != 0 {
			if err := s.leaveAttendance(context.WithoutCancel(ctx), attendance); err != nil {
				s.Log.Warn("live: close attendance", "err", err)
			}
		}
		if !m.Watcher {
			s.markPresence(m.Session.ID)
		}
	}()
	var first [][]byte
	onOwnStack(func() { first, err = s.catchUp(ctx, m, since) })
	if err != nil {
		if ctx.Err() != nil { // shutting down, not failing: the client reconnects elsewhere
			c.Close(websocket.CloseGoingAway)
			return
		}
		s.Log.Error("live: snapshot", "err", err)
		c.Close(websocket.CloseInternalServerErr)
		return
	}
	for _, msg := range first {
		if !c.enqueue(msg) {
			// Events filled the queue while the snapshot was read: without it the client
			// cannot apply them. It reconnects and gets a fresh one.
			c.Close(CloseSlow)
			return
		}
	}
	c.readLoop(ctx, func(ctx context.Context, in Inbound) (*unfinished, error) {
		if in.Type == MsgResync {
			var msgs [][]byte
			var err error
			onOwnStack(func() { msgs, err = s.catchUp(ctx, m, in.Since) })
			for _, msg := range msgs {
				if !c.enqueue(msg) {
					c.Close(CloseSlow)
					break
				}
			}
			return nil, err
		}
		return s.start(ctx, m, in)
	}, func(msg []byte) {
		if !c.enqueue(msg) {
			c.Close(CloseSlow)
		}
	})
}

// joinAttendance opens the connection's attendance row, in a batch with those joining at
// the same moment. It waits for the row's id even if the connection ends meanwhile: without
// it the row could never be closed.
func (s *Service) joinAttendance(ctx context.Context, m Member) (int64, error) {
	return s.joins.Do(context.WithoutCancel(ctx), store.Joiner{SessionID: m.Session.ID, UserID: m.UserID}, func(ctx context.Context, js []store.Joiner) ([]int64, error) {
		return s.Store.JoinAttendances(ctx, js, s.instance())
	})
}

// leaveAttendance closes an attendance row, in a batch with those leaving at the same
// moment; it returns once the row is closed, so that shutdown's wait covers it.
func (s *Service) leaveAttendance(ctx context.Context, id int64) error {
	_, err := s.leaves.Do(ctx, id, func(ctx context.Context, ids []int64) ([]struct{}, error) {
		return nil, s.Store.LeaveAttendances(ctx, ids)
	})
	return err
}
