package live

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

// BenchmarkConnectionMemory measures what a connection keeps once it has joined and voted:
// goroutine stacks and heap per connection, with n participants connected through Serve (on
// goroutines of their own, as the web server does). The clients are in the same process but
// have no goroutines of their own, so the stacks are the server's; their heap (a gorilla
// connection each, 512-byte buffers) is included and the same before and after any change.
//
//	go test ./app/live -run '^$' -bench ConnectionMemory -benchtime 1x
func BenchmarkConnectionMemory(b *testing.B) {
	const n = 2000
	db := dbtest.Open(b, "sqlite")
	st := store.New(db, nil)
	ctx := context.Background()
	tr := storetest.Account(b, st, "mem-trainer", model.RoleTrainer)
	ls := storetest.RunningSession(b, st, tr)
	s := testService(st)
	s.Catalog = func() *course.Catalog { return course.NewCatalog([]*course.Course{{ID: "c"}}) }
	cohort := &model.Cohort{ID: ls.CohortID, CourseID: "c", Lang: "en"}
	members := make([]Member, n)
	for i := range members {
		u := storetest.Account(b, st, fmt.Sprintf("mem-%04d", i), model.RoleLearner)
		members[i] = Member{UserID: u.ID, Session: ls, Cohort: cohort}
	}
	poll := openTwoOptionPoll(b, s, Member{UserID: tr.ID, Trainer: true, Session: ls, Cohort: cohort})
	var next sync.Mutex
	i := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := (&websocket.Upgrader{ReadBufferSize: 512, WriteBufferSize: 1024, WriteBufferPool: &sync.Pool{}}).Upgrade(hijackWith{w, asIs}, r, nil)
		if err != nil {
			return
		}
		next.Lock()
		m := members[i]
		i++
		next.Unlock()
		go s.Serve(ctx, conn, m, 0)
	}))
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	dialer := &websocket.Dialer{ReadBufferSize: 512, WriteBufferSize: 512}
	clients := make([]*websocket.Conn, n)
	for k := range clients {
		c, _, err := dialer.Dial(url, nil)
		if err != nil {
			b.Fatal(err)
		}
		clients[k] = c
		defer c.Close()
		if _, _, err := c.ReadMessage(); err != nil { // the snapshot
			b.Fatal(err)
		}
		if err := c.WriteJSON(Inbound{Type: MsgVote, PollID: poll.ID, Choice: "a", Ref: "v"}); err != nil {
			b.Fatal(err)
		}
		for { // until the vote's acknowledgement; presence and tallies may come first
			var out struct{ Type, Ref, Code string }
			if err := c.ReadJSON(&out); err != nil {
				b.Fatal(err)
			}
			if out.Type == TypeError {
				b.Fatalf("vote refused: %+v", out)
			}
			if out.Type == TypeAck {
				break
			}
		}
	}
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.StackInuse)/n, "stack-B/conn")
	b.ReportMetric(float64(ms.HeapInuse)/n, "heap-B/conn")
	b.ReportMetric(float64(runtime.NumGoroutine())/n, "goroutines/conn")
}

// openTwoOptionPoll opens an ad hoc poll of two options as the trainer and returns it; the
// options' ids are "a" and "b".
func openTwoOptionPoll(tb testing.TB, s *Service, trainer Member) *model.LivePoll {
	tb.Helper()
	ctx := context.Background()
	if err := s.openPoll(ctx, trainer, nil, Inbound{Type: MsgPollOpen, Prompt: "?", Options: []string{"x", "y"}}); err != nil {
		tb.Fatal(err)
	}
	poll, err := s.Store.CurrentPoll(ctx, trainer.Session.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return poll
}
