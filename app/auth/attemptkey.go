package auth

import (
	"crypto/hkdf"
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

// attemptKeyInfo separates this use of CAIRN_SECRET_KEY from its others.
const attemptKeyInfo = "cairn quiz attempt keys v1"

// MaxAttemptKeyLen bounds what a submitted key may be, before any work is done on it.
const MaxAttemptKeyLen = 64

// NewAttemptKeys returns keys signed with secret (at least 32 bytes). A configured
// CAIRN_SECRET_KEY goes through HKDF first (see AttemptSecretFromKey).
func NewAttemptKeys(secret []byte) (*AttemptKeys, error) {
	if len(secret) < 32 {
		return nil, errors.New("attempt key secret shorter than 32 bytes")
	}
	return &AttemptKeys{secret: secret}, nil
}

// AttemptSecretFromKey derives the attempt-key secret from CAIRN_SECRET_KEY, so that a MAC
// key never doubles as the key that encrypts two-factor secrets.
func AttemptSecretFromKey(key []byte) ([]byte, error) {
	return hkdf.Key(sha256.New, key, nil, attemptKeyInfo, 32)
}

// NewAttemptSecret returns 32 random bytes, base64, for an instance without CAIRN_SECRET_KEY.
func NewAttemptSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
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
