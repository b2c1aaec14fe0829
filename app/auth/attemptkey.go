package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// AttemptKeys issues and checks quiz attempt keys. A key is a random nonce and a MAC over
// (person, course, quiz, nonce): the server alone can make one, and it is good only for the
// person and quiz it was issued for. The nonce fixes the attempt's order, and a key is
// recorded once, so a reload or a second click counts one attempt.
type AttemptKeys struct{ secret []byte }

// MaxAttemptKeyLen bounds what a submitted key may be, before any work is done on it.
const MaxAttemptKeyLen = 64

// NewAttemptKeys returns keys signed with secret (at least 32 bytes), a key derived for this
// purpose alone (DeriveKey), never CAIRN_SECRET_KEY itself.
func NewAttemptKeys(secret []byte) (*AttemptKeys, error) {
	if len(secret) < 32 {
		return nil, errors.New("attempt key secret shorter than 32 bytes")
	}
	return &AttemptKeys{secret: secret}, nil
}

// AttemptKeysFrom returns keys signed with the key derived for them from the instance's
// master secret (CAIRN_SECRET_KEY, or the instance secret in the database).
func AttemptKeysFrom(master []byte) (*AttemptKeys, error) {
	return NewAttemptKeys(DeriveKey(master, "quiz attempt keys"))
}

// Issue returns a fresh key for userID's attempt at the quiz of module in course.
func (k *AttemptKeys) Issue(userID int64, course, module string) string {
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)
	n := base64.RawURLEncoding.EncodeToString(nonce)
	return n + "." + k.mac(userID, course, module, n)
}

// Valid tells whether key was issued by this instance (or one sharing its secret) for
// userID's attempt at this quiz.
func (k *AttemptKeys) Valid(key string, userID int64, course, module string) bool {
	if len(key) > MaxAttemptKeyLen {
		return false
	}
	nonce, mac, ok := strings.Cut(key, ".")
	if !ok || len(nonce) != 22 {
		return false
	}
	if _, err := base64.RawURLEncoding.DecodeString(nonce); err != nil {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(k.mac(userID, course, module, nonce)))
}

func (k *AttemptKeys) mac(userID int64, course, module, nonce string) string {
	h := hmac.New(sha256.New, k.secret)
	// Course and module ids are slugs: a NUL cannot occur in them, so the fields cannot run
	// into each other.
	for _, f := range []string{"quiz-attempt", strconv.FormatInt(userID, 10), course, module, nonce} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	// 128 bits are plenty against guessing online, and keep the key within the stored 64.
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}
