package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// CreateSession stores a new session; the caller keeps the token, we keep its hash.
func (s *Store) CreateSession(ctx context.Context, sess *model.Session) error {
	_, err := s.db.NewInsert().Model(sess).Exec(ctx)
	return err
}

// RotateSession replaces the session oldID with sess in one step (sign-in with an existing
// session, second factor confirmed, privilege change), so a token seen before the change is
// worthless after it.
func (s *Store) RotateSession(ctx context.Context, oldID int64, sess *model.Session) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if oldID != 0 {
			if _, err := tx.NewDelete().Model((*model.Session)(nil)).Where("id = ?", oldID).Exec(ctx); err != nil {
				return fmt.Errorf("delete old session: %w", err)
			}
		}
		_, err := tx.NewInsert().Model(sess).Exec(ctx)
		return err
	})
}

// SessionByTokenHash loads a session and its user in one query.
func (s *Store) SessionByTokenHash(ctx context.Context, hash string) (*model.Session, error) {
	sess := new(model.Session)
	err := s.db.NewSelect().Model(sess).Relation("User").
		Where("session.token_hash = ?", hash).Scan(ctx)
	return sess, notFound(err)
}

// TouchSession records activity, for the idle timeout and the session list.
func (s *Store) TouchSession(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.NewUpdate().Model((*model.Session)(nil)).
		Set("last_seen_at = ?", at).Where("id = ?", id).Exec(ctx)
	return err
}

// ListUserSessions returns a user's sessions, most recently active first.
func (s *Store) ListUserSessions(ctx context.Context, userID int64) ([]model.Session, error) {
	var sessions []model.Session
	err := s.db.NewSelect().Model(&sessions).Where("user_id = ?", userID).
		Order("last_seen_at DESC", "id DESC").Scan(ctx)
	return sessions, err
}

// DeleteSession ends one session of a user; ending someone else's is not possible.
func (s *Store) DeleteSession(ctx context.Context, userID, sessionID int64) error {
	res, err := s.db.NewDelete().Model((*model.Session)(nil)).
		Where("id = ?", sessionID).Where("user_id = ?", userID).Exec(ctx)
	if err != nil {
		return err
	}
	if !affectedOne(res) {
		return ErrNotFound
	}
	return nil
}

// DeleteSessionByTokenHash ends the session whose cookie token hashes to hash, if any.
func (s *Store) DeleteSessionByTokenHash(ctx context.Context, hash string) error {
	_, err := s.db.NewDelete().Model((*model.Session)(nil)).Where("token_hash = ?", hash).Exec(ctx)
	return err
}

// DeleteSessionByID ends a session found expired or signed out.
func (s *Store) DeleteSessionByID(ctx context.Context, id int64) error {
	_, err := s.db.NewDelete().Model((*model.Session)(nil)).Where("id = ?", id).Exec(ctx)
	return err
}

// DeleteUserSessions ends every session of a user except keepID (0 ends them all).
func (s *Store) DeleteUserSessions(ctx context.Context, userID, keepID int64) (int, error) {
	res, err := s.db.NewDelete().Model((*model.Session)(nil)).
		Where("user_id = ?", userID).Where("id <> ?", keepID).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// DeleteExpiredSessions removes sessions past their absolute expiry or idle for too long.
func (s *Store) DeleteExpiredSessions(ctx context.Context, idle time.Duration) (int, error) {
	now := s.Now()
	res, err := s.db.NewDelete().Model((*model.Session)(nil)).
		WhereOr("expires_at <= ?", now).WhereOr("last_seen_at <= ?", now.Add(-idle)).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// sessionsOf lists a user's signed-in browsers for the data export, oldest first.
func sessionsOf(ctx context.Context, db bun.IDB, userID int64) ([]SignInSessionData, error) {
	var out []SignInSessionData
	err := db.NewSelect().Model((*model.Session)(nil)).Column("created_at", "last_seen_at", "expires_at").
		Where("user_id = ?", userID).Order("created_at", "id").Scan(ctx, &out)
	return out, err
}
