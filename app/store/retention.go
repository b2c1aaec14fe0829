package store

// Queries of the retention purge (app/retention): each kind of old record is counted and
// deleted with the same condition, so a dry run counts what a real run deletes.

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// CountExpiredSessions counts what DeleteExpiredSessions would delete now.
func (s *Store) CountExpiredSessions(ctx context.Context, idle time.Duration) (int, error) {
	now := s.Now()
	n, err := s.db.NewSelect().Model((*model.Session)(nil)).
		WhereOr("expires_at <= ?", now).WhereOr("last_seen_at <= ?", now.Add(-idle)).Count(ctx)
	return int(n), err
}

// CountOldAttendance counts what DeleteOldAttendance would delete now.
func (s *Store) CountOldAttendance(ctx context.Context, olderThan time.Duration) (int, error) {
	n, err := s.db.NewSelect().Model((*model.LiveAttendance)(nil)).Where("joined_at < ?", s.Now().Add(-olderThan)).Count(ctx)
	return int(n), err
}

// InactiveAccounts lists the accounts last used before the day cutoff (model.ActiveDay),
// oldest use first, administrators excepted: an instance must never purge the people who
// administer it. An account without a day of use (a row older than migration 0017) counts
// from its creation.
func (s *Store) InactiveAccounts(ctx context.Context, cutoff time.Time) ([]model.User, error) {
	var out []model.User
	err := s.db.NewSelect().Model(&out).Column("id", "username", "role", "active_on", "created_at").
		Where("role <> ?", model.RoleAdmin).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("active_on < ?", cutoff).WhereOr("active_on IS NULL AND created_at < ?", cutoff)
		}).
		Order("active_on", "id").Scan(ctx)
	return out, err
}

// ClaimDay records that the daily job key runs for day ("2006-01-02") and reports whether
// this caller won it: of several instances on one database, exactly one gets true for a
// given day. The row is created empty once, then moved forward by a conditional update,
// which both databases apply atomically; no lock is held while the job runs.
func (s *Store) ClaimDay(ctx context.Context, key, day string) (bool, error) {
	if _, err := s.db.NewInsert().Model(&model.Setting{Key: key, Value: "", UpdatedAt: s.Now()}).
		On("CONFLICT (key) DO NOTHING").Exec(ctx); err != nil {
		return false, err
	}
	res, err := s.db.NewUpdate().Model((*model.Setting)(nil)).Set("value = ?", day).Set("updated_at = ?", s.Now()).
		Where("key = ?", key).Where("value < ?", day).Exec(ctx)
	if err != nil {
		return false, err
	}
	return affectedOne(res), nil
}
