package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// CreatePasswordReset stores an admin-issued one-time reset link (by hash), replacing any
// earlier unused link for the same user.
func (s *Store) CreatePasswordReset(ctx context.Context, userID int64, tokenHash string, ttl time.Duration) error {
	now := s.Now()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*model.PasswordReset)(nil)).
			Where("user_id = ?", userID).Where("used_at IS NULL").Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(&model.PasswordReset{
			TokenHash: tokenHash, UserID: userID, CreatedAt: now, ExpiresAt: now.Add(ttl),
		}).Exec(ctx)
		return err
	})
}

// PasswordResetUser returns the user a valid, unused reset link belongs to.
func (s *Store) PasswordResetUser(ctx context.Context, tokenHash string) (*model.User, error) {
	r := new(model.PasswordReset)
	err := s.db.NewSelect().Model(r).
		Where("token_hash = ?", tokenHash).Where("used_at IS NULL").Where("expires_at > ?", s.Now()).
		Scan(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	return s.UserByID(ctx, r.UserID)
}

// ResetPasswordWithToken spends the link, sets the password and ends every session.
func (s *Store) ResetPasswordWithToken(ctx context.Context, tokenHash, newHash string) (int64, error) {
	now := s.Now()
	var userID int64
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		r := new(model.PasswordReset)
		err := tx.NewSelect().Model(r).
			Where("token_hash = ?", tokenHash).Where("used_at IS NULL").Where("expires_at > ?", now).
			Scan(ctx)
		if err != nil {
			if notFound(err) == ErrNotFound {
				return ErrCodeInvalid
			}
			return err
		}
		res, err := tx.NewUpdate().Model((*model.PasswordReset)(nil)).Set("used_at = ?", now).
			Where("id = ?", r.ID).Where("used_at IS NULL").Exec(ctx)
		if err != nil {
			return err
		}
		if !affectedOne(res) {
			return ErrCodeInvalid
		}
		userID = r.UserID
		return setPassword(ctx, tx, r.UserID, newHash, 0, now)
	})
	return userID, err
}

// passwordResetsOf lists the reset links made for a user, for the data export.
func passwordResetsOf(ctx context.Context, db bun.IDB, userID int64) ([]PasswordResetData, error) {
	var out []PasswordResetData
	err := db.NewSelect().Model((*model.PasswordReset)(nil)).Column("created_at", "expires_at", "used_at").
		Where("user_id = ?", userID).Order("id").Scan(ctx, &out)
	return out, err
}
