package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/model"
)

// Administration of accounts: the list an administrator searches and filters (a page at a
// time, in username order, at any size), disabling and re-enabling, and the rule that
// someone must always be left to administer the instance.

// Account states a list can be narrowed to.
const (
	UsersEnabled  = "enabled"
	UsersDisabled = "disabled"
)

// UserFilter says which accounts an administrator's list keeps; the zero filter keeps all.
type UserFilter struct {
	// Search keeps accounts whose username or shown name contains it, compared in the forms
	// they are stored for that (auth.UsernameKey, NameKey): any case, any Unicode
	// normalisation, and for the shown name with or without accents.
	Search string
	Role   string // one of the model roles, or "" for any
	Status string // UsersEnabled, UsersDisabled or "" for both
	// ActiveSince keeps accounts used on that UTC day or later; InactiveBefore keeps those
	// last used before that day. Zero means no such condition.
	ActiveSince, InactiveBefore time.Time
}

// UserCountCap bounds the counts of a page of the account list: counting every match of a
// filter at 100,000 accounts costs up to a second on SQLite (docs/BENCHMARKS.md), while
// counting up to 10,000 reads a bounded part of an index. Past it the list says "more than".
const UserCountCap = 10_000

// UserPage is one page of an administrator's list.
type UserPage struct {
	Users []model.User
	// Total counts the accounts the filter keeps, up to UserCountCap; TotalOver says there
	// are more than that.
	Total     int
	TotalOver bool
	// Before counts the kept accounts ahead of the first one shown (so the page is
	// Before+1 … Before+len(Users)), up to UserCountCap; BeforeOver says there are more.
	Before     int
	BeforeOver bool
	// Prev and Next tell whether kept accounts come before or after the page.
	Prev, Next bool
}

// ListUsersPage reads up to limit accounts the filter keeps, in username order: those after
// the username key `after`, or (with before set) the last ones before the key `before`. It
// seeks in an index rather than skipping rows, so a deep page costs what the first does,
// and its counts stop at UserCountCap.
func (s *Store) ListUsersPage(ctx context.Context, f UserFilter, after, before string, limit int) (UserPage, error) {
	var p UserPage
	var err error
	if before != "" {
		p.Users, err = s.usersInOrder(ctx, f, "<", before, true, limit+1)
	} else {
		p.Users, err = s.usersInOrder(ctx, f, ">", after, false, limit+1)
	}
	if err != nil {
		return p, err
	}
	// One more than the page tells whether the list goes on that way.
	more := len(p.Users) > limit
	if more {
		p.Users = p.Users[:limit]
	}
	if before != "" {
		for i, j := 0, len(p.Users)-1; i < j; i, j = i+1, j-1 {
			p.Users[i], p.Users[j] = p.Users[j], p.Users[i]
		}
	}
	if p.Total, p.TotalOver, err = s.countUsers(ctx, f, "", ""); err != nil {
		return p, err
	}
	switch {
	case after == "" && before == "":
		// The first page: nothing before it, and counting nothing can cost a scan of every
		// match (an index range on another column, each row read for its key).
	case len(p.Users) > 0:
		p.Before, p.BeforeOver, err = s.countUsers(ctx, f, "<", p.Users[0].UsernameKey)
	case after != "":
		// Nothing after `after`: every kept account up to it came before.
		p.Before, p.BeforeOver, err = s.countUsers(ctx, f, "<=", after)
	}
	if err != nil {
		return p, err
	}
	p.Prev = p.Before > 0 || p.BeforeOver
	switch {
	case before == "":
		p.Next = more
	case len(p.Users) > 0:
		n, _, err := s.countUsersUpTo(ctx, f, ">", p.Users[len(p.Users)-1].UsernameKey, 1)
		if err != nil {
			return p, err
		}
		p.Next = n > 0
	}
	return p, nil
}

// countUsers counts the accounts the filter keeps (with op and key, those whose username
// key compares so to key), up to UserCountCap.
func (s *Store) countUsers(ctx context.Context, f UserFilter, op, key string) (int, bool, error) {
	return s.countUsersUpTo(ctx, f, op, key, UserCountCap)
}

func (s *Store) countUsersUpTo(ctx context.Context, f UserFilter, op, key string, limit int) (int, bool, error) {
	sub := s.db.NewSelect().Model((*model.User)(nil)).ColumnExpr("1")
	userFilter(sub, f)
	if op != "" {
		sub.Where("username_key "+op+" ?", key)
	}
	var n int
	err := s.db.NewSelect().TableExpr("(?) AS kept", sub.Limit(int64(limit+1))).ColumnExpr("COUNT(*)").Scan(ctx, &n)
	if err != nil {
		return 0, false, fmt.Errorf("count accounts: %w", err)
	}
	if n > limit {
		return limit, true, nil
	}
	return n, false, nil
}

// EachUser calls fn with every account the filter keeps, in username order, chunk by chunk
// (the command line's list): never every account in memory at once.
func (s *Store) EachUser(ctx context.Context, f UserFilter, chunk int, fn func([]model.User) error) error {
	after := ""
	for {
		users, err := s.usersInOrder(ctx, f, ">", after, false, chunk)
		if err != nil {
			return err
		}
		if len(users) == 0 {
			return nil
		}
		if err := fn(users); err != nil {
			return err
		}
		if len(users) < chunk {
			return nil
		}
		after = users[len(users)-1].UsernameKey
	}
}

// usersInOrder reads up to limit accounts the filter keeps whose username key compares by op
// to key (no condition when key is ""), in username order (descending when desc). The ids
// come first, from users_admin_list_idx alone (it holds every column a filter reads, so
// on SQLite a search that reads every account reads no row), then only their rows.
func (s *Store) usersInOrder(ctx context.Context, f UserFilter, op, key string, desc bool, limit int) ([]model.User, error) {
	q := s.db.NewSelect().Model((*model.User)(nil)).Column("id")
	userFilter(q, f)
	if key != "" {
		q.Where("username_key "+op+" ?", key)
	}
	if desc {
		q.Order("username_key DESC")
	} else {
		q.Order("username_key ASC")
	}
	var ids []int64
	if err := q.Limit(int64(limit)).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []model.User
	if err := s.db.NewSelect().Model(&rows).ExcludeColumn("password_hash", "totp_pending_secret").
		Where("id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	users := make([]model.User, len(ids))
	n := 0
	for _, u := range rows {
		users[at[u.ID]] = u
		n++
	}
	if n != len(ids) {
		// An account deleted between the two reads: leave its place out.
		kept := users[:0]
		for _, u := range users {
			if u.ID != 0 {
				kept = append(kept, u)
			}
		}
		users = kept
	}
	return users, nil
}

func userFilter(q *bun.SelectQuery, f UserFilter) {
	if f.Role != "" {
		q.Where("role = ?", f.Role)
	}
	switch f.Status {
	case UsersDisabled:
		q.Where("disabled_at IS NOT NULL") // as the partial index says it, so it is used
	case UsersEnabled:
		q.Where("disabled_at IS NULL")
	}
	if !f.ActiveSince.IsZero() {
		q.Where("active_on >= ?", f.ActiveSince)
	}
	if !f.InactiveBefore.IsZero() {
		q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("active_on < ?", f.InactiveBefore).WhereOr("active_on IS NULL")
		})
	}
	if f.Search != "" {
		q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where(`username_key LIKE ? ESCAPE '\'`, likeContains(auth.UsernameKey(f.Search))).
				WhereOr(`name_key LIKE ? ESCAPE '\'`, likeContains(NameKey(f.Search)))
		})
	}
}

// SetRole changes a user's role and signs them out everywhere, so no session keeps
// privileges it was not granted at sign-in. It refuses with ErrLastAdmin to demote the
// last enabled administrator.
func (s *Store) SetRole(ctx context.Context, userID int64, role string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if role != model.RoleAdmin {
			if err := keepAnAdmin(ctx, tx, userID); err != nil {
				return err
			}
		}
		res, err := tx.NewUpdate().Model((*model.User)(nil)).
			Set("role = ?", role).Set("updated_at = ?", s.Now()).
			Where("id = ?", userID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("set role: %w", err)
		}
		if !affectedOne(res) {
			return ErrNotFound
		}
		_, err = tx.NewDelete().Model((*model.Session)(nil)).Where("user_id = ?", userID).Exec(ctx)
		return err
	})
}

// DisableUser stops an account from signing in and ends every session it has, keeping all
// its data. Disabling a disabled account changes nothing. It refuses with ErrLastAdmin for
// the last enabled administrator; ErrNotFound when there is no such account.
func (s *Store) DisableUser(ctx context.Context, userID int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := keepAnAdmin(ctx, tx, userID); err != nil {
			return err
		}
		now := s.Now()
		res, err := tx.NewUpdate().Model((*model.User)(nil)).
			Set("disabled_at = ?", now).Set("updated_at = ?", now).
			Where("id = ?", userID).Where("disabled_at IS NULL").Exec(ctx)
		if err != nil {
			return fmt.Errorf("disable account: %w", err)
		}
		if !affectedOne(res) {
			if _, err := userRole(ctx, tx, userID); err != nil {
				return err
			}
		}
		// Also when it was disabled already: a session that slipped in meanwhile goes too.
		_, err = tx.NewDelete().Model((*model.Session)(nil)).Where("user_id = ?", userID).Exec(ctx)
		return err
	})
}

// EnableUser lets a disabled account sign in again (with its password as it was).
func (s *Store) EnableUser(ctx context.Context, userID int64) error {
	res, err := s.db.NewUpdate().Model((*model.User)(nil)).
		Set("disabled_at = NULL").Set("updated_at = ?", s.Now()).
		Where("id = ?", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("enable account: %w", err)
	}
	if !affectedOne(res) {
		return ErrNotFound
	}
	return nil
}

// CountAdmins counts the administrators who can sign in: a disabled administrator
// administers nothing.
func (s *Store) CountAdmins(ctx context.Context) (int, error) {
	n, err := s.db.NewSelect().Model((*model.User)(nil)).
		Where("role = ?", model.RoleAdmin).Where("disabled_at IS NULL").Count(ctx)
	return int(n), err
}

// keepAnAdmin refuses with ErrLastAdmin when userID is an enabled administrator and no
// other enabled administrator exists: the change about to be made (demotion, disabling,
// deletion) would leave nobody to administer the instance. On PostgreSQL every
// administrator's row is locked first, in id order, so two such changes at once cannot
// each count on the other; SQLite writes one transaction at a time.
func keepAnAdmin(ctx context.Context, tx bun.Tx, userID int64) error {
	if err := database.LockRowsForUpdate(ctx, tx, "users", "role = ?", model.RoleAdmin); err != nil {
		return fmt.Errorf("lock administrators: %w", err)
	}
	if err := database.LockForUpdate(ctx, tx, "users", userID); err != nil {
		return fmt.Errorf("lock account: %w", err)
	}
	var u model.User
	if err := tx.NewSelect().Model(&u).Column("id", "role", "disabled_at").Where("id = ?", userID).Scan(ctx); err != nil {
		return notFound(err)
	}
	if u.Role != model.RoleAdmin || u.Disabled() {
		return nil
	}
	n, err := tx.NewSelect().Model((*model.User)(nil)).
		Where("role = ?", model.RoleAdmin).Where("disabled_at IS NULL").Where("id <> ?", userID).Count(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrLastAdmin
	}
	return nil
}

func userRole(ctx context.Context, db bun.IDB, userID int64) (string, error) {
	var role string
	err := db.NewSelect().Model((*model.User)(nil)).Column("role").Where("id = ?", userID).Scan(ctx, &role)
	return role, notFound(err)
}
