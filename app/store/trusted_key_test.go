package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/store"
)

func TestTrustedKeysAreAddedOnceListedAndRemoved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		// Another setting whose name looks like the prefix to LIKE ('_' is a wildcard).
		if err := st.SetSetting(ctx, "trustedXkey:zz", "not a key"); err != nil {
			t.Fatal(err)
		}
		a := store.TrustedKey{ID: "B0A1", Label: "Partner in Beirut", Key: "RWSxxx"}
		b := store.TrustedKey{ID: "A0F3", Label: "شريك", Key: "RWSyyy"}
		for _, k := range []store.TrustedKey{a, b} {
			if err := st.AddTrustedKey(ctx, k); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.AddTrustedKey(ctx, store.TrustedKey{ID: "B0A1", Label: "again", Key: "RWSzzz"}); !errors.Is(err, store.ErrTrustedKeyExists) {
			t.Fatalf("the same key id twice: %v, want ErrTrustedKeyExists", err)
		}
		keys, err := st.TrustedKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) != 2 || keys[0].ID != "A0F3" || keys[0].Label != "شريك" || keys[1].Key != "RWSxxx" || keys[1].AddedAt.IsZero() {
			t.Fatalf("trusted keys %+v", keys)
		}
		if err := st.RemoveTrustedKey(ctx, "A0F3"); err != nil {
			t.Fatal(err)
		}
		if err := st.RemoveTrustedKey(ctx, "A0F3"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("removing twice: %v, want ErrNotFound", err)
		}
		if keys, _ := st.TrustedKeys(ctx); len(keys) != 1 || keys[0].ID != "B0A1" {
			t.Fatalf("after removal: %+v", keys)
		}
	})
}
