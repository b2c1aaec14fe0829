// Package logo turns an uploaded image into the instance's logo: a PNG or JPEG only, checked
// by its content, refused before decoding when it declares more pixels than a logo needs,
// scaled down and re-encoded as a fresh PNG. Nothing of the upload but its pixels survives:
// no EXIF (camera, GPS position, date), no comments, no colour profiles, no trailing bytes
// that another program might read as HTML or script.
package logo

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
)

const (
	// MaxBytes is the largest upload accepted, below the default request body limit (1 MiB)
	// with room for the rest of the form.
	MaxBytes = 800 << 10
	// MaxSourceSide bounds the image an upload may declare (at most 9 million pixels, 36 MB
	// decoded). Decoding allocates for the declared size, so a few bytes claiming
	// 100,000 × 100,000 pixels would ask for 40 GB: the declaration is read first and such an
	// upload refused.
	MaxSourceSide = 3000
	// MaxSide is the largest side of the stored logo: the header shows it about 40 pixels
	// high, and a high-density screen at most three times that.
	MaxSide = 512
)

// Errors the caller turns into a message for the person uploading.
var (
	ErrEmpty      = errors.New("logo: no file")
	ErrTooLarge   = errors.New("logo: file too large")
	ErrFormat     = errors.New("logo: not a PNG or JPEG image")
	ErrDimensions = errors.New("logo: image too large in pixels")
	ErrDamaged    = errors.New("logo: image cannot be read")
)

// Logo is a re-encoded logo.
type Logo struct {
	PNG    []byte
	Width  int
	Height int
	// ETag is the hex SHA-256 of PNG: it names this version of the logo in its URL.
	ETag string
}

var (
	pngSignature = []byte("\x89PNG\r\n\x1a\n")
	jpegStart    = []byte{0xff, 0xd8, 0xff}
)

// Normalize checks an upload and returns the logo made from it.
func Normalize(data []byte) (*Logo, error) {
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	if len(data) > MaxBytes {
		return nil, ErrTooLarge
	}
	// The formats are chosen here, not by image.Decode: that one tries every format any
	// linked package registered (GIF, WebP, BMP…), whatever the file's name says.
	var decodeConfig func([]byte) (image.Config, error)
	var decode func([]byte) (image.Image, error)
	switch {
	case bytes.HasPrefix(data, pngSignature):
		decodeConfig = func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }
	case bytes.HasPrefix(data, jpegStart):
		decodeConfig = func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }
	default:
		return nil, ErrFormat
	}
	cfg, err := decodeConfig(data)
	if err != nil {
		return nil, ErrDamaged
	}
	if cfg.Width < 1 || cfg.Height < 1 {
		return nil, ErrDamaged
	}
	if cfg.Width > MaxSourceSide || cfg.Height > MaxSourceSide {
		return nil, ErrDimensions
	}
	img, err := decode(data)
	if err != nil {
		return nil, ErrDamaged
	}
	w, h := fit(cfg.Width, cfg.Height, MaxSide)
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	// Even at the same size the pixels are copied into a new image: the encoder then writes
	// only what the copy holds.
	draw.CatmullRom.Scale(out, out.Bounds(), img, img.Bounds(), draw.Src, nil)
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, out); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(buf.Bytes())
	return &Logo{PNG: buf.Bytes(), Width: w, Height: h, ETag: hex.EncodeToString(sum[:])}, nil
}

// fit scales w × h down, keeping its proportions, so that neither side exceeds limit.
func fit(w, h, limit int) (int, int) {
	if w <= limit && h <= limit {
		return w, h
	}
	if w >= h {
		return limit, maxOne(h * limit / w)
	}
	return maxOne(w * limit / h), limit
}

func maxOne(n int) int {
	if n < 1 {
		return 1
	}
	return n
}
