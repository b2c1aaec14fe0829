package figures

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const usage = `cairn-figures renders lesson figures from HTML to PNG with headless Chromium.

Usage:
  cairn-figures [flags] [FILTER…]   render the figures whose source path contains a FILTER
                                    (all of them without one), skipping current ones
  cairn-figures -check [flags]      list missing and out-of-date figures; no browser needed

Sources are <figures>/<course>/<module>/<lesson>/<name>.<lang>.html; each becomes
<courses>/<course>/<module>/<lesson>/<name>.<lang>.png. See docs/figures.md.

Flags:
`

// Main runs the command and returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cairn-figures", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	figDir := fs.String("figures", "docs/figures", "folder of figure sources")
	coursesDir := fs.String("courses", "courses", "courses folder the PNGs go into")
	chromium := fs.String("chromium", "/usr/bin/chromium", "Chromium or Chrome executable")
	check := fs.Bool("check", false, "only report missing and out-of-date PNGs; exit 1 if any")
	force := fs.Bool("force", false, "render even figures whose PNG is current")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	figs, err := Find(*figDir, *coursesDir)
	if err != nil {
		fmt.Fprintln(stderr, "cairn-figures:", err)
		return 1
	}
	if *check {
		stale, err := Stale(figs, *coursesDir)
		if err != nil {
			fmt.Fprintln(stderr, "cairn-figures:", err)
			return 1
		}
		for _, s := range stale {
			fmt.Fprintln(stdout, s)
		}
		if len(stale) > 0 {
			return 1
		}
		fmt.Fprintf(stdout, "%d figures, all current\n", len(figs))
		return 0
	}
	todo := figs[:0:0]
	for _, f := range figs {
		if !matches(f.Source, fs.Args()) {
			continue
		}
		if !*force {
			if b, err := os.ReadFile(filepath.Join(*coursesDir, filepath.FromSlash(f.Output))); err == nil {
				if h, err := SourceHash(b); err == nil && h == f.Hash {
					continue
				}
			}
		}
		todo = append(todo, f)
	}
	if len(todo) == 0 {
		fmt.Fprintln(stdout, "nothing to render (use -force to render current figures again)")
		return 0
	}
	profile, err := os.MkdirTemp("", "cairn-figures-")
	if err != nil {
		fmt.Fprintln(stderr, "cairn-figures:", err)
		return 1
	}
	defer os.RemoveAll(profile)
	r, err := NewRenderer(*chromium, profile)
	if err != nil {
		fmt.Fprintln(stderr, "cairn-figures:", err)
		return 1
	}
	defer r.Close()
	failed := 0
	for _, f := range todo {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		b, err := r.Render(ctx, filepath.Join(*figDir, filepath.FromSlash(f.Source)), f.Hash)
		cancel()
		if err == nil {
			err = os.WriteFile(filepath.Join(*coursesDir, filepath.FromSlash(f.Output)), b, 0o644)
		}
		if err != nil {
			fmt.Fprintln(stderr, "cairn-figures:", err)
			failed++
			continue
		}
		fmt.Fprintf(stdout, "%s  %s\n", f.Output, describe(b))
	}
	if failed > 0 {
		return 1
	}
	return 0
}

func matches(src string, filters []string) bool {
	if len(filters) == 0 {
		return true
	}
	for _, f := range filters {
		if strings.Contains(src, f) {
			return true
		}
	}
	return false
}
