package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

// textPoll starts a live session of a new cohort with one open open-text poll.
func textPoll(t *testing.T, db *bun.DB, st *store.Store, trainer *model.User, anonymous bool, minGroup int) *model.LivePoll {
	t.Helper()
	ls := storetest.RunningSession(t, st, trainer)
	p := &model.LivePoll{SessionID: ls.ID, Kind: model.PollKindText, AnswerForm: model.AnswerText, Prompt: "One word?", Options: "[]", Anonymous: anonymous, MinGroup: minGroup}
	if err := db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error { return st.OpenPoll(ctx, tx, p) }); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTypedAnswersToNamedPollsAreKeptWithTheirWriterOncePerPerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		u1, u2 := createUser(t, st, "writer1"), createUser(t, st, "writer2")
		text := textPoll(t, db, st, u1, false, 3)
		anonymous := textPoll(t, db, st, u1, true, 3)
		choice := openPoll(t, db, st, u1, false)
		vote := func(u *model.User, p *model.LivePoll, body string) store.Vote {
			return store.Vote{SessionID: p.SessionID, PollID: p.ID, UserID: u.ID, Choice: body}
		}
		batch := []store.Vote{vote(u2, text, "scared"), vote(u1, text, "ready"), vote(u1, text, "again"), vote(u1, anonymous, "x"), vote(u1, choice, "a")}
		errs, err := st.CastTextAnswers(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		want := []error{nil, nil, store.ErrAlreadyVoted, store.ErrAnonymousPoll, store.ErrWrongForm}
		for i := range want {
			if !errors.Is(errs[i], want[i]) {
				t.Errorf("answer %d: %v, want %v", i, errs[i], want[i])
			}
		}
		if errs, _ := st.CastTextAnswers(ctx, []store.Vote{vote(u2, text, "twice")}); !errors.Is(errs[0], store.ErrAlreadyVoted) {
			t.Errorf("a second answer in a later batch: %v", errs[0])
		}
		// A typed answer never reaches the counts, whichever way it is sent.
		if errs, _ := st.CastVotes(ctx, []store.Vote{vote(createUser(t, st, "writer3"), text, "a")}); !errors.Is(errs[0], store.ErrWrongForm) {
			t.Errorf("a choice on an open-text poll: %v", errs[0])
		}
		counts, voters, err := st.PollCounts(ctx, nil, text.ID)
		if err != nil || voters != 2 || len(counts) != 0 {
			t.Fatalf("counts %v, %d voters, %v; want 2 voters and no counts", counts, voters, err)
		}
		answers, err := st.PollAnswers(ctx, nil, text.ID)
		if err != nil || len(answers) != 2 {
			t.Fatalf("answers %+v, %v", answers, err)
		}
		byWriter := map[string]string{}
		for _, a := range answers {
			if a.UserID == nil || a.User == nil || a.ID <= 0 || a.ID >= 1<<53 {
				t.Fatalf("a named answer %+v lacks its writer or has an id JavaScript cannot hold", a)
			}
			byWriter[a.User.Username] = a.Body
		}
		if byWriter["writer1"] != "ready" || byWriter["writer2"] != "scared" {
			t.Fatalf("answers by writer %v", byWriter)
		}
		if got, err := st.TextAnswerOf(ctx, text.ID, u1.ID); err != nil || got != "ready" {
			t.Fatalf("TextAnswerOf = %q, %v", got, err)
		}
		if got, err := st.TextAnswerOf(ctx, anonymous.ID, u1.ID); err != nil || got != "" {
			t.Fatalf("TextAnswerOf an anonymous poll = %q, %v", got, err)
		}
		var guard model.LivePollVoter
		if err := db.NewSelect().Model(&guard).Where("poll_id = ?", text.ID).Where("user_id = ?", u1.ID).Scan(ctx); err != nil || guard.Choice != nil {
			t.Fatalf("the guard row keeps the answer a second time: %+v, %v", guard, err)
		}
	})
}

func TestAnonymousTypedAnswersAreWrittenWithoutWritersInAnOrderThatSaysNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		const minGroup = 3
		trainer := createUser(t, st, "cloud-trainer")
		p := textPoll(t, db, st, trainer, true, minGroup)
		held := map[int64]string{}
		var people []int64
		for i := range 12 {
			u := createUser(t, st, fmt.Sprintf("cloud-%02d", i))
			people = append(people, u.ID)
			held[u.ID] = fmt.Sprintf("answer of %d", u.ID)
		}
		var batch store.AnonymousBatch
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			var err error
			batch, err = st.RecordAnonymousVotes(ctx, tx, p.SessionID, p.ID, held)
			return err
		})
		if err != nil || batch.Recorded != 12 || !batch.Counted {
			t.Fatalf("batch %+v, %v", batch, err)
		}
		// In the physical order a seized database shows (ctid on PostgreSQL; a plain scan
		// on SQLite, which must have no rowid), the answers must not line up with their
		// writers' guard rows.
		answerSQL := "SELECT id, body, user_id FROM live_poll_answers WHERE poll_id = ?"
		if database.IsPostgres(db) {
			answerSQL += " ORDER BY ctid"
		} else {
			var n int64
			if err := db.QueryRowContext(ctx, "SELECT rowid FROM live_poll_answers LIMIT 1").Scan(&n); err == nil || errors.Is(err, sql.ErrNoRows) {
				t.Error("live_poll_answers has a rowid that follows insertion order")
			}
		}
		rows, err := db.QueryContext(ctx, answerSQL, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var writers []int64 // whose answer each row is, in physical order
		var ids []int64
		for rows.Next() {
			var id int64
			var body string
			var user sql.NullInt64
			if err := rows.Scan(&id, &body, &user); err != nil {
				t.Fatal(err)
			}
			if user.Valid {
				t.Fatalf("anonymous answer %q is stored with its writer %d", body, user.Int64)
			}
			var w int64
			if _, err := fmt.Sscanf(body, "answer of %d", &w); err != nil {
				t.Fatal(err)
			}
			writers, ids = append(writers, w), append(ids, id)
		}
		rows.Close()
		if len(writers) != 12 {
			t.Fatalf("%d answers stored, want 12", len(writers))
		}
		if !slices.IsSorted(ids) {
			t.Errorf("answers are not stored in the order of their random ids: %v", ids)
		}
		if slices.Equal(writers, people) {
			t.Errorf("answers are stored in their writers' order %v: the n-th answer is the n-th voter's", writers)
		}
		counts, voters, err := st.PollCounts(ctx, nil, p.ID)
		if err != nil || voters != 12 || len(counts) != 0 {
			t.Fatalf("counts %v, %d voters, %v", counts, voters, err)
		}

		// A batch smaller than the minimum group records its voters, not their answers.
		small := textPoll(t, db, st, trainer, true, minGroup)
		err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			var err error
			batch, err = st.RecordAnonymousVotes(ctx, tx, small.SessionID, small.ID, map[int64]string{people[0]: "alone", people[1]: "too"})
			return err
		})
		if err != nil || batch.Recorded != 2 || batch.Counted {
			t.Fatalf("small batch %+v, %v", batch, err)
		}
		if answers, _ := st.PollAnswers(ctx, nil, small.ID); len(answers) != 0 {
			t.Fatalf("a batch of 2 kept its answers %+v", answers)
		}
		if got, _ := st.Poll(ctx, small.SessionID, small.ID); got.Uncounted != 2 {
			t.Fatalf("uncounted %d, want 2", got.Uncounted)
		}
	})
}

func TestHidingAWordIsKeptOnceAndOnlyForOpenTextPolls(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		trainer := createUser(t, st, "hider")
		p := textPoll(t, db, st, trainer, false, 3)
		choice := openPoll(t, db, st, trainer, false)
		hide := func(sessionID, pollID int64, key string) (*model.LivePoll, error) {
			var out *model.LivePoll
			err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				var err error
				out, err = st.HidePollWord(ctx, tx, sessionID, pollID, key)
				return err
			})
			return out, err
		}
		for _, k := range []string{"idiot", "scam", "idiot"} {
			if _, err := hide(p.SessionID, p.ID, k); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.Poll(ctx, p.SessionID, p.ID)
		if err != nil || !slices.Equal(store.HiddenWords(got), []string{"idiot", "scam"}) {
			t.Fatalf("hidden %q, %v", got.HiddenWords, err)
		}
		if _, err := hide(choice.SessionID, choice.ID, "a"); !errors.Is(err, store.ErrWrongForm) {
			t.Errorf("hiding a word of a choice poll: %v", err)
		}
		if _, err := hide(choice.SessionID, p.ID, "a"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("hiding a word of another session's poll: %v", err)
		}
		for i := range store.MaxHiddenWords - 2 {
			if _, err := hide(p.SessionID, p.ID, fmt.Sprint("w", i)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := hide(p.SessionID, p.ID, "one more"); !errors.Is(err, store.ErrTooManyHiddenWords) {
			t.Errorf("hiding past the bound: %v", err)
		}
	})
}
