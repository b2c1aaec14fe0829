package web

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
	"github.com/gofiber/fiber/v2"
)

// liveJoinQRCode draws the presenter view's join link as a QR code, as PNG (Tor Browser's
// Safest level shows no SVG), with the library that draws the two-factor QR codes. Only the
// cohort's trainers get it: it carries the join code. Never kept by any cache, so a
// regenerated or revoked code is never shown from a stale copy.
func (s *Server) liveJoinQRCode(c *fiber.Ctx) error {
	m, err := s.consoleMember(c)
	if err != nil {
		return err
	}
	if s.cfg.BaseURL == "" {
		// A path alone opens nothing on a phone: the page says so instead of showing a code.
		return fiber.ErrNotFound
	}
	img, err := qrPNG(s.presentLink(m), 8)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(img)
}

// qrPNG encodes text as a QR code of scale pixels per module, with the four-module quiet
// zone around it that readers need to find the code on a busy screen.
func qrPNG(text string, scale int) ([]byte, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, err
	}
	n := code.Bounds().Dx()
	code, err = barcode.Scale(code, n*scale, n*scale)
	if err != nil {
		return nil, err
	}
	quiet := 4 * scale
	side := n*scale + 2*quiet
	img := image.NewGray(image.Rect(0, 0, side, side))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(quiet, quiet, quiet+n*scale, quiet+n*scale), code, code.Bounds().Min, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
