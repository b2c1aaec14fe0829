package web

import (
	"errors"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/logo"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// uploadLogo replaces the instance's logo with a re-encoded copy of the uploaded image.
func (s *Server) uploadLogo(c *fiber.Ctx) error {
	st := state(c)
	data, err := readLogoUpload(c)
	var l *logo.Logo
	if err == nil {
		// Decoding may take tens of megabytes: one at a time.
		select {
		case s.logoSlot <- struct{}{}:
		case <-c.UserContext().Done():
			return c.UserContext().Err()
		}
		l, err = logo.Normalize(data)
		<-s.logoSlot
	}
	if err != nil {
		id, ok := logoProblem(err)
		if !ok {
			return err
		}
		d, derr := s.adminData(c)
		if derr != nil {
			return derr
		}
		d.Instance.LogoError = st.loc.T(id, "KB", logo.MaxBytes>>10, "Side", logo.MaxSourceSide)
		return s.render(c, fiber.StatusUnprocessableEntity, "admin", "admin_title", d)
	}
	if err := s.store.SetLogo(c.UserContext(), &model.InstanceLogo{PNG: l.PNG, ETag: l.ETag, Width: l.Width, Height: l.Height}); err != nil {
		return err
	}
	s.instanceSettingsChanged()
	s.audit(c, store.AuditSettingInstance, store.NoTarget, store.AuditDetail("what", "logo"))
	s.log.Info("instance logo changed", "bytes", len(l.PNG), "width", l.Width, "height", l.Height, "by_user_id", st.user.ID)
	s.flash(c, "flash_logo_saved")
	return redirect(c, "/admin#logo")
}

// logoProblem names the message for a way an upload is refused; false for a failure that
// is not the upload's fault.
func logoProblem(err error) (string, bool) {
	for _, p := range []struct {
		err error
		id  string
	}{
		{logo.ErrEmpty, "error_logo_empty"},
		{logo.ErrTooLarge, "error_logo_too_large"},
		{logo.ErrFormat, "error_logo_format"},
		{logo.ErrDimensions, "error_logo_dimensions"},
		{logo.ErrDamaged, "error_logo_damaged"},
	} {
		if errors.Is(err, p.err) {
			return p.id, true
		}
	}
	return "", false
}

// readLogoUpload returns the uploaded file's bytes, reading no more than a logo may have.
func readLogoUpload(c *fiber.Ctx) ([]byte, error) {
	fh, err := c.FormFile("logo")
	if err != nil || fh.Size == 0 {
		return nil, logo.ErrEmpty
	}
	if fh.Size > logo.MaxBytes {
		return nil, logo.ErrTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, logo.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	return data, nil
}
