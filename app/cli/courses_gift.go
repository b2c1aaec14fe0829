package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/gift"
)

// runCoursesImportGIFT turns a Moodle GIFT file into the quiz of a module
// (cairn courses import-gift FILE --course C --module M). It prints the GIFT file's
// problems by line, and writes only when there is no error, neither in the GIFT file nor in
// the course checked with the quiz in it; then it prints that check as cairn courses check
// does.
func runCoursesImportGIFT(args []string, env Env) error {
	flags := flag.NewFlagSet("cairn courses import-gift", flag.ContinueOnError)
	flags.SetOutput(env.Stderr)
	courseID := flags.String("course", "", "the id of the course (its folder in the courses folder)")
	module := flags.String("module", "", "the id of the module the quiz is for")
	lang := flags.String("lang", "", "the language of the GIFT file (default: the course's default language, the only one a quiz is imported in)")
	dir := flags.String("dir", "", "the courses folder (default: CAIRN_COURSES_DIR, else ./courses)")
	dryRun := flags.Bool("dry-run", false, "report and check only; write nothing")
	replace := flags.Bool("replace", false, "replace the module's quiz if it has one")
	skip := flags.Bool("skip-unsupported", false, "leave out the questions Cairn cannot express (each reported) instead of refusing the file")
	passMark := flags.Int("pass-mark", gift.DefaultPassMark, "the quiz's pass mark, in percent (GIFT files do not carry one)")
	// Flags may come before or after the file.
	pos, err := parseInterleaved(flags, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *courseID == "" || *module == "" {
		return usageError("import-gift FILE --course C --module M [--lang L] [--dir COURSES_DIR] [--dry-run] [--replace] [--skip-unsupported] [--pass-mark N]")
	}
	if !gift.ValidID(*courseID) || !gift.ValidID(*module) {
		return usageError("--course and --module take ids: lowercase letters, digits and hyphens, starting with a letter")
	}
	coursesDir := *dir
	if coursesDir == "" {
		cfg, _, err := config.Load("cairn courses import-gift", nil, env.Getenv, env.Stderr, nil)
		if err != nil {
			return err
		}
		coursesDir = cfg.CoursesDir
	}
	file := pos[0]
	src, err := readLimited(file, gift.MaxFileBytes)
	if err != nil {
		return err
	}
	courseDir := filepath.Join(coursesDir, *courseID)
	if info, err := os.Stat(filepath.Join(courseDir, "course.yaml")); err != nil || info.IsDir() {
		return fmt.Errorf("%s is not a course folder (no course.yaml); --dir names the courses folder, --course the course in it", courseDir)
	}
	label := filepath.Clean(courseDir)
	// The same glossaries cairn courses check reads for one course: beside it and above it.
	glossaries, gproblems := course.LoadGlossaries(os.DirFS(courseDir), label)
	gs, ps := course.LoadGlossaries(os.DirFS(filepath.Dir(label)), filepath.Dir(label))
	glossaries, gproblems = append(glossaries, gs...), append(gproblems, ps...)

	res, importErr := course.ImportGIFT(course.GIFTImport{
		CourseDir: courseDir, Label: label, Module: *module, Lang: *lang,
		Name: file, Source: src, Replace: *replace, DryRun: *dryRun,
		Convert: gift.Options{PassMark: *passMark, SkipUnsupported: *skip},
		Check:   course.Options{Glossaries: glossaries},
	})
	if res.Quiz != nil || len(res.GIFT) > 0 {
		for _, p := range res.GIFT {
			fmt.Fprintln(env.Stdout, p.String())
		}
		errs, warns, notes := gift.Count(res.GIFT)
		n := 0
		if res.Quiz != nil && errs == 0 {
			n = len(res.Quiz.Questions)
		}
		fmt.Fprintf(env.Stdout, "%s: %d error(s), %d warning(s), %d note(s); %d question(s) to import\n", file, errs, warns, notes, n)
	}
	if res.Checked {
		published := 0
		if !hasCourseErrors(res.Check) {
			published = 1
		}
		_ = report(env, label, append(gproblems, res.Check...), published)
	}
	if importErr != nil {
		return importErr
	}
	var written []string
	for _, f := range res.Files {
		written = append(written, filepath.Join(label, filepath.FromSlash(f)))
	}
	what := strings.Join(written, ", ")
	if res.CourseYAML {
		what += fmt.Sprintf(" (quiz: true for module %q)", *module)
	}
	if *dryRun {
		fmt.Fprintf(env.Stdout, "dry run: nothing written; would write %s\n", what)
		return nil
	}
	fmt.Fprintf(env.Stdout, "wrote %s; restart the server or send it SIGHUP to publish the quiz\n", what)
	return nil
}

func hasCourseErrors(ps []course.Problem) bool {
	for _, p := range ps {
		if !p.Warning {
			return true
		}
	}
	return false
}

// readLimited reads a file of at most limit bytes.
func readLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d KiB: split the question bank", name, limit/1024)
	}
	return b, nil
}
