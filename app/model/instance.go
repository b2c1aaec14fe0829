package model

import (
	"time"

	"github.com/uptrace/bun"
)

// InstanceLogo is the instance's logo, re-encoded as PNG by the server. There is at most one.
type InstanceLogo struct {
	bun.BaseModel `bun:"table:instance_logo"`
	ID            int64     `bun:"id,pk"`
	PNG           []byte    `bun:"png"`
	ETag          string    `bun:"etag"`
	Width         int       `bun:"width"`
	Height        int       `bun:"height"`
	UpdatedAt     time.Time `bun:"updated_at"`
}
