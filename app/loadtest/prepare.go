// Package loadtest drives a running Cairn server with many live-session participants and
// reports delivery latency, ordering, vote integrity and server memory.
package loadtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
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
// session (store.CreateLoadTestRun). Every username starts with Prefix and the run id.
func Prepare(ctx context.Context, st *store.Store, n int, courseID string, lessons []string) (*Fixture, error) {
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
	run := &store.LoadTestRun{Name: Prefix + f.RunID, CourseID: courseID, Expires: 6 * time.Hour,
		Users: make([]model.User, n+1), TokenHashes: make([]string, n+1)}
	for i := range run.Users {
		name := fmt.Sprintf("%s%s-%05d", Prefix, f.RunID, i)
		role := model.RoleLearner
		if i == 0 {
			name, role = Prefix+f.RunID+"-trainer", model.RoleTrainer
		}
		run.Users[i] = model.User{Username: name, UsernameKey: name, UsernameSkeleton: auth.UsernameSkeleton(name), PasswordHash: hash, Role: role, Locale: "en",
			CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now, ActiveOn: model.ActiveDay(now)}
		token, tokenHash := auth.NewToken()
		run.TokenHashes[i] = tokenHash
		if i == 0 {
			f.TrainerToken = token
		} else {
			f.Participants = append(f.Participants, token)
		}
	}
	if err := st.CreateLoadTestRun(ctx, run); err != nil {
		return nil, err
	}
	for _, u := range run.Users[1:] {
		f.UserIDs = append(f.UserIDs, u.ID)
	}
	f.CohortID, f.SessionID = run.CohortID, run.SessionID
	return f, nil
}

// VotesRecorded counts the votes the database holds for the run's session.
func VotesRecorded(ctx context.Context, st *store.Store, sessionID int64) (int, error) {
	return st.SessionVotes(ctx, sessionID)
}

// Cleanup deletes everything the run created.
func Cleanup(ctx context.Context, st *store.Store, f *Fixture) error {
	return st.DeleteLoadTestRun(ctx, f.CohortID, Prefix+f.RunID+"-")
}
