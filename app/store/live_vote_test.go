package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

// openPoll starts a live session of a new cohort with one open poll.
func openPoll(t *testing.T, db *bun.DB, st *store.Store, trainer *model.User, anonymous bool) *model.LivePoll {
	t.Helper()
	ctx := context.Background()
	ls := storetest.RunningSession(t, st, trainer)
	p := &model.LivePoll{SessionID: ls.ID, Kind: model.PollKindPoll, Prompt: "?", Options: `[{"id":"a"},{"id":"b"}]`, Anonymous: anonymous, MinGroup: 5}
	if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return st.OpenPoll(ctx, tx, p) }); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVoteBatchesRecordEachVoterOnceWithTheRightOutcome(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		u1, u2, u3 := createUser(t, st, "voter1"), createUser(t, st, "voter2"), createUser(t, st, "voter3")
		open := openPoll(t, db, st, u1, false)
		anonymous := openPoll(t, db, st, u1, true)
		closed := openPoll(t, db, st, u1, false)
		if _, err := db.NewUpdate().Model((*model.LivePoll)(nil)).Set("status = ?", model.PollClosed).Where("id = ?", closed.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		vote := func(u *model.User, p *model.LivePoll, choice string) store.Vote {
			return store.Vote{SessionID: p.SessionID, PollID: p.ID, UserID: u.ID, Choice: choice}
		}
		wrongSession := vote(u3, open, "a")
		wrongSession.SessionID = anonymous.SessionID
		unknown := vote(u3, open, "a")
		unknown.PollID = open.ID + 1000
		batch := []store.Vote{
			vote(u2, open, "b"),
			vote(u1, open, "a"),
			vote(u1, open, "b"), // the same voter again, in the same batch
			vote(u1, anonymous, "a"),
			vote(u2, closed, "a"),
			unknown,
			wrongSession,
		}
		want := []error{nil, nil, store.ErrAlreadyVoted, store.ErrAnonymousPoll, store.ErrPollNotOpen, store.ErrNotFound, store.ErrNotFound}
		outcomes, err := st.CastVotes(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if !errors.Is(outcomes[i], want[i]) {
				t.Errorf("vote %d: outcome %v, want %v", i, outcomes[i], want[i])
			}
		}
		again, err := st.CastVotes(ctx, []store.Vote{vote(u1, open, "b")})
		if err != nil || !errors.Is(again[0], store.ErrAlreadyVoted) {
			t.Fatalf("second vote in a later batch: %v, %v", again, err)
		}

		counts, voters, err := st.PollCounts(ctx, nil, open.ID)
		if err != nil || voters != 2 || counts["a"] != 1 || counts["b"] != 1 {
			t.Fatalf("open poll counts %v voters %d err %v; want a=1 b=1", counts, voters, err)
		}
		if _, n, _ := st.PollCounts(ctx, nil, closed.ID); n != 0 {
			t.Fatalf("closed poll counted %d votes", n)
		}
		voted, choice, err := st.HasVoted(ctx, open.ID, u1.ID)
		if err != nil || !voted || choice == nil || *choice != "a" {
			t.Fatalf("open poll guard row: voted=%v choice=%v err=%v; want the first choice, a", voted, choice, err)
		}
		if counts, n, _ := st.PollCounts(ctx, nil, anonymous.ID); n != 0 || len(counts) != 0 {
			t.Fatalf("an anonymous vote was written on its own: counts %v, %d voters", counts, n)
		}
	})
}

func TestConcurrentVoteBatchesCountEveryVoterExactlyOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		var users []*model.User
		for i := range 40 {
			users = append(users, createUser(t, st, fmt.Sprintf("crowd%02d", i)))
		}
		poll := openPoll(t, db, st, users[0], false)
		// Six instances' batches, each holding every voter in its own order: on PostgreSQL
		// they run at once and would deadlock if they took row locks in different orders.
		recorded := make([]int, len(users))
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				order := rand.Perm(len(users))
				batch := make([]store.Vote, len(order))
				for i, u := range order {
					batch[i] = store.Vote{SessionID: poll.SessionID, PollID: poll.ID, UserID: users[u].ID, Choice: []string{"a", "b"}[u%2]}
				}
				outcomes, err := st.CastVotes(ctx, batch)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				for i, u := range order {
					switch {
					case outcomes[i] == nil:
						recorded[u]++
					case !errors.Is(outcomes[i], store.ErrAlreadyVoted):
						t.Errorf("voter %d: %v", u, outcomes[i])
					}
				}
			}()
		}
		wg.Wait()
		for u, n := range recorded {
			if n != 1 {
				t.Errorf("voter %d recorded %d times", u, n)
			}
		}
		counts, voters, err := st.PollCounts(ctx, nil, poll.ID)
		if err != nil || voters != len(users) || counts["a"] != len(users)/2 || counts["b"] != len(users)/2 {
			t.Fatalf("counts %v voters %d err %v; want %d each", counts, voters, err, len(users)/2)
		}
	})
}

func TestAVoteBatchCountsEachOptionOfMultipleAnswers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		trainer := createUser(t, st, "multi-trainer")
		ls := storetest.RunningSession(t, st, trainer)
		p := &model.LivePoll{SessionID: ls.ID, Kind: model.PollKindPoll, Prompt: "?", Options: `[{"id":"a"},{"id":"b"},{"id":"c"}]`, Multiple: true, MinGroup: 5}
		if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return st.OpenPoll(ctx, tx, p) }); err != nil {
			t.Fatal(err)
		}
		// Two batches, so that the second adds to the counts the first wrote.
		answers := [][]string{{"a,b", "b", "a,b,c", "c"}, {"a,b", "b,c"}}
		want := map[string]int{}
		for k, batch := range answers {
			var votes []store.Vote
			for i, choice := range batch {
				u := createUser(t, st, fmt.Sprintf("multi-%d-%d", k, i))
				votes = append(votes, store.Vote{SessionID: ls.ID, PollID: p.ID, UserID: u.ID, Choice: choice})
				for _, o := range strings.Split(choice, ",") {
					want[o]++
				}
			}
			outcomes, err := st.CastVotes(ctx, votes)
			if err != nil {
				t.Fatal(err)
			}
			for i, o := range outcomes {
				if o != nil {
					t.Fatalf("batch %d vote %d: %v", k, i, o)
				}
			}
		}
		counts, voters, err := st.PollCounts(ctx, nil, p.ID)
		if err != nil || voters != 6 || !maps.Equal(counts, want) {
			t.Fatalf("counts %v voters %d err %v; want %v and 6 voters", counts, voters, err, want)
		}
	})
}

// statementTally counts the statements that insert voter rows.
type statementTally struct{ voterInserts atomic.Int64 }

func (h *statementTally) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	if strings.Contains(e.Query, "INSERT INTO live_poll_voters") {
		h.voterInserts.Add(1)
	}
	return ctx
}

func (h *statementTally) AfterQuery(context.Context, *bun.QueryEvent) {}

func TestAVoteBatchWritesItsVotersInAFewStatementsNotOneEach(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		tally := &statementTally{}
		st := store.New(db.WithQueryHook(tally), nil)
		trainer := createUser(t, st, "batch-trainer")
		p := openPoll(t, db, st, trainer, false)
		var batch []store.Vote
		for i := range 120 {
			u := createUser(t, st, fmt.Sprintf("batch-voter-%03d", i))
			batch = append(batch, store.Vote{SessionID: p.SessionID, PollID: p.ID, UserID: u.ID, Choice: []string{"a", "b"}[i%2]})
		}
		tally.voterInserts.Store(0)
		outcomes, err := st.CastVotes(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		for i, o := range outcomes {
			if o != nil {
				t.Fatalf("vote %d: %v", i, o)
			}
		}
		if n := tally.voterInserts.Load(); n > 1 {
			t.Fatalf("120 votes took %d voter inserts, want 1", n)
		}
		counts, voters, err := st.PollCounts(ctx, nil, p.ID)
		if err != nil || voters != 120 || counts["a"] != 60 || counts["b"] != 60 {
			t.Fatalf("counts %v voters %d err %v", counts, voters, err)
		}
	})
}

// A vote guard row has no foreign key to users (migration 0025): a row a vote batch wrote
// while its author's account was being deleted outlives the account until the sweep.
func TestOrphanVoteGuardsAreSweptAndOthersKept(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		trainer, stays, goes := createUser(t, st, "trainer"), createUser(t, st, "stays"), createUser(t, st, "goes")
		p := openPoll(t, db, st, trainer, false)
		outcomes, err := st.CastVotes(ctx, []store.Vote{
			{SessionID: p.SessionID, PollID: p.ID, UserID: stays.ID, Choice: "a"},
			{SessionID: p.SessionID, PollID: p.ID, UserID: goes.ID, Choice: "b"},
		})
		if err != nil || outcomes[0] != nil || outcomes[1] != nil {
			t.Fatalf("votes: %v, %v", outcomes, err)
		}
		// The race's outcome: the account is gone, its row was written after the
		// deletion removed the person's rows.
		if _, err := db.NewDelete().Model((*model.User)(nil)).Where("id = ?", goes.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if voted, _, err := st.HasVoted(ctx, p.ID, goes.ID); err != nil || !voted {
			t.Fatalf("the deleted account's row went with the account (voted=%v, %v): a key still ties the rows to users", voted, err)
		}
		n, err := st.DeleteOrphanVoteGuards(ctx)
		if err != nil || n != 1 {
			t.Fatalf("sweep deleted %d rows (%v), want the one orphan", n, err)
		}
		if voted, _, err := st.HasVoted(ctx, p.ID, goes.ID); err != nil || voted {
			t.Fatalf("orphan row still there after the sweep (voted=%v, %v)", voted, err)
		}
		if voted, _, err := st.HasVoted(ctx, p.ID, stays.ID); err != nil || !voted {
			t.Fatalf("the sweep deleted an existing account's row (voted=%v, %v)", voted, err)
		}
		// A vote of an account deleted before its batch is not written at all.
		outcomes, err = st.CastVotes(ctx, []store.Vote{{SessionID: p.SessionID, PollID: p.ID, UserID: goes.ID, Choice: "a"}})
		if err != nil || outcomes[0] == nil {
			t.Fatalf("vote of a deleted account: outcome %v (%v), want a refusal", outcomes, err)
		}
		if voted, _, _ := st.HasVoted(ctx, p.ID, goes.ID); voted {
			t.Fatal("a deleted account's vote was written")
		}
	})
}

// Deleting a poll, here with its cohort (cohort → sessions → polls), still deletes its vote
// guard rows, through migration 0025's trigger; a row whose poll is gone otherwise (a vote
// racing the deletion) is swept.
func TestVoteGuardsGoWithTheirPoll(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		trainer, voter := createUser(t, st, "trainer"), createUser(t, st, "voter")
		gone, kept := openPoll(t, db, st, trainer, false), openPoll(t, db, st, trainer, false)
		for _, p := range []*model.LivePoll{gone, kept} {
			if out, err := st.CastVotes(ctx, []store.Vote{{SessionID: p.SessionID, PollID: p.ID, UserID: voter.ID, Choice: "a"}}); err != nil || out[0] != nil {
				t.Fatalf("vote: %v, %v", out, err)
			}
		}
		var cohortID int64
		if err := db.NewSelect().Model((*model.LiveSession)(nil)).Column("cohort_id").Where("id = ?", gone.SessionID).Scan(ctx, &cohortID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.NewDelete().Model((*model.Cohort)(nil)).Where("id = ?", cohortID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		rows := func(pollID int64) int64 {
			n, err := db.NewSelect().Model((*model.LivePollVoter)(nil)).Where("poll_id = ?", pollID).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := rows(gone.ID); n != 0 {
			t.Fatalf("%d guard rows outlived their poll's deletion", n)
		}
		if n := rows(kept.ID); n != 1 {
			t.Fatalf("another poll's guard rows: %d, want 1", n)
		}
		// A row written for a poll deleted meanwhile: the trigger has run before it.
		if _, err := db.ExecContext(ctx, "INSERT INTO live_poll_voters (poll_id, user_id, choice, voted_at) VALUES (?, ?, 'a', ?)", gone.ID, voter.ID, st.Now()); err != nil {
			t.Fatalf("a guard row of a deleted poll could not be written (a key still ties the rows to polls?): %v", err)
		}
		if n, err := st.DeleteOrphanVoteGuards(ctx); err != nil || n != 1 {
			t.Fatalf("sweep deleted %d rows (%v), want the one of the deleted poll", n, err)
		}
		if rows(gone.ID) != 0 || rows(kept.ID) != 1 {
			t.Fatalf("after the sweep: %d rows of the deleted poll, %d of the other (want 0 and 1)", rows(gone.ID), rows(kept.ID))
		}
	})
}

// Instances may share a PostgreSQL database in separate schemas. The trigger that deletes
// a poll's vote guard rows must delete its own schema's, even when the poll is deleted
// from a session whose search_path names another schema holding a poll of the same id.
func TestAPollDeletedFromAnotherSchemasSessionTakesOnlyItsOwnVoteGuards(t *testing.T) {
	ctx := context.Background()
	vote := func(db *bun.DB) (*model.LivePoll, string) {
		st := store.New(db, nil)
		trainer := createUser(t, st, "trainer")
		p := openPoll(t, db, st, trainer, false)
		if out, err := st.CastVotes(ctx, []store.Vote{{SessionID: p.SessionID, PollID: p.ID, UserID: trainer.ID, Choice: "a"}}); err != nil || out[0] != nil {
			t.Fatalf("vote: %v, %v", out, err)
		}
		var schema string
		if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			t.Fatal(err)
		}
		return p, schema
	}
	dbA, dbB := dbtest.Open(t, "postgres"), dbtest.Open(t, "postgres")
	pollA, schemaA := vote(dbA)
	pollB, _ := vote(dbB)
	if pollA.ID != pollB.ID {
		t.Fatalf("the two schemas' polls are %d and %d; the test needs the same id in both", pollA.ID, pollB.ID)
	}
	// From B's connections, delete A's poll.
	if _, err := dbB.ExecContext(ctx, "DELETE FROM "+schemaA+".live_polls WHERE id = ?", pollA.ID); err != nil {
		t.Fatal(err)
	}
	count := func(db *bun.DB) int64 {
		n, err := db.NewSelect().Model((*model.LivePollVoter)(nil)).Where("poll_id = ?", pollA.ID).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if a, b := count(dbA), count(dbB); a != 0 || b != 1 {
		t.Fatalf("after deleting schema A's poll: %d guard rows left in A (want 0), %d in B (want 1)", a, b)
	}
}
