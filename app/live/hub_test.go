package live

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/model"
)

func testClient(session int64, trainer bool) *Client {
	return newClient(nil, Member{UserID: 1, Trainer: trainer, Session: &model.LiveSession{ID: session}})
}

func TestDispatchReachesTheRightRoomAndAudience(t *testing.T) {
	h := NewHub(slog.New(slog.NewTextHandler(io.Discard, nil)))
	learner, trainer, elsewhere := testClient(1, false), testClient(1, true), testClient(2, false)
	for _, c := range []*Client{learner, trainer, elsewhere} {
		h.add(c)
	}
	h.Dispatch(Event{Session: 1, Audience: ToAll, Data: []byte(`{"seq":1}`)})
	h.Dispatch(Event{Session: 1, Audience: ToTrainers, Data: []byte(`{"type":"tally"}`)})
	if learner.queued() != 1 || trainer.queued() != 2 || elsewhere.queued() != 0 {
		t.Fatalf("queued: learner %d, trainer %d, other room %d", learner.queued(), trainer.queued(), elsewhere.queued())
	}
	// The event is framed once: both clients of the room were queued the same bytes.
	if a, b := learner.pop(), trainer.pop(); string(payload(t, a)) != `{"seq":1}` || &a[0] != &b[0] {
		t.Fatalf("queued %q and %q, want one shared frame of the event", a, b)
	}
	if h.Local(1) != 2 {
		t.Fatalf("room 1 has %d clients", h.Local(1))
	}
	h.remove(learner)
	h.remove(trainer)
	if h.Local(1) != 0 || len(h.rooms) != 1 {
		t.Fatal("empty rooms must be forgotten")
	}
}

func TestSlowConsumerIsDroppedWithoutStallingTheRoom(t *testing.T) {
	h := NewHub(slog.New(slog.NewTextHandler(io.Discard, nil)))
	slow, fast := testClient(7, false), testClient(7, false)
	h.add(slow)
	h.add(fast)
	for i := 0; i < SendQueue; i++ {
		h.Dispatch(Event{Session: 7, Audience: ToAll, Data: []byte(`{}`)})
		fast.pop() // the fast client keeps up; the slow one reads nothing
	}
	select {
	case <-slow.done:
		t.Fatal("dropped before its queue was full")
	default:
	}
	h.Dispatch(Event{Session: 7, Audience: ToAll, Data: []byte(`{"last":true}`)}) // does not block
	select {
	case <-slow.done:
	default:
		t.Fatal("a client with a full queue must be dropped")
	}
	if string(payload(t, fast.pop())) != `{"last":true}` {
		t.Fatal("the fast client missed a message because of the slow one")
	}
	if slow.closeAs != CloseSlow {
		t.Fatalf("close code %d, want %d", slow.closeAs, CloseSlow)
	}
}

func TestTokenBucketLimitsBursts(t *testing.T) {
	c := testClient(1, false)
	allowed := 0
	for range 40 {
		if c.allow(MsgResync) {
			allowed++
		}
	}
	if allowed != 20 {
		t.Fatalf("%d resyncs allowed in a burst, want 20", allowed)
	}
}

func TestPersonalBudgetsAreSharedByAPersonAndApartFromOthers(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &Service{Now: func() time.Time { return now }}
	session := &model.LiveSession{ID: 7}
	asks := func(m Member) int {
		n := 0
		for range 10 {
			if s.allow(m, MsgAsk) {
				n++
			}
		}
		return n
	}
	if n := asks(Member{UserID: 1, Session: session}); n != 3 {
		t.Fatalf("asked %d times in a burst, want 3", n)
	}
	if n := asks(Member{UserID: 1, Session: session}); n != 0 {
		t.Fatalf("the same person (another tab or the plain page) asked %d more times", n)
	}
	if n := asks(Member{UserID: 2, Session: session}); n != 3 {
		t.Fatalf("another person got %d asks, want their own 3", n)
	}
	if !s.allow(Member{UserID: 1, Session: session}, MsgHand) {
		t.Fatal("a message without a personal budget was refused")
	}
}

// A room large enough that its writes are shared among goroutines: every client gets every
// event, in order, and the trainer-only one reaches the trainers alone.
func TestALargeRoomGetsEveryEventInOrder(t *testing.T) {
	h := NewHub(slog.New(slog.NewTextHandler(io.Discard, nil)))
	const n = 4 * fanOutChunk
	clients := make([]*Client, n)
	for i := range clients {
		clients[i] = testClient(3, i%100 == 0)
		h.add(clients[i])
	}
	h.Dispatch(Event{Session: 3, Seq: 1, Audience: ToAll, Data: []byte(`{"seq":1}`)})
	h.Dispatch(Event{Session: 3, Audience: ToTrainers, Data: []byte(`{"type":"tally"}`)})
	h.Dispatch(Event{Session: 3, Seq: 2, Audience: ToAll, Data: []byte(`{"seq":2}`)})
	for i, c := range clients {
		want := []string{`{"seq":1}`, `{"seq":2}`}
		if c.Trainer {
			want = []string{`{"seq":1}`, `{"type":"tally"}`, `{"seq":2}`}
		}
		if c.queued() != len(want) {
			t.Fatalf("client %d has %d queued, want %d", i, c.queued(), len(want))
		}
		for _, w := range want {
			if got := string(payload(t, c.pop())); got != w {
				t.Fatalf("client %d got %s, want %s", i, got, w)
			}
		}
	}
}
