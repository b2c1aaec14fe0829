package store_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/store"
)

func TestInstanceSecretIsCreatedOnceAndSharedByEveryInstance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		// Instances starting at once on one database must all end up with the same secret.
		const instances = 8
		got := make([][]byte, instances)
		errs := make([]error, instances)
		var wg sync.WaitGroup
		for i := range instances {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], errs[i] = store.New(db, nil).InstanceSecret(ctx)
			}()
		}
		wg.Wait()
		for i := range instances {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if len(got[i]) != 32 || bytes.Equal(got[i], make([]byte, 32)) {
				t.Fatalf("secret %d is not 32 random bytes: %x", i, got[i])
			}
			if !bytes.Equal(got[i], got[0]) {
				t.Fatalf("instances disagree on the secret: %x and %x", got[0], got[i])
			}
		}
		again, err := store.New(db, nil).InstanceSecret(ctx)
		if err != nil || !bytes.Equal(again, got[0]) {
			t.Fatalf("a restart changed the secret: %x, %v", again, err)
		}
		if n := count(t, db, "settings"); n != 1 {
			t.Fatalf("%d settings rows, want 1", n)
		}
	})
}
