package store

// The audit log (migration 0021): what administrators and trainers did to others. Handlers
// record an entry after the change succeeded (web: Server.audit; command line: cli.audit).
// What it holds and does not hold is in docs/SECURITY.md, "The audit log".

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// Action codes of the audit log, in one place. Each has a label, the message
// "audit_action_" + the code with dots as underscores, in every i18n/active.*.toml (a test
// checks). To audit a new action: add its code here and to AuditActions, its label in the
// five languages, and call Server.audit (or cli's audit) once the change succeeded.
const (
	// Accounts (target: the person; a deleted person's entries keep the action only).
	AuditUserCreate      = "user.create"      // cairn users create; detail: role
	AuditUserRole        = "user.role"        // detail: "learner → trainer"
	AuditUserResetLink   = "user.reset_link"  // a one-time password reset link was made
	AuditUserDisable2FA  = "user.disable_2fa" // cairn users disable-2fa
	AuditUserExport      = "user.export"      // an admin downloaded the person's data
	AuditUserDelete      = "user.delete"      // by an admin or the command line; the target is already gone
	AuditUserDeleteSelf  = "user.delete_self" // a person deleted their own account
	AuditUserDisable     = "user.disable"     // the account cannot sign in; data kept
	AuditUserEnable      = "user.enable"      // a disabled account may sign in again
	AuditInviteCreate    = "invite.create"    // target: the invitation; detail: uses and days
	AuditInviteRevoke    = "invite.revoke"    // target: the invitation
	AuditSettingRegister = "setting.registration"
	AuditSettingContent  = "setting.content_access"
	AuditSettingFirstAid = "setting.first_aid"
	AuditSettingRetain   = "setting.retention"
	AuditSettingInstance = "setting.instance" // detail: which (name, logo, languages)
	// Cohorts and live sessions (trainers and admins).
	AuditCohortCreate     = "cohort.create"
	AuditCohortTrainerAdd = "cohort.trainer_add"   // target: the trainer added; detail: cohort id
	AuditCohortMemberRem  = "cohort.member_remove" // target: the person removed; detail: cohort id
	AuditCohortCodeNew    = "cohort.code_new"
	AuditCohortCodeRevoke = "cohort.code_revoke"
	AuditLiveSchedule     = "live.schedule"
	AuditLiveStart        = "live.start"
	AuditLiveEnd          = "live.end"
	// Session plans (target: the plan by id; a private plan's title is not recorded).
	AuditPlanCreate = "plan.create"
	AuditPlanDelete = "plan.delete"
	// Retention: the purge, with counts only (actor: the server or the command line).
	AuditRetentionPurge = "retention.purge"

	// Course packages (target: the package, named "course version").
	AuditCourseImport    = "course.import"
	AuditCoursePublish   = "course.publish"
	AuditCourseUnpublish = "course.unpublish"
	AuditCourseArchive   = "course.archive"
	AuditCourseGIFT      = "course.gift" // a Moodle GIFT quiz made a new version; detail: module

	// More instance settings (target: none).
	AuditSettingQuickExit   = "setting.quick_exit"
	AuditSettingTrustedKeys = "setting.trusted_keys" // detail: added or removed, the key id
)

// PackageTarget is a course package, by id, named by its course and version.
func PackageTarget(p *model.CoursePackage) AuditTarget {
	return ThingTarget(model.TargetCourse, p.ID, p.CourseID+" "+p.Version)
}

// AuditActions lists every action code, in the order the filter offers them.
var AuditActions = []string{
	AuditUserCreate, AuditUserRole, AuditUserResetLink, AuditUserDisable2FA, AuditUserExport,
	AuditUserDelete, AuditUserDeleteSelf, AuditUserDisable, AuditUserEnable,
	AuditInviteCreate, AuditInviteRevoke,
	AuditSettingRegister, AuditSettingContent, AuditSettingFirstAid, AuditSettingRetain, AuditSettingInstance,
	AuditSettingQuickExit, AuditSettingTrustedKeys,
	AuditCourseImport, AuditCoursePublish, AuditCourseUnpublish, AuditCourseArchive, AuditCourseGIFT,
	AuditCohortCreate, AuditCohortTrainerAdd, AuditCohortMemberRem, AuditCohortCodeNew, AuditCohortCodeRevoke,
	AuditLiveSchedule, AuditLiveStart, AuditLiveEnd,
	AuditPlanCreate, AuditPlanDelete,
	AuditRetentionPurge,
}

// AuditLabelID is the message id of an action's label.
func AuditLabelID(action string) string {
	return "audit_action_" + strings.ReplaceAll(action, ".", "_")
}

// AuditActor is who did it.
type AuditActor struct {
	Kind string // model.ActorUser, ActorCLI, ActorServer
	ID   *int64
	Name string
}

// UserActor is an account acting on the web.
func UserActor(u *model.User) AuditActor {
	id := u.ID
	return AuditActor{Kind: model.ActorUser, ID: &id, Name: u.Username}
}

// Actors that are not a person.
var (
	CLIActor    = AuditActor{Kind: model.ActorCLI}
	ServerActor = AuditActor{Kind: model.ActorServer}
)

// AuditTarget is what was acted on.
type AuditTarget struct {
	Kind string // model.Target*
	ID   *int64
	Name string
}

// NoTarget is an action on the instance as a whole.
var NoTarget = AuditTarget{}

// UserTarget is a person, by id and username at the time.
func UserTarget(u *model.User) AuditTarget {
	id := u.ID
	return AuditTarget{Kind: model.TargetUser, ID: &id, Name: u.Username}
}

// DeletedUserTarget is a person whose account is already deleted: nothing about them is
// written.
var DeletedUserTarget = AuditTarget{Kind: model.TargetUser}

// ThingTarget is a cohort, live session, plan or invitation by id, with its name when it
// is not private (a private plan's title is left out).
func ThingTarget(kind string, id int64, name string) AuditTarget {
	return AuditTarget{Kind: kind, ID: &id, Name: name}
}

// Column widths of audit_log: longer text is cut, never refused (the action happened).
const (
	auditNameMax   = 200
	auditTargetMax = 300
	auditDetailMax = 500
)

// RecordAudit adds an entry, stamped with the store's clock.
func (s *Store) RecordAudit(ctx context.Context, actor AuditActor, action string, target AuditTarget, detail string) error {
	return recordAudit(ctx, s.db, s.Now(), actor, action, target, detail)
}

func recordAudit(ctx context.Context, db bun.IDB, now time.Time, actor AuditActor, action string, target AuditTarget, detail string) error {
	e := &model.AuditEntry{
		CreatedAt: now, ActorKind: actor.Kind, ActorID: actor.ID, ActorName: cut(actor.Name, auditNameMax),
		Action: action, TargetKind: target.Kind, TargetID: target.ID, TargetName: cut(target.Name, auditTargetMax),
		Detail: cut(detail, auditDetailMax),
	}
	if _, err := db.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("record audit entry %s: %w", action, err)
	}
	return nil
}

// cut shortens s to at most n characters (VARCHAR lengths count characters).
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}

// AuditFilter selects entries; zero fields select everything.
type AuditFilter struct {
	Action  string
	ActorID *int64 // an account
	// ActorKind selects the command line or the server (ActorID is for accounts).
	ActorKind string
	From, To  time.Time // [From, To), UTC
	// Before is the keyset cursor: entries with a smaller id (older) than it.
	Before int64
}

func (f AuditFilter) apply(q *bun.SelectQuery) *bun.SelectQuery {
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.ActorID != nil {
		q = q.Where("actor_id = ?", *f.ActorID)
	}
	if f.ActorKind != "" {
		q = q.Where("actor_kind = ?", f.ActorKind)
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("created_at < ?", f.To.UTC())
	}
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	return q
}

// AuditEntries returns up to limit entries of f, newest first, and whether older ones
// follow (the next page starts Before the last one's id). Paging by id rather than offset
// keeps every page as fast as the first however long the log.
func (s *Store) AuditEntries(ctx context.Context, f AuditFilter, limit int) ([]model.AuditEntry, bool, error) {
	var out []model.AuditEntry
	err := f.apply(s.db.NewSelect().Model(&out)).Order("id DESC").Limit(int64(limit) + 1).Scan(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("list audit entries: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// EachAuditEntry calls fn with every entry of f, newest first, chunk entries at a time, so
// an export of any length holds one chunk in memory.
func (s *Store) EachAuditEntry(ctx context.Context, f AuditFilter, chunk int, fn func([]model.AuditEntry) error) error {
	for {
		page, more, err := s.AuditEntries(ctx, f, chunk)
		if err != nil {
			return err
		}
		if len(page) > 0 {
			if err := fn(page); err != nil {
				return err
			}
		}
		if !more {
			return nil
		}
		f.Before = page[len(page)-1].ID
	}
}

// AuditNames is how the CSV and the page name actors and targets that are not an account's
// username: the command line, the server, a deleted person.
type AuditNames struct {
	CLI, Server, Deleted string
}

// AuditActorName is the entry's actor for people to read.
func AuditActorName(e *model.AuditEntry, n AuditNames) string {
	switch {
	case e.ActorKind == model.ActorCLI:
		return n.CLI
	case e.ActorKind == model.ActorServer:
		return n.Server
	case e.ActorID == nil:
		return n.Deleted
	}
	return e.ActorName
}

// AuditTargetName is the entry's target for people to read.
func AuditTargetName(e *model.AuditEntry, n AuditNames) string {
	if e.TargetKind == model.TargetUser && e.TargetID == nil {
		return n.Deleted
	}
	return e.TargetName
}

// AuditCSVHeader and AuditCSVRow are the columns of the CSV export: the time in UTC (ISO
// 8601), the actor, the action's code and label, the target's kind, id and name, the detail.
// Every cell a spreadsheet could run as a formula is defused (CSVCell).
func AuditCSVHeader(headers []string) []string {
	out := make([]string, len(headers))
	for i, h := range headers {
		out[i] = CSVCell(h)
	}
	return out
}

// AuditCSVRow is one entry as CSV cells.
func AuditCSVRow(e *model.AuditEntry, n AuditNames, label string) []string {
	id := ""
	if e.TargetID != nil {
		id = fmt.Sprint(*e.TargetID)
	}
	return []string{
		e.CreatedAt.UTC().Format(time.RFC3339), CSVCell(AuditActorName(e, n)), CSVCell(e.Action), CSVCell(label),
		CSVCell(e.TargetKind), id, CSVCell(AuditTargetName(e, n)), CSVCell(e.Detail),
	}
}

// CSVCell defuses text a spreadsheet would run as a formula (CSV injection): a cell that
// starts with = + - @, a tab or a carriage return gets a leading quote, which spreadsheets
// show as text. (app/cohort does the same for its export.)
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// CountAuditBefore and DeleteAuditBefore apply the audit log's retention: entries made
// before cutoff.
func (s *Store) CountAuditBefore(ctx context.Context, cutoff time.Time) (int, error) {
	n, err := s.db.NewSelect().Model((*model.AuditEntry)(nil)).Where("created_at < ?", cutoff.UTC()).Count(ctx)
	return int(n), err
}

// DeleteAuditBefore deletes the entries made before cutoff.
func (s *Store) DeleteAuditBefore(ctx context.Context, cutoff time.Time) (int, error) {
	res, err := s.db.NewDelete().Model((*model.AuditEntry)(nil)).Where("created_at < ?", cutoff.UTC()).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// AuditActionData is an entry of the audit log the person made, in their data export.
type AuditActionData struct {
	Action     string    `json:"action" bun:"action"`
	TargetKind string    `json:"target_kind" bun:"target_kind"`
	TargetName string    `json:"target_name" bun:"target_name"`
	Detail     string    `json:"detail" bun:"detail"`
	At         time.Time `json:"at" bun:"created_at"`
}

// auditActionsBy lists what the person did as administrator or trainer, oldest first.
// Entries where they are only the target are left out: they name whoever acted (another
// person), and what those actions changed is in the rest of the export.
func auditActionsBy(ctx context.Context, db bun.IDB, userID int64) ([]AuditActionData, error) {
	var out []AuditActionData
	err := db.NewSelect().Model((*model.AuditEntry)(nil)).
		Column("action", "target_kind", "target_name", "detail", "created_at").
		Where("actor_id = ?", userID).Order("id").Scan(ctx, &out)
	return out, err
}

// AuditDetail writes an entry's detail from key, value pairs: "key=value key=value". Values
// are codes, ids and counts, never a person's name or free text, so the detail reads the same
// in every language; the audit page words it in the reader's (ParseAuditDetail).
func AuditDetail(kv ...any) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%v=%v", kv[i], strings.ReplaceAll(fmt.Sprint(kv[i+1]), " ", "_"))
	}
	return b.String()
}

// ParseAuditDetail reads a detail written by AuditDetail.
func ParseAuditDetail(s string) map[string]string {
	out := map[string]string{}
	for _, f := range strings.Fields(s) {
		if k, v, ok := strings.Cut(f, "="); ok {
			out[k] = v
		}
	}
	return out
}
