package model

import "time"

// Session is a signed-in browser. Only the SHA-256 of its token is stored, and nothing about
// the device: no IP address, no user agent.
type Session struct {
	ID         int64     `bun:"id,pk,autoincrement"`
	TokenHash  string    `bun:"token_hash"`
	UserID     int64     `bun:"user_id"`
	MFAPending bool      `bun:"mfa_pending"` // password checked, second factor not yet
	CreatedAt  time.Time `bun:"created_at"`
	LastSeenAt time.Time `bun:"last_seen_at"`
	ExpiresAt  time.Time `bun:"expires_at"`
	// SharedDevice marks a sign-in on a shared or borrowed device ("this is not my
	// device"): a cookie that ends with the browser, a short idle timeout and lifetime.
	SharedDevice bool `bun:"shared_device"`

	User *User `bun:"rel:belongs-to,join:user_id=id"`
}
