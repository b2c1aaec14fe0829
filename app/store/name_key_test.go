package store_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/store"
)

func TestNameKeysFoldCaseAndAccentsAndAreBackfilled(t *testing.T) {
	for in, want := range map[string]string{"Émile": "emile", "DOLORES": "dolores", "  Ｊｏｓé ": "jose", "مُحَمَّد": "محمد", "عـــلي": "علي"} {
		if got := store.NameKey(in); got != want {
			t.Errorf("NameKey(%q) = %q, want %q", in, got, want)
		}
	}
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		u := createUser(t, st, "Backfilled")
		if _, err := db.NewUpdate().Table("users").Set("name_key = NULL").Where("id = ?", u.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		n, err := st.BackfillNameKeys(ctx)
		if err != nil || n != 1 {
			t.Fatalf("backfilled %d, %v", n, err)
		}
		got, err := st.UserByID(ctx, u.ID)
		if err != nil || got.NameKey != "backfilled" {
			t.Fatalf("name key %q, %v", got.NameKey, err)
		}
	})
}
