package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cairn-lms/cairn/app/course"
)

// runCoursesStamp records in translations the revision of the source text they match now
// (cairn courses stamp DIR [--lang L] [PATH…]). A translator runs it after checking a
// translation against the changed source; "cairn courses check" then stops warning that the
// translation may be out of date. It edits only the revision key of each file.
func runCoursesStamp(args []string, env Env) error {
	flags := flag.NewFlagSet("cairn courses stamp", flag.ContinueOnError)
	flags.SetOutput(env.Stderr)
	lang := flags.String("lang", "", "stamp only the translations into this language")
	// Flags may come before, between or after the folders.
	pos, err := parseInterleaved(flags, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("stamp needs the courses folder or a course folder: stamp DIR [--lang L] [PATH…]")
	}
	dir := filepath.Clean(pos[0])
	courses, err := courseFolders(dir)
	if err != nil {
		return err
	}
	var only []string // absolute paths the translations must be in (or be)
	for _, p := range pos[1:] {
		abs, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		if _, err := os.Stat(abs); err != nil {
			return fmt.Errorf("%s: %w", p, errors.Unwrap(err))
		}
		only = append(only, abs)
	}
	matched := make([]bool, len(only))
	selected := func(file string) bool {
		if len(only) == 0 {
			return true
		}
		abs, err := filepath.Abs(file)
		if err != nil {
			return false
		}
		hit := false
		for i, o := range only {
			if abs == o || strings.HasPrefix(abs, o+string(filepath.Separator)) {
				matched[i], hit = true, true
			}
		}
		return hit
	}
	stamped, current, failed := 0, 0, 0
	for _, cdir := range courses {
		files, err := course.Translations(os.DirFS(cdir), ".")
		if err != nil {
			fmt.Fprintf(env.Stdout, "%s: %v\n", cdir, err)
			failed++
			continue
		}
		for _, t := range files {
			file := filepath.Join(cdir, filepath.FromSlash(t.Path))
			if (*lang != "" && t.Lang != *lang) || !selected(file) {
				continue
			}
			changed, msg, err := stampFile(file, filepath.Join(cdir, filepath.FromSlash(t.Source)), t.Quiz)
			switch {
			case err != nil:
				fmt.Fprintf(env.Stdout, "%s: %v\n", file, err)
				failed++
			case changed:
				fmt.Fprintf(env.Stdout, "%s: %s\n", file, msg)
				stamped++
			default:
				current++
			}
		}
	}
	for i, ok := range matched {
		if !ok {
			fmt.Fprintf(env.Stdout, "%s: no translation there to stamp (in %s, not in a course's default language, and in --lang if given)\n", pos[1+i], dir)
			failed++
		}
	}
	fmt.Fprintf(env.Stdout, "stamped %d translation(s); %d already current\n", stamped, current)
	if failed > 0 {
		return fmt.Errorf("%d file(s) could not be stamped", failed)
	}
	return nil
}

// courseFolders is dir when it is a course folder, or the course folders directly in it.
func courseFolders(dir string) ([]string, error) {
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "course.yaml")); err == nil {
		return []string{dir}, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(dir, e.Name(), "course.yaml")); e.IsDir() && err == nil {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no course (no course.yaml in it or in its folders)", dir)
	}
	return out, nil
}

// stampFile writes the source's current revision into one translation, replacing the file
// whole (a new file renamed over it) so an interruption never leaves half a lesson.
func stampFile(file, source string, quizTexts bool) (changed bool, msg string, err error) {
	srcBytes, err := os.ReadFile(source)
	if err != nil {
		return false, "", err
	}
	rev := course.Revision(srcBytes)
	data, err := os.ReadFile(file)
	if err != nil {
		return false, "", err
	}
	out, old, err := course.Stamp(data, quizTexts, rev)
	if err != nil {
		return false, "", err
	}
	if bytes.Equal(out, data) {
		return false, "", nil
	}
	info, err := os.Stat(file)
	if err != nil {
		return false, "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".stamp-*")
	if err != nil {
		return false, "", err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return false, "", err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return false, "", err
	}
	if err := tmp.Close(); err != nil {
		return false, "", err
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return false, "", err
	}
	key := "translated_from"
	if quizTexts {
		key = "_translated_from"
	}
	if old == "" {
		return true, fmt.Sprintf("%s %s (added; source %s)", key, rev, filepath.Base(source)), nil
	}
	return true, fmt.Sprintf("%s %s → %s (source %s)", key, old, rev, filepath.Base(source)), nil
}

// parseInterleaved parses flags that may come before, between or after the positional
// arguments, and returns the positional ones in order.
func parseInterleaved(flags *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := flags.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError("%v", err)
		}
		if flags.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, flags.Arg(0))
		args = flags.Args()[1:]
	}
}
