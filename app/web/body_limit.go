package web

import (
	"bytes"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
)

// uploadPath is the one route whose body may exceed CAIRN_BODY_LIMIT: course packages.
const uploadPath = "/admin/courses/import"

// drainLimit bounds how much of a refused body is still read (and thrown away: four times
// the limit, at most this) so the browser, which is still sending, reads the error page
// instead of a reset connection. Past it the connection is closed.
const drainLimit = 64 << 20

// limitBody applies the body limits. The server streams bodies (server.go): it reads up to
// CAIRN_BODY_LIMIT before the handlers run and leaves the rest on the connection. Here the
// rest is read, to CAIRN_UPLOAD_LIMIT on the upload route for an admin and to
// CAIRN_BODY_LIMIT elsewhere, and the request carries its whole body from then on, as
// without streaming. A larger body gets a localised 413 page. It runs after the session is
// known (who may upload) and before anything reads the body (the CSRF check).
func (s *Server) limitBody(c *fiber.Ctx) error {
	req := c.Request()
	stream := req.BodyStream()
	if stream == nil {
		return c.Next()
	}
	limit := int64(s.cfg.BodyLimitBytes)
	upload := c.Method() == fiber.MethodPost && strings.EqualFold(strings.TrimSuffix(c.Path(), "/"), uploadPath)
	if u := state(c).user; upload && u != nil && u.Role == model.RoleAdmin {
		limit = int64(s.cfg.UploadLimitBytes)
	}
	msg := locale.Problem("error_body_too_large", "MiB", (limit+(1<<20)-1)>>20)
	if upload {
		msg = locale.Problem("error_upload_too_large", "MiB", (limit+(1<<20)-1)>>20)
	}
	if cl := int64(req.Header.ContentLength()); cl > limit {
		return s.refuseBody(c, stream, msg, limit)
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(stream, limit+1))
	if err != nil {
		return fiber.ErrBadRequest // the client stopped sending mid-body
	}
	if n > limit {
		return s.refuseBody(c, stream, msg, limit)
	}
	req.SetBody(buf.Bytes())
	return c.Next()
}

func (s *Server) refuseBody(c *fiber.Ctx, stream io.Reader, msg *locale.Message, limit int64) error {
	_, _ = io.CopyN(io.Discard, stream, min(drainLimit, 4*limit))
	c.Set(fiber.HeaderConnection, "close")
	return &statusError{status: fiber.StatusRequestEntityTooLarge, msg: msg}
}

// statusError is an error page with its status and a message that has data.
type statusError struct {
	status int
	msg    *locale.Message
}

func (e *statusError) Error() string { return e.msg.ID }
