package browser_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/coursepkg/pkgtest"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// An admin on a phone, scripts off, uploads a course package, reads the checker's report
// (in English and in Arabic), fixes the course, uploads it again with "publish" ticked, and
// a learner finds the course in the catalogue. No page may scroll sideways at 360 px.
func TestAnAdminUploadsAPackageSeesTheReportFixesItAndALearnerFindsTheCourse(t *testing.T) {
	root := startChromium(t)
	db := dbtest.Open(t, "sqlite")
	base := startServer(t, db)
	ctxb := context.Background()
	st := store.New(db, nil)
	hasher, _ := auth.NewHasher(1024, 1, 1, 1)
	const password = "a course package passphrase"
	hash, _ := hasher.Hash(ctxb, password)
	for name, role := range map[string]string{"pkg-admin": model.RoleAdmin, "pkg-learner": model.RoleLearner} {
		u := &model.User{Username: name, UsernameKey: name, UsernameSkeleton: auth.UsernameSkeleton(name), PasswordHash: hash, Role: role}
		if err := st.CreateAccount(ctxb, store.NewAccount{User: u}); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	broken := write("field-safety.zip", pkgtest.Package(t, "field-safety", pkgtest.Course("field-safety", "1", "Read [the next one](lesson:missing-lesson) first.")))
	fixed := write("field-safety-fixed.zip", pkgtest.Package(t, "field-safety", pkgtest.Course("field-safety", "1", "Keep your phone locked.")))
	type css = chromedp.CSS
	fits := func(ctx context.Context, where string) {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[layout](measureLayout))
		if err != nil {
			t.Fatal(err)
		}
		if got.ScrollWidth > got.ClientWidth {
			t.Fatalf("%s scrolls sideways: %d px on %d; sticking out: %s", where, got.ScrollWidth, got.ClientWidth, strings.Join(got.Culprits, " | "))
		}
	}

	admin := phoneTab(t, root)
	signInAs(t, admin, base, "pkg-admin", password)
	for _, lang := range []string{"en", "ar"} {
		err := chromedp.Do(admin,
			chromedp.Navigate(base+"/admin/courses?lang="+lang),
			chromedp.WaitVisible(css(`#package`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		fits(admin, "/admin/courses in "+lang)
		err = chromedp.Do(admin,
			chromedp.SetUploadFiles(css(`#package`), []string{broken}),
			chromedp.Submit(css(`#package`)),
			chromedp.WaitVisible(css(`ol.report`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		report := text(t, admin, `ol.report`)
		if !strings.Contains(report, `field-safety/m/l/en.md:4: error: broken link "lesson:missing-lesson"`) {
			t.Fatalf("%s: the report:\n%s", lang, report)
		}
		msg := text(t, admin, `.notice .field-error`)
		if want := map[string]string{"en": "nothing was imported", "ar": "لم يُستورد شيء"}[lang]; !strings.Contains(msg, want) {
			t.Fatalf("%s: the refusal says %q", lang, msg)
		}
		fits(admin, "the report in "+lang)
	}
	err := chromedp.Do(admin,
		chromedp.Navigate(base+"/admin/courses?lang=en"),
		chromedp.WaitVisible(css(`#package`)),
		chromedp.SetUploadFiles(css(`#package`), []string{fixed}),
		chromedp.Click(css(`#publish`)),
		chromedp.Submit(css(`#package`)),
		chromedp.WaitVisible(css(`.notice`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if page := text(t, admin, `main`); !strings.Contains(page, "The course is published.") || !strings.Contains(page, "an imported package") {
		t.Fatalf("after the fixed upload:\n%s", page)
	}
	fits(admin, "/admin/courses with a package")
	// The package's own page, where a GIFT quiz is added, in both directions.
	for _, lang := range []string{"en", "ar"} {
		err := chromedp.Do(admin,
			chromedp.Navigate(base+"/admin/courses/packages/1?lang="+lang),
			chromedp.WaitVisible(css(`#gift`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		fits(admin, "the package page in "+lang)
	}

	learner := phoneTab(t, root)
	signInAs(t, learner, base, "pkg-learner", password)
	err = chromedp.Do(learner,
		chromedp.Navigate(base+"/courses?lang=en"),
		chromedp.Click(css(`main a[href="/courses/field-safety"]`)),
		chromedp.WaitVisible(css(`main a[href="/courses/field-safety/lessons/l"]`)),
		chromedp.Click(css(`main a[href="/courses/field-safety/lessons/l"]`)),
		chromedp.WaitVisible(css(`main h1`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if lesson := text(t, learner, `main`); !strings.Contains(lesson, "Keep your phone locked.") {
		t.Fatalf("the lesson:\n%s", lesson)
	}
}
