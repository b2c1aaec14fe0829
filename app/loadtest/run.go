package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Options of one run.
type Options struct {
	URLs        []string // servers; participants are spread over them, the trainer uses the first
	Steps       int      // lesson steps the trainer shows
	Polls       int      // polls everyone answers
	StepEvery   time.Duration
	Settle      time.Duration // how long to wait for the last deliveries
	DialWorkers int
	// VoteWithin spreads each participant's vote over a random moment in this window after
	// the poll reaches them, as people take a moment to read; 0 votes at once (a storm).
	VoteWithin time.Duration
}

// Result is what the summary line reports.
type Result struct {
	Participants, Connected     int
	Expected, Delivered, Missed int
	OutOfOrder                  int
	P50, P95, P99, Max          time.Duration // from the trainer's action to the participant reading it
	// Arrival latencies end when the message reached the participant's network stack
	// (kernel receive time), before the load tool's own scheduling delay; zero when the
	// platform does not report it.
	ArrivalP50, ArrivalP95, ArrivalP99, ArrivalMax time.Duration
	VotesSent, VotesAcked                          int
}

type participant struct {
	voteWithin time.Duration
	writeMu    sync.Mutex
	conn       *websocket.Conn
	tcp        net.Conn // the connection under conn, for arrival times
	lastSeq    int64
	synced     bool
	outOrder   int
	got        atomic.Int64 // numbered events received after the snapshot
}

// Run connects the participants and the trainer, drives steps and polls, and measures.
func Run(ctx context.Context, f *Fixture, o Options, log func(string, ...any)) (Result, error) {
	res := Result{Participants: len(f.Participants)}
	sent := sync.Map{} // marker → time the trainer sent it
	lat := &latencyLog{read: map[string][]time.Duration{}, arrival: map[string][]time.Duration{}}
	var votesSent, votesAcked atomic.Int64

	parts := make([]*participant, len(f.Participants))
	var connected atomic.Int64
	jobs := make(chan int)
	var wg sync.WaitGroup
	// The last dial error, for the log. Not an atomic.Value: errors of different concrete
	// types (a refused handshake, a refused connection) would make its Store panic.
	var dialErrMu sync.Mutex
	var dialErr error
	for w := 0; w < max(1, o.DialWorkers); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				base := o.URLs[i%len(o.URLs)]
				conn, tcp, err := dial(ctx, base, f.SessionID, f.Participants[i])
				if err != nil {
					dialErrMu.Lock()
					dialErr = err
					dialErrMu.Unlock()
					continue
				}
				p := &participant{conn: conn, tcp: tcp, lastSeq: -1}
				parts[i] = p
				connected.Add(1)
				p.voteWithin = o.VoteWithin
				go p.read(&sent, lat, &votesSent, &votesAcked)
			}
		}()
	}
	start := time.Now()
	for i := range f.Participants {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	res.Connected = int(connected.Load())
	log("connected %d of %d participants in %s", res.Connected, len(f.Participants), time.Since(start).Round(time.Millisecond))
	if dialErr != nil { // every dialer has returned (wg.Wait)
		log("some connections failed, last error: %v", dialErr)
	}
	// Wait until every connected participant has its snapshot.
	waitFor(ctx, 60*time.Second, func() bool {
		for _, p := range parts {
			if p != nil && !p.isSynced() {
				return false
			}
		}
		return true
	})

	trainer, _, err := dial(ctx, o.URLs[0], f.SessionID, f.TrainerToken)
	if err != nil {
		return res, fmt.Errorf("trainer connection: %w", err)
	}
	defer trainer.Close()
	tr := newTrainerReader(trainer)
	go tr.read()
	if !tr.waitSnapshot(10 * time.Second) {
		return res, fmt.Errorf("trainer got no snapshot")
	}

	numbered := 0
	for k := 0; k < o.Steps; k++ {
		marker := fmt.Sprintf("load-%d", k)
		lesson := f.Lessons[k%len(f.Lessons)]
		sent.Store(marker, time.Now())
		if err := trainer.WriteJSON(map[string]any{"type": "step", "lesson": lesson, "section": marker}); err != nil {
			return res, err
		}
		numbered++
		time.Sleep(o.StepEvery)
	}
	for k := 0; k < o.Polls; k++ {
		marker := fmt.Sprintf("poll-%d", k)
		sent.Store(marker, time.Now())
		if err := trainer.WriteJSON(map[string]any{"type": "poll_open", "prompt": marker, "options": []string{"yes", "no", "maybe"}}); err != nil {
			return res, err
		}
		numbered++
		// Participants vote as the poll reaches them; wait until the trainer's tally shows
		// every connected participant, or give up after a while.
		waitFor(ctx, 60*time.Second, func() bool { return tr.voters(marker) >= res.Connected })
		if err := trainer.WriteJSON(map[string]any{"type": "poll_close", "poll_id": tr.pollID(marker)}); err != nil {
			return res, err
		}
		numbered++
		time.Sleep(o.StepEvery)
	}
	// Let the last deliveries arrive.
	expected := int64(numbered)
	waitFor(ctx, o.Settle, func() bool {
		for _, p := range parts {
			if p != nil && p.got.Load() < expected {
				return false
			}
		}
		return true
	})
	for _, p := range parts {
		if p == nil {
			continue
		}
		res.Expected += numbered
		got := int(p.got.Load())
		res.Delivered += got
		res.OutOfOrder += p.outOrder
		_ = p.conn.Close()
	}
	res.Missed = res.Expected - res.Delivered
	res.Missed += (len(f.Participants) - res.Connected) * numbered
	res.Expected += (len(f.Participants) - res.Connected) * numbered
	res.VotesSent, res.VotesAcked = int(votesSent.Load()), int(votesAcked.Load())
	lat.mu.Lock()
	defer lat.mu.Unlock()
	var events []string
	for k := 0; k < o.Steps; k++ {
		events = append(events, fmt.Sprintf("load-%d", k))
	}
	for k := 0; k < o.Polls; k++ {
		events = append(events, fmt.Sprintf("poll-%d", k))
	}
	for _, ev := range events {
		kind := "step"
		if strings.HasPrefix(ev, "poll-") {
			kind = "poll opened"
		}
		log("%s", lat.describe(ev, kind))
	}
	if n := unstampedReads.Load(); n > 0 {
		log("%d reads carried no kernel arrival time; their read time counts as arrival", n)
	}
	res.P50, res.P95, res.P99, res.Max = percentiles(lat.read, events)
	res.ArrivalP50, res.ArrivalP95, res.ArrivalP99, res.ArrivalMax = percentiles(lat.arrival, events)
	return res, nil
}

// percentiles of the latencies of the given events taken together.
func percentiles(byEvent map[string][]time.Duration, events []string) (p50, p95, p99, maximum time.Duration) {
	var all []time.Duration
	for _, ev := range events {
		all = append(all, byEvent[ev]...)
	}
	if len(all) == 0 {
		return 0, 0, 0, 0
	}
	slices.Sort(all)
	return pct(all, 50), pct(all, 95), pct(all, 99), all[len(all)-1]
}

// latencyLog collects delivery latencies per event (step or poll), so a slow event shows:
// until the participant read the message, and until it reached the participant's host.
type latencyLog struct {
	mu            sync.Mutex
	read, arrival map[string][]time.Duration
}

func (l *latencyLog) add(event string, read time.Duration, arrival time.Duration, hasArrival bool) {
	l.mu.Lock()
	l.read[event] = append(l.read[event], read)
	if hasArrival {
		l.arrival[event] = append(l.arrival[event], arrival)
	}
	l.mu.Unlock()
}

// describe summarises one event; the caller holds l.mu.
func (l *latencyLog) describe(event, kind string) string {
	d := l.read[event]
	slices.Sort(d)
	if len(d) == 0 {
		return fmt.Sprintf("%s %s: delivered to nobody", kind, event)
	}
	line := fmt.Sprintf("%s %s: delivered %d, read min %s, p50 %s, p99 %s, max %s", kind, event, len(d),
		d[0].Round(time.Millisecond), pct(d, 50).Round(time.Millisecond), pct(d, 99).Round(time.Millisecond), d[len(d)-1].Round(time.Millisecond))
	if a := l.arrival[event]; len(a) > 0 {
		slices.Sort(a)
		line += fmt.Sprintf("; arrival p50 %s, p99 %s, max %s", pct(a, 50).Round(time.Millisecond), pct(a, 99).Round(time.Millisecond), a[len(a)-1].Round(time.Millisecond))
	}
	return line
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}

func waitFor(ctx context.Context, limit time.Duration, done func() bool) {
	deadline := time.Now().Add(limit)
	for !done() && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
}

// dial opens a participant's websocket; the second result is the TCP connection under it,
// whose reads carry arrival times where the platform gives them.
func dial(ctx context.Context, base string, sessionID int64, token string) (*websocket.Conn, net.Conn, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, nil, err
	}
	cookie := "cairn_session"
	ws := "ws"
	if u.Scheme == "https" {
		cookie, ws = "__Host-cairn_session", "wss"
	}
	h := http.Header{"Origin": {strings.TrimRight(base, "/")}, "Cookie": {cookie + "=" + token}}
	var tcp net.Conn
	d := websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 1024,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialStamped(ctx, network, addr)
			tcp = c
			return c, err
		}}
	conn, resp, err := d.DialContext(ctx, fmt.Sprintf("%s://%s/live/%d/ws", ws, u.Host, sessionID), h)
	if err != nil && resp != nil {
		return nil, nil, fmt.Errorf("%w (HTTP %d)", err, resp.StatusCode)
	}
	return conn, tcp, err
}

type inbound struct {
	Type string                    `json:"type"`
	Seq  *int64                    `json:"seq"`
	Code string                    `json:"code"`
	Step *struct{ Section string } `json:"step"`
	Poll *struct {
		ID     int64  `json:"id"`
		Prompt string `json:"prompt"`
		Status string `json:"status"`
	} `json:"poll"`
	PollID int64 `json:"poll_id"`
	Voters int   `json:"voters"`
}

func (p *participant) isSynced() bool { return p.got.Load() >= 0 && p.syncedFlag() }

var syncMu sync.Mutex

func (p *participant) syncedFlag() bool {
	syncMu.Lock()
	defer syncMu.Unlock()
	return p.synced
}

// reserveStack grows the calling goroutine's stack to hold about frames KB before
// anything is measured, so that handling the first event (decoding it, writing the vote)
// does not. A goroutine starts with a small stack, and the runtime copies it to one twice
// the size whenever a call goes deeper. Without this, the first step and then the first
// poll found all the participants' goroutines growing their stacks at once: in a CPU
// profile of the tool during the first step, runtime.newstack took 140 of 300 ms, and that
// event's reads lagged 60-100 ms behind the later steps', against the relay as against
// Cairn. That is the tool simulating thousands of phones in one process, not the server.
//
//go:noinline
func reserveStack(frames int) byte {
	var frame [1024]byte
	if frames > 1 {
		frame[frames] = reserveStack(frames - 1)
	}
	return frame[frames]
}

// stackReserveKB is what reserveStack takes for each participant: its stack then holds
// 32 KB, more than decoding an event and writing a vote need. The collector halves an idle
// goroutine's stack when it uses under a quarter of it, which a participant waiting
// between events does; compare.sh runs the tool with GODEBUG=gcshrinkstackoff=1 so that
// what was grown stays (ShrinkingStacks says whether it does).
const stackReserveKB = 24

// ShrinkingStacks reports whether the collector may shrink this process's goroutine
// stacks (GODEBUG gcshrinkstackoff not set): the first events after a quiet moment then
// measure the tool's stack growth too.
func ShrinkingStacks() bool {
	for _, kv := range strings.Split(os.Getenv("GODEBUG"), ",") {
		if kv == "gcshrinkstackoff=1" {
			return false
		}
	}
	return true
}

func (p *participant) read(sent *sync.Map, lat *latencyLog, votesSent, votesAcked *atomic.Int64) {
	reserveStack(stackReserveKB)
	for {
		_, data, err := p.conn.ReadMessage()
		if err != nil {
			return
		}
		now := time.Now()
		arrived, hasArrival := arrivedAt(p.tcp)
		var m inbound
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		switch {
		case m.Type == "snapshot":
			syncMu.Lock()
			p.lastSeq, p.synced = *m.Seq, true
			syncMu.Unlock()
			continue
		case m.Type == "ack":
			votesAcked.Add(1)
			continue
		case m.Seq == nil:
			continue
		}
		if *m.Seq != p.lastSeq+1 {
			p.outOrder++
		}
		if *m.Seq > p.lastSeq {
			p.lastSeq = *m.Seq
		}
		p.got.Add(1)
		marker := ""
		if m.Type == "step" && m.Step != nil {
			marker = m.Step.Section
		}
		if m.Type == "poll_opened" && m.Poll != nil {
			marker = m.Poll.Prompt
			vote := fmt.Appendf(nil, `{"type":"vote","poll_id":%d,"choice":%q,"ref":"v"}`, m.Poll.ID, []string{"a", "b", "c"}[rand.IntN(3)])
			if p.voteWithin > 0 {
				time.AfterFunc(time.Duration(rand.Int64N(int64(p.voteWithin))), func() { p.send(vote, votesSent) })
			} else {
				p.send(vote, votesSent)
			}
		}
		if marker != "" {
			if t0, ok := sent.Load(marker); ok {
				// Round(0) drops the monotonic reading: the kernel's time is wall-clock.
				start := t0.(time.Time)
				lat.add(marker, now.Sub(start), arrived.Sub(start.Round(0)), hasArrival)
			}
		}
	}
}

// send writes one message; reads run on their own goroutine, so writes need the lock only
// against each other.
func (p *participant) send(msg []byte, sent *atomic.Int64) {
	p.writeMu.Lock()
	defer p.writeMu.Unlock()
	if p.conn.WriteMessage(websocket.TextMessage, msg) == nil {
		sent.Add(1)
	}
}

// trainerReader follows the trainer's stream: snapshot, polls opened, tallies.
type trainerReader struct {
	conn   *websocket.Conn
	mu     sync.Mutex
	synced bool
	polls  map[string]int64 // prompt → poll id
	tally  map[int64]int    // poll id → voters
}

func newTrainerReader(c *websocket.Conn) *trainerReader {
	return &trainerReader{conn: c, polls: map[string]int64{}, tally: map[int64]int{}}
}

func (t *trainerReader) read() {
	for {
		_, data, err := t.conn.ReadMessage()
		if err != nil {
			return
		}
		var m inbound
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		t.mu.Lock()
		switch m.Type {
		case "snapshot":
			t.synced = true
		case "poll_opened":
			t.polls[m.Poll.Prompt] = m.Poll.ID
		case "tally":
			t.tally[m.PollID] = m.Voters
		}
		t.mu.Unlock()
	}
}

func (t *trainerReader) waitSnapshot(limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		t.mu.Lock()
		ok := t.synced
		t.mu.Unlock()
		if ok {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

func (t *trainerReader) pollID(prompt string) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.polls[prompt]
}

func (t *trainerReader) voters(prompt string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	id, ok := t.polls[prompt]
	if !ok {
		return -1
	}
	return t.tally[id]
}
