package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// LoadTestRun is what `cairn loadtest live` writes to drive a session: accounts (the trainer
// first) with a sign-in session each, a cohort of them and a running live session. It is
// written directly: thousands of sign-ups through argon2id would take minutes.
type LoadTestRun struct {
	Users       []model.User // the trainer first; their IDs are set by CreateLoadTestRun
	TokenHashes []string     // one sign-in session per user, same order
	Name        string       // the cohort's and the live session's name
	CourseID    string
	Expires     time.Duration // how long the sign-in sessions last

	CohortID, SessionID int64 // set by CreateLoadTestRun
}

// CreateLoadTestRun writes a load-test run in one transaction, in chunks of rows.
func (s *Store) CreateLoadTestRun(ctx context.Context, run *LoadTestRun) error {
	now := s.Now().Truncate(time.Microsecond)
	const chunk = 500
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for i := range run.Users {
			run.Users[i].NameKey = NameKey(run.Users[i].Name())
		}
		for start := 0; start < len(run.Users); start += chunk {
			users := run.Users[start:min(start+chunk, len(run.Users))]
			if _, err := tx.NewInsert().Model(&users).Exec(ctx); err != nil {
				return fmt.Errorf("insert load-test users: %w", err)
			}
		}
		trainerID := run.Users[0].ID
		cohort := &model.Cohort{CourseID: run.CourseID, Name: run.Name, Lang: "en", CreatedBy: &trainerID, CreatedAt: now}
		if _, err := tx.NewInsert().Model(cohort).Exec(ctx); err != nil {
			return err
		}
		run.CohortID = cohort.ID
		members := make([]model.CohortMember, len(run.Users))
		sessions := make([]model.Session, len(run.Users))
		for i, u := range run.Users {
			role := model.CohortLearner
			if i == 0 {
				role = model.CohortTrainer
			}
			members[i] = model.CohortMember{CohortID: cohort.ID, UserID: u.ID, Role: role, JoinedAt: now}
			sessions[i] = model.Session{TokenHash: run.TokenHashes[i], UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(run.Expires)}
		}
		for start := 0; start < len(run.Users); start += chunk {
			end := min(start+chunk, len(run.Users))
			m, ss := members[start:end], sessions[start:end]
			if _, err := tx.NewInsert().Model(&m).Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewInsert().Model(&ss).Exec(ctx); err != nil {
				return err
			}
		}
		ls := &model.LiveSession{CohortID: cohort.ID, Title: run.Name, CreatedBy: &trainerID, CreatedAt: now, StartedAt: &now}
		if _, err := tx.NewInsert().Model(ls).Exec(ctx); err != nil {
			return err
		}
		run.SessionID = ls.ID
		return nil
	})
}

// SessionVotes counts the voters the database holds over every poll of a live session.
func (s *Store) SessionVotes(ctx context.Context, sessionID int64) (int, error) {
	n, err := s.db.NewSelect().Model((*model.LivePollVoter)(nil)).
		Where("poll_id IN (?)", s.db.NewSelect().Model((*model.LivePoll)(nil)).Column("id").Where("session_id = ?", sessionID)).
		Count(ctx)
	return int(n), err
}

// DeleteLoadTestRun deletes a run's cohort (its live sessions, polls and votes go with it)
// and every account whose username starts with prefix (accounts cascade to memberships,
// sessions, attendance and questions), in chunks so no statement runs for long.
func (s *Store) DeleteLoadTestRun(ctx context.Context, cohortID int64, prefix string) error {
	if _, err := s.db.NewDelete().Model((*model.Cohort)(nil)).Where("id = ?", cohortID).Exec(ctx); err != nil {
		return err
	}
	for {
		var ids []int64
		if err := s.db.NewSelect().Model((*model.User)(nil)).Column("id").
			Where("username_key LIKE ?", prefix+"%").Limit(250).Scan(ctx, &ids); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		if _, err := s.db.NewDelete().Model((*model.User)(nil)).Where("id IN (?)", bun.List(ids)).Exec(ctx); err != nil {
			return err
		}
	}
}
