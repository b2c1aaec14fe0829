// Package retention deletes what an instance no longer needs to keep: expired sign-in
// sessions, live-session attendance and audit entries older than their periods, and
// accounts unused for longer than theirs. The periods are instance settings, edited on the
// admin page; the purge runs once a day in the server (Server.RunRetention) and on demand
// with `cairn purge`. docs/SECURITY.md, "Retention", says what each period means.
package retention

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// Keys of the settings table.
const (
	SettingAttendanceDays = "retention_attendance_days"
	SettingAuditDays      = "retention_audit_days"
	SettingInactiveDays   = "retention_inactive_days"
	SettingWarningDays    = "retention_warning_days"
	// SettingLastRun holds the UTC day of the last daily purge ("2006-01-02"): the claim
	// that lets one instance of several run it (store.ClaimDay).
	SettingLastRun = "retention_last_run"
)

// MaxDays bounds every period (a hundred years): a larger number is a typing mistake.
const MaxDays = 36500

// Policy is how long each kind of record is kept, in days; 0 keeps it without limit (for
// accounts: never deletes them).
type Policy struct {
	AttendanceDays int
	AuditDays      int
	InactiveDays   int
	// WarningDays is how long before its deletion a person who signs in is told their
	// account would have been deleted; shorter than InactiveDays.
	WarningDays int
}

// Defaults is the policy of an instance whose admins have set none: attendance as long as
// CAIRN_ATTENDANCE_RETENTION says (90 days by default), audit entries a year, accounts
// kept, a warning of 30 days once account deletion is turned on.
func Defaults(attendance time.Duration) Policy {
	days := int((attendance + 24*time.Hour - 1) / (24 * time.Hour))
	return Policy{AttendanceDays: days, AuditDays: 365, InactiveDays: 0, WarningDays: 30}
}

// ErrInvalid is a policy Validate refuses.
var ErrInvalid = errors.New("retention periods must be whole days from 0 to 36500, the warning shorter than the inactivity period")

// Validate checks the bounds.
func (p Policy) Validate() error {
	for _, d := range []int{p.AttendanceDays, p.AuditDays, p.InactiveDays, p.WarningDays} {
		if d < 0 || d > MaxDays {
			return ErrInvalid
		}
	}
	if p.InactiveDays > 0 && p.WarningDays >= p.InactiveDays {
		return ErrInvalid
	}
	return nil
}

// Load reads the policy from the settings (one query: it is read at every sign-in), each
// period missing or unreadable taken from def.
func Load(ctx context.Context, st *store.Store, def Policy) (Policy, error) {
	p := def
	fields := []struct {
		key string
		to  *int
	}{{SettingAttendanceDays, &p.AttendanceDays}, {SettingAuditDays, &p.AuditDays},
		{SettingInactiveDays, &p.InactiveDays}, {SettingWarningDays, &p.WarningDays}}
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	stored, err := st.Settings(ctx, keys)
	if err != nil {
		return def, fmt.Errorf("read the retention settings: %w", err)
	}
	for _, f := range fields {
		if n, err := strconv.Atoi(stored[f.key]); err == nil && n >= 0 && n <= MaxDays {
			*f.to = n
		}
	}
	return p, nil
}

// Save stores a valid policy.
func Save(ctx context.Context, st *store.Store, p Policy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	for key, v := range map[string]int{SettingAttendanceDays: p.AttendanceDays, SettingAuditDays: p.AuditDays,
		SettingInactiveDays: p.InactiveDays, SettingWarningDays: p.WarningDays} {
		if err := st.SetSetting(ctx, key, strconv.Itoa(v)); err != nil {
			return fmt.Errorf("store %s: %w", key, err)
		}
	}
	return nil
}

// Detail is the policy as an audit entry's detail.
func (p Policy) Detail() string {
	return store.AuditDetail("attendance", p.AttendanceDays, "audit", p.AuditDays, "inactive", p.InactiveDays, "warning", p.WarningDays)
}

// DeletionDay is the UTC day an account last used on activeOn is deleted, if it is not used
// again: the purge of that day finds it unused for more than InactiveDays. Zero when
// accounts are never deleted, or for an administrator's.
func (p Policy) DeletionDay(u *model.User) time.Time {
	if p.InactiveDays == 0 || u.Role == model.RoleAdmin {
		return time.Time{}
	}
	from := u.ActiveOn
	if from.IsZero() {
		from = u.CreatedAt
	}
	return model.ActiveDay(from).AddDate(0, 0, p.InactiveDays+1)
}

// Warning is the day the person's account would have been deleted, when they sign in on
// day today within the warning period before it (ok false otherwise). u.ActiveOn is the
// day of their use before this sign-in.
func (p Policy) Warning(u *model.User, today time.Time) (deletion time.Time, ok bool) {
	deletion = p.DeletionDay(u)
	if deletion.IsZero() {
		return time.Time{}, false
	}
	today = model.ActiveDay(today)
	warnFrom := deletion.AddDate(0, 0, -p.WarningDays)
	return deletion, !today.Before(warnFrom)
}

// Counts is what a purge deleted (or, dry, would delete).
type Counts struct {
	Sessions, Attendance, Audit, Accounts int
	// Kept counts unused accounts not deleted because they are a cohort's only trainer.
	Kept int
}

// Detail is the counts as an audit entry's detail.
func (c Counts) Detail() string {
	return store.AuditDetail("sessions", c.Sessions, "attendance", c.Attendance, "audit", c.Audit,
		"accounts", c.Accounts, "kept", c.Kept)
}

// Options of a purge.
type Options struct {
	// Idle is the sign-in sessions' idle timeout (CAIRN_SESSION_IDLE_TIMEOUT).
	Idle time.Duration
	// DryRun counts without deleting.
	DryRun bool
	// Deleted, when set, is told of each account deleted (the server updates live rooms).
	Deleted func(userID int64, gone *store.DeletedUser)
	// Actor is who the audit entry of a real run names (the server or the command line).
	Actor store.AuditActor
}

// Purge applies the policy now. Kinds are handled in a fixed order (sessions, attendance,
// audit entries, then accounts), each counted with the condition that deletes it, so a dry
// run's counts are the real run's on an unchanged database. A real run ends with one audit
// entry holding the counts only.
func Purge(ctx context.Context, st *store.Store, p Policy, o Options) (Counts, error) {
	var c Counts
	var err error
	if o.DryRun {
		c.Sessions, err = st.CountExpiredSessions(ctx, o.Idle)
	} else {
		c.Sessions, err = st.DeleteExpiredSessions(ctx, o.Idle)
	}
	if err != nil {
		return c, fmt.Errorf("expired sessions: %w", err)
	}
	if p.AttendanceDays > 0 {
		age := time.Duration(p.AttendanceDays) * 24 * time.Hour
		if o.DryRun {
			c.Attendance, err = st.CountOldAttendance(ctx, age)
		} else {
			c.Attendance, err = st.DeleteOldAttendance(ctx, age)
		}
		if err != nil {
			return c, fmt.Errorf("attendance: %w", err)
		}
	}
	if p.AuditDays > 0 {
		cutoff := st.Now().AddDate(0, 0, -p.AuditDays)
		if o.DryRun {
			c.Audit, err = st.CountAuditBefore(ctx, cutoff)
		} else {
			c.Audit, err = st.DeleteAuditBefore(ctx, cutoff)
		}
		if err != nil {
			return c, fmt.Errorf("audit log: %w", err)
		}
	}
	if p.InactiveDays > 0 {
		if err := purgeAccounts(ctx, st, p, o, &c); err != nil {
			return c, err
		}
	}
	if !o.DryRun {
		// Not counted: such a row exists only when a vote raced the deletion of its author
		// or its poll, and that deletion meant it to go.
		if _, err := st.DeleteOrphanVoteGuards(ctx); err != nil {
			return c, fmt.Errorf("vote guards of deleted accounts or polls: %w", err)
		}
		if err := st.RecordAudit(ctx, o.Actor, store.AuditRetentionPurge, store.NoTarget, c.Detail()); err != nil {
			return c, err
		}
	}
	return c, nil
}

// purgeAccounts deletes every unused account with the full deletion (store.DeleteUser), so
// nothing about the person remains, except a cohort's only trainer, which is counted as
// kept (deleting it would leave learners without a trainer).
func purgeAccounts(ctx context.Context, st *store.Store, p Policy, o Options, c *Counts) error {
	cutoff := model.ActiveDay(st.Now()).AddDate(0, 0, -p.InactiveDays)
	users, err := st.InactiveAccounts(ctx, cutoff)
	if err != nil {
		return fmt.Errorf("unused accounts: %w", err)
	}
	for _, u := range users {
		if o.DryRun {
			sole, err := st.SoleTrainerCohorts(ctx, u.ID)
			if err != nil {
				return err
			}
			if len(sole) > 0 {
				c.Kept++
			} else {
				c.Accounts++
			}
			continue
		}
		gone, err := st.DeleteUser(ctx, u.ID)
		switch {
		case errors.Is(err, store.ErrSoleTrainer):
			c.Kept++
		case errors.Is(err, store.ErrNotFound):
			// Deleted meanwhile (by its owner, or another instance's purge).
		case err != nil:
			return fmt.Errorf("delete unused account %d: %w", u.ID, err)
		default:
			c.Accounts++
			if o.Deleted != nil {
				o.Deleted(u.ID, gone)
			}
		}
	}
	return nil
}

// Due claims today's purge for this instance (store.ClaimDay): true for exactly one
// instance on the database a day.
func Due(ctx context.Context, st *store.Store, now time.Time) (bool, error) {
	return st.ClaimDay(ctx, SettingLastRun, now.UTC().Format(time.DateOnly))
}
