package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// NewToken returns a random 256-bit token for a cookie or a link, and the hash to store.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is how tokens are looked up: SHA-256 is enough for 256 random bits, and lets
// the lookup be an index hit rather than a slow hash per candidate.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// codeAlphabet leaves out letters and digits people confuse when copying by hand (0/o, 1/l/i).
const codeAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// RecoveryCodeCount is how many codes a learner receives at once.
const RecoveryCodeCount = 10

// NewCode returns a random code of n characters from codeAlphabet, grouped by four with
// dashes for reading aloud or writing down.
func NewCode(n int) string {
	var b strings.Builder
	buf := make([]byte, 1)
	for i := 0; i < n; {
		_, _ = rand.Read(buf)
		// Rejection sampling keeps every character equally likely.
		if int(buf[0]) >= 256-256%len(codeAlphabet) {
			continue
		}
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(codeAlphabet[int(buf[0])%len(codeAlphabet)])
		i++
	}
	return b.String()
}

// NormalizeCode makes a typed code comparable: case, spaces and dashes do not matter, and
// digits typed on a Persian or Arabic keyboard count as the digits 0–9 the code was shown in.
func NormalizeCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(code) {
		if r == '-' || r == ' ' || r == '\t' {
			continue
		}
		b.WriteRune(asciiDigit(r))
	}
	return b.String()
}

// asciiDigit is r as an ASCII digit if it is a Persian (U+06F0…) or Arabic-Indic (U+0660…)
// digit, which Persian and Arabic keyboards type; any other rune is returned as it is.
func asciiDigit(r rune) rune {
	switch {
	case r >= '\u06F0' && r <= '\u06F9':
		return '0' + (r - '\u06F0')
	case r >= '\u0660' && r <= '\u0669':
		return '0' + (r - '\u0660')
	}
	return r
}

// HashCode hashes a recovery or invite code after normalising it. Codes carry ~80 bits of
// randomness, so a fast hash is enough and they can be found by index.
func HashCode(code string) string { return HashToken(NormalizeCode(code)) }

// NewRecoveryCodes returns a fresh set of codes to show once, and their hashes to store.
func NewRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodeCount {
		c := NewCode(16)
		codes = append(codes, c)
		hashes = append(hashes, HashCode(c))
	}
	return codes, hashes
}
