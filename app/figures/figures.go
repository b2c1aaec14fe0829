// Package figures turns the HTML sources of lesson figures (docs/figures) into the PNG
// images the lessons show (courses/…). Rendering needs headless Chromium; checking that the
// committed PNGs are current does not, so the server and the tests never need a browser for
// figures: the PNGs are committed content like the Markdown beside them.
package figures

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Every figure is Width CSS pixels wide (device scale 1) with at most Colors colours: the
// lesson page scales it to the screen, and 64 colours keep flat diagrams with anti-aliased
// text sharp (at 16, red and amber merge) while most figures stay under 40 KiB.
const (
	Width  = 720
	Colors = 64
)

// recipe names how sources become pixels; it is part of every fingerprint. Bump its
// version when the rendering or the PNG encoding changes in a way that should regenerate
// every figure.
var recipe = fmt.Sprintf("cairn-figures/1 width=%d colors=%d", Width, Colors)

// sourceName is <name>.<lang>.html; the name and language follow the course id rules.
var sourceName = regexp.MustCompile(`^([a-z][a-z0-9-]{0,63})\.([a-z]{2,3}(?:-[a-z0-9]{2,8})?)\.html$`)

// Figure is one source and the image it becomes.
type Figure struct {
	Source string // path of the HTML source, relative to the figures folder (slash-separated)
	Output string // path of the PNG, relative to the courses folder (slash-separated)
	Lang   string
	Hash   string // hex SHA-256 of the recipe, the stylesheets that apply and the source
}

// Find lists the figures under figDir: every <course>/<module>/<lesson>/<name>.<lang>.html.
// Each must sit in a folder that mirrors a lesson folder under coursesDir that has a lesson
// in the same language, so a figure cannot silently drift away from its lesson.
func Find(figDir, coursesDir string) ([]Figure, error) {
	fsys := os.DirFS(figDir)
	var figs []Figure
	var problems []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".html" {
			return nil
		}
		dir, base := path.Split(p)
		dir = strings.TrimSuffix(dir, "/")
		m := sourceName.FindStringSubmatch(base)
		if m == nil || strings.Count(dir, "/") != 2 {
			problems = append(problems, fmt.Sprintf("%s: a figure source must be <course>/<module>/<lesson>/<name>.<lang>.html", p))
			return nil
		}
		lesson := filepath.Join(coursesDir, filepath.FromSlash(dir), m[2]+".md")
		if _, err := os.Stat(lesson); err != nil {
			problems = append(problems, fmt.Sprintf("%s: no lesson %s to show it", p, filepath.ToSlash(lesson)))
			return nil
		}
		h, err := hashSource(fsys, p)
		if err != nil {
			return err
		}
		figs = append(figs, Figure{Source: p, Output: path.Join(dir, m[1]+"."+m[2]+".png"), Lang: m[2], Hash: h})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find figures in %s: %w", figDir, err)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("find figures in %s:\n  %s", figDir, strings.Join(problems, "\n  "))
	}
	sort.Slice(figs, func(i, j int) bool { return figs[i].Source < figs[j].Source })
	return figs, nil
}

// hashSource fingerprints what a figure's pixels depend on: the recipe, every stylesheet in
// the source's folder and the folders above it (the ones its <link>s can reach), and the
// source itself. A PNG records the fingerprint it was made from, so a stale one is found
// without a browser.
func hashSource(fsys fs.FS, src string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", recipe)
	var dirs []string
	for d := path.Dir(src); ; d = path.Dir(d) {
		dirs = append(dirs, d)
		if d == "." {
			break
		}
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		css, err := fs.Glob(fsys, path.Join(dirs[i], "*.css"))
		if err != nil {
			return "", err
		}
		sort.Strings(css)
		for _, c := range css {
			if err := hashFile(h, fsys, c); err != nil {
				return "", err
			}
		}
	}
	if err := hashFile(h, fsys, src); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(h interface{ Write([]byte) (int, error) }, fsys fs.FS, name string) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(h, "%s %d\n", name, len(b))
	_, err = h.Write(b)
	return err
}

// Stale lists what is out of date: figures whose PNG is missing or was made from another
// version of its source, and generated PNGs whose source is gone.
func Stale(figs []Figure, coursesDir string) ([]string, error) {
	var out []string
	want := map[string]bool{}
	for _, f := range figs {
		want[f.Output] = true
		b, err := os.ReadFile(filepath.Join(coursesDir, filepath.FromSlash(f.Output)))
		if err != nil {
			out = append(out, fmt.Sprintf("%s: missing (render it from %s)", f.Output, f.Source))
			continue
		}
		got, err := SourceHash(b)
		if err != nil {
			out = append(out, fmt.Sprintf("%s: %v", f.Output, err))
			continue
		}
		if got != f.Hash {
			out = append(out, fmt.Sprintf("%s: out of date with %s (render it again)", f.Output, f.Source))
		}
	}
	err := fs.WalkDir(os.DirFS(coursesDir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".png" || want[p] {
			return err
		}
		b, err := os.ReadFile(filepath.Join(coursesDir, filepath.FromSlash(p)))
		if err != nil {
			return err
		}
		if _, err := SourceHash(b); err == nil {
			out = append(out, fmt.Sprintf("%s: generated from a source that no longer exists (delete it, or restore the source)", p))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("look for generated figures in %s: %w", coursesDir, err)
	}
	return out, nil
}
