package auth

import (
	"bytes"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

const totpPeriod = 30

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPSecret returns a fresh base32 secret for an authenticator app.
func NewTOTPSecret(issuer, account string) (string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account})
	if err != nil {
		return "", fmt.Errorf("generate TOTP secret: %w", err)
	}
	return key.Secret(), nil
}

func totpKey(secret, issuer, account string) (*otp.Key, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(secret))
	if err != nil {
		return nil, fmt.Errorf("decode TOTP secret: %w", err)
	}
	return totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Secret: raw})
}

// TOTPQRCode renders the otpauth:// URL of secret as a PNG, drawn here so that no outside
// service ever sees the secret, and as PNG because Tor Browser's Safest level blocks SVG.
func TOTPQRCode(secret, issuer, account string, size int) ([]byte, error) {
	key, err := totpKey(secret, issuer, account)
	if err != nil {
		return nil, err
	}
	img, err := key.Image(size, size)
	if err != nil {
		return nil, fmt.Errorf("draw QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// FormatSecret groups a secret by four characters for typing it in by hand.
func FormatSecret(secret string) string {
	var parts []string
	for len(secret) > 4 {
		parts = append(parts, secret[:4])
		secret = secret[4:]
	}
	return strings.Join(append(parts, secret), " ")
}

// MatchTOTP checks code against secret at time now, allowing one step of clock drift either
// way, and returns the time step it matched so the caller can refuse its reuse. Digits typed
// on a Persian or Arabic keyboard (۱۲۳, ١٢٣) count as the digits they are.
func MatchTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.Map(func(r rune) rune {
		r = asciiDigit(r)
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, code)
	if len(code) != 6 {
		return 0, false
	}
	for _, skew := range []int64{0, -1, 1} {
		at := now.Add(time.Duration(skew*totpPeriod) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, at, totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return at.Unix() / totpPeriod, true
		}
	}
	return 0, false
}

// TOTPCode returns the code for secret at time t (tests and the CLI use it).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOpts)
}
