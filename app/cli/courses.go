package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/coursepkg"
	"github.com/cairn-lms/cairn/app/intake"
)

func runCourses(args []string, env Env) error {
	if len(args) > 0 && args[0] == "import" {
		return runCoursesImport(args[1:], env)
	}
	if len(args) > 0 && args[0] == "export" && wantsOffline(args[1:]) {
		return runCoursesExportOffline(args[1:], env)
	}
	if len(args) > 0 && args[0] == "export" {
		return runCoursesExport(args[1:], env)
	}
	if len(args) > 0 && args[0] == "verify" {
		return runCoursesVerify(args[1:], env)
	}
	if len(args) > 0 && args[0] == "stamp" {
		return runCoursesStamp(args[1:], env)
	}
	if len(args) > 0 && args[0] == "import-gift" {
		return runCoursesImportGIFT(args[1:], env)
	}
	if len(args) > 0 && args[0] == "list" {
		return runCoursesList(args[1:], env)
	}
	if len(args) > 0 && (args[0] == "publish" || args[0] == "unpublish" || args[0] == "archive") {
		return runCoursesStatus(args[0], args[1:], env)
	}
	if len(args) == 0 || args[0] != "check" {
		return usageError("courses needs an action: check [DIR], stamp DIR [--lang L] [PATH…], import FILE.zip|DIR, import-gift FILE --course C --module M, list, publish|unpublish|archive ID, export [--zip] [--to DIR] [COURSE…], export --offline COURSE [--lang L]… [--to FILE], or verify FILE [--pubkey KEY]")
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
	label := filepath.Clean(dir)
	published := 0
	// Glossaries sit next to the courses: in the folder checked, and above a single course.
	glossaries, problems := course.LoadGlossaries(os.DirFS(dir), label)
	if _, err := os.Stat(filepath.Join(dir, "course.yaml")); err == nil {
		parent := filepath.Dir(label)
		if label == "." {
			parent = ".."
		}
		gs, ps := course.LoadGlossaries(os.DirFS(parent), parent)
		glossaries, problems = append(glossaries, gs...), append(problems, ps...)
		c, ps := course.LoadOne(os.DirFS(dir), filepath.Base(label), label, course.Options{Glossaries: glossaries})
		problems = append(problems, ps...)
		if c != nil {
			published = 1
		}
	} else {
		cat, ps := course.Load(os.DirFS(dir), label, course.Options{Glossaries: glossaries})
		problems = append(problems, ps...)
		published = len(cat.All())
		// The risk intake names lessons and checklist items of these courses.
		_, ps = intake.Load(os.DirFS(dir), label, cat, glossaries)
		problems = append(problems, ps...)
	}
	return report(env, dir, problems, published)
}

// report prints problems sorted by file and line, then a summary; errors make it fail.
func report(env Env, dir string, problems []course.Problem, published int) error {
	sort.SliceStable(problems, func(i, j int) bool {
		if problems[i].File != problems[j].File {
			return problems[i].File < problems[j].File
		}
		return problems[i].Line < problems[j].Line
	})
	errs, warns, notes := 0, 0, 0
	for _, p := range problems {
		fmt.Fprintln(env.Stdout, p.String())
		switch {
		case p.Note:
			notes++
		case p.Warning:
			warns++
		default:
			errs++
		}
	}
	noted := ""
	if notes > 0 {
		noted = fmt.Sprintf(", %d note(s)", notes)
	}
	fmt.Fprintf(env.Stdout, "%d error(s), %d warning(s)%s; %d course(s) ready to publish\n", errs, warns, noted, published)
	if errs > 0 {
		return fmt.Errorf("%s has %d error(s)", dir, errs)
	}
	return nil
}

// runCoursesImport imports a course package (FILE.zip) into the database, or checks one
// course folder and copies it into the courses folder, where the server picks it up on its
// next start or SIGHUP (with --database, the folder is packed and imported like a .zip).
func runCoursesImport(args []string, env Env) error {
	var replace, publish, toDB, requireSig bool
	var sigPath string
	cfg, fs, err := loadConfig("courses import", args, env, func(fs *flag.FlagSet) {
		fs.BoolVar(&replace, "replace", false, "replace a course folder with the same id (folder import)")
		fs.BoolVar(&publish, "publish", false, "publish the package once it passes the checks (package import)")
		fs.BoolVar(&toDB, "database", false, "import a course folder into the database as a package instead of copying it into the courses folder")
		fs.StringVar(&sigPath, "sig", "", "the package's signature (default: FILE.zip.minisig beside it, when it exists)")
		fs.BoolVar(&requireSig, "require-signature", false, "refuse a package that is not signed by this instance or a partner whose key the admins trust")
	})
	if err != nil {
		return err
	}
	pos, err := parseInterleaved(fs, fs.Args())
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("import takes one course package (FILE.zip) or one course folder (the one holding course.yaml)")
	}
	src := filepath.Clean(pos[0])
	if info, err := os.Stat(src); err != nil {
		return err
	} else if !info.IsDir() {
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		signed := packageSignature{required: requireSig}
		if sigPath == "" {
			if _, err := os.Stat(src + ".minisig"); err == nil {
				sigPath = src + ".minisig"
			}
		}
		if sigPath != "" {
			if signed.sig, err = os.ReadFile(sigPath); err != nil {
				return err
			}
		}
		return importPackage(env, cfg, src, data, publish, signed)
	} else if toDB || publish {
		data, err := coursepkg.FromFS(os.DirFS(src), filepath.Base(src))
		if err != nil {
			return err
		}
		if requireSig || sigPath != "" {
			return usageError("a course folder carries no signature: sign and import its package (FILE.zip)")
		}
		return importPackage(env, cfg, src, data, publish, packageSignature{})
	}
	c, problems := course.LoadOne(os.DirFS(src), filepath.Base(src), src, course.Options{})
	published := 0
	if c != nil {
		published = 1
	}
	if err := report(env, src, problems, published); err != nil {
		return err
	}
	dst := filepath.Join(cfg.CoursesDir, c.ID)
	if _, err := os.Stat(dst); err == nil {
		if !replace {
			return fmt.Errorf("%s already exists; add --replace to overwrite it (learners' progress follows lesson ids and is kept)", dst)
		}
		if err := os.RemoveAll(dst); err != nil {
			return err
		}
	}
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		return fmt.Errorf("copy %s to %s: %w", src, dst, err)
	}
	fmt.Fprintf(env.Stdout, "imported %s version %s into %s; restart the server or send it SIGHUP to publish it\n", c.ID, c.Version, dst)
	return nil
}
