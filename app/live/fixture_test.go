package live

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// newAccount stores an account with a placeholder password hash.
func newAccount(t *testing.T, st *store.Store, name string) *model.User {
	t.Helper()
	u := &model.User{Username: name, UsernameKey: auth.UsernameKey(name), PasswordHash: "$argon2id$test", Role: model.RoleTrainer}
	if err := st.CreateAccount(context.Background(), store.NewAccount{User: u}); err != nil {
		t.Fatal(err)
	}
	return u
}

// runningSession stores a cohort of trainer with a started live session.
func runningSession(t *testing.T, db *bun.DB, st *store.Store, trainer *model.User) *model.LiveSession {
	t.Helper()
	ctx := context.Background()
	co := &model.Cohort{CourseID: "c", Name: "n", Lang: "en"}
	if err := st.CreateCohort(ctx, co, trainer.ID); err != nil {
		t.Fatal(err)
	}
	ls := &model.LiveSession{CohortID: co.ID, Title: "s"}
	if err := st.CreateLiveSession(ctx, ls, true); err != nil {
		t.Fatal(err)
	}
	return ls
}
