package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/model"
)

// NewAccount is everything written when someone signs up, all or nothing.
type NewAccount struct {
	User           *model.User
	RecoveryHashes []string
	InviteCodeHash string // required when registration is invite-only
}

// CreateAccount inserts the user with their recovery codes, consuming an invite if given.
// Either everything is written or nothing is. The unique indexes on the username's key and
// skeleton decide between two people signing up with look-alike names at the same moment:
// one gets ErrUsernameTaken or ErrUsernameConfusable.
func (s *Store) CreateAccount(ctx context.Context, a NewAccount) error {
	now := s.Now()
	u := a.User
	if u.UsernameKey == "" || u.UsernameSkeleton == "" {
		return errors.New("create account: the username's key and skeleton are required")
	}
	u.CreatedAt, u.UpdatedAt, u.PasswordChangedAt = now, now, now
	u.ActiveOn = model.ActiveDay(now)
	u.NameKey = NameKey(u.Name())
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if a.InviteCodeHash != "" {
			res, err := tx.NewUpdate().Model((*model.Invite)(nil)).
				Set("uses = uses + 1").
				Where("code_hash = ?", a.InviteCodeHash).
				Where("revoked_at IS NULL").
				Where("uses < max_uses").
				Where("expires_at > ?", now).
				Exec(ctx)
			if err != nil {
				return fmt.Errorf("consume invite: %w", err)
			}
			if !affectedOne(res) {
				return ErrInviteInvalid
			}
		}
		if _, err := tx.NewInsert().Model(u).Exec(ctx); err != nil {
			if database.IsUniqueViolation(err) {
				return ErrUsernameTaken
			}
			return fmt.Errorf("insert user: %w", err)
		}
		return insertRecoveryCodes(ctx, tx, u.ID, a.RecoveryHashes, now)
	})
	if errors.Is(err, ErrUsernameTaken) {
		// Which index refused it is worded differently by each database; asking again, now
		// that the transaction is over, is simpler and tells the person what to change.
		if _, lookErr := s.UserByUsernameKey(ctx, u.UsernameKey); errors.Is(lookErr, ErrNotFound) {
			return ErrUsernameConfusable
		}
	}
	return err
}

// BackfillUsernameSkeletons computes the skeleton of every account that has none yet
// (accounts made before migration 0007, or after a Unicode upgrade cleared them), oldest
// first, so an older account keeps its claim to a look. It returns the ids of accounts left
// without one because an older account already has the same skeleton: an administrator
// should look at those pairs.
func (s *Store) BackfillUsernameSkeletons(ctx context.Context, skeletonOf func(username string) string) (clashes []int64, err error) {
	var users []model.User
	err = s.db.NewSelect().Model(&users).Column("id", "username").
		Where("username_skeleton IS NULL").Order("id ASC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list accounts without a skeleton: %w", err)
	}
	for _, u := range users {
		_, err := s.db.NewUpdate().Model((*model.User)(nil)).
			Set("username_skeleton = ?", skeletonOf(u.Username)).
			Where("id = ?", u.ID).Where("username_skeleton IS NULL").Exec(ctx)
		switch {
		case database.IsUniqueViolation(err):
			clashes = append(clashes, u.ID)
		case err != nil:
			return clashes, fmt.Errorf("set skeleton of account %d: %w", u.ID, err)
		}
	}
	return clashes, nil
}

// UserByID loads one user.
func (s *Store) UserByID(ctx context.Context, id int64) (*model.User, error) {
	u := new(model.User)
	err := s.db.NewSelect().Model(u).Where("id = ?", id).Scan(ctx)
	return u, notFound(err)
}

// UserByUsernameKey loads a user by the normalised username.
func (s *Store) UserByUsernameKey(ctx context.Context, key string) (*model.User, error) {
	u := new(model.User)
	err := s.db.NewSelect().Model(u).Where("username_key = ?", key).Scan(ctx)
	return u, notFound(err)
}

// CountUsers counts accounts (the first one created on the web becomes admin).
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	n, err := s.db.NewSelect().Model((*model.User)(nil)).Count(ctx)
	return int(n), err
}

// UpdateProfile changes what the user may change about themselves.
func (s *Store) UpdateProfile(ctx context.Context, userID int64, displayName, locale string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u := &model.User{DisplayName: displayName}
		if displayName == "" { // the username is shown instead: search by it
			if err := tx.NewSelect().Model((*model.User)(nil)).Column("username").Where("id = ?", userID).Scan(ctx, &u.Username); err != nil {
				return notFound(err)
			}
		}
		_, err := tx.NewUpdate().Model((*model.User)(nil)).
			Set("display_name = ?", displayName).Set("name_key = ?", NameKey(u.Name())).Set("locale = ?", locale).
			Set("updated_at = ?", s.Now()).
			Where("id = ?", userID).Exec(ctx)
		return err
	})
}

// SetPassword stores a new hash and ends every session of the user except keepSessionID
// (0 ends them all).
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string, keepSessionID int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return setPassword(ctx, tx, userID, hash, keepSessionID, s.Now())
	})
}

func setPassword(ctx context.Context, tx bun.Tx, userID int64, hash string, keepSessionID int64, now any) error {
	res, err := tx.NewUpdate().Model((*model.User)(nil)).
		Set("password_hash = ?", hash).
		Set("password_changed_at = ?", now).Set("updated_at = ?", now).
		Where("id = ?", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if !affectedOne(res) {
		return ErrNotFound
	}
	_, err = tx.NewDelete().Model((*model.Session)(nil)).
		Where("user_id = ?", userID).Where("id <> ?", keepSessionID).Exec(ctx)
	return err
}

// SetPendingTOTP remembers a secret shown during two-factor set-up, not yet confirmed.
func (s *Store) SetPendingTOTP(ctx context.Context, userID int64, secret string) error {
	_, err := s.db.NewUpdate().Model((*model.User)(nil)).
		Set("totp_pending_secret = ?", secret).Set("updated_at = ?", s.Now()).
		Where("id = ?", userID).Exec(ctx)
	return err
}

// EnableTOTP turns the confirmed pending secret into the active one.
func (s *Store) EnableTOTP(ctx context.Context, userID int64, step int64) error {
	_, err := s.db.NewUpdate().Model((*model.User)(nil)).
		Set("totp_secret = totp_pending_secret").Set("totp_pending_secret = ''").
		Set("totp_last_step = ?", step).Set("updated_at = ?", s.Now()).
		Where("id = ?", userID).Where("totp_pending_secret <> ''").Exec(ctx)
	return err
}

// DisableTOTP removes the second factor.
func (s *Store) DisableTOTP(ctx context.Context, userID int64) error {
	_, err := s.db.NewUpdate().Model((*model.User)(nil)).
		Set("totp_secret = ''").Set("totp_pending_secret = ''").Set("totp_last_step = 0").
		Set("updated_at = ?", s.Now()).
		Where("id = ?", userID).Exec(ctx)
	return err
}

// ClaimTOTPStep records that the code of time step `step` was used. It fails for a step at
// or before the last one used, so an intercepted code cannot be replayed.
func (s *Store) ClaimTOTPStep(ctx context.Context, userID int64, step int64) (bool, error) {
	res, err := s.db.NewUpdate().Model((*model.User)(nil)).
		Set("totp_last_step = ?", step).
		Where("id = ?", userID).Where("totp_last_step < ?", step).Exec(ctx)
	if err != nil {
		return false, err
	}
	return affectedOne(res), nil
}

// UpdatePasswordHash replaces the hash of an unchanged password (stronger parameters);
// unlike SetPassword it signs nobody out.
func (s *Store) UpdatePasswordHash(ctx context.Context, userID int64, hash string) error {
	_, err := s.db.NewUpdate().Model((*model.User)(nil)).
		Set("password_hash = ?", hash).Where("id = ?", userID).Exec(ctx)
	return err
}

// TOTPSecrets lists the accounts that have a two-factor secret, active or pending (id, username and
// the two secrets only).
func (s *Store) TOTPSecrets(ctx context.Context) ([]model.User, error) {
	var users []model.User
	err := s.db.NewSelect().Model(&users).Column("id", "username", "totp_secret", "totp_pending_secret").
		Where("totp_secret <> '' OR totp_pending_secret <> ''").Order("id").Scan(ctx)
	return users, err
}

// ReplaceTOTPSecrets stores an account's two-factor secrets in a new form (encrypted), if
// they are still the ones read; it reports whether they were.
func (s *Store) ReplaceTOTPSecrets(ctx context.Context, read model.User, secret, pending string) (bool, error) {
	res, err := s.db.NewUpdate().Model((*model.User)(nil)).
		Set("totp_secret = ?", secret).Set("totp_pending_secret = ?", pending).
		Where("id = ?", read.ID).Where("totp_secret = ?", read.TOTPSecret).Where("totp_pending_secret = ?", read.TOTPPendingSecret).
		Exec(ctx)
	if err != nil {
		return false, err
	}
	return affectedOne(res), nil
}

// MarkActive records that the user used their account on day (model.ActiveDay), once a day:
// the row is written only when it holds an earlier day, so the many requests of one day
// cost one write.
func (s *Store) MarkActive(ctx context.Context, userID int64, day time.Time) error {
	_, err := s.db.NewUpdate().Model((*model.User)(nil)).
		Set("active_on = ?", day).
		Where("id = ?", userID).
		WhereGroup(" AND ", func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Where("active_on IS NULL").WhereOr("active_on < ?", day)
		}).
		Exec(ctx)
	return err
}
