package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/store"
)

var errCSRF = fiber.NewError(fiber.StatusForbidden, "error_csrf")

// masterSecret is what the keys for CSRF tokens and quiz attempt keys are derived from
// (auth.DeriveKey, one key per purpose). It is CAIRN_SECRET_KEY when the operator set one
// (then a copy of the database alone cannot forge either), else the instance secret in the
// database; either way every instance behind a load balancer derives the same keys, so a
// form shown by one is accepted by another.
func masterSecret(ctx context.Context, st *store.Store, secretKey []byte) ([]byte, error) {
	if len(secretKey) > 0 {
		return secretKey, nil
	}
	return st.InstanceSecret(ctx)
}

func (s *Server) signCSRF(binding string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte(binding))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// bindCSRF sets the token forms on this page carry. With a session (signed in, or waiting
// for the second factor) it is a MAC of the session's token hash: a token seen by anyone
// else, or kept from before sign-in, is worthless once the session changes, and sign-in
// always makes a new session. Before sign-in it is a MAC of a random pre-session cookie,
// so the sign-in and sign-up forms are protected too.
func (s *Server) bindCSRF(c *fiber.Ctx) {
	st := state(c)
	if st.session != nil {
		st.csrf = s.signCSRF("session:" + st.session.TokenHash)
		return
	}
	anon := s.cookie(c, csrfName)
	if len(anon) != 43 {
		anon, _ = auth.NewToken()
		s.setCookie(c, csrfName, anon, 0)
	}
	st.csrf = s.signCSRF("anon:" + anon)
}

// csrf requires the token of this browser's session in every state-changing form. Browsers
// that say where a request comes from (Sec-Fetch-Site) must say it is this origin: a page
// on a sibling subdomain ("same-site") is no more trusted than another site.
func (s *Server) csrf(c *fiber.Ctx) error {
	s.bindCSRF(c)
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	switch c.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return errCSRF
	}
	sent := formToken(c)
	if sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(state(c).csrf)) != 1 {
		return errCSRF
	}
	return c.Next()
}

// formToken reads the token from the request body only. fiber's FormValue also reads the
// query string, which ends up in logs, history and Referer headers of other tools.
func formToken(c *fiber.Ctx) string {
	if strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEMultipartForm) {
		form, err := c.MultipartForm()
		if err != nil || len(form.Value[csrfField]) == 0 {
			return ""
		}
		return form.Value[csrfField][0]
	}
	return string(c.Request().PostArgs().Peek(csrfField))
}
