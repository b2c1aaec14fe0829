package figures

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"sort"
)

// textKey names the PNG tEXt chunk that records the source fingerprint.
const textKey = "cairn-figure-source"

// EncodePNG reduces a screenshot to at most maxColors colours and encodes it as a small,
// deterministic paletted PNG that records hash. Figures are flat colours and anti-aliased
// text, so a small palette without dithering keeps them sharp at a fraction of the size.
func EncodePNG(img image.Image, maxColors int, hash string) ([]byte, error) {
	pal := quantise(img, maxColors)
	b := img.Bounds()
	out := image.NewPaletted(image.Rect(0, 0, b.Dx(), b.Dy()), pal.colors)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := out.Pix[(y-b.Min.Y)*out.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			row[x-b.Min.X] = pal.index[rgbKey(img.At(x, y))]
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, out); err != nil {
		return nil, err
	}
	return insertText(buf.Bytes(), textKey, hash)
}

// SourceHash returns the fingerprint a generated PNG records, or an error if it has none.
func SourceHash(b []byte) (string, error) {
	if len(b) < 8 || !bytes.Equal(b[:8], pngSignature) {
		return "", errors.New("not a PNG")
	}
	for p := 8; p+12 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[p:]))
		typ := string(b[p+4 : p+8])
		if p+12+n > len(b) {
			break
		}
		data := b[p+8 : p+8+n]
		if typ == "tEXt" {
			if k, v, ok := bytes.Cut(data, []byte{0}); ok && string(k) == textKey {
				return string(v), nil
			}
		}
		if typ == "IDAT" || typ == "IEND" {
			break
		}
		p += 12 + n
	}
	return "", errors.New("not made by cairn-figures (no source fingerprint)")
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// insertText puts a tEXt chunk right after IHDR, where readers look for metadata.
func insertText(b []byte, key, value string) ([]byte, error) {
	const ihdrEnd = 8 + 4 + 4 + 13 + 4
	if len(b) < ihdrEnd || string(b[12:16]) != "IHDR" {
		return nil, errors.New("encoded PNG does not start with IHDR")
	}
	data := append([]byte(key+"\x00"), value...)
	chunk := make([]byte, 0, 12+len(data))
	chunk = binary.BigEndian.AppendUint32(chunk, uint32(len(data)))
	chunk = append(chunk, "tEXt"...)
	chunk = append(chunk, data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	out := make([]byte, 0, len(b)+len(chunk))
	out = append(out, b[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, b[ihdrEnd:]...), nil
}

type palette struct {
	colors color.Palette
	index  map[uint32]uint8 // every colour of the image → its palette entry
}

type bucket struct {
	rgb uint32
	n   int
}

func rgbKey(c color.Color) uint32 {
	r, g, b, _ := c.RGBA() // screenshots are opaque
	return (r>>8)<<16 | (g>>8)<<8 | b>>8
}

func channels(k uint32) [3]int { return [3]int{int(k >> 16 & 0xff), int(k >> 8 & 0xff), int(k & 0xff)} }

// quantise picks up to maxColors colours by median cut over the image's colour histogram,
// refined by a few k-means passes. It is deterministic: ties are broken by colour value.
// An image with few enough colours keeps them exactly.
func quantise(img image.Image, maxColors int) palette {
	counts := map[uint32]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			counts[rgbKey(img.At(x, y))]++
		}
	}
	hist := make([]bucket, 0, len(counts))
	for k, n := range counts {
		hist = append(hist, bucket{k, n})
	}
	sort.Slice(hist, func(i, j int) bool {
		if hist[i].n != hist[j].n {
			return hist[i].n > hist[j].n
		}
		return hist[i].rgb < hist[j].rgb
	})
	var centres [][3]int
	if len(hist) <= maxColors {
		for _, h := range hist {
			centres = append(centres, channels(h.rgb))
		}
	} else {
		centres = medianCut(hist, maxColors)
		for range 4 {
			centres = refine(hist, centres)
		}
	}
	p := palette{index: make(map[uint32]uint8, len(hist))}
	for _, c := range centres {
		p.colors = append(p.colors, color.RGBA{uint8(c[0]), uint8(c[1]), uint8(c[2]), 0xff})
	}
	for _, h := range hist {
		p.index[h.rgb] = uint8(nearest(channels(h.rgb), centres))
	}
	return p
}

// medianCut splits the colour box with the most weighted spread until there are n boxes,
// and returns each box's weighted mean colour.
func medianCut(hist []bucket, n int) [][3]int {
	boxes := [][]bucket{hist}
	for len(boxes) < n {
		best, bestScore, bestAxis := -1, 0, 0
		for i, box := range boxes {
			if len(box) < 2 {
				continue
			}
			axis, spread := widestAxis(box)
			total := 0
			for _, h := range box {
				total += h.n
			}
			if score := spread * total; score > bestScore {
				best, bestScore, bestAxis = i, score, axis
			}
		}
		if best < 0 {
			break
		}
		box := boxes[best]
		sort.Slice(box, func(i, j int) bool {
			a, b := channels(box[i].rgb)[bestAxis], channels(box[j].rgb)[bestAxis]
			if a != b {
				return a < b
			}
			return box[i].rgb < box[j].rgb
		})
		total := 0
		for _, h := range box {
			total += h.n
		}
		cut, acc := 1, 0
		for i, h := range box[:len(box)-1] {
			acc += h.n
			cut = i + 1
			if acc*2 >= total {
				break
			}
		}
		lo, hi := append([]bucket(nil), box[:cut]...), append([]bucket(nil), box[cut:]...)
		boxes[best] = lo
		boxes = append(boxes, hi)
	}
	centres := make([][3]int, 0, len(boxes))
	for _, box := range boxes {
		centres = append(centres, mean(box))
	}
	return centres
}

func widestAxis(box []bucket) (axis, spread int) {
	lo, hi := [3]int{255, 255, 255}, [3]int{}
	for _, h := range box {
		c := channels(h.rgb)
		for i := range 3 {
			lo[i], hi[i] = min(lo[i], c[i]), max(hi[i], c[i])
		}
	}
	for i := range 3 {
		if hi[i]-lo[i] > spread {
			axis, spread = i, hi[i]-lo[i]
		}
	}
	return axis, spread
}

func mean(box []bucket) [3]int {
	var sum [3]int
	total := 0
	for _, h := range box {
		c := channels(h.rgb)
		for i := range 3 {
			sum[i] += c[i] * h.n
		}
		total += h.n
	}
	for i := range 3 {
		sum[i] = (sum[i] + total/2) / total
	}
	return sum
}

// refine is one k-means pass: every colour joins its nearest centre, every centre moves to
// the weighted mean of its colours. A centre that loses all its colours stays put.
func refine(hist []bucket, centres [][3]int) [][3]int {
	groups := make([][]bucket, len(centres))
	for _, h := range hist {
		i := nearest(channels(h.rgb), centres)
		groups[i] = append(groups[i], h)
	}
	out := make([][3]int, len(centres))
	for i, g := range groups {
		if len(g) == 0 {
			out[i] = centres[i]
			continue
		}
		out[i] = mean(g)
	}
	return out
}

func nearest(c [3]int, centres [][3]int) int {
	best, bestD := 0, -1
	for i, p := range centres {
		dr, dg, db := c[0]-p[0], c[1]-p[1], c[2]-p[2]
		// Weighted as the eye is: green differences show most, blue least.
		d := 3*dr*dr + 4*dg*dg + 2*db*db
		if bestD < 0 || d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// describe summarises an encoded figure for the command's output.
func describe(b []byte) string {
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return fmt.Sprintf("%d bytes", len(b))
	}
	colors := 0
	if p, ok := cfg.ColorModel.(color.Palette); ok {
		colors = len(p)
	}
	return fmt.Sprintf("%d×%d, %d colours, %.1f KiB", cfg.Width, cfg.Height, colors, float64(len(b))/1024)
}
