package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/cairn-lms/cairn/app/course"
)

func runCourses(args []string, env Env) error {
	if len(args) == 0 || args[0] != "check" {
		return usageError("courses needs an action: check [DIR]")
	}
	cfg, fs, err := loadConfig("courses check", args[1:], env, nil)
	if err != nil {
		return err
	}
	dir := cfg.CoursesDir
	if fs.NArg() > 1 {
		return usageError("check takes one folder")
	}
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	var problems []course.Problem
	published := 0
	if _, err := os.Stat(filepath.Join(dir, "course.yaml")); err == nil {
		c, ps := course.LoadOne(os.DirFS(dir), filepath.Base(filepath.Clean(dir)), filepath.Clean(dir), course.Options{})
		problems = ps
		if c != nil {
			published = 1
		}
	} else {
		cat, ps := course.Load(os.DirFS(dir), filepath.Clean(dir), course.Options{})
		problems = ps
		published = len(cat.All())
	}
	sort.SliceStable(problems, func(i, j int) bool {
		if problems[i].File != problems[j].File {
			return problems[i].File < problems[j].File
		}
		return problems[i].Line < problems[j].Line
	})
	errs, warns := 0, 0
	for _, p := range problems {
		fmt.Fprintln(env.Stdout, p.String())
		if p.Warning {
			warns++
		} else {
			errs++
		}
	}
	fmt.Fprintf(env.Stdout, "%d error(s), %d warning(s); %d course(s) ready to publish\n", errs, warns, published)
	if errs > 0 {
		return fmt.Errorf("%s has %d error(s)", dir, errs)
	}
	return nil
}
