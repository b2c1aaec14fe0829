// Package loadtest drives a running Cairn server with many live-session participants and
// reports delivery latency, ordering, vote integrity and server memory.
package loadtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/model"
)

// Prefix marks every account the tool creates, so load-test data is never mistaken for
// people (and `cairn users list` shows it plainly).
const Prefix = "loadtest-"

// Fixture is what a run prepared: accounts with session tokens, a cohort and a session.
type Fixture struct {
	RunID        string
	TrainerToken string
	Participants []string // session tokens
	UserIDs      []int64
	CohortID     int64
	SessionID    int64
	CourseID     string
	Lessons      []string
}

// Prepare creates a trainer, n participants, a cohort for courseID and a running live
// session, writing rows directly (thousands of argon2id sign-ups would take minutes).
// Every username starts with Prefix and the run id.
func Prepare(ctx context.Context, db *bun.DB, n int, courseID string, lessons []string) (*Fixture, error) {
	raw := make([]byte, 4)
	_, _ = rand.Read(raw)
	f := &Fixture{RunID: hex.EncodeToString(raw), CourseID: courseID, Lessons: lessons}
	hasher, err := auth.NewHasher(1024, 1, 1, 1)
	if err != nil {
		return nil, err
	}
	secret, _ := auth.NewToken()
	hash, err := hasher.Hash(ctx, secret) // a password nobody knows: these accounts cannot sign in
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	users := make([]model.User, n+1)
	for i := range users {
		name := fmt.Sprintf("%s%s-%05d", Prefix, f.RunID, i)
		role := model.RoleLearner
		if i == 0 {
			name, role = Prefix+f.RunID+"-trainer", model.RoleTrainer
		}
		users[i] = model.User{Username: name, UsernameKey: name, UsernameSkeleton: auth.UsernameSkeleton(name), PasswordHash: hash, Role: role, Locale: "en",
			CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now}
	}
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for start := 0; start < len(users); start += 500 {
			chunk := users[start:min(start+500, len(users))]
			if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
				return fmt.Errorf("insert load-test users: %w", err)
			}
		}
		trainerID := users[0].ID
		cohort := &model.Cohort{CourseID: courseID, Name: Prefix + f.RunID, Lang: "en", CreatedBy: &trainerID, CreatedAt: now}
		if _, err := tx.NewInsert().Model(cohort).Exec(ctx); err != nil {
			return err
		}
		f.CohortID = cohort.ID
		members := make([]model.CohortMember, len(users))
		sessions := make([]model.Session, len(users))
		for i, u := range users {
			role := model.CohortLearner
			if i == 0 {
				role = model.CohortTrainer
			}
			members[i] = model.CohortMember{CohortID: cohort.ID, UserID: u.ID, Role: role, JoinedAt: now}
			token, tokenHash := auth.NewToken()
			sessions[i] = model.Session{TokenHash: tokenHash, UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(6 * time.Hour)}
			if i == 0 {
				f.TrainerToken = token
			} else {
				f.Participants = append(f.Participants, token)
				f.UserIDs = append(f.UserIDs, u.ID)
			}
		}
		for start := 0; start < len(users); start += 500 {
			end := min(start+500, len(users))
			m, s := members[start:end], sessions[start:end]
			if _, err := tx.NewInsert().Model(&m).Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewInsert().Model(&s).Exec(ctx); err != nil {
				return err
			}
		}
		ls := &model.LiveSession{CohortID: cohort.ID, Title: Prefix + f.RunID, CreatedBy: &trainerID, CreatedAt: now, StartedAt: &now}
		if _, err := tx.NewInsert().Model(ls).Exec(ctx); err != nil {
			return err
		}
		f.SessionID = ls.ID
		return nil
	})
	return f, err
}

// VotesRecorded counts the votes the database holds for the run's session.
func VotesRecorded(ctx context.Context, db *bun.DB, sessionID int64) (int, error) {
	n, err := db.NewSelect().Model((*model.LivePollVoter)(nil)).
		Where("poll_id IN (?)", db.NewSelect().Model((*model.LivePoll)(nil)).Column("id").Where("session_id = ?", sessionID)).
		Count(ctx)
	return int(n), err
}

// Cleanup deletes everything the run created (accounts cascade to memberships, sessions,
// attendance, votes and questions), in chunks so no statement runs for long.
func Cleanup(ctx context.Context, db *bun.DB, f *Fixture) error {
	if _, err := db.NewDelete().Model((*model.Cohort)(nil)).Where("id = ?", f.CohortID).Exec(ctx); err != nil {
		return err
	}
	for {
		var ids []int64
		if err := db.NewSelect().Model((*model.User)(nil)).Column("id").
			Where("username_key LIKE ?", Prefix+f.RunID+"-%").Limit(250).Scan(ctx, &ids); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		if _, err := db.NewDelete().Model((*model.User)(nil)).Where("id IN (?)", bun.List(ids)).Exec(ctx); err != nil {
			return err
		}
	}
}
