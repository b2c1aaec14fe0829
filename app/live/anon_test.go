package live

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

// anonRoom is a running session on a live service whose anonymous polls need minGroup
// voters, a trainer and some participants.
type anonRoom struct {
	s       *Service
	session *model.LiveSession
	trainer Member
	people  []Member
}

func newAnonRoom(t *testing.T, db *bun.DB, st *store.Store, minGroup, people int) *anonRoom {
	t.Helper()
	s := testService(st)
	s.MinGroup = minGroup
	s.Catalog = func() *course.Catalog { return course.NewCatalog(nil) }
	tr := storetest.Account(t, st, fmt.Sprintf("anon-trainer-%d", time.Now().UnixNano()), model.RoleTrainer)
	ls := storetest.RunningSession(t, st, tr)
	cohort := &model.Cohort{ID: ls.CohortID, CourseID: "c", Lang: "en"}
	r := &anonRoom{s: s, session: ls, trainer: Member{UserID: tr.ID, Trainer: true, Session: ls, Cohort: cohort}}
	for i := range people {
		u := storetest.Account(t, st, fmt.Sprintf("anon-%d-%02d", ls.ID, i), model.RoleLearner)
		r.people = append(r.people, Member{UserID: u.ID, Session: ls, Cohort: cohort})
	}
	return r
}

// open opens an anonymous poll with options a, b and c and returns its id.
func (r *anonRoom) open(t *testing.T) int64 {
	t.Helper()
	ctx := context.Background()
	if err := r.s.openPoll(ctx, r.trainer, nil, Inbound{Type: MsgPollOpen, Prompt: "?", Options: []string{"x", "y", "z"}, Anonymous: true}); err != nil {
		t.Fatal(err)
	}
	p, err := r.s.Store.CurrentPoll(ctx, r.session.ID)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func (r *anonRoom) vote(who Member, poll int64, choice string) error {
	return r.s.vote(context.Background(), who, nil, Inbound{Type: MsgVote, PollID: poll, Choice: choice})
}

// examinedVoter is what a seized database shows of one guard row: in physical order (on
// PostgreSQL by ctid; on SQLite the order a plain scan returns), with the transaction that
// wrote it (PostgreSQL's xmin).
type examinedVoter struct {
	user    int64
	votedAt time.Time
	xmin    string
}

type examinedCount struct {
	choice string
	votes  int
	xmin   string
}

func examine(t *testing.T, db *bun.DB, poll int64) ([]examinedVoter, []examinedCount) {
	t.Helper()
	ctx := context.Background()
	voterSQL := "SELECT user_id, voted_at, '' FROM live_poll_voters WHERE poll_id = ?"
	countSQL := "SELECT choice, votes, '' FROM live_poll_counts WHERE poll_id = ?"
	if database.IsPostgres(db) {
		voterSQL = "SELECT user_id, voted_at, xmin::text FROM live_poll_voters WHERE poll_id = ? ORDER BY ctid"
		countSQL = "SELECT choice, votes, xmin::text FROM live_poll_counts WHERE poll_id = ? ORDER BY ctid"
	} else {
		// SQLite's hidden row numbers grow in insertion order: they must not exist.
		for _, table := range []string{"live_poll_voters", "live_poll_counts"} {
			var n int64
			if err := db.QueryRowContext(ctx, "SELECT rowid FROM "+table+" LIMIT 1").Scan(&n); err == nil || errors.Is(err, sql.ErrNoRows) {
				t.Errorf("%s has a rowid that follows insertion order", table)
			}
		}
	}
	var voters []examinedVoter
	rows, err := db.QueryContext(ctx, voterSQL, poll)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v examinedVoter
		if err := rows.Scan(&v.user, &v.votedAt, &v.xmin); err != nil {
			t.Fatal(err)
		}
		voters = append(voters, v)
	}
	rows.Close()
	var counts []examinedCount
	rows, err = db.QueryContext(ctx, countSQL, poll)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c examinedCount
		if err := rows.Scan(&c.choice, &c.votes, &c.xmin); err != nil {
			t.Fatal(err)
		}
		counts = append(counts, c)
	}
	rows.Close()
	return voters, counts
}

func TestAnonymousVotesCannotBeLinkedToVotersFromTheDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		const minGroup = 3
		st := store.New(db, nil)
		r := newAnonRoom(t, db, st, minGroup, 8)
		poll := r.open(t)
		choices := []string{"a", "b", "c", "a", "b", "c", "a", "b"}
		// They vote in the reverse order of their ids: rows written in the order people
		// voted would show it.
		for i := len(r.people) - 1; i >= 0; i-- {
			if err := r.vote(r.people[i], poll, choices[i]); err != nil {
				t.Fatalf("vote %d: %v", i, err)
			}
			if i == len(r.people)-1 {
				// Held, not written: the voter still sees the vote, and cannot vote again.
				state, err := r.s.State(ctx, r.people[i])
				if err != nil {
					t.Fatal(err)
				}
				if voted := state.Poll.Voted; !voted {
					t.Fatalf("a held vote is not shown to its voter: voted=%v", voted)
				}
				state, err = r.s.State(ctx, r.trainer)
				if err != nil {
					t.Fatal(err)
				}
				if tally := state.Poll.Tally; tally.Voters != 1 || tally.Counts != nil {
					t.Fatalf("the trainer's tally while one vote is held: %v; want 1 voter and no counts", tally)
				}
				if err := r.vote(r.people[i], poll, "c"); !refusedWith(err, "already_voted") {
					t.Fatalf("a second vote while the first is held: %v", err)
				}
			}
		}
		if err := r.s.closePoll(ctx, r.trainer, nil, Inbound{Type: MsgPollReveal, PollID: poll}); err != nil {
			t.Fatal(err)
		}
		counts, voters, err := st.PollCounts(ctx, nil, poll)
		if err != nil || voters != 8 || counts["a"] != 3 || counts["b"] != 3 || counts["c"] != 2 {
			t.Fatalf("results %v, %d voters, %v; want a=3 b=3 c=2 from 8", counts, voters, err)
		}

		seized, tallies := examine(t, db, poll)
		if len(seized) != 8 || len(tallies) == 0 {
			t.Fatalf("examined %d voter rows and %d count rows", len(seized), len(tallies))
		}
		// Whatever rows share (a transaction, a time) ties them together as one group; every
		// group must hold at least the minimum group, in an order that says nothing.
		groups := map[string][]int64{}
		var keys []string
		for _, v := range seized {
			if !v.votedAt.Equal(v.votedAt.Truncate(time.Minute)) {
				t.Errorf("voter %d: voted_at %v is finer than the minute", v.user, v.votedAt)
			}
			k := v.xmin + "|" + v.votedAt.UTC().String()
			if groups[k] == nil {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], v.user)
		}
		for _, k := range keys {
			if len(groups[k]) < minGroup {
				t.Errorf("a seized database ties %d voters together (%s), fewer than %d", len(groups[k]), k, minGroup)
			}
			if !slices.IsSorted(groups[k]) {
				t.Errorf("voters %v are stored in the order they voted", groups[k])
			}
		}
		xmins := map[string]bool{}
		for _, v := range seized {
			xmins[v.xmin] = true
		}
		for _, c := range tallies {
			if !xmins[c.xmin] {
				continue
			}
			var n int
			for _, k := range keys {
				if seized[slices.IndexFunc(seized, func(v examinedVoter) bool { return v.user == groups[k][0] })].xmin == c.xmin {
					n += len(groups[k])
				}
			}
			if n < minGroup {
				t.Errorf("count row %v was written with only %d voters", c, n)
			}
		}
		if database.IsPostgres(db) && len(xmins) < 2 {
			t.Fatalf("the votes were written in %d batch; the test needs at least two", len(xmins))
		}
	})
}

func TestAnonymousVotesTooFewToMixAreRecordedWithoutTheirChoice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		r := newAnonRoom(t, db, st, 3, 2)
		poll := r.open(t)
		for i, p := range r.people {
			if err := r.vote(p, poll, []string{"a", "b"}[i]); err != nil {
				t.Fatal(err)
			}
		}
		// Revealing needs the minimum group: refused, and the held votes are kept.
		if err := r.s.closePoll(ctx, r.trainer, nil, Inbound{Type: MsgPollReveal, PollID: poll}); !refusedWith(err, "too_few_votes") {
			t.Fatalf("reveal with two votes: %v", err)
		}
		if !r.s.heldVote(r.session.ID, poll, r.people[0].UserID) {
			t.Fatal("a refused reveal dropped the held votes")
		}
		if err := r.s.closePoll(ctx, r.trainer, nil, Inbound{Type: MsgPollClose, PollID: poll}); err != nil {
			t.Fatal(err)
		}
		counts, voters, err := st.PollCounts(ctx, nil, poll)
		if err != nil || voters != 2 || len(counts) != 0 {
			t.Fatalf("after the close: counts %v, %d voters, %v; want the 2 voters and no counts", counts, voters, err)
		}
		p, err := st.Poll(ctx, r.session.ID, poll)
		if err != nil || p.Uncounted != 2 {
			t.Fatalf("uncounted %d, %v; want 2", p.Uncounted, err)
		}
		if err := r.vote(r.people[0], poll, "a"); !refusedWith(err, "poll_closed") && !refusedWith(err, "already_voted") {
			t.Fatalf("a vote after the close: %v", err)
		}
	})
}

func refusedWith(err error, code string) bool {
	var ce *ClientError
	return errors.As(err, &ce) && ce.Code == code
}

func TestAnInstanceWritesItsHeldVotesWhenAnotherRevealsThePoll(t *testing.T) {
	db := dbtest.Open(t, "postgres") // instances share events only through PostgreSQL
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := store.New(db, nil)
	r := newAnonRoom(t, db, st, 3, 7)
	here, there := r.s, testService(st)
	there.MinGroup, there.Catalog = here.MinGroup, here.Catalog
	watcher := testClient(r.session.ID, false)
	here.Hub.add(watcher)
	go here.Listen(ctx, db)
	select {
	case <-here.Ready():
	case <-time.After(10 * time.Second):
		t.Fatal("the listener never started")
	}
	poll := r.open(t)
	for i, p := range r.people {
		on := here
		if i >= 4 {
			on = there
		}
		if err := on.vote(ctx, p, nil, Inbound{Type: MsgVote, PollID: poll, Choice: []string{"a", "b"}[i%2]}); err != nil {
			t.Fatal(err)
		}
	}
	if _, voters, _ := st.PollCounts(ctx, nil, poll); voters != 0 {
		t.Fatalf("%d votes written before the close; each instance held fewer than twice the minimum group", voters)
	}
	if err := there.closePoll(ctx, r.trainer, nil, Inbound{Type: MsgPollReveal, PollID: poll}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		m := nextFrame(watcher, time.Until(deadline))
		if m == nil {
			counts, voters, _ := st.PollCounts(ctx, nil, poll)
			t.Fatalf("the votes held here never reached the results (%v, %d voters)", counts, voters)
		}
		var msg struct {
			Type string `json:"type"`
			Poll struct {
				Voters int            `json:"voters"`
				Counts map[string]int `json:"counts"`
			} `json:"poll"`
		}
		if err := json.Unmarshal(payload(t, m), &msg); err != nil || msg.Type != "poll_revealed" || msg.Poll.Voters != 7 {
			continue
		}
		if msg.Poll.Counts["a"] != 4 || msg.Poll.Counts["b"] != 3 {
			t.Fatalf("results after both instances wrote their votes: %v", msg.Poll.Counts)
		}
		return
	}
}
