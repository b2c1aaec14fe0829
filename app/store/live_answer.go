package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// Open-text polls: one typed answer per participant. The guard row in live_poll_voters
// (without a choice) refuses a second answer, as for votes; the answer itself is a row of
// live_poll_answers, with its writer when the poll is named. Anonymous answers go through
// RecordAnonymousVotes' mixed batches.

// CastTextAnswers records a batch of answers to named open-text polls (Vote.Choice is the
// answer, cleaned and bounded by the caller) and returns each one's outcome as CastVotes
// does: nil, ErrAlreadyVoted, ErrPollNotOpen, ErrNotFound, ErrAnonymousPoll or ErrWrongForm
// (the poll takes no typed answer).
func (s *Store) CastTextAnswers(ctx context.Context, votes []Vote) ([]error, error) {
	key := func(v Vote) [2]int64 { return [2]int64{v.PollID, v.UserID} }
	first := map[[2]int64]int{}
	var distinct []Vote
	for i, v := range votes {
		if _, seen := first[key(v)]; !seen {
			first[key(v)] = i
			distinct = append(distinct, v)
		}
	}
	// The same lock order as CastVotes: concurrent batches cannot deadlock.
	slices.SortFunc(distinct, func(a, b Vote) int {
		return cmp.Or(cmp.Compare(a.PollID, b.PollID), cmp.Compare(a.UserID, b.UserID))
	})
	recorded := make([]bool, len(distinct))
	at := s.Now()
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		clear(recorded)
		var answers []model.LivePollAnswer
		for i, v := range distinct {
			res, err := tx.ExecContext(ctx, `INSERT INTO live_poll_voters (poll_id, user_id, choice, voted_at)
SELECT p.id, ?, NULL, ? FROM live_polls p
WHERE p.id = ? AND p.session_id = ? AND p.status = 'open' AND NOT p.anonymous AND p.answer_form = 'text'
AND EXISTS (SELECT 1 FROM users WHERE id = ?)
ON CONFLICT DO NOTHING`, v.UserID, at, v.PollID, v.SessionID, v.UserID)
			if err != nil {
				return err
			}
			if !affectedOne(res) {
				continue
			}
			recorded[i] = true
			uid := v.UserID
			answers = append(answers, model.LivePollAnswer{PollID: v.PollID, UserID: &uid, Body: v.Choice})
		}
		return insertAnswers(ctx, tx, answers)
	})
	if err != nil {
		return nil, fmt.Errorf("cast text answers: %w", err)
	}
	return s.voteOutcomes(ctx, votes, first, distinct, recorded, true), nil
}

// insertAnswers writes answers with fresh random ids (below 2^53, so JavaScript holds them
// exactly), in the order of those ids: never in the order of their writers, whose guard
// rows the same transaction writes in user-id order.
func insertAnswers(ctx context.Context, db bun.IDB, answers []model.LivePollAnswer) error {
	if len(answers) == 0 {
		return nil
	}
	for i := range answers {
		answers[i].ID = 1 + rand.Int64N(1<<53-1)
	}
	slices.SortFunc(answers, func(a, b model.LivePollAnswer) int { return cmp.Compare(a.ID, b.ID) })
	res, err := db.NewInsert().Model(&answers).On("CONFLICT DO NOTHING").Exec(ctx)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(answers)) {
		// Two random ids met (about once in 2^53 per pair): the batch fails whole and is
		// written again with new ones.
		return fmt.Errorf("insert answers: %d of %d written: %w", n, len(answers), errors.Join(err, errAnswerIDTaken))
	}
	return nil
}

var errAnswerIDTaken = errors.New("random answer id already taken")

// maxAnswers bounds the answers read for one poll (a cloud and the trainer's list).
const maxAnswers = 5000

// PollAnswers lists an open-text poll's answers, with their writers when the poll is
// named, in id order (random: it says nothing of who answered when).
func (s *Store) PollAnswers(ctx context.Context, db bun.IDB, pollID int64) ([]model.LivePollAnswer, error) {
	if db == nil {
		db = s.db
	}
	var out []model.LivePollAnswer
	err := db.NewSelect().Model(&out).Relation("User").Where("live_poll_answer.poll_id = ?", pollID).
		Order("live_poll_answer.id").Limit(maxAnswers).Scan(ctx)
	return out, err
}

// TextAnswerOf is what a participant answered to a named open-text poll ("" if nothing, or
// if the poll is anonymous: those answers have no writer).
func (s *Store) TextAnswerOf(ctx context.Context, pollID, userID int64) (string, error) {
	var body string
	err := s.db.NewSelect().Model((*model.LivePollAnswer)(nil)).Column("body").
		Where("poll_id = ?", pollID).Where("user_id = ?", userID).Limit(1).Scan(ctx, &body)
	if errors.Is(notFound(err), ErrNotFound) {
		return "", nil
	}
	return body, err
}

// MaxHiddenWords bounds the words a trainer may hide from one poll's cloud.
const MaxHiddenWords = 200

// ErrTooManyHiddenWords refuses to hide more than MaxHiddenWords words of one poll.
var ErrTooManyHiddenWords = errors.New("too many hidden words")

// HiddenWords is the list of keys hidden from an open-text poll's cloud.
func HiddenWords(p *model.LivePoll) []string {
	var out []string
	_ = json.Unmarshal([]byte(p.HiddenWords), &out)
	return out
}

// HidePollWord hides a word (its wordcloud key) from the cloud of an open-text poll of the
// session, inside tx, and returns the poll as it now is. Hiding a word twice changes nothing.
func (s *Store) HidePollWord(ctx context.Context, tx bun.Tx, sessionID, pollID int64, key string) (*model.LivePoll, error) {
	p := new(model.LivePoll)
	if err := tx.NewSelect().Model(p).Where("id = ?", pollID).Where("session_id = ?", sessionID).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	if p.AnswerForm != model.AnswerText {
		return p, ErrWrongForm
	}
	words := HiddenWords(p)
	if slices.Contains(words, key) {
		return p, nil
	}
	if len(words) >= MaxHiddenWords {
		return p, ErrTooManyHiddenWords
	}
	b, err := json.Marshal(append(words, key))
	if err != nil {
		return nil, err
	}
	p.HiddenWords = string(b)
	_, err = tx.NewUpdate().Model((*model.LivePoll)(nil)).Set("hidden_words = ?", p.HiddenWords).Where("id = ?", pollID).Exec(ctx)
	return p, err
}

// textAnswersOf lists a user's answers to named open-text polls, for the data export.
func textAnswersOf(ctx context.Context, db bun.IDB, userID int64) ([]LiveTextAnswerData, error) {
	var out []LiveTextAnswerData
	err := db.NewSelect().TableExpr("live_poll_answers AS a").Join("JOIN live_polls AS p ON p.id = a.poll_id").
		ColumnExpr("p.session_id, p.prompt, a.body").
		Where("a.user_id = ?", userID).OrderExpr("p.id").Scan(ctx, &out)
	return out, err
}
