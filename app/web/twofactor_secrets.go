package web

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// totpContext binds a sealed two-factor secret to its account.
func totpContext(userID int64) string { return "totp:" + strconv.FormatInt(userID, 10) }

// totpSecret returns the account's active (or, with pending, its not yet confirmed)
// two-factor secret in clear.
func (s *Server) totpSecret(u *model.User, pending bool) (string, error) {
	stored := u.TOTPSecret
	if pending {
		stored = u.TOTPPendingSecret
	}
	return s.secrets.Open(stored, totpContext(u.ID))
}

// prepareTOTPSecrets runs at start. With CAIRN_SECRET_KEY set it encrypts the two-factor
// secrets still stored in clear (from before the key was set) and checks that the key opens
// the encrypted ones; without it, it refuses to start if any secret is encrypted, since
// those accounts could no longer sign in.
func prepareTOTPSecrets(ctx context.Context, st *store.Store, box *auth.SecretBox) (sealed int, err error) {
	users, err := st.TOTPSecrets(ctx)
	if err != nil {
		return 0, err
	}
	for _, u := range users {
		next := [2]string{u.TOTPSecret, u.TOTPPendingSecret}
		for i, v := range next {
			if auth.IsSealed(v) {
				if _, err := box.Open(v, totpContext(u.ID)); err != nil {
					if errors.Is(err, auth.ErrNoSecretKey) {
						return sealed, fmt.Errorf("two-factor secrets are encrypted in this database: set CAIRN_SECRET_KEY (or CAIRN_SECRET_KEY_FILE) to the key they were encrypted with")
					}
					return sealed, fmt.Errorf("account %d: %w", u.ID, err)
				}
				continue
			}
			if next[i], err = box.Seal(v, totpContext(u.ID)); err != nil {
				return sealed, err
			}
		}
		if next[0] == u.TOTPSecret && next[1] == u.TOTPPendingSecret {
			continue
		}
		// Another instance may be doing the same; whoever is first wins, the other skips.
		ok, err := st.ReplaceTOTPSecrets(ctx, u, next[0], next[1])
		if err != nil {
			return sealed, err
		}
		if ok {
			sealed++
		}
	}
	return sealed, nil
}
