package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/coursepkg"
	"github.com/cairn-lms/cairn/app/coursepkg/pkgtest"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// formFile is one file of a multipart form: its field, file name and content.
type formFile struct {
	field, name string
	data        []byte
}

// postFiles submits a form with files the way the page would, with the CSRF token.
func (b *browser) postFiles(path string, form url.Values, files ...formFile) page {
	b.t.Helper()
	sent := url.Values{"csrf_token": {b.csrf()}}
	for k, v := range form {
		sent[k] = v
	}
	return b.sendMultipart(path, sent, files...)
}

// upload sends a package through the admin page's form, as a browser does.
func (b *browser) upload(name string, data []byte, publish bool) page {
	b.t.Helper()
	form := url.Values{}
	if publish {
		form.Set("publish", "1")
	}
	return b.postFiles("/admin/courses/import", form, formFile{"package", name, data})
}

func (b *browser) download(path string) []byte {
	b.t.Helper()
	resp, err := b.client.Get(b.ts.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" {
		b.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return data
}

func packageIDs(t *testing.T, ts *testServer) map[string]int64 {
	t.Helper()
	list, err := store.New(ts.DB, nil).CoursePackages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, p := range list {
		out[p.CourseID+"@"+p.Version] = p.ID
	}
	return out
}

func TestAnAdminImportsFixesPublishesAndUpgradesACourseKeepingProgress(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := adminBrowser(t, ts, "pkg-admin")
		mustContain(t, admin.get("/admin/courses"), "Import a course package", "the courses folder")

		// A course with an error: the checker's report, nothing stored.
		broken := pkgtest.Package(t, "demo", pkgtest.Course("demo", "1", "See [x](lesson:missing)."))
		p := admin.upload("demo.zip", broken, true)
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "The course has errors", `demo/m/l/en.md:4: error: broken link &#34;lesson:missing&#34;`)
		if n := countRows(t, ts.DB, "course_packages"); n != 0 {
			t.Fatalf("%d packages stored after a refusal", n)
		}

		// Fixed: stored as a draft, not served until published.
		p = admin.upload("demo.zip", pkgtest.Package(t, "demo", pkgtest.Course("demo", "1", "Version one.")), false)
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "stored as a draft")
		mustStatus(t, admin.get("/courses/demo"), http.StatusNotFound)
		id := packageIDs(t, ts)["demo@1"]
		mustContain(t, admin.post("/admin/courses/packages/"+itoa(id)+"/publish", url.Values{}), "The course is published.")

		learner := ts.browser(t)
		learner.signUp("pkg-learner")
		mustContain(t, learner.get("/courses/demo/lessons/l"), "Version one.")
		learner.post("/courses/demo/lessons/l/complete", url.Values{})
		u, err := store.New(ts.DB, nil).UserByUsernameKey(context.Background(), auth.UsernameKey("pkg-learner"))
		if err != nil {
			t.Fatal(err)
		}
		done := func() bool {
			m, err := store.New(ts.DB, nil).CompletedLessons(context.Background(), u.ID, "demo")
			if err != nil {
				t.Fatal(err)
			}
			return m["l"]
		}
		if !done() {
			t.Fatal("completing the lesson was not recorded")
		}

		// A published version is never overwritten; a new version replaces it when published.
		p = admin.upload("demo.zip", pkgtest.Package(t, "demo", pkgtest.Course("demo", "1", "Sneaky.")), true)
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "Version 1 of demo is already imported")
		p = admin.upload("demo-2.zip", pkgtest.Package(t, "demo", pkgtest.Course("demo", "2", "Version two.")), true)
		mustContain(t, p, "The course is published.")
		mustContain(t, learner.get("/courses/demo/lessons/l"), "Version two.")
		if !done() {
			t.Fatal("the learner's progress was lost with the new version")
		}
		ids := packageIDs(t, ts)
		list, _ := store.New(ts.DB, nil).CoursePackages(context.Background())
		for _, pk := range list {
			want := map[int64]string{ids["demo@1"]: model.PackageUnpublished, ids["demo@2"]: model.PackagePublished}[pk.ID]
			if pk.Status != want {
				t.Fatalf("%s %s is %s, want %s", pk.CourseID, pk.Version, pk.Status, want)
			}
		}

		// Export, then import the export: the same package (the same checksum).
		exported := admin.download("/admin/courses/demo/export.zip")
		stored, _ := store.New(ts.DB, nil).CoursePackage(context.Background(), ids["demo@2"])
		if coursepkg.Checksum(exported) != stored.Checksum {
			t.Fatal("the export of an imported course is not its package")
		}
		// A folder course exports too, and its package imports (as a new draft of it).
		sample := admin.download("/admin/courses/sample/export.zip")
		mustContain(t, admin.upload("sample.zip", sample, false), "stored as a draft")
		if _, ok := packageIDs(t, ts)["sample@1.0.0"]; !ok {
			t.Fatalf("the exported folder course did not import: %v", packageIDs(t, ts))
		}

		// Unpublished, the course is gone from the catalogue; archived, it is listed apart.
		mustContain(t, admin.post("/admin/courses/packages/"+itoa(ids["demo@2"])+"/unpublish", url.Values{}), "no longer published")
		mustStatus(t, learner.get("/courses/demo"), http.StatusNotFound)
		mustContain(t, admin.post("/admin/courses/packages/"+itoa(ids["demo@2"])+"/archive", url.Values{}), "The package is archived.", "1 archived package")
		mustStatus(t, admin.post("/admin/courses/packages/999999/publish", url.Values{}), http.StatusNotFound)
	})
}

func TestAPublishedPackageWinsOverTheFolderCourseOfTheSameID(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := adminBrowser(t, ts, "pkg-admin")
		files := pkgtest.Course("sample", "9", "Replaced by a package.")
		admin.upload("sample.zip", pkgtest.Package(t, "sample", files), true)
		mustContain(t, admin.get("/courses/sample"), "Course sample")
		mustContain(t, admin.get("/admin/courses"), "an imported package")
		id := packageIDs(t, ts)["sample@9"]
		admin.post("/admin/courses/packages/"+itoa(id)+"/unpublish", url.Values{})
		p := admin.get("/courses/sample")
		if strings.Contains(p.Body, "Course sample") {
			t.Fatal("the folder course did not come back after unpublishing")
		}
	})
}

func TestEveryMaliciousPackageIsRefusedAndChangesNothing(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := adminBrowser(t, ts, "pkg-admin")
		// One good draft already stored: refusals must leave it as it is.
		admin.upload("demo.zip", pkgtest.Package(t, "demo", pkgtest.Course("demo", "1", "Fine.")), false)
		before := packageIDs(t, ts)
		folder := pkgtest.Snapshot(t, "../course/testdata/valid")
		arabic := adminBrowser(t, ts, "pkg-admin-ar")
		arabic.setCookie("cairn_lang", "ar")
		for i, m := range pkgtest.Malicious(t) {
			b := admin
			if i%2 == 1 {
				b = arabic
			}
			t.Run(m.Code, func(t *testing.T) {
				sb := *b
				sb.t = t
				p := sb.upload("evil.zip", m.Data, true)
				mustStatus(t, p, http.StatusUnprocessableEntity)
				if !strings.Contains(p.Body, `class="field-error"`) || strings.Contains(p.Body, "coursepkg_") {
					t.Fatalf("no localised reason:\n%s", p.Body)
				}
				if b == admin && !strings.Contains(p.Body, "Nothing was imported.") {
					t.Fatalf("no English reason:\n%s", p.Body)
				}
				if b == arabic && !strings.Contains(p.Body, "لم يُستورد شيء.") {
					t.Fatalf("no Arabic reason:\n%s", p.Body)
				}
				if after := packageIDs(t, ts); len(after) != len(before) || after["demo@1"] != before["demo@1"] {
					t.Fatalf("packages changed: %v → %v", before, after)
				}
				if got := pkgtest.Snapshot(t, "../course/testdata/valid"); len(got) != len(folder) {
					t.Fatal("the course folder changed")
				}
			})
		}
		mustStatus(t, admin.get("/courses/evil"), http.StatusNotFound)
	})
}

func TestOnlyTheUploadRouteTakesLargeBodiesAndTooLargeGetsAPage(t *testing.T) {
	cfg := testConfig()
	cfg.BodyLimitBytes = 16 << 10
	cfg.UploadLimitBytes = 1 << 20
	ts := startServer(t, dbtest.Open(t, "sqlite"), cfg)
	admin := adminBrowser(t, ts, "pkg-admin")
	// Larger than the body limit, within the upload limit: accepted on the upload route...
	files := pkgtest.Course("big", "1", "Big.")
	files["m/l/notes.txt"] = bytes.Repeat([]byte("x"), 40<<10)
	big := pkgtest.Zip(t, pkgtest.Entry{Name: "big/course.yaml", Body: files["course.yaml"]}, pkgtest.Entry{Name: "big/m/l/en.md", Body: files["m/l/en.md"]},
		pkgtest.Entry{Name: "big/m/l/notes.txt", Body: files["m/l/notes.txt"], Stored: true})
	mustContain(t, admin.upload("big.zip", big, false), "stored as a draft")
	// ...and refused elsewhere, with a page.
	p := admin.post("/account/profile", url.Values{"display_name": {strings.Repeat("y", 20<<10)}})
	mustStatus(t, p, http.StatusRequestEntityTooLarge)
	mustContain(t, p, "larger than this site accepts")
	// Larger than the upload limit: a localised page, not a dropped connection.
	huge := make([]byte, 3<<20)
	for i := range huge {
		huge[i] = byte(i*7919 + i>>8)
	}
	p = admin.upload("huge.zip", huge, false)
	mustStatus(t, p, http.StatusRequestEntityTooLarge)
	mustContain(t, p, "larger than the 1 MiB a course package may be")
	// A learner gets no larger limit on the upload route.
	learner := ts.browser(t)
	learner.signUp("pkg-learner")
	p = learner.upload("big.zip", big, false)
	mustStatus(t, p, http.StatusRequestEntityTooLarge)
	if n := countRows(t, ts.DB, "course_packages"); n != 1 {
		t.Fatalf("%d packages, want the one accepted", n)
	}
}

// Two instances on one PostgreSQL: what an admin publishes on one is served by the other,
// through the notification (the periodic check is set far beyond the test's length).
func TestAPublishOnOneInstanceReachesTheOtherOnPostgres(t *testing.T) {
	cfg := testConfig()
	cfg.CoursesCheckInterval = time.Hour
	db := dbtest.Open(t, "postgres")
	a, b := startServer(t, db, cfg), startServer(t, db, cfg)
	reader := b.browser(t)
	mustStatus(t, reader.get("/courses/demo"), http.StatusNotFound)
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.After(20 * time.Second)
		for {
			// The channel is taken before looking, so a reload in between is not missed.
			next := b.Srv.CoursesReloaded()
			if ok() {
				return
			}
			select {
			case <-next:
			case <-deadline:
				t.Fatalf("instance b never %s", what)
			}
		}
	}
	reloaded := b.Srv.CoursesReloaded()
	admin := adminBrowser(t, a, "pkg-admin")
	mustContain(t, admin.upload("demo.zip", pkgtest.Package(t, "demo", pkgtest.Course("demo", "1", "From a.")), true), "The course is published.")
	<-reloaded
	waitFor("served the published course", func() bool { return reader.get("/courses/demo").Status == http.StatusOK })
	admin.post("/admin/courses/packages/"+itoa(packageIDs(t, a)["demo@1"])+"/unpublish", url.Values{})
	waitFor("dropped the unpublished course", func() bool { return reader.get("/courses/demo").Status == http.StatusNotFound })
}

// On SQLite the command line runs in another process: the periodic check picks up what it
// changed.
func TestThePeriodicCheckPicksUpAChangeMadeOutsideTheServer(t *testing.T) {
	cfg := testConfig()
	cfg.CoursesCheckInterval = time.Second
	ts := startServer(t, dbtest.Open(t, "sqlite"), cfg)
	st := store.New(ts.DB, nil)
	p := &model.CoursePackage{CourseID: "demo", Version: "1", Package: pkgtest.Package(t, "demo", pkgtest.Course("demo", "1", "Outside."))}
	p.Checksum = coursepkg.Checksum(p.Package)
	reloaded := ts.Srv.CoursesReloaded()
	if err := st.ImportPackage(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if err := st.PublishPackage(context.Background(), p.ID); err != nil {
		t.Fatal(err)
	}
	select {
	case <-reloaded:
	case <-time.After(20 * time.Second):
		t.Fatal("the server never reloaded")
	}
	mustContain(t, ts.browser(t).get("/courses/demo/lessons/l"), "Outside.")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// uploadGIFT sends a GIFT file through a package's page.
func (b *browser) uploadGIFT(packageID int64, name, src string, form url.Values) page {
	b.t.Helper()
	return b.postFiles("/admin/courses/packages/"+itoa(packageID)+"/gift", form, formFile{"gift", name, []byte(src)})
}

func TestAGIFTUploadAddsAModuleQuizAsANewDraftVersion(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := adminBrowser(t, ts, "pkg-admin")
		admin.upload("demo.zip", pkgtest.Package(t, "demo", pkgtest.Course("demo", "1", "Fine.")), true)
		v1 := packageIDs(t, ts)["demo@1"]
		mustContain(t, admin.get("/admin/courses/packages/"+itoa(v1)), "Add a Moodle quiz (GIFT)", `<option value="m"`)

		// An essay question: reported by line; nothing stored.
		bad := "::Two:: What is 2 + 2? {=4 ~3 ~5}\n\n::Essay:: Tell us about your threat model. {}\n"
		p := admin.uploadGIFT(v1, "bank.gift", bad, url.Values{"module": {"m"}, "version": {"2"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "The quiz was not added", "bank.gift:3:")
		// The same version as the package: refused before anything is read.
		p = admin.uploadGIFT(v1, "bank.gift", "::Two:: What is 2 + 2? {=4 ~3 ~5}\n", url.Values{"module": {"m"}, "version": {"1"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "Give a new version")
		if n := countRows(t, ts.DB, "course_packages"); n != 1 {
			t.Fatalf("%d packages after refusals", n)
		}

		good := "::Two:: What is 2 + 2? {=4 ~3 ~5}\n\n::Safe:: A passphrase should be long. {TRUE}\n"
		p = admin.uploadGIFT(v1, "bank.gift", good, url.Values{"module": {"m"}, "version": {"2-quiz"}})
		mustContain(t, p, "The quiz was added.")
		v2, ok := packageIDs(t, ts)["demo@2-quiz"]
		if !ok {
			t.Fatalf("no new version: %v", packageIDs(t, ts))
		}
		if got, _ := store.New(ts.DB, nil).CoursePackage(context.Background(), v1); got.Status != model.PackagePublished {
			t.Fatalf("the package the quiz was added to became %s", got.Status)
		}
		mustStatus(t, admin.get("/courses/demo/quizzes/m"), http.StatusNotFound)
		admin.post("/admin/courses/packages/"+itoa(v2)+"/publish", url.Values{})
		mustContain(t, admin.get("/courses/demo/quizzes/m"), "What is 2 + 2?", "A passphrase should be long.")
	})
}
