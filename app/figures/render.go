package figures

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/url"
	"path/filepath"

	"github.com/chromedp/chromedp"
)

// Renderer draws figure sources with one headless Chromium.
type Renderer struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// NewRenderer starts Chromium. The browser reaches nothing but local files: figures must
// not depend on the network, and a source that tries is rendered without what it asked for.
func NewRenderer(chromium, profileDir string) (*Renderer, error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profileDir),
		// Same pixels on every run and machine with the same Chromium and fonts: no GPU,
		// sRGB, grey-scale anti-aliasing (colour fringes would multiply the palette), no
		// font hinting, no scrollbars, no network.
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("disable-lcd-text", true),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	cancel := func() { cancelCtx(); cancelAlloc() }
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancel()
		return nil, fmt.Errorf("start Chromium (%s): %w", chromium, err)
	}
	return &Renderer{ctx: ctx, cancel: cancel}, nil
}

// Close stops Chromium.
func (r *Renderer) Close() { r.cancel() }

// Render draws the source file's <main> element and returns the encoded PNG.
func (r *Renderer) Render(ctx context.Context, source, hash string) ([]byte, error) {
	abs, err := filepath.Abs(source)
	if err != nil {
		return nil, err
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	tab, cancel := chromedp.NewContext(r.ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	// The viewport is tall enough for any figure so the capture never depends on scrolling.
	err = chromedp.Do(tab,
		chromedp.EmulateViewport(Width, 4000),
		chromedp.Navigate(u.String()),
	)
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", source, err)
	}
	shot, err := chromedp.Run(tab, chromedp.Screenshot(chromedp.CSS("main")))
	if err != nil {
		return nil, fmt.Errorf("render %s: capture <main>: %w", source, err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		return nil, fmt.Errorf("render %s: decode screenshot: %w", source, err)
	}
	// A <main> wider than the viewport would be cut; a narrower one would make figures of
	// different widths. Both are mistakes in the source.
	if w := img.Bounds().Dx(); w != Width {
		return nil, fmt.Errorf("render %s: <main> is %d px wide, want %d (check its width, padding and box-sizing)", source, w, Width)
	}
	return EncodePNG(img, Colors, hash)
}
