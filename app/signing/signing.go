// Package signing signs files with the instance's minisign key and verifies files signed by
// this instance or by the partner instances its admins trust: offline course bundles, and the
// course packages instances exchange. Signatures are minisign's standard format, so anyone can
// check a file with the minisign command (minisign -Vm FILE -p KEY.pub) without Cairn.
package signing

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"aead.dev/minisign"
)

// Errors of verification, to tell a damaged or forged file from one signed by a stranger.
var (
	// ErrUnknownKey: the signature was made by a key that is neither this instance's nor trusted.
	ErrUnknownKey = errors.New("signed by a key that is not trusted")
	// ErrBadSignature: the file or its trusted comment changed after signing, or the
	// signature is not one.
	ErrBadSignature = errors.New("the signature does not match the file")
)

// PublicKey is a minisign public key with the name people know it by.
type PublicKey struct {
	Label string
	Key   minisign.PublicKey
}

// ID is the key id in the form minisign prints it (upper-case hexadecimal).
func (k PublicKey) ID() string { return KeyID(k.Key.ID()) }

// String is the key's one-line base64 form, what minisign -P takes.
func (k PublicKey) String() string { return k.Key.String() }

// File is the key in minisign's public key file format.
func (k PublicKey) File() []byte {
	b, _ := k.Key.MarshalText() // never fails
	return append(b, '\n')
}

// KeyID formats a key id as minisign does.
func KeyID(id uint64) string { return strings.ToUpper(strconv.FormatUint(id, 16)) }

// ParsePublicKey reads a public key as minisign writes it: the base64 line alone, or the
// two lines of a .pub file (an "untrusted comment:" line, then the key).
func ParsePublicKey(text string) (minisign.PublicKey, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	var k minisign.PublicKey
	if text == "" {
		return k, errors.New("no public key given")
	}
	lines := strings.Split(text, "\n")
	if len(lines) > 2 || (len(lines) == 2 && !strings.HasPrefix(lines[0], "untrusted comment:")) {
		return k, errors.New("a minisign public key is one base64 line, or a .pub file of two lines")
	}
	if err := k.UnmarshalText([]byte(strings.TrimSpace(lines[len(lines)-1]))); err != nil {
		return k, fmt.Errorf("not a minisign public key: %w", err)
	}
	return k, nil
}

// Sign signs everything read from r with key: minisign's pre-hashed signature (the
// algorithm minisign itself uses by default), whose trusted comment is signed too.
func Sign(key *Key, r io.Reader, trustedComment string) ([]byte, error) {
	if strings.ContainsAny(trustedComment, "\r\n") {
		return nil, errors.New("a trusted comment is one line")
	}
	mr := minisign.NewReader(r)
	if _, err := io.Copy(io.Discard, mr); err != nil {
		return nil, err
	}
	untrusted := "signature from Cairn instance key " + key.Public.ID()
	return mr.SignWithComments(key.private, trustedComment, untrusted), nil
}

// Verified is what a good signature tells: which key made it, and its signed comment.
type Verified struct {
	Key            PublicKey
	TrustedComment string
}

// Verify checks that sig is a signature of everything read from r by one of keys.
// It returns ErrUnknownKey (wrapped, naming the key id) when none of keys made it and
// ErrBadSignature when the file or the trusted comment was changed.
func Verify(r io.Reader, sig []byte, keys []PublicKey) (Verified, error) {
	var s minisign.Signature
	if err := s.UnmarshalText(bytes.TrimSpace(sig)); err != nil {
		return Verified{}, fmt.Errorf("%w: not a minisign signature (%v)", ErrBadSignature, err)
	}
	var signer *PublicKey
	for i := range keys {
		if keys[i].Key.ID() == s.KeyID {
			signer = &keys[i]
			break
		}
	}
	if signer == nil {
		return Verified{}, fmt.Errorf("%w: key id %s", ErrUnknownKey, KeyID(s.KeyID))
	}
	mr := minisign.NewReader(r)
	if _, err := io.Copy(io.Discard, mr); err != nil {
		return Verified{}, err
	}
	if !mr.Verify(signer.Key, sig) {
		return Verified{}, fmt.Errorf("%w (key %s)", ErrBadSignature, signer.ID())
	}
	return Verified{Key: *signer, TrustedComment: s.TrustedComment}, nil
}
