// Command relay is the floor Cairn's live sessions are measured against: a websocket server
// that only relays. It has no accounts, no database and no state beyond a sequence number
// and vote counters, and speaks just enough of the live protocol (docs/live-protocol.md) for
// `cairn loadtest live --relay` to drive it with the same client code as a Cairn server:
// everyone gets a snapshot on joining; the trainer's step, poll_open and poll_close are
// numbered and sent to everyone; votes are counted, acknowledged and reported to the trainer
// as tallies at most four times a second; GET /votes says how many votes arrived.
//
// Its fan-out is the simplest that is not a straw man, the usual shape of a gorilla server
// (and Cairn's until December 2026): one writer goroutine per connection fed by a buffered
// channel, a reader goroutine, gorilla/websocket with Cairn's buffer sizes and a shared
// write-buffer pool, a client whose queue is full dropped rather than waited for. Whatever
// Cairn spends above this is the price of its authentication, persistence and rules.
// Cairn now writes an event to most of a room straight from its fan-out loop, without a
// goroutine per client (docs/architecture.md); the relay is deliberately left as the plain
// design that is the floor, so a ratio under 1 means Cairn's delivery beats it.
//
//	go build -o relay ./docs/bench/relay && ./relay -addr 127.0.0.1:18200
//
// The connection whose session cookie is "trainer" is the trainer; anyone may connect, so
// the relay listens on loopback only.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

const (
	sendQueue = 64 // as Cairn's live.SendQueue
	writeWait = 10 * time.Second
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18200", "loopback address to listen on")
	flag.Parse()
	host, _, err := net.SplitHostPort(*addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		log.Fatalf("relay: %s is not a loopback address; the relay has no authentication", *addr)
	}
	r := newRelay()
	go r.tallyLoop()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /live/{session}/ws", r.serveWS)
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /votes", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, r.votes.Load()) })
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("relay: %v", err)
	}
	fmt.Printf("relay serving on http://%s\n", ln.Addr())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}

type client struct {
	conn    *websocket.Conn
	send    chan []byte
	trainer bool
	done    chan struct{}
	once    sync.Once
}

// drop ends a client that fell behind or left; its writer closes the connection.
func (c *client) drop() { c.once.Do(func() { close(c.done) }) }

type relay struct {
	upgrader websocket.Upgrader

	mu      sync.Mutex // guards clients and seq: a message's number and its place in every queue agree
	clients map[*client]struct{}
	seq     int64
	poll    int64 // the latest poll opened

	votes      atomic.Int64
	tallyMu    sync.Mutex
	tally      map[int64]int // poll id → votes
	tallyDirty bool
}

func newRelay() *relay {
	return &relay{
		upgrader: websocket.Upgrader{
			ReadBufferSize: 512, WriteBufferSize: 1024, WriteBufferPool: &sync.Pool{},
			CheckOrigin: func(*http.Request) bool { return true }, // loopback only, see main
		},
		clients: map[*client]struct{}{},
		tally:   map[int64]int{},
	}
}

func (r *relay) serveWS(w http.ResponseWriter, req *http.Request) {
	conn, err := r.upgrader.Upgrade(w, req, nil)
	if err != nil {
		return
	}
	cookie, _ := req.Cookie("cairn_session")
	c := &client{conn: conn, send: make(chan []byte, sendQueue), done: make(chan struct{}), trainer: cookie != nil && cookie.Value == "trainer"}
	role := "participant"
	if c.trainer {
		role = "trainer"
	}
	r.mu.Lock()
	r.clients[c] = struct{}{}
	c.send <- fmt.Appendf(nil, `{"type":"snapshot","seq":%d,"role":%q}`, r.seq, role)
	r.mu.Unlock()
	go c.writeLoop()
	// Reading on a goroutine of its own lets this handler return, and net/http free what it
	// keeps per request (its buffers, the request, the response), as Cairn does with
	// fasthttp's: otherwise the floor would carry about 10 KB per connection Cairn does not.
	go func() {
		r.readLoop(c)
		r.mu.Lock()
		delete(r.clients, c)
		r.mu.Unlock()
		c.drop()
	}()
}

func (c *client) writeLoop() {
	defer c.conn.Close()
	for {
		select {
		case msg := <-c.send:
			_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if c.conn.WriteMessage(websocket.TextMessage, msg) != nil {
				c.drop()
				return
			}
		case <-c.done:
			return
		}
	}
}

// enqueue queues without blocking, reporting whether there was room (or the client left).
func (c *client) enqueue(msg []byte) bool {
	select {
	case <-c.done:
		return true
	default:
	}
	select {
	case c.send <- msg:
		return true
	default:
		return false
	}
}

type action struct {
	Type    string   `json:"type"`
	Ref     string   `json:"ref"`
	Lesson  string   `json:"lesson"`
	Section string   `json:"section"`
	Prompt  string   `json:"prompt"`
	Options []string `json:"options"`
	PollID  int64    `json:"poll_id"`
}

type option struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

type pollView struct {
	ID      int64    `json:"id"`
	Prompt  string   `json:"prompt,omitempty"`
	Options []option `json:"options,omitempty"`
	Status  string   `json:"status"`
}

type event struct {
	Type   string    `json:"type"`
	Seq    int64     `json:"seq"`
	Step   any       `json:"step,omitempty"`
	Poll   *pollView `json:"poll,omitempty"`
	SentAt int64     `json:"sent_at"`
}

func (r *relay) readLoop(c *client) {
	c.conn.SetReadLimit(4096)
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		var in action
		if json.Unmarshal(data, &in) != nil {
			continue
		}
		switch {
		case in.Type == "vote":
			r.votes.Add(1)
			r.tallyMu.Lock()
			r.tally[in.PollID]++
			r.tallyDirty = true
			r.tallyMu.Unlock()
			if in.Ref != "" && !c.enqueue(fmt.Appendf(nil, `{"type":"ack","ref":%q}`, in.Ref)) {
				c.drop()
			}
		case c.trainer && in.Type == "step":
			r.broadcast(event{Type: "step", Step: map[string]string{"lesson": in.Lesson, "section": in.Section}})
		case c.trainer && in.Type == "poll_open":
			opts := make([]option, len(in.Options))
			for i, o := range in.Options {
				opts[i] = option{ID: string(rune('a' + i)), Text: o}
			}
			r.broadcast(event{Type: "poll_opened", Poll: &pollView{Prompt: in.Prompt, Options: opts, Status: "open"}})
		case c.trainer && in.Type == "poll_close":
			r.broadcast(event{Type: "poll_closed", Poll: &pollView{ID: in.PollID, Status: "closed"}})
		}
	}
}

// broadcast numbers an event and queues it for everyone, dropping whoever has no room.
func (r *relay) broadcast(ev event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	ev.Seq, ev.SentAt = r.seq, time.Now().UnixMilli()
	if ev.Type == "poll_opened" {
		r.poll++
		ev.Poll.ID = r.poll
	}
	msg, err := json.Marshal(ev)
	if err != nil {
		log.Printf("relay: %v", err)
		return
	}
	for c := range r.clients {
		if !c.enqueue(msg) {
			delete(r.clients, c)
			c.drop()
		}
	}
}

// tallyLoop tells the trainers the vote count of changed polls, at most four times a
// second, as Cairn does.
func (r *relay) tallyLoop() {
	for range time.Tick(250 * time.Millisecond) {
		r.tallyMu.Lock()
		var msgs [][]byte
		if r.tallyDirty {
			for id, n := range r.tally {
				msgs = append(msgs, fmt.Appendf(nil, `{"type":"tally","poll_id":%d,"voters":%d}`, id, n))
			}
			r.tallyDirty = false
		}
		r.tallyMu.Unlock()
		if len(msgs) == 0 {
			continue
		}
		r.mu.Lock()
		for c := range r.clients {
			if c.trainer {
				for _, m := range msgs {
					c.enqueue(m)
				}
			}
		}
		r.mu.Unlock()
	}
}
