package figures

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestShippedFiguresAreCurrent keeps the committed PNGs in step with their sources without
// a browser: every source in docs/figures has a PNG next to its lesson that records the
// source's current fingerprint, and no generated PNG outlives its source.
func TestShippedFiguresAreCurrent(t *testing.T) {
	figs, err := Find("../../docs/figures", "../../courses")
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) == 0 {
		t.Fatal("no figure sources found in docs/figures")
	}
	stale, err := Stale(figs, "../../courses")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stale {
		t.Errorf("%s — run: go run ./cmd/cairn-figures", s)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFindPutsEachFigureNextToItsLesson(t *testing.T) {
	root := t.TempDir()
	figDir, coursesDir := filepath.Join(root, "figures"), filepath.Join(root, "courses")
	writeFile(t, filepath.Join(coursesDir, "c/m/l/en.md"), "---\ntitle: L\n---\n")
	writeFile(t, filepath.Join(coursesDir, "c/m/l/ar.md"), "---\ntitle: L\n---\n")
	writeFile(t, filepath.Join(figDir, "figure.css"), "body{}")
	writeFile(t, filepath.Join(figDir, "c/m/l/flow.en.html"), "<main>en</main>")
	writeFile(t, filepath.Join(figDir, "c/m/l/flow.ar.html"), "<main>ar</main>")
	figs, err := Find(figDir, coursesDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 2 {
		t.Fatalf("found %d figures, want 2", len(figs))
	}
	if f := figs[1]; f.Source != "c/m/l/flow.en.html" || f.Output != "c/m/l/flow.en.png" || f.Lang != "en" {
		t.Errorf("figure = %+v", f)
	}
	if figs[0].Hash == figs[1].Hash {
		t.Error("different sources share a fingerprint")
	}
}

func TestFindRejectsSourcesWithoutALesson(t *testing.T) {
	for name, source := range map[string]string{
		"language the lesson lacks":  "c/m/l/flow.fr.html",
		"lesson that does not exist": "c/m/other/flow.en.html",
		"name without a language":    "c/m/l/flow.html",
		"source outside a lesson":    "c/m/flow.en.html",
	} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			figDir, coursesDir := filepath.Join(root, "figures"), filepath.Join(root, "courses")
			writeFile(t, filepath.Join(coursesDir, "c/m/l/en.md"), "---\ntitle: L\n---\n")
			writeFile(t, filepath.Join(figDir, source), "<main></main>")
			if _, err := Find(figDir, coursesDir); err == nil || !strings.Contains(err.Error(), source) {
				t.Fatalf("Find error = %v, want one naming %s", err, source)
			}
		})
	}
}

func TestFingerprintFollowsTheStylesheetsThatApply(t *testing.T) {
	root := t.TempDir()
	figDir, coursesDir := filepath.Join(root, "figures"), filepath.Join(root, "courses")
	writeFile(t, filepath.Join(coursesDir, "c/m/l/en.md"), "---\ntitle: L\n---\n")
	writeFile(t, filepath.Join(figDir, "figure.css"), "body{}")
	writeFile(t, filepath.Join(figDir, "c/m/l/x.css"), ".x{}")
	writeFile(t, filepath.Join(figDir, "c/m/l/x.en.html"), "<main></main>")
	hash := func() string {
		t.Helper()
		figs, err := Find(figDir, coursesDir)
		if err != nil {
			t.Fatal(err)
		}
		return figs[0].Hash
	}
	before := hash()
	writeFile(t, filepath.Join(figDir, "other/unrelated.css"), ".y{}")
	if hash() != before {
		t.Error("a stylesheet outside the source's folders changed the fingerprint")
	}
	writeFile(t, filepath.Join(figDir, "figure.css"), "body{color:red}")
	if hash() == before {
		t.Error("changing the shared stylesheet kept the fingerprint")
	}
	mid := hash()
	writeFile(t, filepath.Join(figDir, "c/m/l/x.css"), ".x{color:red}")
	if hash() == mid {
		t.Error("changing the figure's own stylesheet kept the fingerprint")
	}
}

func TestStaleFindsMissingOutdatedAndOrphanedPNGs(t *testing.T) {
	root := t.TempDir()
	figDir, coursesDir := filepath.Join(root, "figures"), filepath.Join(root, "courses")
	writeFile(t, filepath.Join(coursesDir, "c/m/l/en.md"), "---\ntitle: L\n---\n")
	writeFile(t, filepath.Join(figDir, "c/m/l/a.en.html"), "<main>a</main>")
	writeFile(t, filepath.Join(figDir, "c/m/l/b.en.html"), "<main>b</main>")
	figs, err := Find(figDir, coursesDir)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	current, err := EncodePNG(img, 8, figs[0].Hash)
	if err != nil {
		t.Fatal(err)
	}
	outdated, _ := EncodePNG(img, 8, "an-older-fingerprint")
	writeFile(t, filepath.Join(coursesDir, "c/m/l/a.en.png"), string(current))
	writeFile(t, filepath.Join(coursesDir, "c/m/l/gone.en.png"), string(outdated))
	var plain bytes.Buffer
	if err := png.Encode(&plain, img); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(coursesDir, "c/m/l/photo.png"), plain.String()) // not generated: left alone

	stale, err := Stale(figs, coursesDir)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(stale, "\n")
	if len(stale) != 2 || !strings.Contains(got, "c/m/l/b.en.png: missing") || !strings.Contains(got, "c/m/l/gone.en.png: generated from a source that no longer exists") {
		t.Fatalf("stale =\n%s", got)
	}

	writeFile(t, filepath.Join(coursesDir, "c/m/l/b.en.png"), string(outdated))
	stale, _ = Stale(figs, coursesDir)
	if got := strings.Join(stale, "\n"); !strings.Contains(got, "c/m/l/b.en.png: out of date") {
		t.Fatalf("stale =\n%s", got)
	}
}

func TestEncodePNGKeepsFewColoursExactAndIsDeterministic(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 30, 20))
	cols := []color.RGBA{{255, 255, 255, 255}, {31, 111, 92, 255}, {161, 48, 31, 255}}
	for y := range 20 {
		for x := range 30 {
			img.Set(x, y, cols[(x/10+y/7)%3])
		}
	}
	a, err := EncodePNG(img, 64, "abc")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := EncodePNG(img, 64, "abc")
	if !bytes.Equal(a, b) {
		t.Error("two encodings of the same image differ")
	}
	if h, err := SourceHash(a); err != nil || h != "abc" {
		t.Errorf("SourceHash = %q, %v", h, err)
	}
	out, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	for y := range 20 {
		for x := range 30 {
			r1, g1, b1, _ := img.At(x, y).RGBA()
			r2, g2, b2, _ := out.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 {
				t.Fatalf("pixel %d,%d changed", x, y)
			}
		}
	}
}

func TestQuantiseBoundsThePaletteAndStaysClose(t *testing.T) {
	// A smooth ramp (as anti-aliased text makes) has far more colours than the palette.
	img := image.NewRGBA(image.Rect(0, 0, 256, 8))
	for x := range 256 {
		for y := range 8 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(255 - x), uint8(x / 2), 255})
		}
	}
	b, err := EncodePNG(img, 16, "h")
	if err != nil {
		t.Fatal(err)
	}
	out, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := out.ColorModel().(color.Palette)
	if !ok || len(p) > 16 {
		t.Fatalf("palette %T of %d colours, want at most 16", out.ColorModel(), len(p))
	}
	for x := range 256 {
		r, _, _, _ := out.At(x, 0).RGBA()
		if d := int(r>>8) - x; d < -24 || d > 24 {
			t.Fatalf("pixel %d: red %d, too far from %d", x, r>>8, x)
		}
	}
}

func TestSourceHashRejectsOtherPNGs(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	if _, err := SourceHash(buf.Bytes()); err == nil {
		t.Error("a PNG without a fingerprint was taken for a generated figure")
	}
	if _, err := SourceHash([]byte("GIF89a")); err == nil {
		t.Error("a GIF was taken for a generated figure")
	}
}

// TestRenderDrawsMainAtFigureWidth renders a source with the real Chromium, twice: the PNG
// is <main> at the figure width, holds the source's colours, records the fingerprint and
// comes out byte for byte the same; a <main> of another width is refused.
func TestRenderDrawsMainAtFigureWidth(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CAIRN_TEST_REQUIRE_BROWSER") == "1" {
			t.Fatalf("Chromium required but not found at %s", chromium)
		}
		t.Skipf("render test skipped: no Chromium at %s", chromium)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "f.en.html")
	writeFile(t, src, `<!doctype html><html><head><meta charset="utf-8"><style>
*{box-sizing:border-box} body{margin:0} main{display:block;width:720px;padding:20px;background:#fff;font:22px "DejaVu Sans"}
.box{height:60px;background:#1f6f5c}</style></head>
<body><main><p>Hello, مرحبًا</p><div class="box"></div></main></body></html>`)
	r, err := NewRenderer(chromium, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, err := r.Render(ctx, src, "fingerprint")
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Render(ctx, src, "fingerprint")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two renders of the same source differ")
	}
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if h := img.Bounds().Dy(); h < 100 || h > 200 {
		t.Errorf("height %d, want the height of <main> (about 150)", h)
	}
	r1, g1, b1, _ := img.At(360, img.Bounds().Dy()-40).RGBA()
	if r1>>8 != 0x1f || g1>>8 != 0x6f || b1>>8 != 0x5c {
		t.Errorf("box colour = #%02x%02x%02x, want #1f6f5c", r1>>8, g1>>8, b1>>8)
	}
	if h, _ := SourceHash(a); h != "fingerprint" {
		t.Errorf("recorded fingerprint %q", h)
	}
	wide := filepath.Join(dir, "wide.en.html")
	writeFile(t, wide, `<!doctype html><html><body style="margin:0"><main style="display:block;width:760px;height:40px"></main></body></html>`)
	if _, err := r.Render(ctx, wide, "x"); err == nil || !strings.Contains(err.Error(), "760 px wide") {
		t.Errorf("rendering a 760 px <main>: err = %v", err)
	}
}
