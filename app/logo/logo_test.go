package logo_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"testing"

	"github.com/cairn-lms/cairn/app/logo"
)

func picture(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: 90, A: 255})
		}
	}
	return img
}

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// jpegWithGPS is a JPEG whose EXIF segment records a GPS position, as a phone writes it.
func jpegWithGPS(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, picture(64, 48), nil); err != nil {
		t.Fatal(err)
	}
	// A minimal TIFF structure is enough for the test: what matters is that the bytes of the
	// segment, with its recognisable position, are in the file.
	exif := append([]byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08"), []byte("GPSLatitude 33.8938N GPSLongitude 35.5018E")...)
	seg := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(exif)+2))
	jpg := buf.Bytes()
	out := append(append(append([]byte{}, jpg[:2]...), seg...), exif...)
	return append(out, jpg[2:]...)
}

func TestAJPEGComesOutAsAPNGWithoutItsGPSPosition(t *testing.T) {
	in := jpegWithGPS(t)
	if !bytes.Contains(in, []byte("GPSLatitude 33.8938N")) {
		t.Fatal("the fixture lost its EXIF segment")
	}
	if _, err := jpeg.Decode(bytes.NewReader(in)); err != nil {
		t.Fatalf("the fixture is not a valid JPEG: %v", err)
	}
	l, err := logo.Normalize(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"Exif", "GPS", "33.8938"} {
		if bytes.Contains(l.PNG, []byte(leak)) {
			t.Errorf("the logo still holds %q", leak)
		}
	}
	if l.Width != 64 || l.Height != 48 {
		t.Errorf("logo is %d×%d, want 64×48", l.Width, l.Height)
	}
	img, err := png.Decode(bytes.NewReader(l.PNG))
	if err != nil {
		t.Fatalf("the logo is not a PNG: %v", err)
	}
	if img.Bounds().Dx() != 64 {
		t.Errorf("decoded width %d", img.Bounds().Dx())
	}
	// Only the chunks the encoder writes for pixels: no text, no profile, no time.
	for _, chunk := range pngChunks(t, l.PNG) {
		switch chunk {
		case "IHDR", "IDAT", "IEND", "PLTE", "tRNS":
		default:
			t.Errorf("the logo has a %s chunk", chunk)
		}
	}
}

func TestAPNGKeepsOnlyItsPixels(t *testing.T) {
	src := encodePNG(t, picture(40, 40))
	// A tEXt chunk (a comment, an author, software) inserted after IHDR.
	text := []byte("Comment\x00taken at the office of the partner")
	chunk := make([]byte, 8, 12+len(text))
	binary.BigEndian.PutUint32(chunk, uint32(len(text)))
	copy(chunk[4:], "tEXt")
	chunk = append(chunk, text...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	in := append(append(append([]byte{}, src[:33]...), chunk...), src[33:]...)
	// Bytes after IEND that a careless browser might sniff as HTML.
	in = append(in, []byte("<html><script>alert(1)</script>")...)
	l, err := logo.Normalize(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"partner", "<html", "script"} {
		if bytes.Contains(l.PNG, []byte(leak)) {
			t.Errorf("the logo still holds %q", leak)
		}
	}
}

func TestALargeImageIsScaledDownKeepingItsProportions(t *testing.T) {
	l, err := logo.Normalize(encodePNG(t, picture(1600, 400)))
	if err != nil {
		t.Fatal(err)
	}
	if l.Width != logo.MaxSide || l.Height != logo.MaxSide/4 {
		t.Fatalf("logo is %d×%d, want %d×%d", l.Width, l.Height, logo.MaxSide, logo.MaxSide/4)
	}
	again, err := logo.Normalize(encodePNG(t, picture(1600, 400)))
	if err != nil || again.ETag != l.ETag || len(l.ETag) != 64 {
		t.Fatalf("the same upload gave another version: %q %q %v", l.ETag, again.ETag, err)
	}
}

func TestOtherFormatsAreRefusedWhateverTheirName(t *testing.T) {
	var g bytes.Buffer
	if err := gif.Encode(&g, picture(8, 8), nil); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"a GIF":              g.Bytes(),
		"an SVG":             []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"an HTML page":       []byte("<!doctype html><title>x</title><script>alert(1)</script>"),
		"a WebP header":      []byte("RIFF\x24\x00\x00\x00WEBPVP8 "),
		"a BMP":              append([]byte("BM"), make([]byte, 60)...),
		"HTML after nothing": []byte("\n\n<html>"),
	}
	for name, data := range cases {
		if _, err := logo.Normalize(data); !errors.Is(err, logo.ErrFormat) {
			t.Errorf("%s: got %v, want ErrFormat", name, err)
		}
	}
	if _, err := logo.Normalize(nil); !errors.Is(err, logo.ErrEmpty) {
		t.Errorf("no file: got %v", err)
	}
	// A PNG signature followed by rubbish.
	if _, err := logo.Normalize([]byte("\x89PNG\r\n\x1a\n<html>")); !errors.Is(err, logo.ErrDamaged) {
		t.Errorf("a damaged PNG: got %v, want ErrDamaged", err)
	}
	if _, err := logo.Normalize(append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, logo.MaxBytes)...)); !errors.Is(err, logo.ErrTooLarge) {
		t.Errorf("a file over the limit: got %v, want ErrTooLarge", err)
	}
}

// bombHeader is the start of a PNG that declares w × h pixels: a valid signature and
// IHDR chunk, then a short IDAT. Decoding it would allocate for every declared pixel.
func bombHeader(w, h uint32) []byte {
	out := []byte("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 0, 25)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 13)
	ihdr = append(ihdr, "IHDR"...)
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA
	ihdr = binary.BigEndian.AppendUint32(ihdr, crc32.ChecksumIEEE(ihdr[4:]))
	out = append(out, ihdr...)
	idat := []byte{0, 0, 0, 2, 'I', 'D', 'A', 'T', 0x78, 0x9c}
	idat = binary.BigEndian.AppendUint32(idat, crc32.ChecksumIEEE(idat[4:]))
	return append(out, idat...)
}

func TestAPNGDeclaringHugeDimensionsIsRefusedWithoutAllocatingThem(t *testing.T) {
	for _, dims := range [][2]uint32{{100000, 100000}, {logo.MaxSourceSide + 1, 10}, {4000, 4000}} {
		data := bombHeader(dims[0], dims[1])
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := logo.Normalize(data)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, logo.ErrDimensions) {
			t.Errorf("%d×%d: got %v, want ErrDimensions", dims[0], dims[1], err)
		}
		// Decoding even the smallest of them would take 64 MB; reading the header, a few KB.
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("%d×%d: refusing it allocated %d bytes", dims[0], dims[1], n)
		}
	}
}

func pngChunks(t *testing.T, b []byte) []string {
	t.Helper()
	var out []string
	b = b[8:]
	for len(b) >= 12 {
		n := binary.BigEndian.Uint32(b)
		out = append(out, string(b[4:8]))
		b = b[12+n:]
	}
	return out
}
