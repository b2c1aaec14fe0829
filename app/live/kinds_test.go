package live

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

func TestScaleStatsAreTheMeanAndMedianOfTheValuesChosen(t *testing.T) {
	cases := []struct {
		name         string
		counts       map[string]int
		mean, median float64
	}{
		{"one answer", map[string]int{"4": 1}, 4, 4},
		{"odd number", map[string]int{"1": 1, "2": 1, "5": 1}, 2.7, 2},
		{"even number: the two middle values' average", map[string]int{"1": 1, "2": 1, "4": 1, "5": 1}, 3, 3},
		{"even, middle values differ", map[string]int{"2": 2, "3": 2}, 2.5, 2.5},
		{"skewed", map[string]int{"5": 10, "1": 1}, 4.6, 5},
		{"rounded to a tenth", map[string]int{"1": 1, "2": 2}, 1.7, 2},
		{"unknown choices ignored", map[string]int{"3": 2, "x": 9}, 3, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := scaleStats(tc.counts)
			if got == nil || got.Mean != tc.mean || got.Median != tc.median {
				t.Fatalf("scaleStats(%v) = %+v, want mean %v median %v", tc.counts, got, tc.mean, tc.median)
			}
		})
	}
	if scaleStats(nil) != nil || scaleStats(map[string]int{"x": 3}) != nil {
		t.Fatal("no counted answer: no mean, no median")
	}
}

func TestScaleAndOpenTextPollsAreCheckedWhenOpened(t *testing.T) {
	long := strings.Repeat("é", maxScaleLabel+1)
	refused := []Inbound{
		{Kind: "scale"}, // no prompt
		{Kind: "scale", Prompt: "?", Options: []string{"a", "b"}},
		{Kind: "scale", Prompt: "?", Multiple: true},
		{Kind: "scale", Prompt: "?", QuizModule: "m", QuizQuestion: "q"},
		{Kind: "scale", Prompt: "?", LowLabel: long},
		{Kind: "text", Prompt: "?", HighLabel: "very"},
		{Kind: "text", Prompt: strings.Repeat("?", 301)},
		{Kind: "slider", Prompt: "?"},
	}
	for _, in := range refused {
		if _, err := kindPoll(&model.LivePoll{}, in); !refusedWith(err, "bad_poll") {
			t.Errorf("kindPoll(%+v) = %v, want bad_poll", in, err)
		}
	}
	p := &model.LivePoll{}
	opts, err := kindPoll(p, Inbound{Kind: "scale", Prompt: " How confident? ", LowLabel: "\u202Enot at all ", HighLabel: "very"})
	if err != nil || p.Kind != model.PollKindScale || p.AnswerForm != model.AnswerChoice || p.Prompt != "How confident?" || p.LowLabel != "not at all" || p.HighLabel != "very" {
		t.Fatalf("scale poll %+v, %v", p, err)
	}
	var ids []string
	for _, o := range opts {
		if o.ID != o.Text {
			t.Errorf("scale option %+v: its text is its number", o)
		}
		ids = append(ids, o.ID)
	}
	if !slices.Equal(ids, []string{"1", "2", "3", "4", "5"}) {
		t.Fatalf("scale options %v", ids)
	}
	p = &model.LivePoll{}
	opts, err = kindPoll(p, Inbound{Kind: "text", Prompt: "One word?"})
	if err != nil || p.Kind != model.PollKindText || p.AnswerForm != model.AnswerText || len(opts) != 0 || opts == nil {
		t.Fatalf("text poll %+v %v, %v", p, opts, err)
	}
}

func TestOpenTextAnswersAreCleanedAndBounded(t *testing.T) {
	ok := map[string]string{
		" scared ":                         "scared",
		"\u202Escared":                     "scared",
		strings.Repeat("خ", MaxTextAnswer): strings.Repeat("خ", MaxTextAnswer),
		"ready, not sure":                  "ready, not sure",
	}
	for in, want := range ok {
		if got, valid := textAnswer(Inbound{Text: in}); !valid || got != want {
			t.Errorf("textAnswer(%q) = %q, %v; want %q", in, got, valid, want)
		}
	}
	for _, in := range []Inbound{{Text: ""}, {Text: "  "}, {Text: "\u2066"}, {Text: strings.Repeat("a", MaxTextAnswer+1)}, {Text: "a", Choice: "a"}, {Text: "a", Order: []string{"a"}}, {Text: "\xff"}} {
		if got, valid := textAnswer(in); valid {
			t.Errorf("textAnswer(%+v) accepted as %q", in, got)
		}
	}
}

// openKind opens a scale or open-text poll in the room and returns its id.
func (r *anonRoom) openKind(t *testing.T, in Inbound) int64 {
	t.Helper()
	ctx := context.Background()
	in.Type = MsgPollOpen
	if err := r.s.openPoll(ctx, r.trainer, nil, in); err != nil {
		t.Fatal(err)
	}
	p, err := r.s.Store.CurrentPoll(ctx, r.session.ID)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func TestAnonymousOpenTextAnswersShowOnlyOnceClosedAndNeverWithTheirWriter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		r := newAnonRoom(t, db, st, 3, 5)
		poll := r.openKind(t, Inbound{Kind: "text", Prompt: "One word?", Anonymous: true})
		answers := []string{"Fear", "fear!", "fear", "idiot", "la peur"} // French words in an English session: no article dropped
		for i, p := range r.people {
			if err := r.s.vote(ctx, p, nil, Inbound{Type: MsgVote, PollID: poll, Text: answers[i]}); err != nil {
				t.Fatalf("answer %d: %v", i, err)
			}
		}
		if err := r.s.vote(ctx, r.people[0], nil, Inbound{Type: MsgVote, PollID: poll, Text: "again"}); !refusedWith(err, "already_voted") {
			t.Fatalf("a second answer: %v", err)
		}
		if err := r.s.vote(ctx, r.trainer, nil, Inbound{Type: MsgVote, PollID: poll, Text: strings.Repeat("x", MaxTextAnswer+1)}); !refusedWith(err, "bad_answer") {
			t.Fatalf("a long answer: %v", err)
		}
		trainerState := func() *SnapshotPoll {
			t.Helper()
			s, err := r.s.State(ctx, r.trainer)
			if err != nil {
				t.Fatal(err)
			}
			return s.Poll
		}
		// Open: the trainer sees how many answered, not what.
		if tally := trainerState().Tally; tally.Voters != 5 || tally.Cloud != nil || tally.Answers != nil {
			t.Fatalf("the trainer's tally of an open anonymous poll: %+v", tally)
		}
		msg, err := r.s.tally(ctx, r.session.ID, poll)
		if err != nil || msg.Cloud != nil || msg.Answers != nil {
			t.Fatalf("tally of an open anonymous poll: %+v, %v", msg, err)
		}
		if err := r.s.closePoll(ctx, r.trainer, nil, Inbound{Type: MsgPollClose, PollID: poll}); err != nil {
			t.Fatal(err)
		}
		// Closed: the trainer reads every answer, without writers, and can hide a word.
		tally := trainerState().Tally
		if len(tally.Answers) != 5 || len(tally.Cloud) != 3 {
			t.Fatalf("after the close the trainer sees %+v", tally)
		}
		for _, a := range tally.Answers {
			if a.Author != "" {
				t.Fatalf("an anonymous answer shows its writer: %+v", a)
			}
		}
		if err := r.s.hideWord(ctx, r.trainer, Inbound{Type: MsgHideWord, PollID: poll, Word: "IDIOT"}); err != nil {
			t.Fatal(err)
		}
		if err := r.s.hideWord(ctx, r.trainer, Inbound{Type: MsgHideWord, PollID: poll, Word: "?!"}); !refusedWith(err, "bad_word") {
			t.Fatalf("hiding punctuation: %v", err)
		}
		tally = trainerState().Tally
		hidden := slices.IndexFunc(tally.Answers, func(a AnswerView) bool { return a.Text == "idiot" })
		if hidden < 0 || !tally.Answers[hidden].Hidden || slices.ContainsFunc(tally.Cloud, func(w CloudWord) bool { return w.Text == "idiot" }) {
			t.Fatalf("after hiding: %+v", tally)
		}
		// Participants see nothing before the reveal, then the cloud without the hidden word.
		mine, err := r.s.State(ctx, r.people[2])
		if err != nil || mine.Poll.Results != nil || !mine.Poll.Voted || mine.Poll.MyChoice != "" {
			t.Fatalf("a participant's view of the closed poll: %+v, %v", mine.Poll, err)
		}
		if err := r.s.closePoll(ctx, r.trainer, nil, Inbound{Type: MsgPollReveal, PollID: poll}); err != nil {
			t.Fatal(err)
		}
		mine, err = r.s.State(ctx, r.people[2])
		if err != nil {
			t.Fatal(err)
		}
		res := mine.Poll.Results
		if res == nil || res.Voters != 5 || len(res.Cloud) != 2 || res.Cloud[1].Text != "fear" || res.Cloud[1].Count != 3 || res.Cloud[1].Size != 5 {
			t.Fatalf("revealed cloud %+v", res)
		}
		var named int
		if err := db.NewSelect().Model((*model.LivePollAnswer)(nil)).Where("poll_id = ?", poll).Where("user_id IS NOT NULL").ColumnExpr("count(*)").Scan(ctx, &named); err != nil || named != 0 {
			t.Fatalf("%d anonymous answers stored with their writer, %v", named, err)
		}
	})
}

func TestScalePollsAreChoicesWithAMeanAndAMedian(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		r := newAnonRoom(t, db, st, 3, 4)
		poll := r.openKind(t, Inbound{Kind: "scale", Prompt: "How confident?", LowLabel: "not at all", HighLabel: "very"})
		for i, p := range r.people {
			if err := r.s.vote(ctx, p, nil, Inbound{Type: MsgVote, PollID: poll, Choice: []string{"1", "2", "5", "5"}[i]}); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.s.vote(ctx, r.trainer, nil, Inbound{Type: MsgVote, PollID: poll, Choice: "6"}); !refusedWith(err, "bad_choice") {
			t.Fatalf("a choice off the scale: %v", err)
		}
		s, err := r.s.State(ctx, r.trainer)
		if err != nil {
			t.Fatal(err)
		}
		if tally := s.Poll.Tally; tally.ScaleStats == nil || tally.Mean != 3.3 || tally.Median != 3.5 || tally.Counts["5"] != 2 {
			t.Fatalf("the trainer's tally of a named scale: %+v", tally)
		}
		if s.Poll.LowLabel != "not at all" || s.Poll.HighLabel != "very" || s.Poll.Kind != model.PollKindScale || s.Poll.Form != "" {
			t.Fatalf("scale poll view %+v", s.Poll.PollView)
		}
		if err := r.s.closePoll(ctx, r.trainer, nil, Inbound{Type: MsgPollReveal, PollID: poll}); err != nil {
			t.Fatal(err)
		}
		s, err = r.s.State(ctx, r.people[1])
		if err != nil {
			t.Fatal(err)
		}
		if res := s.Poll.Results; res == nil || res.ScaleStats == nil || res.Mean != 3.3 || res.Median != 3.5 || s.Poll.MyChoice != "2" {
			t.Fatalf("revealed scale for a voter: %+v", s.Poll)
		}
	})
}

func TestAnonymousScaleHidesItsMeanUntilRevealed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		r := newAnonRoom(t, db, store.New(db, nil), 3, 3)
		poll := r.openKind(t, Inbound{Kind: "scale", Prompt: "How safe do you feel?", Anonymous: true})
		for i, p := range r.people {
			if err := r.s.vote(ctx, p, nil, Inbound{Type: MsgVote, PollID: poll, Choice: []string{"1", "1", "4"}[i]}); err != nil {
				t.Fatal(err)
			}
		}
		s, err := r.s.State(ctx, r.trainer)
		if err != nil {
			t.Fatal(err)
		}
		if tally := s.Poll.Tally; tally.Voters != 3 || tally.Counts != nil || tally.ScaleStats != nil {
			t.Fatalf("the trainer's tally of an open anonymous scale: %+v", tally)
		}
		if msg, err := r.s.tally(ctx, r.session.ID, poll); err != nil || msg.ScaleStats != nil || msg.Counts != nil {
			t.Fatalf("tally %+v, %v", msg, err)
		}
		if err := r.s.closePoll(ctx, r.trainer, nil, Inbound{Type: MsgPollReveal, PollID: poll}); err != nil {
			t.Fatal(err)
		}
		s, err = r.s.State(ctx, r.people[0])
		if err != nil {
			t.Fatal(err)
		}
		if res := s.Poll.Results; res == nil || res.Mean != 2 || res.Median != 1 || s.Poll.MyChoice != "" {
			t.Fatalf("revealed anonymous scale %+v (my choice %q)", res, s.Poll.MyChoice)
		}
	})
}

func TestAnonymousOpenTextAnswersAreWrittenInBatchesOfAtLeastTheMinimumGroup(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		const minGroup = 3
		r := newAnonRoom(t, db, store.New(db, nil), minGroup, 8)
		poll := r.openKind(t, Inbound{Kind: "text", Prompt: "Who do you fear most?", Anonymous: true})
		// In the reverse order of their ids: rows written in the order people answered would show it.
		for i := len(r.people) - 1; i >= 0; i-- {
			if err := r.s.vote(ctx, r.people[i], nil, Inbound{Type: MsgVote, PollID: poll, Text: "answer " + strings.Repeat("x", i+1)}); err != nil {
				t.Fatal(err)
			}
		}
		// At six held (twice the minimum group), all but the minimum group were written.
		written, err := r.s.Store.PollAnswers(ctx, nil, poll)
		if err != nil || len(written) != minGroup {
			t.Fatalf("%d answers written before the close, want %d (%v)", len(written), minGroup, err)
		}
		if err := r.s.closePoll(ctx, r.trainer, nil, Inbound{Type: MsgPollClose, PollID: poll}); err != nil {
			t.Fatal(err)
		}
		xminOf := func(table string) map[string]int {
			t.Helper()
			out := map[string]int{}
			if !database.IsPostgres(db) {
				return out
			}
			rows, err := db.QueryContext(ctx, "SELECT xmin::text FROM "+table+" WHERE poll_id = ?", poll)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var x string
				if err := rows.Scan(&x); err != nil {
					t.Fatal(err)
				}
				out[x]++
			}
			return out
		}
		answers, voters := xminOf("live_poll_answers"), xminOf("live_poll_voters")
		if database.IsPostgres(db) && len(answers) != 2 {
			t.Fatalf("answers written by %d transactions, want two batches (3, then 5 at the close)", len(answers))
		}
		for x, n := range answers {
			if n < minGroup || voters[x] != n {
				t.Errorf("a transaction wrote %d answers and %d voters: fewer than %d, or not a whole batch", n, voters[x], minGroup)
			}
		}
		all, err := r.s.Store.PollAnswers(ctx, nil, poll)
		if err != nil || len(all) != 8 {
			t.Fatalf("%d answers after the close, %v", len(all), err)
		}
		for _, a := range all {
			if a.UserID != nil {
				t.Fatalf("answer %q kept its writer", a.Body)
			}
		}
	})
}
