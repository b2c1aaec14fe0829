package auth

import (
	"crypto/hmac"
	"crypto/sha256"
)

// DeriveKey returns a key for one purpose ("csrf", say) from a master secret, so one secret
// can serve several uses without a key for one use telling anything about another's.
func DeriveKey(master []byte, purpose string) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte("cairn key for " + purpose))
	return m.Sum(nil)
}
