package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

func newUser(name string) *model.User {
	return &model.User{Username: name, UsernameKey: auth.UsernameKey(name), UsernameSkeleton: auth.UsernameSkeleton(name), PasswordHash: "$argon2id$test", Role: model.RoleLearner}
}

func createUser(t *testing.T, st *store.Store, name string, codes ...string) *model.User {
	t.Helper()
	u := newUser(name)
	if err := st.CreateAccount(context.Background(), store.NewAccount{User: u, RecoveryHashes: codes}); err != nil {
		t.Fatal(err)
	}
	return u
}

func count(t *testing.T, db *bun.DB, table string) int {
	t.Helper()
	n, err := db.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestCreateAccountIsAllOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		u := createUser(t, st, "Aiko", "h1", "h2")
		if u.ID == 0 || u.CreatedAt.IsZero() || u.CreatedAt.Location() != time.UTC {
			t.Fatalf("user not filled in: %+v", u)
		}
		got, err := st.UserByUsernameKey(ctx, "aiko")
		if err != nil || got.Username != "Aiko" || got.Role != model.RoleLearner {
			t.Fatalf("UserByUsernameKey: %+v, %v", got, err)
		}

		// Taken username: no user, no codes, and the invite is not spent.
		inv := &model.Invite{CodeHash: "invite-hash", MaxUses: 1, ExpiresAt: st.Now().Add(time.Hour)}
		if err := st.CreateInvite(ctx, inv); err != nil {
			t.Fatal(err)
		}
		err = st.CreateAccount(ctx, store.NewAccount{User: newUser("AIKO"), RecoveryHashes: []string{"h3"}, InviteCodeHash: "invite-hash"})
		if !errors.Is(err, store.ErrUsernameTaken) {
			t.Fatalf("duplicate username: %v", err)
		}
		if count(t, db, "users") != 1 || count(t, db, "recovery_codes") != 2 {
			t.Fatal("a failed account creation left rows behind")
		}
		if ok, _ := st.InviteUsable(ctx, "invite-hash"); !ok {
			t.Fatal("a failed sign-up spent the invite")
		}

		// The invite admits exactly one.
		if err := st.CreateAccount(ctx, store.NewAccount{User: newUser("Bo"), InviteCodeHash: "invite-hash"}); err != nil {
			t.Fatal(err)
		}
		err = st.CreateAccount(ctx, store.NewAccount{User: newUser("Cy"), InviteCodeHash: "invite-hash"})
		if !errors.Is(err, store.ErrInviteInvalid) {
			t.Fatalf("second use of a single-use invite: %v", err)
		}
		if _, err := st.UserByUsernameKey(ctx, "cy"); !errors.Is(err, store.ErrNotFound) {
			t.Fatal("a refused invite still created the user")
		}
		err = st.CreateAccount(ctx, store.NewAccount{User: newUser("Di"), InviteCodeHash: "unknown"})
		if !errors.Is(err, store.ErrInviteInvalid) {
			t.Fatalf("unknown invite: %v", err)
		}
	})
}

func TestInvitesExpireAndRevoke(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		st := store.New(db, func() time.Time { return now })
		expired := &model.Invite{CodeHash: "old", MaxUses: 5, ExpiresAt: now.Add(-time.Second)}
		live := &model.Invite{CodeHash: "live", MaxUses: 5, ExpiresAt: now.Add(time.Hour)}
		for _, inv := range []*model.Invite{expired, live} {
			if err := st.CreateInvite(ctx, inv); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.CreateAccount(ctx, store.NewAccount{User: newUser("late"), InviteCodeHash: "old"}); !errors.Is(err, store.ErrInviteInvalid) {
			t.Fatalf("expired invite: %v", err)
		}
		if err := st.RevokeInvite(ctx, live.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.RevokeInvite(ctx, live.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("revoking twice: %v", err)
		}
		if err := st.CreateAccount(ctx, store.NewAccount{User: newUser("revoked"), InviteCodeHash: "live"}); !errors.Is(err, store.ErrInviteInvalid) {
			t.Fatalf("revoked invite: %v", err)
		}
		list, err := st.ListInvites(ctx)
		if err != nil || len(list) != 2 || list[0].ID != live.ID || list[0].RevokedAt == nil {
			t.Fatalf("ListInvites: %+v, %v", list, err)
		}
	})
}

func TestRecoveryCodeIsSpentExactlyOnceEvenConcurrently(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		u := createUser(t, st, "racer", "c1", "c2", "c3")
		var wg sync.WaitGroup
		results := make(chan error, 8)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results <- st.UseRecoveryCode(ctx, u.ID, "c1")
			}()
		}
		wg.Wait()
		close(results)
		ok := 0
		for err := range results {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, store.ErrCodeInvalid):
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("code spent %d times, want exactly once", ok)
		}
		if n, _ := st.CountUnusedRecoveryCodes(ctx, u.ID); n != 2 {
			t.Fatalf("unused codes: %d, want 2", n)
		}
		other := createUser(t, st, "other", "c9")
		if err := st.UseRecoveryCode(ctx, other.ID, "c2"); !errors.Is(err, store.ErrCodeInvalid) {
			t.Fatal("a code of one user worked for another")
		}
	})
}

func TestResetWithRecoveryCodeIsAtomic(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		u := createUser(t, st, "resetter", "good")
		sess := &model.Session{TokenHash: "t1", UserID: u.ID, CreatedAt: st.Now(), LastSeenAt: st.Now(), ExpiresAt: st.Now().Add(time.Hour)}
		if err := st.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		if err := st.ResetPasswordWithRecoveryCode(ctx, u.ID, "bad", "new-hash"); !errors.Is(err, store.ErrCodeInvalid) {
			t.Fatalf("bad code: %v", err)
		}
		got, _ := st.UserByID(ctx, u.ID)
		if got.PasswordHash != u.PasswordHash || count(t, db, "sessions") != 1 {
			t.Fatal("a wrong code changed the password or ended sessions")
		}
		if err := st.ResetPasswordWithRecoveryCode(ctx, u.ID, "good", "new-hash"); err != nil {
			t.Fatal(err)
		}
		got, _ = st.UserByID(ctx, u.ID)
		if got.PasswordHash != "new-hash" || count(t, db, "sessions") != 0 {
			t.Fatal("reset did not set the password and end the sessions")
		}
	})
}

func TestSessionsRotateExpireAndStayWithTheirOwner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		st := store.New(db, func() time.Time { return now })
		u := createUser(t, st, "sessioned")
		v := createUser(t, st, "someone-else")
		mk := func(hash string, owner int64, lastSeen, expires time.Time) *model.Session {
			s := &model.Session{TokenHash: hash, UserID: owner, CreatedAt: now, LastSeenAt: lastSeen, ExpiresAt: expires}
			if err := st.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		a := mk("a", u.ID, now, now.Add(time.Hour))
		mk("idle", u.ID, now.Add(-3*time.Hour), now.Add(time.Hour))
		mk("expired", u.ID, now, now.Add(-time.Second))
		mk("other", v.ID, now, now.Add(time.Hour))

		got, err := st.SessionByTokenHash(ctx, "a")
		if err != nil || got.User == nil || got.User.Username != "sessioned" {
			t.Fatalf("session with user: %+v, %v", got, err)
		}
		n, err := st.DeleteExpiredSessions(ctx, 2*time.Hour)
		if err != nil || n != 2 {
			t.Fatalf("deleted %d expired sessions (%v), want 2", n, err)
		}
		b := &model.Session{TokenHash: "b", UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := st.RotateSession(ctx, a.ID, b); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SessionByTokenHash(ctx, "a"); !errors.Is(err, store.ErrNotFound) {
			t.Fatal("rotated session still valid")
		}
		if err := st.DeleteSession(ctx, v.ID, b.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatal("another user's session could be deleted")
		}
		list, err := st.ListUserSessions(ctx, u.ID)
		if err != nil || len(list) != 1 || list[0].TokenHash != "b" {
			t.Fatalf("ListUserSessions: %+v, %v", list, err)
		}
		if err := st.SetRole(ctx, u.ID, model.RoleTrainer); err != nil {
			t.Fatal(err)
		}
		if list, _ := st.ListUserSessions(ctx, u.ID); len(list) != 0 {
			t.Fatal("a role change must end the user's sessions")
		}
		if err := st.SetRole(ctx, 99999, model.RoleTrainer); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("SetRole on a missing user: %v", err)
		}
	})
}

func TestTOTPStepsCannotBeReplayed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		u := createUser(t, st, "stepper")
		if err := st.SetPendingTOTP(ctx, u.ID, "SECRET"); err != nil {
			t.Fatal(err)
		}
		if err := st.EnableTOTP(ctx, u.ID, 100); err != nil {
			t.Fatal(err)
		}
		got, _ := st.UserByID(ctx, u.ID)
		if !got.TOTPEnabled() || got.TOTPSecret != "SECRET" || got.TOTPPendingSecret != "" {
			t.Fatalf("after EnableTOTP: %+v", got)
		}
		for _, tc := range []struct {
			step int64
			ok   bool
		}{{100, false}, {99, false}, {101, true}, {101, false}, {103, true}} {
			ok, err := st.ClaimTOTPStep(ctx, u.ID, tc.step)
			if err != nil || ok != tc.ok {
				t.Fatalf("ClaimTOTPStep(%d) = %v, %v; want %v", tc.step, ok, err, tc.ok)
			}
		}
		if err := st.DisableTOTP(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.UserByID(ctx, u.ID); got.TOTPEnabled() {
			t.Fatal("still enabled")
		}
	})
}

func TestPasswordResetLinksAreSingleUseAndExpire(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		st := store.New(db, clock)
		u := createUser(t, st, "linked")
		if err := st.CreatePasswordReset(ctx, u.ID, "first", time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := st.CreatePasswordReset(ctx, u.ID, "second", time.Hour); err != nil {
			t.Fatal(err)
		}
		if _, err := st.PasswordResetUser(ctx, "first"); !errors.Is(err, store.ErrNotFound) {
			t.Fatal("a newer link must replace the older one")
		}
		if _, err := st.ResetPasswordWithToken(ctx, "second", "h2"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ResetPasswordWithToken(ctx, "second", "h3"); !errors.Is(err, store.ErrCodeInvalid) {
			t.Fatalf("reused link: %v", err)
		}
		if err := st.CreatePasswordReset(ctx, u.ID, "third", time.Hour); err != nil {
			t.Fatal(err)
		}
		now = now.Add(2 * time.Hour)
		if _, err := st.ResetPasswordWithToken(ctx, "third", "h4"); !errors.Is(err, store.ErrCodeInvalid) {
			t.Fatalf("expired link: %v", err)
		}
		if got, _ := st.UserByID(ctx, u.ID); got.PasswordHash != "h2" {
			t.Fatalf("password hash %q, want h2", got.PasswordHash)
		}
	})
}

func TestSettingsUpsert(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		if v, err := st.Setting(ctx, store.SettingRegistration, "open"); err != nil || v != "open" {
			t.Fatalf("fallback: %q, %v", v, err)
		}
		for _, v := range []string{"invite", "closed"} {
			if err := st.SetSetting(ctx, store.SettingRegistration, v); err != nil {
				t.Fatal(err)
			}
			if got, _ := st.Setting(ctx, store.SettingRegistration, "open"); got != v {
				t.Fatalf("got %q, want %q", got, v)
			}
		}
		if count(t, db, "settings") != 1 {
			t.Fatal("upsert created a second row")
		}
	})
}
