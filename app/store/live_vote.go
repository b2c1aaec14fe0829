package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/model"
)

// countShards spreads each option's vote count over this many rows, so that batches from
// several instances rarely wait on the same row lock.
const countShards = 16

// Vote is one participant's answer to a live poll: one option id, or for a multiple-answer
// poll the ticked ids in the poll's order joined by commas (ids never contain one). The
// caller has checked them against the poll's options.
type Vote struct {
	SessionID, PollID, UserID int64
	Choice                    string
}

// CastVotes records a batch of votes on polls that are not anonymous and returns each
// one's outcome: nil when recorded, otherwise ErrAlreadyVoted, ErrPollNotOpen, ErrNotFound,
// ErrAnonymousPoll (those are written by RecordAnonymousVotes) or ErrWrongForm (an
// open-text poll's answers are written by CastTextAnswers). The guard row allows one
// vote per participant and poll, across reconnects, tabs and instances.
// A voter repeated in the batch counts once; the repeats get the first one's outcome, or
// ErrAlreadyVoted when it was recorded.
func (s *Store) CastVotes(ctx context.Context, votes []Vote) ([]error, error) {
	key := func(v Vote) [2]int64 { return [2]int64{v.PollID, v.UserID} }
	first := map[[2]int64]int{}
	var distinct []Vote
	for i, v := range votes {
		if _, seen := first[key(v)]; !seen {
			first[key(v)] = i
			distinct = append(distinct, v)
		}
	}
	slices.SortFunc(distinct, func(a, b Vote) int {
		return cmp.Or(cmp.Compare(a.PollID, b.PollID), cmp.Compare(a.UserID, b.UserID))
	})
	recorded, err := castVotes(ctx, s.db, distinct, rand.IntN(countShards), s.Now())
	if err != nil {
		return nil, fmt.Errorf("cast votes: %w", err)
	}
	return s.voteOutcomes(ctx, votes, first, distinct, recorded, false), nil
}

// voteOutcomes tells each vote of a batch its outcome, once distinct (the first of each
// voter and poll, at first[...] in votes) were written where recorded says. text tells
// which form the batch was for: typed answers (CastTextAnswers) or choices (CastVotes).
func (s *Store) voteOutcomes(ctx context.Context, votes []Vote, first map[[2]int64]int, distinct []Vote, recorded []bool, text bool) []error {
	key := func(v Vote) [2]int64 { return [2]int64{v.PollID, v.UserID} }
	outcome := make(map[[2]int64]error, len(distinct))
	why := map[[2]int64]error{} // [session, poll] → why votes on it were refused
	for i, v := range distinct {
		if recorded[i] {
			continue
		}
		// Find out why only on this rare path.
		sp := [2]int64{v.SessionID, v.PollID}
		reason, known := why[sp]
		if !known {
			reason = ErrAlreadyVoted
			p, err := s.Poll(ctx, v.SessionID, v.PollID)
			switch {
			case err != nil:
				reason = err
			case p.Status != model.PollOpen:
				reason = ErrPollNotOpen
			case p.Anonymous:
				reason = ErrAnonymousPoll
			case (p.AnswerForm == model.AnswerText) != text:
				reason = ErrWrongForm
			}
			why[sp] = reason
		}
		outcome[key(v)] = reason
	}
	errs := make([]error, len(votes))
	for i, v := range votes {
		errs[i] = outcome[key(v)]
		if first[key(v)] != i && errs[i] == nil {
			errs[i] = ErrAlreadyVoted
		}
	}
	return errs
}

// ErrAnonymousPoll refuses to record an anonymous vote on its own (see CastVotes).
var ErrAnonymousPoll = errors.New("anonymous votes are recorded in mixed batches")

// ErrWrongForm refuses a choice for an open-text poll (CastVotes) or a typed answer for any
// other (CastTextAnswers): a typed answer must never reach the counts.
var ErrWrongForm = errors.New("the answer does not fit the poll's form")

// AnonymousBatch is what RecordAnonymousVotes wrote.
type AnonymousBatch struct {
	Recorded int  // voters recorded (the others had voted already, on another instance)
	Counted  bool // their choices were added to the counts
}

// RecordAnonymousVotes writes a batch of an anonymous poll's votes (voter → choice, as for
// CastVotes) inside db, a transaction the caller runs. The poll may have closed since the
// votes were accepted. Nothing written orders or dates one voter against a choice:
//
//   - the guard rows carry no choice, and all the same time, the minute the poll opened;
//   - they are inserted in user-id order, never in the order people voted;
//   - every row of the batch belongs to one transaction (one xmin on PostgreSQL), so at
//     most the batch as a whole can be tied to the counts it added;
//   - the choices are counted only if the batch records at least the poll's minimum group
//     of voters. A smaller batch (a close when few votes were held, or voters who had
//     voted elsewhere) records its voters and adds them to the poll's uncounted votes.
//
// For an open-text poll a "choice" is the typed answer: it is written as an answer without
// its writer (live_poll_answers), under the same rules, instead of being counted.
func (s *Store) RecordAnonymousVotes(ctx context.Context, db bun.IDB, sessionID, pollID int64, choices map[int64]string) (AnonymousBatch, error) {
	var out AnonymousBatch
	p := new(model.LivePoll)
	if err := db.NewSelect().Model(p).Where("id = ?", pollID).Where("session_id = ?", sessionID).Scan(ctx); err != nil {
		return out, fmt.Errorf("record anonymous votes: %w", notFound(err))
	}
	if !p.Anonymous {
		return out, fmt.Errorf("record anonymous votes: poll %d is not anonymous", pollID)
	}
	// Votes held for a while may be of accounts deleted since: those are dropped, so that no
	// guard row names an account that is gone (the rows carry no foreign key, migration 0025).
	var users []int64
	if len(choices) == 0 {
		return out, nil
	}
	if err := db.NewSelect().Model((*model.User)(nil)).Column("id").
		Where("id IN (?)", bun.List(slices.Collect(maps.Keys(choices)))).Order("id").Scan(ctx, &users); err != nil {
		return out, fmt.Errorf("record anonymous votes: %w", err)
	}
	at := p.CreatedAt.UTC().Truncate(time.Minute)
	text := p.AnswerForm == model.AnswerText
	tally := map[string]int{}
	var answers []model.LivePollAnswer
	for _, u := range users {
		res, err := db.NewInsert().Model(&model.LivePollVoter{PollID: pollID, UserID: u, VotedAt: at}).On("CONFLICT DO NOTHING").Exec(ctx)
		if err != nil {
			return out, fmt.Errorf("record anonymous voter: %w", err)
		}
		if !affectedOne(res) {
			continue
		}
		out.Recorded++
		if text {
			answers = append(answers, model.LivePollAnswer{PollID: pollID, Body: choices[u]})
			continue
		}
		for _, c := range strings.Split(choices[u], ",") {
			tally[c]++
		}
	}
	if out.Recorded == 0 {
		return out, nil
	}
	if out.Recorded < max(p.MinGroup, 1) {
		_, err := db.NewUpdate().Model((*model.LivePoll)(nil)).Set("uncounted = uncounted + ?", out.Recorded).Where("id = ?", pollID).Exec(ctx)
		return out, err
	}
	if text {
		// Without their writers, in random order (insertAnswers), in this batch's transaction.
		if err := insertAnswers(ctx, db, answers); err != nil {
			return out, fmt.Errorf("record anonymous answers: %w", err)
		}
		out.Counted = true
		return out, nil
	}
	shard := rand.IntN(countShards)
	for _, c := range slices.Sorted(maps.Keys(tally)) {
		if _, err := db.ExecContext(ctx, `INSERT INTO live_poll_counts (poll_id, choice, shard, votes) VALUES (?, ?, ?, ?)
ON CONFLICT (poll_id, choice, shard) DO UPDATE SET votes = live_poll_counts.votes + excluded.votes`, pollID, c, shard, tally[c]); err != nil {
			return out, fmt.Errorf("count anonymous votes: %w", err)
		}
	}
	out.Counted = true
	return out, nil
}

// castVotes records a batch of votes on polls that are not anonymous, atomically: for each
// vote whose poll is open and not anonymous and whose voter has not voted (and still has an
// account: the vote of one deleted meanwhile must not fail the whole batch on the foreign
// key), the voter row
// with the choice and the count, added to the given shard row. It reports, per vote,
// whether it was recorded. (An anonymous vote written on its own would share its
// transaction, and on SQLite its row order, with its voter: those go through the store's
// mixed batches instead.) The votes must be distinct per poll and
// voter, and sorted by poll and voter: concurrent batches then take their row locks in the
// same order and cannot deadlock.
//
// PostgreSQL does a batch in one statement (data-modifying CTEs over arrays): under a vote
// storm thousands of votes cost a few statements instead of one each, and each counter row
// is updated once per batch. The counts are taken from the rows written, grouped by their
// answer before a multiple answer is split into its options: splitting each vote, and
// joining the written rows back to the input to find their answers, was a fifth of the
// statement's time for 5,000 votes (45 → 35 ms, EXPLAIN ANALYZE). SQLite, which has no such CTEs, runs one transaction.
func castVotes(ctx context.Context, db *bun.DB, votes []Vote, shard int, at time.Time) ([]bool, error) {
	recorded := make([]bool, len(votes))
	if len(votes) == 0 {
		return recorded, nil
	}
	index := make(map[[2]int64]int, len(votes))
	for i, v := range votes {
		index[[2]int64{v.PollID, v.UserID}] = i
	}
	if database.IsPostgres(db) {
		sessions, polls, users, choices := make([]int64, len(votes)), make([]int64, len(votes)), make([]int64, len(votes)), make([]string, len(votes))
		for i, v := range votes {
			sessions[i], polls[i], users[i], choices[i] = v.SessionID, v.PollID, v.UserID, v.Choice
		}
		rows, err := db.QueryContext(ctx, `WITH input AS (
    SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[]) AS t (session_id, poll_id, user_id, choice)
), v AS (
    INSERT INTO live_poll_voters (poll_id, user_id, choice, voted_at)
    SELECT i.poll_id, i.user_id, i.choice, ?
    FROM input i JOIN live_polls p ON p.id = i.poll_id AND p.session_id = i.session_id AND p.status = 'open' AND NOT p.anonymous AND p.answer_form <> 'text'
    JOIN users u ON u.id = i.user_id
    ORDER BY i.poll_id, i.user_id
    ON CONFLICT DO NOTHING RETURNING poll_id, user_id, choice
), c AS (
    INSERT INTO live_poll_counts (poll_id, choice, shard, votes)
    SELECT g.poll_id, o.choice, ?, sum(g.votes)
    FROM (SELECT poll_id, choice, count(*) AS votes FROM v GROUP BY poll_id, choice) g
    CROSS JOIN LATERAL unnest(string_to_array(g.choice, ',')) AS o (choice)
    GROUP BY g.poll_id, o.choice ORDER BY g.poll_id, o.choice
    ON CONFLICT (poll_id, choice, shard) DO UPDATE SET votes = live_poll_counts.votes + excluded.votes
)
SELECT poll_id, user_id FROM v`, pgdialect.Array(sessions), pgdialect.Array(polls), pgdialect.Array(users), pgdialect.Array(choices), at, shard)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var key [2]int64
			if err := rows.Scan(&key[0], &key[1]); err != nil {
				return nil, err
			}
			recorded[index[key]] = true
		}
		return recorded, rows.Err()
	}
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		clear(recorded)
		for start := 0; start < len(votes); start += sqliteVoteRows {
			if err := insertVotersSQLite(ctx, tx, votes[start:min(start+sqliteVoteRows, len(votes))], at, index, recorded); err != nil {
				return err
			}
		}
		type option struct {
			poll   int64
			choice string
		}
		counts := map[option]int{} // votes recorded per option
		var order []option
		for i, v := range votes {
			if !recorded[i] {
				continue
			}
			for _, choice := range strings.Split(v.Choice, ",") {
				key := option{v.PollID, choice}
				if counts[key] == 0 {
					order = append(order, key)
				}
				counts[key]++
			}
		}
		for _, key := range order {
			if _, err := tx.ExecContext(ctx, `INSERT INTO live_poll_counts (poll_id, choice, shard, votes) VALUES (?, ?, ?, ?)
ON CONFLICT (poll_id, choice, shard) DO UPDATE SET votes = live_poll_counts.votes + excluded.votes`, key.poll, key.choice, shard, counts[key]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return recorded, nil
}

// sqliteVoteRows bounds the rows of one SQLite vote statement.
const sqliteVoteRows = 500

// insertVotersSQLite writes the voter rows of votes in one statement and marks in recorded
// (by index) those written. One statement per vote made SQLite parse the same INSERT a
// thousand times in a storm: most of the batch's time, while the poll that caused the storm
// was still being sent out.
func insertVotersSQLite(ctx context.Context, tx bun.Tx, votes []Vote, at time.Time, index map[[2]int64]int, recorded []bool) error {
	var q strings.Builder
	args := make([]any, 0, 4*len(votes)+1)
	q.WriteString("WITH input (session_id, poll_id, user_id, choice) AS (VALUES ")
	for i, v := range votes {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?)")
		args = append(args, v.SessionID, v.PollID, v.UserID, v.Choice)
	}
	q.WriteString(`)
INSERT INTO live_poll_voters (poll_id, user_id, choice, voted_at)
SELECT i.poll_id, i.user_id, i.choice, ? FROM input i JOIN live_polls p ON p.id = i.poll_id AND p.session_id = i.session_id
JOIN users u ON u.id = i.user_id
WHERE p.status = 'open' AND NOT p.anonymous AND p.answer_form <> 'text'
ORDER BY i.poll_id, i.user_id
ON CONFLICT DO NOTHING RETURNING poll_id, user_id`)
	args = append(args, at)
	rows, err := tx.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key [2]int64
		if err := rows.Scan(&key[0], &key[1]); err != nil {
			return err
		}
		recorded[index[key]] = true
	}
	return rows.Err()
}

// votesOf lists the polls a user answered, for the data export: what they chose in named
// polls; for anonymous ones only that they answered (nothing else links them).
func votesOf(ctx context.Context, db bun.IDB, userID int64) ([]LiveVoteData, error) {
	var out []LiveVoteData
	err := db.NewSelect().TableExpr("live_poll_voters AS v").Join("JOIN live_polls AS p ON p.id = v.poll_id").
		ColumnExpr("p.session_id, p.prompt, p.anonymous, v.choice, p.options, v.voted_at").
		Where("v.user_id = ?", userID).OrderExpr("p.id").Scan(ctx, &out)
	return out, err
}

// DeleteOrphanVoteGuards deletes the vote guard rows of accounts or polls that no longer
// exist and returns how many there were. Account deletion deletes a person's rows itself,
// deleting a poll deletes its rows (a trigger), and every statement that writes a row reads
// the account and the poll first; but a batch that read them just before a deletion
// committed can write its row just after (the rows carry no foreign keys since migration
// 0025, for the vote batches' speed). The daily purge calls this, so such a row outlives
// its account or poll by a day at most.
func (s *Store) DeleteOrphanVoteGuards(ctx context.Context) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM live_poll_voters
WHERE NOT EXISTS (SELECT 1 FROM users AS u WHERE u.id = live_poll_voters.user_id)
OR NOT EXISTS (SELECT 1 FROM live_polls AS p WHERE p.id = live_poll_voters.poll_id)`)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
