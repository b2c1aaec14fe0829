package cli

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/cairn-lms/cairn/app/intake"
	"github.com/cairn-lms/cairn/courses"
)

// runCoursesExport writes the courses built into the binary to a folder, as editable
// course folders: an instance that runs from the binary (or the container image) alone can
// take the shipped courses, adapt them, and serve them with CAIRN_COURSES_DIR.
func runCoursesExport(args []string, env Env) error {
	var to string
	var replace, zip, sign bool
	cfg, flags, err := loadConfig("courses export", args, env, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "folder to write the courses into (default: the courses folder, CAIRN_COURSES_DIR; with --zip, the current folder)")
		fs.BoolVar(&replace, "replace", false, "replace course folders (or packages) that already exist there")
		fs.BoolVar(&zip, "zip", false, "write each course as served (a published package, else its folder) as a package, COURSE.zip")
		fs.BoolVar(&sign, "sign", false, "with --zip: sign each package with the instance key (COURSE.zip.minisig), for partner instances to import")
		// Given, it is handled by runCoursesExportOffline (courses_offline.go) before this.
		fs.Bool("offline", false, "write a signed static copy of one course to read offline instead: export --offline COURSE [--lang L]… [--to FILE] (see export --offline -h)")
	})
	if err != nil {
		return err
	}
	if zip {
		if to == "" {
			to = "."
		}
		return exportPackages(env, cfg, to, flags.Args(), replace, sign)
	}
	if sign {
		return usageError("--sign goes with --zip: export --zip --sign [COURSE…]")
	}
	if to == "" {
		to = cfg.CoursesDir
	}
	shipped, err := shippedCourses()
	if err != nil {
		return err
	}
	ids := flags.Args()
	// Exporting every course brings the risk intake (courses/intake.yaml) along: it names
	// their lessons, and a courses folder without it offers no personal plan.
	withIntake := len(ids) == 0
	if len(ids) == 0 {
		ids = shipped
	}
	for _, id := range ids {
		if !slices.Contains(shipped, id) {
			return fmt.Errorf("no course %q is built into this binary; it has: %v", id, shipped)
		}
	}
	// Check every destination first, so a refusal leaves nothing half written.
	for _, id := range ids {
		if _, err := os.Stat(filepath.Join(to, id)); err == nil && !replace {
			return fmt.Errorf("%s already exists; add --replace to overwrite it (edits made there would be lost)", filepath.Join(to, id))
		}
	}
	if withIntake {
		if _, err := os.Stat(filepath.Join(to, intake.FileName)); err == nil && !replace {
			return fmt.Errorf("%s already exists; add --replace to overwrite it (edits made there would be lost)", filepath.Join(to, intake.FileName))
		}
	}
	for _, id := range ids {
		dst := filepath.Join(to, id)
		if err := os.RemoveAll(dst); err != nil {
			return err
		}
		src, err := fs.Sub(courses.FS, id)
		if err != nil {
			return err
		}
		if err := os.CopyFS(dst, src); err != nil {
			return fmt.Errorf("export %s to %s: %w", id, dst, err)
		}
		fmt.Fprintf(env.Stdout, "exported %s into %s\n", id, dst)
	}
	if withIntake {
		raw, err := fs.ReadFile(courses.FS, intake.FileName)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, intake.FileName), raw, 0o644); err != nil { //nolint:gosec // course content, readable like the course folders
			return fmt.Errorf("export the risk intake: %w", err)
		}
		fmt.Fprintf(env.Stdout, "exported the risk intake into %s\n", filepath.Join(to, intake.FileName))
	}
	fmt.Fprintf(env.Stdout, "check them with \"cairn courses check %s\"; the server reads them from CAIRN_COURSES_DIR\n", to)
	return nil
}

// shippedCourses lists the course folders built into the binary.
func shippedCourses() ([]string, error) {
	entries, err := fs.ReadDir(courses.FS, ".")
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		if _, err := fs.Stat(courses.FS, e.Name()+"/course.yaml"); e.IsDir() && err == nil {
			ids = append(ids, e.Name())
		}
	}
	return ids, nil
}
