package auth

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestHasherWaitsForAFreeSlotAndGivesUpWithTheRequest(t *testing.T) {
	h, err := NewHasher(1024, 1, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Occupy both slots, as two hashes in flight would.
	h.slots <- struct{}{}
	h.slots <- struct{}{}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(ctx, "a third concurrent hash"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Hash with all slots busy: %v, want deadline exceeded", err)
	}
	if _, _, err := h.Verify(ctx, "x", "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Verify with all slots busy: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := h.Hash(context.Background(), "waits for a slot")
		done <- err
	}()
	h.release()
	if err := <-done; err != nil {
		t.Fatalf("Hash after a slot freed: %v", err)
	}
	if len(h.slots) != 1 {
		t.Fatalf("slots in use after the waiting hash finished: %d, want 1", len(h.slots))
	}
}
