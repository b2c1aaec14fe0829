package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/signing"
)

// maxSignatureSize bounds the uploaded .minisig: a minisign signature is under 400 bytes
// with a Cairn manifest as its trusted comment.
const maxSignatureSize = 4 << 10

// uploadedSignature is the optional .minisig sent with a package on the admin courses page;
// nil when none was sent.
func uploadedSignature(c *fiber.Ctx) ([]byte, error) {
	fh, err := c.FormFile("signature")
	if err != nil || fh.Size == 0 {
		return nil, nil //nolint:nilerr // no signature file is an unsigned upload
	}
	if fh.Size > maxSignatureSize {
		return nil, errSignatureNotMinisign
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxSignatureSize))
}

var errSignatureNotMinisign = fmt.Errorf("%w: larger than a signature", signing.ErrBadSignature)

// verificationKeys are the keys a package's signature may be made with: this instance's own
// (when it has one) and its partners' keys trusted on /admin — the same set `cairn courses
// import` checks against.
func (s *Server) verificationKeys(ctx context.Context) ([]signing.PublicKey, error) {
	var keys []signing.PublicKey
	own, err := signing.LoadKey(s.cfg.DataDir)
	switch {
	case err == nil:
		keys = append(keys, own.Public)
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	trusted, err := s.store.TrustedKeys(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range trusted {
		k, err := signing.ParsePublicKey(t.Key)
		if err != nil {
			return nil, fmt.Errorf("trusted key %s: %w", t.ID, err)
		}
		keys = append(keys, signing.PublicKey{Label: t.Label, Key: k})
	}
	return keys, nil
}

// packageSignatureRefusal checks sig against package data holding c, and returns the
// localised reason to refuse it, or "" and who signed it when it is good.
func (s *Server) packageSignatureRefusal(c *fiber.Ctx, data, sig []byte, crs *course.Course) (refusal string, signer signing.PublicKey, err error) {
	loc := state(c).loc
	keys, err := s.verificationKeys(c.UserContext())
	if err != nil {
		return "", signer, err
	}
	v, m, err := signing.VerifyPackageOf(bytes.NewReader(data), sig, keys, crs.ID, crs.Version)
	ltr := func(s string) string { return "\u2066" + s + "\u2069" }
	switch {
	case err == nil:
		return "", v.Key, nil
	case errors.Is(err, signing.ErrUnknownKey):
		return loc.T("admin_courses_signature_untrusted"), signer, nil
	case errors.Is(err, signing.ErrOtherCourse):
		return loc.T("admin_courses_signature_other", "Course", ltr(m.Course), "Version", ltr(m.Version)), signer, nil
	case errors.Is(err, signing.ErrBadSignature), errors.Is(err, signing.ErrWrongKind):
		return loc.T("admin_courses_signature_bad"), signer, nil
	default:
		// A signature whose trusted comment is not a Cairn manifest: not a package signature.
		return loc.T("admin_courses_signature_bad"), signer, nil
	}
}
