package auth_test

import (
	"context"
	"testing"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/config"
)

// BenchmarkHashDefaultCost measures one argon2id hash at the shipped defaults: the floor of
// every sign-up, sign-in and password change.
func BenchmarkHashDefaultCost(b *testing.B) {
	d := config.Defaults()
	h, err := auth.NewHasher(d.Argon2Memory, d.Argon2Time, d.Argon2Threads, d.HashConcurrency)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Hash(ctx, "a benchmark passphrase"); err != nil {
			b.Fatal(err)
		}
	}
}
