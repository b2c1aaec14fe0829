package live

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

// slowNetwork is a listener whose connections, once jammed, stop sending: the next write
// reports that it started (writing) and waits until the network is freed, as a phone on a
// bad line does.
type slowNetwork struct {
	net.Listener
	jammed  atomic.Bool
	writing chan struct{}
	once    sync.Once
	free    chan struct{}
}

func (l *slowNetwork) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	return &slowConn{Conn: c, net: l}, err
}

type slowConn struct {
	net.Conn
	net *slowNetwork
}

func (c *slowConn) Write(p []byte) (int, error) {
	if c.net.jammed.Load() {
		c.net.once.Do(func() { close(c.net.writing) })
		<-c.net.free
	}
	return c.Conn.Write(p)
}

// onSnapshot runs fn when a snapshot starts to be read (the session's row).
type onSnapshot struct {
	armed atomic.Bool
	fn    func()
}

func (h *onSnapshot) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	if strings.HasPrefix(e.Query, "SELECT") && strings.Contains(e.Query, `FROM "live_sessions"`) && h.armed.CompareAndSwap(true, false) {
		h.fn()
	}
	return ctx
}

func (h *onSnapshot) AfterQuery(context.Context, *bun.QueryEvent) {}

func TestAJoinerWhoseSnapshotFindsTheQueueFullIsClosedToResync(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		hook := &onSnapshot{}
		st := store.New(db.WithQueryHook(hook), nil)
		tr := storetest.Account(t, st, "queue-trainer", model.RoleTrainer)
		learner := storetest.Account(t, st, "queue-learner", model.RoleLearner)
		ls := storetest.RunningSession(t, st, tr)
		s := testService(st)
		s.Catalog = func() *course.Catalog { return course.NewCatalog(nil) }
		m := Member{UserID: learner.ID, Session: ls, Cohort: &model.Cohort{ID: ls.CohortID, CourseID: "c", Lang: "en"}}

		network := &slowNetwork{writing: make(chan struct{}), free: make(chan struct{})}
		served := make(chan struct{})
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
			if err != nil {
				return
			}
			defer close(served)
			s.Serve(context.Background(), conn, m, 0)
		}))
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		network.Listener = l
		srv.Listener = network
		srv.Start()
		defer srv.Close()
		var freeOnce sync.Once
		freeNetwork := func() { freeOnce.Do(func() { close(network.free) }) }
		defer freeNetwork()

		// While the joiner's snapshot is read, the session moves on: one event is being
		// written to a network that has stopped, and 64 more fill the queue behind it.
		hook.fn = func() {
			network.jammed.Store(true)
			event := func(i int) Event {
				return Event{Session: ls.ID, Audience: ToAll, Seq: int64(100 + i), Data: mustJSON(StaleMsg{Type: TypeStale})}
			}
			s.Hub.Dispatch(event(0))
			<-network.writing
			for i := range SendQueue {
				s.Hub.Dispatch(event(1 + i))
			}
		}
		hook.armed.Store(true)
		client := dialTest(t, srv)

		select {
		case <-served:
		case <-time.After(10 * time.Second): // a bound, not a wait: the connection should end at once
			t.Fatal("the joiner's snapshot was dropped and the connection stayed open without it")
		}
		freeNetwork()
		_ = client.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			_, data, err := client.ReadMessage()
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				if ce.Code != CloseSlow {
					t.Fatalf("closed with %d, want %d (resync)", ce.Code, CloseSlow)
				}
				break
			}
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			var head struct{ Type string }
			if json.Unmarshal(data, &head) == nil && head.Type == TypeSnapshot {
				t.Fatal("a snapshot arrived after all")
			}
		}
		if s.Hub.Local(ls.ID) != 0 {
			t.Fatal("the closed joiner is still in the room")
		}
	})
}

func TestIdleConnectionsArePingedByTheInstancesSweep(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		st := store.New(db, nil)
		tr := storetest.Account(t, st, "ping-trainer", model.RoleTrainer)
		ls := storetest.RunningSession(t, st, tr)
		s := testService(st)
		s.Catalog = func() *course.Catalog { return course.NewCatalog(nil) }
		s.PingEvery = 20 * time.Millisecond
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go s.pingLoop(ctx)
		m := Member{UserID: tr.ID, Trainer: true, Session: ls, Cohort: &model.Cohort{ID: ls.CohortID, CourseID: "c", Lang: "en"}}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
			if err != nil {
				return
			}
			s.Serve(ctx, conn, m, 0)
		}))
		defer srv.Close()
		client := dialTest(t, srv)
		pinged := make(chan struct{}, 1)
		client.SetPingHandler(func(string) error {
			select {
			case pinged <- struct{}{}:
			default:
			}
			return nil
		})
		go func() { // control frames are handled while reading
			for {
				if _, _, err := client.ReadMessage(); err != nil {
					return
				}
			}
		}()
		for range 3 { // not once by chance: every sweep
			select {
			case <-pinged:
			case <-time.After(10 * time.Second):
				t.Fatal("the idle connection was never pinged")
			}
		}
	})
}

// countingConn counts the writes that reach the network.
type countingConn struct {
	net.Conn
	writes atomic.Int64
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

func asIs(c net.Conn) net.Conn { return c }

// hijackWith hands gorilla's upgrader the connection as wrap returns it.
type hijackWith struct {
	http.ResponseWriter
	wrap func(net.Conn) net.Conn
}

func (w hijackWith) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := w.ResponseWriter.(http.Hijacker).Hijack()
	if err != nil {
		return nil, nil, err
	}
	return w.wrap(conn), rw, nil
}

func TestMessagesQueuedForAClientLeaveInOneWriteInOrder(t *testing.T) {
	const queued = 20
	counted := make(chan *countingConn, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var network *countingConn
		conn, err := (&websocket.Upgrader{}).Upgrade(hijackWith{w, func(c net.Conn) net.Conn {
			network = &countingConn{Conn: c}
			return network
		}}, r, nil)
		if err != nil {
			return
		}
		network.writes.Store(0) // the handshake's answer
		c := newClient(conn, Member{Session: &model.LiveSession{ID: 1}})
		for i := range queued {
			c.enqueue(mustJSON(AckMsg{Type: TypeAck, Ref: fmt.Sprint(i)}))
		}
		counted <- network
		c.start()
	}))
	defer srv.Close()
	client := dialTest(t, srv)
	network := <-counted
	_ = client.SetReadDeadline(time.Now().Add(10 * time.Second))
	for i := range queued {
		var got AckMsg
		if err := client.ReadJSON(&got); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if got.Ref != fmt.Sprint(i) {
			t.Fatalf("message %d arrived as %q", i, got.Ref)
		}
	}
	if n := network.writes.Load(); n != 1 {
		t.Fatalf("%d queued messages took %d writes, want 1", queued, n)
	}
}

func TestAnIdleConnectionHasNoWriterAndStillGetsEventsAndItsClose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		st := store.New(db, nil)
		tr := storetest.Account(t, st, "idle-trainer", model.RoleTrainer)
		ls := storetest.RunningSession(t, st, tr)
		s := testService(st)
		s.Catalog = func() *course.Catalog { return course.NewCatalog(nil) }
		m := Member{UserID: tr.ID, Trainer: true, Session: ls, Cohort: &model.Cohort{ID: ls.CohortID, CourseID: "c", Lang: "en"}}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, err := (&websocket.Upgrader{}).Upgrade(hijackWith{w, asIs}, r, nil)
			if err != nil {
				return
			}
			s.Serve(context.Background(), conn, m, 0)
		}))
		defer srv.Close()
		client := dialTest(t, srv)
		_ = client.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, _, err := client.ReadMessage(); err != nil { // the snapshot
			t.Fatal(err)
		}
		c := s.Hub.clients()[0]
		for deadline := time.Now().Add(10 * time.Second); c.writing.Load(); runtime.Gosched() {
			if time.Now().After(deadline) {
				t.Fatal("the writer is still running with nothing to write")
			}
		}
		s.Hub.Dispatch(Event{Session: ls.ID, Audience: ToAll, Data: mustJSON(StaleMsg{Type: TypeStale})})
		var got StaleMsg
		if err := client.ReadJSON(&got); err != nil || got.Type != TypeStale {
			t.Fatalf("event after idling: %+v, %v", got, err)
		}
		c.Close(CloseEnded)
		for {
			_, _, err := client.ReadMessage()
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				if ce.Code != CloseEnded {
					t.Fatalf("closed with %d, want %d", ce.Code, CloseEnded)
				}
				break
			}
			if err != nil {
				t.Fatalf("read: %v", err)
			}
		}
	})
}

// A client that reads nothing for a while: the socket fills, the frame being written goes
// out in part from the delivering goroutine and the rest from a writer, and the client's
// ping meanwhile is answered after it. When the client reads, every message is whole and
// in order, and the pong came.
func TestFramesTheSocketTakesInPartArriveWholeInOrderWithThePong(t *testing.T) {
	const frames, size = 48, 128 << 10 // 6 MB: more than a loopback socket holds
	delivered := make(chan *Client, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := (&websocket.Upgrader{}).Upgrade(hijackWith{w, asIs}, r, nil)
		if err != nil {
			return
		}
		c := newClient(conn, Member{Session: &model.LiveSession{ID: 1}})
		if c.raw == nil {
			t.Error("a plain TCP connection has no socket for direct writes")
		}
		c.start()
		for i := range frames {
			msg := append(fmt.Appendf(nil, "%04d", i), strings.Repeat(string(rune('a'+i%26)), size)...)
			if !c.deliverFrame(textFrame(msg)) {
				t.Errorf("frame %d: queue full", i)
			}
		}
		delivered <- c
		c.readLoop(context.Background(), func(context.Context, Inbound) (*unfinished, error) { return nil, nil }, func(msg []byte) { c.enqueue(msg) })
	}))
	defer srv.Close()
	client := dialTest(t, srv)
	c := <-delivered
	if !c.writing.Load() {
		t.Fatal("the socket took 6 MB nobody read: the test did not fill it")
	}
	var ponged atomic.Bool
	client.SetPongHandler(func(data string) error { ponged.Store(data == "are you there"); return nil })
	if err := client.WriteControl(websocket.PingMessage, []byte("are you there"), time.Now().Add(10*time.Second)); err != nil {
		t.Fatal(err)
	}
	_ = client.SetReadDeadline(time.Now().Add(30 * time.Second))
	for i := range frames {
		_, data, err := client.ReadMessage()
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		want := append(fmt.Appendf(nil, "%04d", i), strings.Repeat(string(rune('a'+i%26)), size)...)
		if string(data) != string(want) {
			t.Fatalf("message %d arrived as %d bytes starting %q, want %d starting %q", i, len(data), data[:min(8, len(data))], len(want), want[:8])
		}
	}
	// The pong was queued behind the frames, so it has come before the answer to a message
	// sent now (a refusal: it is not one of the protocol's).
	if err := client.WriteMessage(websocket.TextMessage, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	var refusal ErrorMsg
	if err := client.ReadJSON(&refusal); err != nil || refusal.Code != "bad_message" {
		t.Fatalf("answer to a bad message: %+v, %v", refusal, err)
	}
	if !ponged.Load() {
		t.Fatal("the ping sent while the socket was full was never answered")
	}
}
