package store_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

func TestCreateAccountRefusesANameThatLooksLikeAnExistingOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		createUser(t, st, "paypal")
		for _, name := range []string{"paypa1", "PAYPA1", "p\u0430yp\u0430l", "rnodem"} {
			err := st.CreateAccount(ctx, store.NewAccount{User: newUser(name), RecoveryHashes: []string{"h-" + name}})
			if name == "rnodem" {
				if err != nil {
					t.Fatalf("%q does not look like paypal: %v", name, err)
				}
				continue
			}
			if !errors.Is(err, store.ErrUsernameConfusable) {
				t.Fatalf("%+q after paypal: %v, want ErrUsernameConfusable", name, err)
			}
		}
		if err := st.CreateAccount(ctx, store.NewAccount{User: newUser("modem")}); !errors.Is(err, store.ErrUsernameConfusable) {
			t.Fatalf("modem after rnodem: %v, want ErrUsernameConfusable", err)
		}
		if err := st.CreateAccount(ctx, store.NewAccount{User: newUser("PayPal")}); !errors.Is(err, store.ErrUsernameTaken) {
			t.Fatalf("PayPal after paypal: %v, want ErrUsernameTaken", err)
		}
		if n := count(t, db, "users"); n != 2 {
			t.Fatalf("users: %d, want 2", n)
		}
		if n := count(t, db, "recovery_codes"); n != 1 {
			t.Fatalf("recovery codes: %d, want rnodem's one only", n)
		}
		got, err := st.UserByUsernameKey(ctx, "paypal")
		if err != nil || got.UsernameSkeleton != auth.UsernameSkeleton("paypal") {
			t.Fatalf("stored skeleton %q, %v", got.UsernameSkeleton, err)
		}
	})
}

// Two people signing up at once with look-alike names: no check-then-insert can be trusted
// here, only the unique index, so exactly one of them may win.
func TestConcurrentSignUpsOfLookAlikeNamesLetExactlyOneIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		names := []string{"paypal", "paypa1", "PAYPA1", "p\u0430ypal", "p\u0430ypa1", "payp\u0430l"}
		start := make(chan struct{})
		errs := make([]error, len(names))
		var wg sync.WaitGroup
		for i, name := range names {
			wg.Go(func() {
				<-start
				errs[i] = st.CreateAccount(ctx, store.NewAccount{User: newUser(name)})
			})
		}
		close(start)
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case errors.Is(err, store.ErrUsernameConfusable), errors.Is(err, store.ErrUsernameTaken):
			default:
				t.Fatalf("%+q: unexpected error %v", names[i], err)
			}
		}
		if won != 1 || count(t, db, "users") != 1 {
			t.Fatalf("%d sign-ups won and %d accounts exist, want exactly one: %v", won, count(t, db, "users"), errs)
		}
	})
}

func TestBackfillUsernameSkeletonsKeepsTheOlderOfTwoLookAlikes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		// Accounts as they were before migration 0007: no skeleton.
		var ids []int64
		for _, name := range []string{"paypal", "alice", "paypa1", "\u0430lice"} {
			u := newUser(name)
			u.UsernameSkeleton = ""
			u.CreatedAt, u.UpdatedAt, u.PasswordChangedAt = st.Now(), st.Now(), st.Now()
			if _, err := db.NewInsert().Model(u).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, u.ID)
		}
		clashes, err := st.BackfillUsernameSkeletons(ctx, auth.UsernameSkeleton)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{ids[2], ids[3]}; !slices.Equal(clashes, want) {
			t.Fatalf("clashes %v, want the younger look-alikes %v", clashes, want)
		}
		for i, name := range []string{"paypal", "alice"} {
			var u model.User
			if err := db.NewSelect().Model(&u).Where("id = ?", ids[i]).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			if u.UsernameSkeleton != auth.UsernameSkeleton(name) {
				t.Fatalf("%s: skeleton %q, want %q", name, u.UsernameSkeleton, auth.UsernameSkeleton(name))
			}
		}
		// Safe to run at every start: nothing changes, the same clashes are reported.
		again, err := st.BackfillUsernameSkeletons(ctx, auth.UsernameSkeleton)
		if err != nil || !slices.Equal(again, clashes) {
			t.Fatalf("second run: %v, %v", again, err)
		}
		// The older account's claim now keeps new look-alikes out.
		if err := st.CreateAccount(ctx, store.NewAccount{User: newUser("a1ice")}); !errors.Is(err, store.ErrUsernameConfusable) {
			t.Fatalf("a1ice after the backfill: %v, want ErrUsernameConfusable", err)
		}
	})
}
