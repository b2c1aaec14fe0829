package auth_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/auth"
)

func TestSecretBoxSealsOpensAndRefusesTheWrongKeyOrOwner(t *testing.T) {
	box, err := auth.NewSecretBox(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := box.Seal("JBSWY3DPEHPK3PXP", "user:1")
	if err != nil || !auth.IsSealed(sealed) || strings.Contains(sealed, "JBSWY3DPEHPK3PXP") {
		t.Fatalf("sealed %q, %v", sealed, err)
	}
	again, _ := box.Seal("JBSWY3DPEHPK3PXP", "user:1")
	if again == sealed {
		t.Fatal("two seals of one value are identical: the nonce is not random")
	}
	if plain, err := box.Open(sealed, "user:1"); err != nil || plain != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("open: %q, %v", plain, err)
	}
	if _, err := box.Open(sealed, "user:2"); !errors.Is(err, auth.ErrWrongSecretKey) {
		t.Fatalf("a secret copied to another account opened: %v", err)
	}
	other, _ := auth.NewSecretBox(bytes.Repeat([]byte{8}, 32))
	if _, err := other.Open(sealed, "user:1"); !errors.Is(err, auth.ErrWrongSecretKey) {
		t.Fatalf("opened with another key: %v", err)
	}
	var none *auth.SecretBox
	if _, err := none.Open(sealed, "user:1"); !errors.Is(err, auth.ErrNoSecretKey) {
		t.Fatalf("opened without a key: %v", err)
	}
	if plain, err := box.Open("LEGACYPLAINTEXT", "user:1"); err != nil || plain != "LEGACYPLAINTEXT" {
		t.Fatalf("a value stored before the key was set: %q, %v", plain, err)
	}
	if v, _ := none.Seal("PLAIN", "user:1"); v != "PLAIN" {
		t.Fatalf("without a key a value is stored as it is, got %q", v)
	}
}
