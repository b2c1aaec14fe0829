package web

import (
	"bufio"
	"context"
	"encoding/csv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// auditExportChunk is how many entries the export reads at a time: its memory, whatever
// the log's length.
const auditExportChunk = 500

// utf8BOM starts the CSV so that spreadsheet programs that guess the encoding (Excel on
// Windows, without it, reads the system's code page) show Arabic and Persian names and
// labels as written; LibreOffice, Numbers and CSV libraries skip it.
const utf8BOM = "\ufeff"

// exportAudit downloads the filtered view of the audit log as CSV, every entry (not only a
// page), newest first. Labels and headers are in the reader's language; times in UTC, ISO
// 8601; every cell a spreadsheet could run as a formula is defused (store.CSVCell).
func (s *Server) exportAudit(c *fiber.Ctx) error {
	loc := state(c).loc
	q, err := s.parseAuditQuery(c)
	if err != nil {
		return err
	}
	if q.Error != "" {
		return fiber.NewError(fiber.StatusUnprocessableEntity, "error_audit_filter")
	}
	headers := store.AuditCSVHeader([]string{loc.T("audit_col_when"), loc.T("audit_col_actor"), loc.T("audit_col_code"),
		loc.T("audit_col_action"), loc.T("audit_col_target_kind"), loc.T("audit_col_target_id"), loc.T("audit_col_target"),
		loc.T("audit_col_detail")})
	labels := map[string]string{}
	for _, a := range store.AuditActions {
		labels[a] = loc.T(store.AuditLabelID(a))
	}
	names := auditNames(loc)
	f := q.Filter

	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="audit-log.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	// The writer runs after the handler has returned: it has its own context and only what
	// was copied above.
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		out := csv.NewWriter(w)
		_, err := w.WriteString(utf8BOM)
		if err == nil {
			err = out.Write(headers)
		}
		if err == nil {
			err = s.store.EachAuditEntry(ctx, f, auditExportChunk, func(es []model.AuditEntry) error {
				for i := range es {
					if err := out.Write(store.AuditCSVRow(&es[i], names, labels[es[i].Action])); err != nil {
						return err
					}
				}
				out.Flush()
				if err := out.Error(); err != nil {
					return err
				}
				return w.Flush()
			})
		}
		out.Flush()
		if err == nil {
			err = out.Error()
		}
		if err != nil {
			s.log.Warn("audit export cut short", "err", err)
		}
	})
	return nil
}
