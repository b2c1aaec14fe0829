package coursepkg_test

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/coursepkg"
	"github.com/cairn-lms/cairn/app/coursepkg/pkgtest"
)

func TestEveryMaliciousPackageIsRefusedWithItsOwnReason(t *testing.T) {
	for _, m := range pkgtest.Malicious(t) {
		t.Run(m.Code, func(t *testing.T) {
			_, err := coursepkg.Read(m.Data, coursepkg.DefaultLimits)
			var pe *coursepkg.Error
			if !errors.As(err, &pe) {
				t.Fatalf("accepted or failed without a reason: %v", err)
			}
			if pe.Code != m.Code {
				t.Fatalf("refused as %s (%v), want %s", pe.Code, err, m.Code)
			}
			if pe.Error() == "" || strings.Contains(pe.Error(), "%!") {
				t.Fatalf("unreadable message %q", pe.Error())
			}
		})
	}
}

func TestTotalSizeIsBoundedAcrossFiles(t *testing.T) {
	files := pkgtest.Course("c", "1", "Fine.")
	for i := range 4 {
		files["m/pic"+string(rune('a'+i))+".png"] = []byte(strings.Repeat("x", 1000))
	}
	lim := coursepkg.DefaultLimits
	lim.MaxTotalBytes = 3000
	lim.MaxRatio = 0
	_, err := coursepkg.Read(pkgtest.Package(t, "c", files), lim)
	var pe *coursepkg.Error
	if !errors.As(err, &pe) || pe.Code != coursepkg.CodeTotalTooBig {
		t.Fatalf("got %v, want %s", err, coursepkg.CodeTotalTooBig)
	}
}

func TestAValidPackageReadsBackAsItsFolderAndPassesTheCourseChecks(t *testing.T) {
	files := pkgtest.Course("demo", "2", "Hello.")
	data := pkgtest.Zip(t,
		pkgtest.Entry{Name: "demo/"},
		pkgtest.Entry{Name: "demo/course.yaml", Body: files["course.yaml"]},
		pkgtest.Entry{Name: "demo/m/l/en.md", Body: files["m/l/en.md"]},
		pkgtest.Entry{Name: "__MACOSX/demo/._course.yaml", Body: []byte{0, 1}},
	)
	checked, problems, err := coursepkg.Check(data, coursepkg.DefaultLimits, course.Options{})
	if err != nil || checked == nil {
		t.Fatalf("refused: %v %v", err, problems)
	}
	if checked.Course.ID != "demo" || checked.Course.Version != "2" {
		t.Fatalf("loaded %s %s", checked.Course.ID, checked.Course.Version)
	}
	// The canonical form is stable: packing it again gives the same bytes and checksum.
	again, _, err := coursepkg.Check(checked.Canonical, coursepkg.DefaultLimits, course.Options{})
	if err != nil || again.Checksum != checked.Checksum {
		t.Fatalf("the canonical package does not round-trip: %v %s %s", err, again.Checksum, checked.Checksum)
	}
	pkg, err := coursepkg.Read(checked.Canonical, coursepkg.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(pkg.FS(), "m/l/en.md"); err != nil || len(pkg.Files) != 2 {
		t.Fatalf("files %v: %v", pkg.Files, err)
	}
}

func TestACourseWithErrorsGivesTheSameFileLineReportAsTheChecker(t *testing.T) {
	files := pkgtest.Course("demo", "1", "See [x](lesson:missing).")
	checked, problems, err := coursepkg.Check(pkgtest.Package(t, "demo", files), coursepkg.DefaultLimits, course.Options{})
	if err != nil || checked != nil {
		t.Fatalf("want problems only, got %v %v", checked, err)
	}
	var all []string
	for _, p := range problems {
		all = append(all, p.String())
	}
	if !strings.Contains(strings.Join(all, "\n"), `demo/m/l/en.md:4: error: broken link "lesson:missing"`) {
		t.Fatalf("report:\n%s", strings.Join(all, "\n"))
	}
}

func TestAFolderPacksIntoAPackageThatReadsBack(t *testing.T) {
	b, err := coursepkg.FromFS(fstestFS(pkgtest.Course("x", "1", "Hi.")), "x")
	if err != nil {
		t.Fatal(err)
	}
	checked, problems, err := coursepkg.Check(b, coursepkg.DefaultLimits, course.Options{})
	if err != nil || checked == nil {
		t.Fatalf("%v %v", err, problems)
	}
}
