package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/store"
)

// The administrators' account search and the cohort dashboard's learner search find an
// Arabic or Persian name however it was typed: with or without harakat and tatweel, with
// any alef, ة or ه, ى or ي, on an Arabic or a Persian keyboard, in either direction.
func TestNameSearchesFoldArabicScriptSpellings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		d := newDashboardCohort(t, db, "fatima", "ahmad", "karim", "plain")
		for user, shown := range map[string]string{
			"fatima": "فَاطِمَة",   // stored with harakat and taa marbuta
			"ahmad":  "احمد",       // stored without the hamza
			"karim":  "کریم رضایی", // stored with Persian kaf and yeh
		} {
			if err := d.st.UpdateProfile(ctx, d.learners[user].ID, shown, "ar"); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			name, query string
			want        []string
		}{
			{"typed without harakat, with haa", "فاطمه", []string{"fatima"}},
			{"typed with tatweel and other harakat", "فـاطِمةُ", []string{"fatima"}},
			{"typed with hamza on the alef", "أحمد", []string{"ahmad"}},
			{"typed with harakat where none are stored", "أَحْمَد", []string{"ahmad"}},
			{"typed on an Arabic keyboard", "كريم رضايي", []string{"karim"}},
			{"typed with alef maqsura", "رضاى", []string{"karim"}},
			{"a different name", "فاطن", nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				f := d.filter()
				f.Search = c.query
				lines, err := d.st.CohortLearners(ctx, f, 50, 0)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, l := range lines {
					got = append(got, l.Username)
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("cohort search %q: %v, want %v", c.query, got, c.want)
				}
				totals, err := d.st.CohortTotals(ctx, f)
				if err != nil || totals.Matching != len(c.want) {
					t.Errorf("cohort totals for %q: %+v %v, want %d matching", c.query, totals, err, len(c.want))
				}
				page, err := d.st.ListUsersPage(ctx, store.UserFilter{Search: c.query}, "", "", 50)
				if err != nil {
					t.Fatal(err)
				}
				if got := usernames(page.Users); !slices.Equal(got, c.want) {
					t.Errorf("account search %q: %v, want %v", c.query, got, c.want)
				}
			})
		}
	})
}
