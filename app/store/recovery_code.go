package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

func insertRecoveryCodes(ctx context.Context, tx bun.Tx, userID int64, hashes []string, now time.Time) error {
	if len(hashes) == 0 {
		return nil
	}
	codes := make([]model.RecoveryCode, len(hashes))
	for i, h := range hashes {
		codes[i] = model.RecoveryCode{UserID: userID, CodeHash: h, CreatedAt: now}
	}
	if _, err := tx.NewInsert().Model(&codes).Exec(ctx); err != nil {
		return fmt.Errorf("insert recovery codes: %w", err)
	}
	return nil
}

// ReplaceRecoveryCodes discards every old code of the user and stores the new ones.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes []string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*model.RecoveryCode)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
			return err
		}
		return insertRecoveryCodes(ctx, tx, userID, hashes, s.Now())
	})
}

// CountUnusedRecoveryCodes tells how many ways back in the user still holds.
func (s *Store) CountUnusedRecoveryCodes(ctx context.Context, userID int64) (int, error) {
	n, err := s.db.NewSelect().Model((*model.RecoveryCode)(nil)).
		Where("user_id = ?", userID).Where("used_at IS NULL").Count(ctx)
	return int(n), err
}

// UseRecoveryCode spends a code; it fails with ErrCodeInvalid when the code is unknown or
// already spent, and two simultaneous uses of one code cannot both succeed.
func (s *Store) UseRecoveryCode(ctx context.Context, userID int64, codeHash string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return useRecoveryCode(ctx, tx, userID, codeHash, s.Now())
	})
}

func useRecoveryCode(ctx context.Context, tx bun.Tx, userID int64, codeHash string, now time.Time) error {
	res, err := tx.NewUpdate().Model((*model.RecoveryCode)(nil)).
		Set("used_at = ?", now).
		Where("user_id = ?", userID).Where("code_hash = ?", codeHash).Where("used_at IS NULL").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("use recovery code: %w", err)
	}
	if !affectedOne(res) {
		return ErrCodeInvalid
	}
	return nil
}

// ResetPasswordWithRecoveryCode spends the code, sets the new password and ends every
// session, all in one transaction: a wrong code changes nothing.
func (s *Store) ResetPasswordWithRecoveryCode(ctx context.Context, userID int64, codeHash, newHash string) error {
	now := s.Now()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := useRecoveryCode(ctx, tx, userID, codeHash, now); err != nil {
			return err
		}
		return setPassword(ctx, tx, userID, newHash, 0, now)
	})
}

// recoveryCodeCounts tells how many of a user's recovery codes are unused and used (for the
// data export; the codes themselves are only hashes).
func recoveryCodeCounts(ctx context.Context, db bun.IDB, userID int64) (unused, used int, err error) {
	var codes []model.RecoveryCode
	if err := db.NewSelect().Model(&codes).Column("used_at").Where("user_id = ?", userID).Scan(ctx); err != nil {
		return 0, 0, err
	}
	for _, c := range codes {
		if c.UsedAt == nil {
			unused++
		} else {
			used++
		}
	}
	return unused, used, nil
}
