// Package model holds the bun structs that map database rows; no behaviour lives here.
// Fields carry no bun `default:` tags: values are always set in Go (see ARCHITECTURE.md).
package model

import "time"

// Roles, from least to most privileged.
const (
	RoleLearner = "learner"
	RoleTrainer = "trainer"
	RoleAdmin   = "admin"
)

// User is a pseudonymous account: a username and a password, nothing that identifies a person.
type User struct {
	ID                int64     `bun:"id,pk,autoincrement"`
	Username          string    `bun:"username"`
	UsernameKey       string    `bun:"username_key"`               // NFKC + case-folded, unique
	UsernameSkeleton  string    `bun:"username_skeleton,nullzero"` // UTS #39 skeleton, unique; NULL until backfilled
	DisplayName       string    `bun:"display_name"`
	NameKey           string    `bun:"name_key,nullzero"` // Name() folded for search and sorting; NULL until backfilled
	PasswordHash      string    `bun:"password_hash"`
	Role              string    `bun:"role"`
	Locale            string    `bun:"locale"`
	TOTPSecret        string    `bun:"totp_secret"`
	TOTPPendingSecret string    `bun:"totp_pending_secret"`
	TOTPLastStep      int64     `bun:"totp_last_step"`
	CreatedAt         time.Time `bun:"created_at"`
	UpdatedAt         time.Time `bun:"updated_at"`
	PasswordChangedAt time.Time `bun:"password_changed_at"`
	// ActiveOn is the UTC day (at midnight) the account was last used; zero (NULL) only for
	// rows written before it existed. A day, never an instant: see migration 0017.
	ActiveOn time.Time `bun:"active_on,nullzero"`
	// DisabledAt is when an admin disabled the account; zero while it is enabled.
	DisabledAt time.Time `bun:"disabled_at,nullzero"`
}

// ActiveDay is the UTC day of t, at midnight: what ActiveOn holds.
func ActiveDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Disabled tells whether an admin disabled the account.
func (u *User) Disabled() bool { return !u.DisabledAt.IsZero() }

// TOTPEnabled tells whether sign-in asks for a second factor.
func (u *User) TOTPEnabled() bool { return u.TOTPSecret != "" }

// Name is what other people see: the display name when set, else the username.
func (u *User) Name() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// HasRole tells whether the user's role is at least r.
func (u *User) HasRole(r string) bool { return RoleRank(u.Role) >= RoleRank(r) }

// RoleRank orders roles; unknown roles rank below learner.
func RoleRank(r string) int {
	switch r {
	case RoleLearner:
		return 1
	case RoleTrainer:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}
