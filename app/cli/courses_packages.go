package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/coursepkg"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/signing"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/courses"
)

// Course packages live in the database (migration 0020): every instance serves the
// published ones next to the courses folder, a published package winning over a folder
// course of the same id. On PostgreSQL a change here reaches running servers at once
// (NOTIFY); on SQLite they see it at their next check (CAIRN_COURSES_CHECK_INTERVAL).

const reachNote = "running servers pick it up at once on PostgreSQL, within CAIRN_COURSES_CHECK_INTERVAL on SQLite"

// packageSignature is how a package's signature is asked for: sig is the content of its
// .minisig file (nil when there is none); required refuses a package without one.
type packageSignature struct {
	sig      []byte
	required bool
}

// importPackage checks a package (a .zip, or a course folder packed the same way) as
// `cairn courses check` does and stores it as a draft, or published with publish. A signed
// package is imported only when its signature is good, made by this instance's key or a
// partner's key the admins trust, and names the same course and version. A refused package
// stores nothing.
func importPackage(env Env, cfg config.Config, src string, data []byte, publish bool, signed packageSignature) error {
	checked, problems, err := coursepkg.Check(data, coursepkg.DefaultLimits, course.Options{})
	var pe *coursepkg.Error
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: refused, nothing imported: %v", src, pe)
	}
	if err != nil {
		return err
	}
	published := 0
	if checked != nil {
		published = 1
	}
	if err := report(env, src, problems, published); err != nil {
		return fmt.Errorf("%w; nothing imported", err)
	}
	if err := checkPackageSignature(env, cfg, src, data, checked.Course, signed); err != nil {
		return fmt.Errorf("%s: %w; nothing imported", src, err)
	}
	return withStore(env, cfg, func(ctx context.Context, st *store.Store) error {
		p := &model.CoursePackage{CourseID: checked.Course.ID, Version: checked.Course.Version, Checksum: checked.Checksum, Package: checked.Canonical}
		if err := st.ImportPackage(ctx, p); err != nil {
			if errors.Is(err, store.ErrPackageVersionExists) {
				return fmt.Errorf("version %s of %s is already imported and has left draft; raise the version in course.yaml", p.Version, p.CourseID)
			}
			return err
		}
		audit(ctx, st, env, store.AuditCourseImport, store.PackageTarget(p), "")
		what := "as a draft; publish it with `cairn courses publish " + p.CourseID + "`"
		if publish {
			if err := st.PublishPackage(ctx, p.ID); err != nil {
				return err
			}
			audit(ctx, st, env, store.AuditCoursePublish, store.PackageTarget(p), "")
			what = "and published it; " + reachNote
		}
		fmt.Fprintf(env.Stdout, "imported %s version %s (package %d, sha256 %s) %s\n", p.CourseID, p.Version, p.ID, p.Checksum[:12], what)
		return nil
	})
}

// checkPackageSignature verifies a package's signature, when it has one, against the keys
// the instance trusts (instanceKeys), and that the signed manifest names the course and
// version the package holds: a good signature of another course is no reason to install
// this one.
func checkPackageSignature(env Env, cfg config.Config, src string, data []byte, c *course.Course, signed packageSignature) error {
	if signed.sig == nil {
		if signed.required {
			return errors.New("the package is not signed (no .minisig file beside it) and --require-signature was given")
		}
		return nil
	}
	keys, err := instanceKeys(cfg)
	if err != nil {
		return fmt.Errorf("signature refused: the signer's key is not trusted here (%v); an admin adds partners' keys on /admin, Signing keys of partner instances", err)
	}
	v, m, err := signing.VerifyPackageOf(bytes.NewReader(data), signed.sig, keys, c.ID, c.Version)
	if err != nil {
		return fmt.Errorf("signature refused: %w", err)
	}
	who := v.Key.Label
	if who == "" {
		who = "this instance"
	}
	fmt.Fprintf(env.Stdout, "%s: signature good, by %s (key %s), signed %s\n", src, who, v.Key.ID(), m.Date.UTC().Format(time.DateOnly))
	return nil
}

// withStore opens the migrated database for one command.
func withStore(env Env, cfg config.Config, fn func(context.Context, *store.Store) error) error {
	ctx, stop := signalContext()
	defer stop()
	db, err := openMigrated(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(ctx, store.New(db, nil))
}

// runCoursesList prints the stored packages, then the folder courses they may replace.
func runCoursesList(args []string, env Env) error {
	cfg, flags, err := loadConfig("courses list", args, env, nil)
	if err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return usageError("list takes no argument")
	}
	return withStore(env, cfg, func(ctx context.Context, st *store.Store) error {
		pkgs, err := st.CoursePackages(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PACKAGE\tCOURSE\tVERSION\tSTATUS\tSHA256\tIMPORTED")
		for _, p := range pkgs {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.CourseID, p.Version, p.Status, p.Checksum[:12], p.CreatedAt.UTC().Format("2006-01-02 15:04"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fsys, label := folderCourses(cfg.CoursesDir)
		cat, _ := course.Load(fsys, label, course.Options{})
		var ids []string
		for _, c := range cat.All() {
			ids = append(ids, c.ID+" "+c.Version)
		}
		fmt.Fprintf(env.Stdout, "%d package(s); courses in %s: %s (a published package of the same id is served instead)\n", len(pkgs), label, strings.Join(ids, ", "))
		return nil
	})
}

// folderCourses is where the server reads course folders from: the courses folder, else
// the courses built into the binary (serve.go's coursesSource).
func folderCourses(dir string) (fs.FS, string) {
	if info, err := os.Stat(dir); err == nil && info.IsDir() {
		return os.DirFS(dir), dir
	}
	return courses.FS, "courses (shipped)"
}

// runCoursesStatus publishes, unpublishes or archives a course's package.
func runCoursesStatus(action string, args []string, env Env) error {
	var version string
	cfg, flags, err := loadConfig("courses "+action, args, env, func(fs *flag.FlagSet) {
		fs.StringVar(&version, "version", "", "the version to act on (publish: default the newest; archive: default every version)")
	})
	if err != nil {
		return err
	}
	// --version may also come after the id.
	pos, err := parseInterleaved(flags, flags.Args())
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("%s takes one course id: cairn courses %s ID [--version V]", action, action)
	}
	id := pos[0]
	return withStore(env, cfg, func(ctx context.Context, st *store.Store) error {
		pkgs, err := st.CoursePackages(ctx)
		if err != nil {
			return err
		}
		var mine []model.CoursePackage // newest first
		for _, p := range pkgs {
			if p.CourseID == id && (version == "" || p.Version == version) {
				mine = append(mine, p)
			}
		}
		if len(mine) == 0 {
			return fmt.Errorf("no package of course %q%s is stored; see `cairn courses list`", id, map[bool]string{true: " version " + version}[version != ""])
		}
		switch action {
		case "publish":
			if err := st.PublishPackage(ctx, mine[0].ID); err != nil {
				return err
			}
			audit(ctx, st, env, store.AuditCoursePublish, store.PackageTarget(&mine[0]), "")
			fmt.Fprintf(env.Stdout, "published %s version %s; %s\n", id, mine[0].Version, reachNote)
		case "unpublish":
			for _, p := range mine {
				if p.Status == model.PackagePublished {
					if err := st.UnpublishPackage(ctx, p.ID); err != nil {
						return err
					}
					audit(ctx, st, env, store.AuditCourseUnpublish, store.PackageTarget(&p), "")
					fmt.Fprintf(env.Stdout, "unpublished %s version %s; %s\n", id, p.Version, reachNote)
					return nil
				}
			}
			return fmt.Errorf("no version of %q is published", id)
		case "archive":
			if version != "" {
				if err := st.ArchivePackage(ctx, mine[0].ID); err != nil {
					return err
				}
				audit(ctx, st, env, store.AuditCourseArchive, store.PackageTarget(&mine[0]), "")
			} else {
				if _, err := st.ArchiveCourse(ctx, id); err != nil {
					return err
				}
				for i := range mine {
					if mine[i].Status != model.PackageArchived {
						audit(ctx, st, env, store.AuditCourseArchive, store.PackageTarget(&mine[i]), "")
					}
				}
			}
			fmt.Fprintf(env.Stdout, "archived %s%s; %s\n", id, map[bool]string{true: " version " + version}[version != ""], reachNote)
		}
		return nil
	})
}

// exportPackages writes each course, as served, to DIR/ID.zip: the published package
// when there is one, else the folder course (the courses folder, else the built-in set).
func exportPackages(env Env, cfg config.Config, to string, ids []string, replace, sign bool) error {
	var key *signing.Key
	if sign {
		var err error
		if key, err = signing.LoadOrCreateKey(cfg.DataDir); err != nil {
			return err
		}
	}
	return withStore(env, cfg, func(ctx context.Context, st *store.Store) error {
		fsys, label := folderCourses(cfg.CoursesDir)
		cat, _ := course.Load(fsys, label, course.Options{})
		pkgs, err := st.PublishedPackages(ctx)
		if err != nil {
			return err
		}
		out := map[string][]byte{}
		for _, p := range pkgs {
			out[p.CourseID] = p.Package
		}
		if len(ids) == 0 {
			for _, c := range cat.All() {
				ids = append(ids, c.ID)
			}
			for id := range out {
				if cat.Course(id) == nil {
					ids = append(ids, id)
				}
			}
		}
		for _, id := range ids {
			if _, ok := out[id]; ok {
				continue
			}
			if cat.Course(id) == nil {
				return fmt.Errorf("no course %q is served (neither a published package nor a course in %s)", id, label)
			}
			sub, err := fs.Sub(fsys, id)
			if err != nil {
				return err
			}
			if out[id], err = coursepkg.FromFS(sub, id); err != nil {
				return err
			}
		}
		if err := os.MkdirAll(to, 0o755); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := os.Stat(filepath.Join(to, id+".zip")); err == nil && !replace {
				return fmt.Errorf("%s already exists; add --replace to overwrite it", filepath.Join(to, id+".zip"))
			}
		}
		for _, id := range ids {
			dst := filepath.Join(to, id+".zip")
			if err := os.WriteFile(dst, out[id], 0o644); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "exported %s to %s (sha256 %s)\n", id, dst, coursepkg.Checksum(out[id])[:12])
			if key != nil {
				checked, _, err := coursepkg.Check(out[id], coursepkg.DefaultLimits, course.Options{})
				if err != nil || checked == nil {
					return fmt.Errorf("%s does not pass the checks, so it is not signed: %v", dst, err)
				}
				sig, err := signing.SignPackage(key, bytes.NewReader(out[id]), checked.Course.ID, checked.Course.Version, checked.Course.Languages, time.Now())
				if err != nil {
					return err
				}
				if err := os.WriteFile(dst+".minisig", sig, 0o644); err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "signed it: %s.minisig (key %s)\n", dst, key.Public.ID())
			}
		}
		fmt.Fprintln(env.Stdout, "import a package with `cairn courses import FILE.zip` or on /admin/courses")
		return nil
	})
}
