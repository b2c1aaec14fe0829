// Package auth holds the rules of accounts: usernames, passwords, tokens, recovery codes
// and second factors. It knows nothing of HTTP or storage.
package auth

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"

	"github.com/alexedwards/argon2id"
)

// Hasher hashes and checks passwords with argon2id, running at most a fixed number of
// hashes at once: each takes Memory KiB, so a burst of sign-ins cannot exhaust the machine.
type Hasher struct {
	params    *argon2id.Params
	slots     chan struct{}
	dummyOnce sync.Once
	dummy     string // hash of random bytes, checked when the account does not exist

	// OnHash, when set, is called after each hash computed or checked (a metric of the
	// load, and a way for tests to see that both paths of a form do the same work).
	OnHash func()
}

// NewHasher returns a hasher with the given cost, allowing concurrency hashes at once.
func NewHasher(memoryKiB, iterations uint32, threads uint8, concurrency int) (*Hasher, error) {
	if concurrency < 1 {
		concurrency = 1
	}
	if memoryKiB < 8*uint32(threads) || iterations < 1 || threads < 1 {
		return nil, fmt.Errorf("argon2id: memory must be at least 8 KiB per thread, and time and threads at least 1")
	}
	h := &Hasher{
		params: &argon2id.Params{Memory: memoryKiB, Iterations: iterations, Parallelism: threads, SaltLength: 16, KeyLength: 32},
		slots:  make(chan struct{}, concurrency),
	}
	return h, nil
}

// dummyHash is made on first need rather than at start-up: it costs a full hash (64 MiB by
// default), which would slow every start and sit in memory on an instance nobody uses.
func (h *Hasher) dummyHash() string {
	h.dummyOnce.Do(func() {
		random := make([]byte, 32)
		_, _ = rand.Read(random)
		h.dummy, _ = argon2id.CreateHash(string(random), h.params)
	})
	return h.dummy
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting to hash a password: %w", ctx.Err())
	}
}

func (h *Hasher) release() {
	<-h.slots
	if h.OnHash != nil {
		h.OnHash()
	}
}

// Hash returns the encoded argon2id hash of password (parameters and salt included).
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	return argon2id.CreateHash(password, h.params)
}

// Verify tells whether password matches encoded, and whether the hash should be replaced
// because the configured cost changed since it was made. An empty encoded hash (unknown
// user) is checked against a dummy so both cases take the same time.
func (h *Hasher) Verify(ctx context.Context, password, encoded string) (ok, rehash bool, err error) {
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	defer h.release()
	if encoded == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, h.dummyHash())
		return false, false, nil
	}
	ok, params, err := argon2id.CheckHash(password, encoded)
	if err != nil {
		return false, false, fmt.Errorf("check password hash: %w", err)
	}
	rehash = ok && (params.Memory != h.params.Memory || params.Iterations != h.params.Iterations || params.Parallelism != h.params.Parallelism)
	return ok, rehash, nil
}
