package browser_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/coursepkg/pkgtest"
	"github.com/cairn-lms/cairn/app/model"
)

// TestAnAdminSetsUpTheInstanceAndPublishesACourseALearnerFinds is issue #14's whole story in
// one run, on phones with scripts off: an admin names the instance (English and Arabic) and
// offers only English and Arabic, uploads a course package with a broken link, reads the
// file:line report while nothing is published, uploads the fixed package with "publish"
// ticked and finds both in the audit log; a learner, in a browser context of their own, sees
// the name and only the two languages, finds the course in the catalogue (in Arabic too, right
// to left and no wider than the phone) and opens its lesson.
func TestAnAdminSetsUpTheInstanceAndPublishesACourseALearnerFinds(t *testing.T) {
	root := startChromium(t)
	f := newLiveJourneyFixture(t, false)
	f.account(t, "setup-admin", model.RoleAdmin)
	f.account(t, "setup-learner", model.RoleLearner)
	type css = chromedp.CSS
	do := func(ctx context.Context, why string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", why, err)
		}
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const course = "field-notes"
	broken := write("field-notes.zip", pkgtest.Package(t, course, pkgtest.Course(course, "1", "Read [the next one](lesson:not-written-yet) first.")))
	fixed := write("field-notes-fixed.zip", pkgtest.Package(t, course, pkgtest.Course(course, "1", "Lock your phone before you cross a checkpoint.")))
	inCatalogue := `!!document.querySelector('main a[href="/courses/` + course + `"]')`

	admin, learner := phoneTab(t, root), phoneTab(t, root)
	f.signIn(t, admin, "setup-admin")

	// The instance's name, in English and Arabic.
	do(admin, "name the instance",
		chromedp.Navigate(f.base+"/admin?lang=en"),
		chromedp.WaitVisible(css(`#name-en`)),
		chromedp.SendKeys(css(`#name-en`), "Safe Haven"),
		chromedp.SendKeys(css(`#name-ar`), "الملاذ الآمن"),
		chromedp.Click(css(`form[action="/admin/instance"] button[type="submit"]`)),
		chromedp.WaitVisible(css(`main > .notice`)),
	)
	if got := text(t, admin, `main > .notice`); got != "Settings saved." {
		t.Fatalf("after saving the name the page says %q", got)
	}
	if got := text(t, admin, `header .brand`); !strings.Contains(got, "Safe Haven") {
		t.Fatalf("after saving the name the header shows %q", got)
	}

	// Only English and Arabic, English first. A fresh instance offers every shipped language.
	do(admin, "open the languages form", chromedp.Navigate(f.base+"/admin?lang=en"), chromedp.WaitVisible(css(`#languages`)))
	offered := `[...document.querySelectorAll('#languages input[name=offered]')].filter(i => i.checked).map(i => i.value).sort().join()`
	if got := evaluate[string](t, admin, offered); got != "ar,en,es,fa,fr" {
		t.Fatalf("a fresh instance offers %q", got)
	}
	do(admin, "offer English and Arabic",
		chromedp.Click(css(`#offer-es`)),
		chromedp.Click(css(`#offer-fa`)),
		chromedp.Click(css(`#offer-fr`)),
		chromedp.SetValue(css(`#default-language`), "en"),
		chromedp.Click(css(`form[action="/admin/languages"] button[type="submit"]`)),
	)
	// The page before had five languages in its switcher: this holds on the new one only.
	switcher := `[...document.querySelectorAll('.languages a')].map(a => a.lang).join()`
	if !until(t, admin, `document.querySelector('main > .notice')?.textContent === 'Settings saved.' && `+switcher+` === 'ar,en'`, 30*time.Second) {
		t.Fatalf("after saving the languages: notice %q, switcher %q", evaluate[string](t, admin, `document.querySelector('main > .notice')?.textContent ?? ''`), evaluate[string](t, admin, switcher))
	}
	if got := evaluate[string](t, admin, offered); got != "ar,en" {
		t.Fatalf("the form now shows %q offered", got)
	}
	if got := evaluate[string](t, admin, `document.querySelector('#default-language').value`); got != "en" {
		t.Fatalf("the default language is %q", got)
	}
	fitsWidth(t, admin, "the admin page")

	// A package with a broken link: the report names the file and line, nothing is stored.
	do(admin, "upload the broken package",
		chromedp.Navigate(f.base+"/admin/courses?lang=en"),
		chromedp.WaitVisible(css(`#package`)),
		chromedp.SetUploadFiles(css(`#package`), []string{broken}),
		chromedp.Submit(css(`#package`)),
		chromedp.WaitVisible(css(`ol.report`)),
	)
	if report := text(t, admin, `ol.report`); !strings.Contains(report, course+`/m/l/en.md:4: error: broken link "lesson:not-written-yet"`) {
		t.Fatalf("the report:\n%s", report)
	}
	if msg := text(t, admin, `.notice .field-error`); !strings.Contains(msg, "nothing was imported") {
		t.Fatalf("the refusal says %q", msg)
	}
	if got := text(t, admin, `section[aria-labelledby="packages-heading"] .muted`); got != "No package has been imported yet." {
		t.Fatalf("after the refusal the packages section says %q", got)
	}
	if evaluate[bool](t, admin, inCatalogue) {
		t.Fatal("after the refusal the course is listed among the courses served")
	}
	fitsWidth(t, admin, "the report")
	f.signIn(t, learner, "setup-learner")
	do(learner, "open the catalogue", chromedp.Navigate(f.base+"/courses?lang=en"), chromedp.WaitVisible(css(`main h1`)))
	if evaluate[bool](t, learner, inCatalogue) {
		t.Fatal("the learner finds the refused course")
	}

	// The fixed package, published as it passes.
	do(admin, "upload the fixed package",
		chromedp.Navigate(f.base+"/admin/courses?lang=en"),
		chromedp.WaitVisible(css(`#package`)),
		chromedp.SetUploadFiles(css(`#package`), []string{fixed}),
		chromedp.Click(css(`#publish`)),
		chromedp.Submit(css(`#package`)),
		chromedp.WaitVisible(css(`section[aria-labelledby="packages-heading"] table`)),
	)
	if got := text(t, admin, `main > .notice`); got != "The course is published." {
		t.Fatalf("after the fixed upload the page says %q", got)
	}
	row := evaluate[string](t, admin, `document.querySelector('section[aria-labelledby="packages-heading"] tbody tr')?.innerText ?? ''`)
	if !strings.Contains(row, course) || !strings.Contains(row, "Published") {
		t.Fatalf("the imported package's row: %q", row)
	}
	if !evaluate[bool](t, admin, inCatalogue) {
		t.Fatal("the published course is not among the courses served")
	}
	fitsWidth(t, admin, "/admin/courses with the package")

	// The audit log has every step, by the admin, newest first, and nothing of the refusal.
	// (The package's name is isolated, U+2068 to U+2069, for Arabic sentences.)
	do(admin, "open the audit log", chromedp.Navigate(f.base+"/admin/audit?lang=en"), chromedp.WaitVisible(css(`.audit-list`)))
	entries := evaluate[[]string](t, admin, `[...document.querySelectorAll('.audit-list .audit-what')].map(p => p.textContent)`)
	want := []string{
		"setup-admin · Course package published · course package \u2068" + course + " 1\u2069",
		"setup-admin · Course package imported · course package \u2068" + course + " 1\u2069",
		"setup-admin · Instance settings changed",
		"setup-admin · Instance settings changed",
	}
	if strings.Join(entries, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the audit log lists %q, want %q", entries, want)
	}
	fitsWidth(t, admin, "the audit log")

	// The learner: the instance's name, two languages, the course and its lesson.
	do(learner, "open the catalogue again", chromedp.Navigate(f.base+"/courses?lang=en"), chromedp.WaitVisible(css(`main h1`)))
	if got := text(t, learner, `header .brand`); !strings.Contains(got, "Safe Haven") {
		t.Errorf("the learner's header shows %q", got)
	}
	if got := evaluate[string](t, learner, `document.title`); !strings.HasSuffix(got, " · Safe Haven") {
		t.Errorf("the learner's page title is %q", got)
	}
	if got := evaluate[string](t, learner, switcher); got != "ar,en" {
		t.Errorf("the learner's language switcher offers %q, want ar,en", got)
	}
	fitsWidth(t, learner, "the catalogue in en")
	do(learner, "open the course and its lesson",
		chromedp.Click(css(`main a[href="/courses/`+course+`"]`)),
		chromedp.WaitVisible(css(`main a[href="/courses/`+course+`/lessons/l"]`)),
		chromedp.Click(css(`main a[href="/courses/`+course+`/lessons/l"]`)),
		chromedp.WaitVisible(css(`main h1`)),
	)
	if got := text(t, learner, `main h1`); got != "Lesson of "+course {
		t.Errorf("the lesson's heading is %q", got)
	}
	if lesson := text(t, learner, `main`); !strings.Contains(lesson, "Lock your phone before you cross a checkpoint.") {
		t.Fatalf("the lesson:\n%s", lesson)
	}
	fitsWidth(t, learner, "the lesson in en")

	do(learner, "open the catalogue in Arabic", chromedp.Navigate(f.base+"/courses?lang=ar"), chromedp.WaitVisible(css(`main h1`)))
	if got := evaluate[[]string](t, learner, `[document.documentElement.lang, document.documentElement.dir]`); strings.Join(got, ",") != "ar,rtl" {
		t.Errorf("the Arabic catalogue's lang and dir are %q", got)
	}
	if got := text(t, learner, `header .brand`); !strings.Contains(got, "الملاذ الآمن") {
		t.Errorf("the Arabic header shows %q", got)
	}
	if got := evaluate[string](t, learner, `document.title`); !strings.HasSuffix(got, " · الملاذ الآمن") {
		t.Errorf("the Arabic page title is %q", got)
	}
	if got := evaluate[string](t, learner, switcher); got != "ar,en" {
		t.Errorf("the Arabic language switcher offers %q, want ar,en", got)
	}
	if !evaluate[bool](t, learner, inCatalogue) {
		t.Error("the Arabic catalogue does not list the course")
	}
	fitsWidth(t, learner, "the catalogue in ar")
}
