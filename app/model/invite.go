package model

import "time"

// Invite lets people sign up while registration is invite-only.
type Invite struct {
	ID        int64      `bun:"id,pk,autoincrement"`
	CodeHash  string     `bun:"code_hash"`
	Note      string     `bun:"note"`
	CreatedBy *int64     `bun:"created_by"`
	MaxUses   int        `bun:"max_uses"`
	Uses      int        `bun:"uses"`
	CreatedAt time.Time  `bun:"created_at"`
	ExpiresAt time.Time  `bun:"expires_at"`
	RevokedAt *time.Time `bun:"revoked_at"`
}

// Usable tells whether the invite still admits someone at time now.
func (i *Invite) Usable(now time.Time) bool {
	return i.RevokedAt == nil && i.Uses < i.MaxUses && now.Before(i.ExpiresAt)
}

// Setting is one instance-wide key/value pair changed from the admin pages.
type Setting struct {
	Key       string    `bun:"key,pk"`
	Value     string    `bun:"value"`
	UpdatedAt time.Time `bun:"updated_at"`
}
