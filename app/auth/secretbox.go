package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
)

// sealedPrefix marks a value sealed by a SecretBox (version 1: AES-256-GCM).
const sealedPrefix = "v1:"

// ErrNoSecretKey means a sealed value was met without a key to open it.
var ErrNoSecretKey = errors.New("this value is encrypted with CAIRN_SECRET_KEY, which is not set")

// ErrWrongSecretKey means a sealed value does not open with the configured key.
var ErrWrongSecretKey = errors.New("this value does not decrypt with the configured CAIRN_SECRET_KEY (was the key changed?)")

// SecretBox encrypts small secrets (two-factor seeds) kept in the database, with a key kept
// outside it. A nil *SecretBox stores values as they are and opens only unsealed ones.
type SecretBox struct{ aead cipher.AEAD }

// NewSecretBox returns a box for a 32-byte key, or nil for no key.
func NewSecretBox(key []byte) (*SecretBox, error) {
	if len(key) == 0 {
		return nil, nil
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &SecretBox{aead: aead}, nil
}

// Seal encrypts value, bound to context (the owner's id, say) so a sealed value copied onto
// another row does not open. Without a key it returns value unchanged.
func (b *SecretBox) Seal(value, context string) (string, error) {
	if b == nil || value == "" || IsSealed(value) {
		return value, nil
	}
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := b.aead.Seal(nonce, nonce, []byte(value), []byte(context))
	return sealedPrefix + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open returns the plain value of a sealed one; an unsealed value (stored before a key was
// set) comes back as it is.
func (b *SecretBox) Open(stored, context string) (string, error) {
	if !IsSealed(stored) {
		return stored, nil
	}
	if b == nil {
		return "", ErrNoSecretKey
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(stored, sealedPrefix))
	if err != nil || len(raw) < b.aead.NonceSize() {
		return "", ErrWrongSecretKey
	}
	plain, err := b.aead.Open(nil, raw[:b.aead.NonceSize()], raw[b.aead.NonceSize():], []byte(context))
	if err != nil {
		return "", ErrWrongSecretKey
	}
	return string(plain), nil
}

// IsSealed tells whether a stored value was sealed by a SecretBox.
func IsSealed(stored string) bool { return strings.HasPrefix(stored, sealedPrefix) }
