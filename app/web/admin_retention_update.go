package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/retention"
	"github.com/cairn-lms/cairn/app/store"
)

// retentionForm is the admin page's retention form: the periods as stored, or as sent when
// refused (so nothing typed is lost), and the day of the last purge.
type retentionForm struct {
	Attendance, Audit, Inactive, Warning string
	LastRun                              time.Time
	Max                                  int
	Error                                string
}

func (s *Server) retentionForm(c *fiber.Ctx) (*retentionForm, error) {
	p, err := s.retentionPolicy(c.UserContext())
	if err != nil {
		return nil, err
	}
	f := &retentionForm{Attendance: strconv.Itoa(p.AttendanceDays), Audit: strconv.Itoa(p.AuditDays),
		Inactive: strconv.Itoa(p.InactiveDays), Warning: strconv.Itoa(p.WarningDays), Max: retention.MaxDays}
	last, err := s.store.Setting(c.UserContext(), retention.SettingLastRun, "")
	if err != nil {
		return nil, err
	}
	f.LastRun, _ = time.Parse(time.DateOnly, last)
	return f, nil
}

// updateRetention stores the retention periods; the next daily purge applies them.
func (s *Server) updateRetention(c *fiber.Ctx) error {
	sent := &retentionForm{
		Attendance: strings.TrimSpace(c.FormValue("attendance_days")), Audit: strings.TrimSpace(c.FormValue("audit_days")),
		Inactive: strings.TrimSpace(c.FormValue("inactive_days")), Warning: strings.TrimSpace(c.FormValue("warning_days")),
		Max: retention.MaxDays,
	}
	var p retention.Policy
	ok := true
	for _, f := range []struct {
		text string
		to   *int
	}{{sent.Attendance, &p.AttendanceDays}, {sent.Audit, &p.AuditDays}, {sent.Inactive, &p.InactiveDays}, {sent.Warning, &p.WarningDays}} {
		n, err := strconv.Atoi(f.text)
		ok = ok && err == nil
		*f.to = n
	}
	if !ok || p.Validate() != nil {
		d, err := s.adminData(c)
		if err != nil {
			return err
		}
		sent.LastRun, sent.Error = d.Retention.LastRun, state(c).loc.T("retention_error")
		d.Retention = sent
		return s.render(c, fiber.StatusUnprocessableEntity, "admin", "admin_title", d)
	}
	if err := retention.Save(c.UserContext(), s.store, p); err != nil {
		return err
	}
	s.audit(c, store.AuditSettingRetain, store.NoTarget, p.Detail())
	s.flash(c, "flash_settings_saved")
	return redirect(c, "/admin#retention")
}
