package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// staticFile is one file of assets/static, served under a name that contains its hash, so
// it can be cached forever and a new release still reaches every browser at once.
type staticFile struct {
	body        []byte
	contentType string
}

// staticAssets maps logical names ("css/cairn.css") to hashed URLs and back.
type staticAssets struct {
	urls  map[string]string      // logical name → /static/css/cairn.1a2b3c4d5e.css
	files map[string]*staticFile // hashed URL → file
}

func loadStatic(fsys fs.FS) (*staticAssets, error) {
	a := &staticAssets{urls: map[string]string{}, files: map[string]*staticFile{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(p)
		url := "/static/" + strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.urls[p] = url
		a.files[url] = &staticFile{body: body, contentType: ctype}
		return nil
	})
	return a, err
}

// URL returns the hashed URL of a logical asset name; templates call it through Page.Asset.
func (a *staticAssets) URL(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("unknown static asset %q", name)
	}
	return u, nil
}

func (a *staticAssets) serve(c *fiber.Ctx) error {
	f, ok := a.files[c.Path()]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, f.contentType)
	return c.Send(f.body)
}
