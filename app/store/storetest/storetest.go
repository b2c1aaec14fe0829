// Package storetest builds the rows tests of several packages need, through the real store.
package storetest

import (
	"context"
	"testing"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// Account stores an account with a placeholder password hash.
func Account(t testing.TB, st *store.Store, name, role string) *model.User {
	t.Helper()
	u := &model.User{Username: name, UsernameKey: auth.UsernameKey(name), UsernameSkeleton: auth.UsernameSkeleton(name), PasswordHash: "$argon2id$test", Role: role}
	if err := st.CreateAccount(context.Background(), store.NewAccount{User: u}); err != nil {
		t.Fatal(err)
	}
	return u
}

// RunningSession stores a new cohort of trainer with a started live session.
func RunningSession(t testing.TB, st *store.Store, trainer *model.User) *model.LiveSession {
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
