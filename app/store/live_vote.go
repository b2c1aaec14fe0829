package store

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/model"
)

// countShards spreads each option's vote count over this many rows, so that batches from
// several instances rarely wait on the same row lock.
const countShards = 16

// Vote is one participant's answer to a live poll: one option id, or for a multiple-answer
// poll the ticked ids in the poll's order joined by commas. The caller has checked them
// against the poll's options.
type Vote = database.Vote

// CastVotes records a batch of votes and returns each one's outcome: nil when recorded,
// otherwise ErrAlreadyVoted, ErrPollNotOpen or ErrNotFound. The guard row that allows one
// vote per participant and poll (across reconnects, tabs and instances) keeps the choice
// only for polls that are not anonymous; an anonymous choice exists only in the counts.
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
	recorded, err := database.CastVotes(ctx, s.db, distinct, rand.IntN(countShards), s.Now())
	if err != nil {
		return nil, fmt.Errorf("cast votes: %w", err)
	}
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
	return errs, nil
}
