package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// auditQuery is the audit page's filter as the GET parameters give it, shared by the page
// and its CSV export (a link to the export carries the same parameters).
type auditQuery struct {
	Action, Actor, From, To string
	Filter                  store.AuditFilter
	Error                   string // localised; the filter is then not applied
}

// parseAuditQuery reads and checks the filter. Days are UTC days, both included.
func (s *Server) parseAuditQuery(c *fiber.Ctx) (*auditQuery, error) {
	loc := state(c).loc
	q := &auditQuery{
		Action: strings.TrimSpace(c.Query("action")), Actor: strings.TrimSpace(c.Query("actor")),
		From: strings.TrimSpace(c.Query("from")), To: strings.TrimSpace(c.Query("to")),
	}
	var problems []string
	if q.Action != "" {
		known := false
		for _, a := range store.AuditActions {
			known = known || a == q.Action
		}
		if !known {
			problems = append(problems, loc.T("audit_error_action"))
		}
		q.Filter.Action = q.Action
	}
	if q.Actor != "" {
		u, err := s.store.UserByUsernameKey(c.UserContext(), auth.UsernameKey(q.Actor))
		switch {
		case errors.Is(err, store.ErrNotFound):
			problems = append(problems, loc.T("audit_error_actor"))
		case err != nil:
			return nil, err
		default:
			q.Filter.ActorID = &u.ID
		}
	}
	from, errFrom := parseDay(q.From)
	to, errTo := parseDay(q.To)
	if errFrom != nil || errTo != nil || (!from.IsZero() && !to.IsZero() && to.Before(from)) {
		problems = append(problems, loc.T("audit_error_date"))
	}
	q.Filter.From = from
	if !to.IsZero() {
		q.Filter.To = to.AddDate(0, 0, 1) // the last day is included
	}
	q.Error = strings.Join(problems, " ")
	return q, nil
}

// parseDay reads a day typed as 2026-03-31, in ASCII, Persian or Arabic-Indic digits (a
// browser without a date picker lets people type in their own).
func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '۰' && r <= '۹':
			return '0' + r - '۰'
		case r >= '٠' && r <= '٩':
			return '0' + r - '٠'
		}
		return r
	}, s)
	return time.Parse(time.DateOnly, s)
}

// params is the filter as URL parameters, with extra ones added.
func (q *auditQuery) params(extra ...string) string {
	v := url.Values{}
	for k, val := range map[string]string{"action": q.Action, "actor": q.Actor, "from": q.From, "to": q.To} {
		if val != "" {
			v.Set(k, val)
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// auditNames are the words for actors and targets that are not a username.
func auditNames(loc *locale.Localizer) store.AuditNames {
	return store.AuditNames{CLI: loc.T("audit_by_cli"), Server: loc.T("audit_by_server"), Deleted: loc.T("audit_deleted_user")}
}

// auditTargetText is the entry's target for reading: its kind, then its name or number.
func auditTargetText(loc *locale.Localizer, e *model.AuditEntry, names store.AuditNames) string {
	if e.TargetKind == model.TargetNone {
		return ""
	}
	if e.TargetKind == model.TargetUser && e.TargetID == nil {
		return loc.T("audit_target_deleted")
	}
	name := store.AuditTargetName(e, names)
	if name == "" && e.TargetID != nil {
		name = loc.Digits("#" + strconv.FormatInt(*e.TargetID, 10))
	}
	return loc.T("audit_target_"+e.TargetKind, "Name", "\u2068"+name+"\u2069")
}

// auditDetailText words an entry's detail (store.AuditDetail) in the reader's language.
// A detail it does not know is shown as stored: codes and numbers only.
func auditDetailText(loc *locale.Localizer, e *model.AuditEntry) string {
	d := store.ParseAuditDetail(e.Detail)
	num := func(k string) int { n, _ := strconv.Atoi(d[k]); return n }
	role := func(k string) string { return loc.TOr("role_"+d[k], d[k]) }
	var parts []string
	if _, ok := d["from"]; ok && e.Action == store.AuditUserRole {
		parts = append(parts, loc.T("audit_detail_role_change", "From", role("from"), "To", role("to")))
	}
	if _, ok := d["role"]; ok {
		parts = append(parts, loc.T("audit_detail_role", "Role", role("role")))
	}
	if m, ok := d["mode"]; ok {
		prefix := "registration_"
		if e.Action == store.AuditSettingContent {
			prefix = "content_access_"
		}
		parts = append(parts, loc.TOr(prefix+m, m))
	}
	if _, ok := d["uses"]; ok {
		parts = append(parts, loc.T("audit_detail_invite", "Uses", num("uses"), "Days", num("days")))
	}
	if _, ok := d["characters"]; ok {
		parts = append(parts, loc.T("audit_detail_characters", "Count", num("characters")))
	}
	if _, ok := d["cohort"]; ok {
		parts = append(parts, loc.T("audit_detail_cohort", "ID", num("cohort")))
	}
	if c, ok := d["course"]; ok {
		parts = append(parts, loc.T("audit_detail_course", "Course", c))
	}
	if _, ok := d["from_plan"]; ok {
		parts = append(parts, loc.T("audit_detail_from_plan", "ID", num("from_plan")))
	}
	if w, ok := d["what"]; ok {
		parts = append(parts, loc.TOr("audit_detail_what_"+w, w))
	}
	if k, ok := d["added"]; ok {
		parts = append(parts, loc.T("audit_detail_key_added", "ID", k))
	}
	if k, ok := d["removed"]; ok {
		parts = append(parts, loc.T("audit_detail_key_removed", "ID", k))
	}
	if m, ok := d["module"]; ok {
		parts = append(parts, loc.T("audit_detail_module", "Module", m))
	}
	if e.Action == store.AuditSettingRetain {
		parts = append(parts, loc.T("audit_detail_retention", "Attendance", num("attendance"), "Audit", num("audit"),
			"Inactive", num("inactive"), "Warning", num("warning")))
	}
	if e.Action == store.AuditRetentionPurge {
		parts = append(parts, loc.T("audit_detail_purge", "Sessions", num("sessions"), "Attendance", num("attendance"),
			"Audit", num("audit"), "Accounts", num("accounts"), "Kept", num("kept")))
	}
	if len(parts) == 0 {
		return e.Detail
	}
	return strings.Join(parts, " · ")
}
