package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// auditPageSize is how many entries a page of the audit log shows.
const auditPageSize = 50

type auditOption struct{ Code, Label string }

type auditRow struct {
	At             time.Time
	Actor          string
	ActorIsName    bool // a username, shown isolated; otherwise a word of the page
	Action, Label  string
	Target, Detail string
}

type adminAuditData struct {
	Query    *auditQuery
	Actions  []auditOption
	Entries  []auditRow
	Filtered bool
	// OlderURL is the next page (entries older than the last shown); FirstURL the newest.
	OlderURL, FirstURL string
	CSVURL             string
}

// listAudit shows the audit log, newest first, filtered by the GET parameters and paged by
// id (?before=N), so that the page works without JavaScript and every page is as fast.
func (s *Server) listAudit(c *fiber.Ctx) error {
	loc := state(c).loc
	q, err := s.parseAuditQuery(c)
	if err != nil {
		return err
	}
	d := &adminAuditData{Query: q, Filtered: q.params() != "", CSVURL: "/admin/audit.csv" + q.params()}
	for _, a := range store.AuditActions {
		d.Actions = append(d.Actions, auditOption{Code: a, Label: loc.T(store.AuditLabelID(a))})
	}
	if q.Error != "" {
		return s.render(c, fiber.StatusUnprocessableEntity, "admin_audit", "audit_title", d)
	}
	f := q.Filter
	if before, err := strconv.ParseInt(c.Query("before"), 10, 64); err == nil && before > 0 {
		f.Before = before
		d.FirstURL = "/admin/audit" + q.params()
	}
	entries, more, err := s.store.AuditEntries(c.UserContext(), f, auditPageSize)
	if err != nil {
		return err
	}
	names := auditNames(loc)
	for i := range entries {
		e := &entries[i]
		d.Entries = append(d.Entries, auditRow{
			At: e.CreatedAt, Actor: store.AuditActorName(e, names), ActorIsName: e.ActorKind == model.ActorUser && e.ActorID != nil,
			Action: e.Action, Label: loc.T(store.AuditLabelID(e.Action)),
			Target: auditTargetText(loc, e, names), Detail: auditDetailText(loc, e),
		})
	}
	if more {
		d.OlderURL = "/admin/audit" + q.params("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
	}
	return s.render(c, fiber.StatusOK, "admin_audit", "audit_title", d)
}
