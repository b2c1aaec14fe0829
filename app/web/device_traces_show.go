package web

import "github.com/gofiber/fiber/v2"

type deviceTracesData struct {
	Page     *sitePage
	FellBack bool
}

// showDeviceTraces says what the site leaves on a phone or computer and how to remove it,
// browser by browser. Anyone may read it, signed in or not, whatever the content-access
// setting: it matters most before someone signs in on a shared or borrowed device.
func (s *Server) showDeviceTraces(c *fiber.Ctx) error {
	var d deviceTracesData
	d.Page, d.FellBack = s.deviceTraces.pick(lang(c), s.cfg.DefaultLocale)
	return s.render(c, fiber.StatusOK, "device_traces", "device_traces_title", d)
}
