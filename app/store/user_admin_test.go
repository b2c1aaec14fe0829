package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

func usernames(users []model.User) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.Username)
	}
	return out
}

func TestTheAccountListFiltersAndPagesInUsernameOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		clock := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		st := store.New(db, func() time.Time { return clock })
		for _, name := range []string{"Zeynep", "amina", "Bruno", "ÉLODIE", "عمر", "carla", "dmitri"} {
			createUser(t, st, name)
		}
		byName := func(name string) *model.User {
			t.Helper()
			var u model.User
			if err := db.NewSelect().Model(&u).Where("username = ?", name).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			return &u
		}
		if err := st.SetRole(ctx, byName("Bruno").ID, model.RoleTrainer); err != nil {
			t.Fatal(err)
		}
		if err := st.UpdateProfile(ctx, byName("carla").ID, "Carla Núñez", "es"); err != nil {
			t.Fatal(err)
		}
		if err := st.DisableUser(ctx, byName("dmitri").ID); err != nil {
			t.Fatal(err)
		}
		// amina was last active 100 days ago, everyone else on the day they were created.
		if _, err := db.NewUpdate().Model((*model.User)(nil)).Set("active_on = ?", model.ActiveDay(clock.AddDate(0, 0, -100))).
			Where("username = ?", "amina").Exec(ctx); err != nil {
			t.Fatal(err)
		}

		list := func(f store.UserFilter, after, before string, limit int) store.UserPage {
			t.Helper()
			p, err := st.ListUsersPage(ctx, f, after, before, limit)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		all := list(store.UserFilter{}, "", "", 100)
		// The database's order of the folded usernames: code points on SQLite and on a
		// PostgreSQL with the C collation, the collation's order on another. Pages follow
		// it either way, since the seek compares what the index orders.
		var ascii []string
		for _, n := range usernames(all.Users) {
			if n != "ÉLODIE" && n != "عمر" {
				ascii = append(ascii, n)
			}
		}
		if got, want := ascii, []string{"amina", "Bruno", "carla", "dmitri", "Zeynep"}; len(all.Users) != 7 || !slices.Equal(got, want) {
			t.Fatalf("every account: %v, want %v in this order among them (any case)", usernames(all.Users), want)
		}
		if all.Total != 7 || all.Before != 0 || all.Prev || all.Next {
			t.Fatalf("every account: total %d before %d", all.Total, all.Before)
		}

		// Pages of three, forwards then back, never overlapping and counted in place.
		p1 := list(store.UserFilter{}, "", "", 3)
		p2 := list(store.UserFilter{}, p1.Users[2].UsernameKey, "", 3)
		p3 := list(store.UserFilter{}, p2.Users[2].UsernameKey, "", 3)
		if got := usernames(p2.Users); !slices.Equal(got, usernames(all.Users[3:6])) || p2.Before != 3 || !p2.Prev || !p2.Next {
			t.Fatalf("second page: %v before %d", got, p2.Before)
		}
		if got := usernames(p3.Users); !slices.Equal(got, usernames(all.Users[6:])) || p3.Before != 6 || p3.Next || !p3.Prev {
			t.Fatalf("last page: %v before %d", got, p3.Before)
		}
		back := list(store.UserFilter{}, "", p3.Users[0].UsernameKey, 3)
		if got := usernames(back.Users); !slices.Equal(got, usernames(p2.Users)) || back.Before != 3 || !back.Prev || !back.Next {
			t.Fatalf("the page before the last: %v before %d, want the second page", got, back.Before)
		}
		past := list(store.UserFilter{}, p3.Users[0].UsernameKey, "", 3)
		if len(past.Users) != 0 || past.Total != 7 || past.Before != 7 {
			t.Fatalf("after the last account: %v total %d before %d", usernames(past.Users), past.Total, past.Before)
		}

		for _, c := range []struct {
			name   string
			filter store.UserFilter
			want   []string
		}{
			{"a part of a username in another case", store.UserFilter{Search: "RUN"}, []string{"Bruno"}},
			{"a display name without its accents", store.UserFilter{Search: "nunez"}, []string{"carla"}},
			{"an accented username, typed plain", store.UserFilter{Search: "elod"}, []string{"ÉLODIE"}},
			{"Arabic", store.UserFilter{Search: "مر"}, []string{"عمر"}},
			{"a LIKE wildcard is a plain character", store.UserFilter{Search: "%"}, nil},
			{"a role", store.UserFilter{Role: model.RoleTrainer}, []string{"Bruno"}},
			{"disabled", store.UserFilter{Status: store.UsersDisabled}, []string{"dmitri"}},
			{"enabled and containing d", store.UserFilter{Status: store.UsersEnabled, Search: "d"}, []string{"ÉLODIE"}},
			{"inactive for 90 days", store.UserFilter{InactiveBefore: model.ActiveDay(clock.AddDate(0, 0, -90))}, []string{"amina"}},
			{"active in the last 7 days, learners", store.UserFilter{ActiveSince: model.ActiveDay(clock.AddDate(0, 0, -7)), Role: model.RoleLearner},
				usernames(all.Users[2:])},
			{"nobody", store.UserFilter{Role: model.RoleAdmin}, nil},
		} {
			p := list(c.filter, "", "", 50)
			if got := usernames(p.Users); !slices.Equal(got, c.want) || p.Total != len(c.want) {
				t.Errorf("%s: %v (total %d), want %v", c.name, got, p.Total, c.want)
			}
		}

		var each, enabled []string
		err := st.EachUser(ctx, store.UserFilter{Status: store.UsersEnabled}, 2, func(users []model.User) error {
			each = append(each, usernames(users)...)
			return nil
		})
		for _, n := range usernames(all.Users) {
			if n != "dmitri" {
				enabled = append(enabled, n)
			}
		}
		if err != nil || !slices.Equal(each, enabled) {
			t.Fatalf("every enabled account, two at a time: %v, %v", each, err)
		}
	})
}

func TestDisablingEndsSessionsKeepsDataAndEnablingUndoesIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		u := createUser(t, st, "hana", "code-hash")
		for i := range 2 {
			if err := st.CreateSession(ctx, &model.Session{TokenHash: string(rune('a' + i)), UserID: u.ID, CreatedAt: st.Now(), LastSeenAt: st.Now(), ExpiresAt: st.Now().Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.DisableUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		got, err := st.UserByID(ctx, u.ID)
		if err != nil || !got.Disabled() || got.PasswordHash != u.PasswordHash {
			t.Fatalf("after disabling: %+v, %v", got, err)
		}
		if n := count(t, db, "sessions"); n != 0 {
			t.Fatalf("%d sessions left after disabling", n)
		}
		if n := count(t, db, "recovery_codes"); n != 1 {
			t.Fatalf("disabling removed data: %d recovery codes, want 1", n)
		}
		first := got.DisabledAt
		if err := st.DisableUser(ctx, u.ID); err != nil {
			t.Fatalf("disabling twice: %v", err)
		}
		if again, _ := st.UserByID(ctx, u.ID); !again.DisabledAt.Equal(first) {
			t.Fatalf("disabling twice moved the date from %v to %v", first, again.DisabledAt)
		}
		if err := st.EnableUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.UserByID(ctx, u.ID); got.Disabled() {
			t.Fatal("still disabled after enabling")
		}
		if err := st.DisableUser(ctx, u.ID+100); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("disabling nobody: %v, want ErrNotFound", err)
		}
		if err := st.EnableUser(ctx, u.ID+100); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("enabling nobody: %v, want ErrNotFound", err)
		}
	})
}

func TestTheLastEnabledAdministratorStays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		first := createUser(t, st, "first-admin")
		second := createUser(t, st, "second-admin")
		for _, u := range []*model.User{first, second} {
			if err := st.SetRole(ctx, u.ID, model.RoleAdmin); err != nil {
				t.Fatal(err)
			}
		}
		// Two administrators: one may be disabled. The other is then the last enabled one.
		if err := st.DisableUser(ctx, second.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := st.CountAdmins(ctx); err != nil || n != 1 {
			t.Fatalf("enabled administrators: %d, %v", n, err)
		}
		if err := st.DisableUser(ctx, first.ID); !errors.Is(err, store.ErrLastAdmin) {
			t.Fatalf("disabling the last enabled administrator: %v", err)
		}
		if err := st.SetRole(ctx, first.ID, model.RoleTrainer); !errors.Is(err, store.ErrLastAdmin) {
			t.Fatalf("demoting the last enabled administrator: %v", err)
		}
		if _, err := st.DeleteUser(ctx, first.ID); !errors.Is(err, store.ErrLastAdmin) {
			t.Fatalf("deleting the last enabled administrator: %v", err)
		}
		if got, _ := st.UserByID(ctx, first.ID); got.Role != model.RoleAdmin || got.Disabled() {
			t.Fatalf("a refused change changed the account: %+v", got)
		}
		// A disabled administrator may be demoted; re-enabled, the first may be again.
		if err := st.SetRole(ctx, second.ID, model.RoleLearner); err != nil {
			t.Fatalf("demoting a disabled administrator: %v", err)
		}
		if err := st.SetRole(ctx, second.ID, model.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		if err := st.EnableUser(ctx, second.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.SetRole(ctx, first.ID, model.RoleTrainer); err != nil {
			t.Fatalf("demoting one of two enabled administrators: %v", err)
		}
	})
}

func TestTheAccountListStopsCountingAtTheCap(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		now := st.Now().UTC()
		n := store.UserCountCap + 60
		users := make([]model.User, 0, 1000)
		for i := range n {
			name := fmt.Sprintf("many-%05d", i)
			users = append(users, model.User{Username: name, UsernameKey: name, UsernameSkeleton: name, NameKey: name,
				PasswordHash: "!", Role: model.RoleLearner, CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now})
			if len(users) == cap(users) || i == n-1 {
				if _, err := db.NewInsert().Model(&users).Exec(ctx); err != nil {
					t.Fatal(err)
				}
				users = users[:0]
			}
		}
		first, err := st.ListUsersPage(ctx, store.UserFilter{}, "", "", 50)
		if err != nil {
			t.Fatal(err)
		}
		if first.Total != store.UserCountCap || !first.TotalOver || first.Before != 0 || first.BeforeOver || first.Prev || !first.Next {
			t.Fatalf("first page: %+v", first)
		}
		last, err := st.ListUsersPage(ctx, store.UserFilter{}, "many-10009", "", 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(last.Users) != 50 || !last.BeforeOver || !last.Prev || last.Next || last.Users[0].Username != "many-10010" {
			t.Fatalf("last page: %d accounts from %s, before %d over %v, prev %v next %v", len(last.Users), last.Users[0].Username, last.Before, last.BeforeOver, last.Prev, last.Next)
		}
		// A filter that keeps fewer is counted exactly.
		some, err := st.ListUsersPage(ctx, store.UserFilter{Search: "many-0999"}, "", "", 50)
		if err != nil || some.Total != 10 || some.TotalOver {
			t.Fatalf("a search among them: %d over %v, %v", some.Total, some.TotalOver, err)
		}
	})
}
