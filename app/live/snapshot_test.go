package live

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

// queryTally counts the queries the database sees, and those on the questions table.
type queryTally struct{ all, questions atomic.Int64 }

func (q *queryTally) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	q.all.Add(1)
	if strings.Contains(e.Query, `"live_questions"`) {
		q.questions.Add(1)
	}
	return ctx
}

func (q *queryTally) AfterQuery(context.Context, *bun.QueryEvent) {}

func TestParticipantsResyncingAtOnceShareOneSnapshotBuild(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		tally := &queryTally{}
		st := store.New(db.WithQueryHook(tally), nil)
		tr := storetest.Account(t, st, "resync-trainer", model.RoleTrainer)
		ls := storetest.RunningSession(t, st, tr)
		s := testService(st)
		catalog := course.NewCatalog(nil)
		s.Catalog = func() *course.Catalog { return catalog }
		cohort := &model.Cohort{ID: ls.CohortID, CourseID: "c", Lang: "en"}
		trainer := Member{UserID: tr.ID, Trainer: true, Session: ls, Cohort: cohort}
		const n = 40
		var people []Member
		for i := range n {
			u := storetest.Account(t, st, fmt.Sprintf("resync-%02d", i), model.RoleLearner)
			people = append(people, Member{UserID: u.ID, Name: u.Username, Session: ls, Cohort: cohort})
		}
		if err := s.openPoll(ctx, trainer, nil, Inbound{Type: MsgPollOpen, Prompt: "?", Options: []string{"x", "y"}}); err != nil {
			t.Fatal(err)
		}
		p, err := st.CurrentPoll(ctx, ls.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.vote(ctx, people[0], nil, Inbound{Type: MsgVote, PollID: p.ID, Choice: "b"}); err != nil {
			t.Fatal(err)
		}
		if err := s.ask(ctx, people[1], Inbound{Type: MsgAsk, Body: "first question"}); err != nil {
			t.Fatal(err)
		}

		snapshots := make([]SnapshotMsg, n)
		resyncAll := func() {
			t.Helper()
			tally.all.Store(0)
			tally.questions.Store(0)
			start := make(chan struct{})
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i, m := range people {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					var data []byte
					if data, errs[i] = s.Snapshot(ctx, m); errs[i] == nil {
						errs[i] = json.Unmarshal(data, &snapshots[i])
					}
				}()
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("participant %d: %v", i, err)
				}
			}
		}

		resyncAll()
		if q := tally.questions.Load(); q != 1 {
			t.Fatalf("%d participants resyncing at the same number read the questions %d times, want once", n, q)
		}
		if q := tally.all.Load(); q > 2*n+4 {
			t.Fatalf("%d snapshots ran %d queries, want at most 2 each and one shared build", n, q)
		}
		for i, snap := range snapshots {
			if snap.Poll == nil || snap.Poll.ID != p.ID || len(snap.Questions) != 1 || snap.TrainerState != nil {
				t.Fatalf("participant %d got %+v", i, snap)
			}
			if voted := snap.Poll.Voted; voted != (i == 0) || (i == 0) != (snap.Poll.MyChoice == "b") {
				t.Fatalf("participant %d: voted %v, choice %q", i, voted, snap.Poll.MyChoice)
			}
		}

		// A change moves the number: the next snapshots are built again and show it.
		if err := s.ask(ctx, people[2], Inbound{Type: MsgAsk, Body: "second question"}); err != nil {
			t.Fatal(err)
		}
		resyncAll()
		if q := tally.questions.Load(); q != 1 {
			t.Fatalf("after a change the questions were read %d times, want once", q)
		}
		for i, snap := range snapshots {
			if len(snap.Questions) != 2 || snap.Seq != snapshots[0].Seq {
				t.Fatalf("participant %d after the change: seq %d, %d questions", i, snap.Seq, len(snap.Questions))
			}
		}

		// Trainers are not served from the participants' state: they see hidden questions.
		if err := s.question(ctx, trainer, Inbound{Type: MsgHide, Question: snapshots[0].Questions[0].ID}); err != nil {
			t.Fatal(err)
		}
		data, err := s.Snapshot(ctx, trainer)
		if err != nil {
			t.Fatal(err)
		}
		var ts SnapshotMsg
		if err := json.Unmarshal(data, &ts); err != nil || len(ts.Questions) != 2 || ts.TrainerState == nil || ts.Poll.Tally == nil {
			t.Fatalf("trainer snapshot %+v (%v)", ts, err)
		}
		data, err = s.Snapshot(ctx, people[3])
		if err != nil {
			t.Fatal(err)
		}
		var ps SnapshotMsg
		if err := json.Unmarshal(data, &ps); err != nil || len(ps.Questions) != 1 {
			t.Fatalf("participant snapshot after a hide: %+v (%v)", ps, err)
		}
	})
}
