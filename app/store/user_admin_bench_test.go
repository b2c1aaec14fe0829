package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// benchAccounts is how many accounts the account-list benchmark writes.
const benchAccounts = 100_000

// BenchmarkAccountList writes 100,000 accounts straight into the database (one in ten with
// an Arabic username, half with a display name, 1% trainers and 0.1% administrators, one
// in 200 disabled, last activity spread over the 400 days before today), then times one page of the administrators' account list (the page and its
// counts, store.ListUsersPage) at 100,000 accounts on SQLite and PostgreSQL: the first page
// and a deep one (seeking past nine tenths of the matches), without and with each filter. The
// numbers are in docs/BENCHMARKS.md.
func BenchmarkAccountList(b *testing.B) {
	for _, kind := range dbtest.Kinds {
		b.Run(kind, func(b *testing.B) {
			ctx := context.Background()
			db := dbtest.Open(b, kind)
			now := time.Now().UTC()
			today := model.ActiveDay(now)
			st := store.New(db, func() time.Time { return now })
			batch := make([]model.User, 0, 1000)
			for i := range benchAccounts {
				name := fmt.Sprintf("user-%06d", i)
				if i%10 == 3 {
					name = fmt.Sprintf("مستخدم-%06d", i)
				}
				u := model.User{Username: name, UsernameKey: auth.UsernameKey(name), UsernameSkeleton: auth.UsernameSkeleton(name),
					PasswordHash: "!", Role: model.RoleLearner, Locale: "en", CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now,
					ActiveOn: today.AddDate(0, 0, -(i*7919)%400)}
				if i%2 == 0 {
					u.DisplayName = fmt.Sprintf("Person %d", i)
				}
				u.NameKey = store.NameKey(u.Name())
				switch {
				case i%1000 == 7:
					u.Role = model.RoleAdmin
				case i%100 == 5:
					u.Role = model.RoleTrainer
				}
				if i%200 == 11 {
					u.DisabledAt = now
				}
				batch = append(batch, u)
				if len(batch) == cap(batch) {
					if _, err := db.NewInsert().Model(&batch).Exec(ctx); err != nil {
						b.Fatal(err)
					}
					batch = batch[:0]
				}
			}
			if database.IsPostgres(db) {
				// As autovacuum would within a minute of such a write. SQLite is left as
				// an instance runs it: Cairn never runs ANALYZE there.
				if _, err := db.ExecContext(ctx, "ANALYZE users"); err != nil {
					b.Fatal(err)
				}
			}
			filters := []struct {
				name string
				f    store.UserFilter
			}{
				{"all", store.UserFilter{}},
				{"search-common", store.UserFilter{Search: "user-09"}},   // 1 in 10 (in the username)
				{"search-rare", store.UserFilter{Search: "person 4242"}}, // a handful (display names)
				{"search-none", store.UserFilter{Search: "zzz"}},         // nobody: every account read
				{"role-trainer", store.UserFilter{Role: model.RoleTrainer}},
				{"role-admin", store.UserFilter{Role: model.RoleAdmin}},
				{"disabled", store.UserFilter{Status: store.UsersDisabled}},
				{"active7", store.UserFilter{ActiveSince: today.AddDate(0, 0, -6)}},
				{"inactive90", store.UserFilter{InactiveBefore: today.AddDate(0, 0, -90)}},
				{"inactive365-trainers", store.UserFilter{InactiveBefore: today.AddDate(0, 0, -365), Role: model.RoleTrainer}},
			}
			for _, fc := range filters {
				// The deep page starts past nine tenths of the filter's matches.
				var keys []string
				if err := st.EachUser(ctx, fc.f, 5000, func(users []model.User) error {
					for _, u := range users {
						keys = append(keys, u.UsernameKey)
					}
					return nil
				}); err != nil {
					b.Fatal(err)
				}
				deep := ""
				if len(keys) > 0 {
					deep = keys[len(keys)*9/10]
				}
				for _, at := range []struct{ name, after string }{{"first", ""}, {"deep", deep}} {
					if at.name == "deep" && len(keys) <= 50 {
						continue // one page: no deep page to read
					}
					b.Run(fc.name+"/"+at.name, func(b *testing.B) {
						var p store.UserPage
						for b.Loop() {
							var err error
							if p, err = st.ListUsersPage(ctx, fc.f, at.after, "", 50); err != nil {
								b.Fatal(err)
							}
						}
						b.ReportMetric(float64(len(keys)), "matching")
						b.ReportMetric(float64(p.Before+1), "from")
						b.ReportMetric(float64(len(p.Users)), "shown")
					})
				}
				// The page alone, without its counts: what a list that never counted would cost.
				b.Run(fc.name+"/first-without-count", func(b *testing.B) {
					stop := errors.New("one page")
					for b.Loop() {
						if err := st.EachUser(ctx, fc.f, 50, func([]model.User) error { return stop }); !errors.Is(err, stop) && err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
