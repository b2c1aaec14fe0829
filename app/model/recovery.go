package model

import "time"

// RecoveryCode is one single-use way back into an account; only its hash is kept.
type RecoveryCode struct {
	ID        int64      `bun:"id,pk,autoincrement"`
	UserID    int64      `bun:"user_id"`
	CodeHash  string     `bun:"code_hash"`
	CreatedAt time.Time  `bun:"created_at"`
	UsedAt    *time.Time `bun:"used_at"`
}

// PasswordReset is a one-time link an admin hands to someone who lost every recovery code.
type PasswordReset struct {
	ID        int64      `bun:"id,pk,autoincrement"`
	TokenHash string     `bun:"token_hash"`
	UserID    int64      `bun:"user_id"`
	CreatedAt time.Time  `bun:"created_at"`
	ExpiresAt time.Time  `bun:"expires_at"`
	UsedAt    *time.Time `bun:"used_at"`
}
