package model

import (
	"time"

	"github.com/uptrace/bun"
)

// Who did what in the audit log (migration 0021): an account, the command line on the
// server, or the server itself.
const (
	ActorUser   = "user"
	ActorCLI    = "cli"
	ActorServer = "server"
)

// What an audit entry's target names.
const (
	TargetNone        = ""
	TargetUser        = "user"
	TargetCohort      = "cohort"
	TargetLiveSession = "live_session"
	TargetPlan        = "plan"
	TargetInvite      = "invite"
	TargetSetting     = "setting"
	TargetCourse      = "course" // a course package, by id, named "course version"
)

// AuditEntry is one administrative or trainer action. Never an IP address or a user agent.
type AuditEntry struct {
	bun.BaseModel `bun:"table:audit_log"`

	ID        int64     `bun:"id,pk,autoincrement"`
	CreatedAt time.Time `bun:"created_at"`
	ActorKind string    `bun:"actor_kind"`
	// ActorID is nil for the command line and the server, and once the account is deleted.
	ActorID   *int64 `bun:"actor_id"`
	ActorName string `bun:"actor_name"` // the username at the time; empty once deleted
	Action    string `bun:"action"`
	// TargetID is the user's id for a person (nil once they are deleted), else the id of the
	// cohort, live session, plan or invitation.
	TargetKind string `bun:"target_kind"`
	TargetID   *int64 `bun:"target_id"`
	TargetName string `bun:"target_name"`
	Detail     string `bun:"detail"` // never a person's name or id
}
