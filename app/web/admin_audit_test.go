package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/coursepkg/pkgtest"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/i18n"
)

// auditAdmin signs up an administrator and a learner (who is not one).
func auditAdmin(t *testing.T, ts *testServer) (admin *browser, learnerID int64) {
	t.Helper()
	admin = ts.browser(t)
	admin.signUp("root-admin")
	makeAdmin(t, ts, "root-admin")
	admin.signIn("root-admin", strongPassword)
	ts.browser(t).signUp("lena")
	u, err := store.New(ts.DB, nil).UserByUsernameKey(context.Background(), auth.UsernameKey("lena"))
	if err != nil {
		t.Fatal(err)
	}
	return admin, u.ID
}

// auditList is the list of entries of an audit page (the filter's options name every action).
func auditList(p page) string {
	_, list, _ := strings.Cut(p.Body, `<ol class="audit-list">`)
	list, _, _ = strings.Cut(list, "</ol>")
	return list
}

func TestAdminAndTrainerActionsAppearInTheAuditLog(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin, lena := auditAdmin(t, ts)
		id := strconv.FormatInt(lena, 10)
		tr := ts.trainer(t, "coach")
		admin.post("/admin/users/"+id+"/role", url.Values{"role": {"trainer"}})
		admin.post("/admin/registration", url.Values{"registration": {"invite"}})
		admin.post("/admin/invites", url.Values{"max_uses": {"3"}, "days": {"7"}})
		cohort, _ := newCohort(t, tr, "0")
		tr.post(cohort+"/code/revoke", url.Values{})

		p := admin.get("/admin/audit")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Audit log", "Role changed", "account \u2068lena\u2069", "Learner → Trainer",
			"Registration changed", "Only people with an invitation code", "Invitation created", "Uses: 3",
			"Cohort created", "cohort \u2068Spring group\u2069", "Join code revoked", "Course: sample")
		// Newest first.
		if list := auditList(p); strings.Index(list, "Join code revoked") > strings.Index(list, "Role changed") {
			t.Error("the newest entry is not first")
		}

		// Filters: by action, by who did it, by day; a filter that cannot be read says why.
		p = admin.get("/admin/audit?action=user.role")
		mustContain(t, p, "Role changed")
		if strings.Contains(auditList(p), "Cohort created") {
			t.Error("filtering by action shows other actions")
		}
		p = admin.get("/admin/audit?actor=COACH")
		mustContain(t, p, "Cohort created")
		if strings.Contains(auditList(p), "Role changed") {
			t.Error("filtering by who shows others' actions")
		}
		p = admin.get("/admin/audit?from=2026-11-24")
		mustContain(t, p, "No entries.")
		p = admin.get("/admin/audit?from=2026-11-23&to=2026-11-23")
		mustContain(t, p, "Role changed")
		for _, bad := range []string{"from=23/11/2026", "from=2026-11-24&to=2026-11-23", "action=user.nothing", "actor=nobody-at-all"} {
			p = admin.get("/admin/audit?" + bad)
			mustStatus(t, p, http.StatusUnprocessableEntity)
			mustContain(t, p, `class="field-error"`)
			p = admin.get("/admin/audit.csv?" + bad)
			mustStatus(t, p, http.StatusUnprocessableEntity)
		}
		// Persian digits typed in a day are read.
		p = admin.get("/admin/audit?from=" + url.QueryEscape("۲۰۲۶-۱۱-۲۳"))
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Role changed")

		// In Arabic, labels are Arabic.
		p = admin.get("/admin/audit?lang=ar")
		mustContain(t, p, "سجلّ التدقيق", "تغيير الدور", "إنشاء مجموعة")
	})
}

func TestTheAuditLogPagesByIDAndItsCSVHasEveryFilteredEntryDefused(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin, lena := auditAdmin(t, ts)
		st := store.New(ts.DB, ts.Clock.Now)
		ctx := context.Background()
		target := store.AuditTarget{Kind: model.TargetUser, ID: &lena, Name: "lena"}
		for i := range 60 {
			if err := st.RecordAudit(ctx, store.CLIActor, store.AuditUserResetLink, target, fmt.Sprintf("n=%02d", i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.RecordAudit(ctx, store.CLIActor, store.AuditCohortCreate, store.ThingTarget(model.TargetCohort, 9, "=HYPERLINK(\"http://x\")"), ""); err != nil {
			t.Fatal(err)
		}

		detailRE := regexp.MustCompile(`n=\d\d`)
		p := admin.get("/admin/audit?action=user.reset_link")
		first := detailRE.FindAllString(p.Body, -1)
		if len(first) != 50 || first[0] != "n=59" {
			t.Fatalf("first page: %d entries starting %v, want 50 from n=59", len(first), first[:min(1, len(first))])
		}
		older := regexp.MustCompile(`href="(/admin/audit\?[^"]*before=\d+[^"]*)"`).FindStringSubmatch(p.Body)
		if older == nil {
			t.Fatal("no link to older entries")
		}
		p = admin.get(strings.ReplaceAll(older[1], "&amp;", "&"))
		second := detailRE.FindAllString(p.Body, -1)
		if len(second) != 10 || second[0] != "n=09" || second[9] != "n=00" {
			t.Fatalf("second page: %v", second)
		}
		mustContain(t, p, "Newest entries")
		if strings.Contains(p.Body, `rel="next"`) {
			t.Error("the last page links to older entries")
		}

		// The CSV: a BOM, the header, every entry of the filter (not a page), defused cells.
		p = admin.get("/admin/audit.csv")
		mustStatus(t, p, http.StatusOK)
		if ct := p.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("content type %q", ct)
		}
		if !strings.HasPrefix(p.Body, "\ufeff") {
			t.Error("the CSV does not start with a byte order mark")
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(p.Body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1+61 || rows[0][0] != "Time (UTC)" {
			t.Fatalf("%d rows, header %v; want 62", len(rows), rows[0])
		}
		if got := rows[1]; got[1] != "Command line" || got[2] != "cohort.create" || got[6] != `'=HYPERLINK("http://x")` {
			t.Errorf("the newest row %q: the formula is not defused", got)
		}
		p = admin.get("/admin/audit.csv?action=user.reset_link&lang=ar")
		rows, err = csv.NewReader(strings.NewReader(strings.TrimPrefix(p.Body, "\ufeff"))).ReadAll()
		if err != nil || len(rows) != 61 || rows[1][1] != "سطر الأوامر" {
			t.Fatalf("filtered Arabic CSV: %d rows, %v (%v)", len(rows), rows[1], err)
		}
	})
}

// Every action code has a label in every language (the lead adds codes for new actions).
func TestEveryAuditActionHasALabelInEveryLanguage(t *testing.T) {
	b, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"en", "es", "fr", "ar", "fa"} {
		l, ok := b.Lookup(tag)
		if !ok {
			t.Fatalf("no %s", tag)
		}
		for _, a := range store.AuditActions {
			id := store.AuditLabelID(a)
			if got := l.T(id); got == id || got == "" {
				t.Errorf("%s: no label for %s (%s)", tag, a, id)
			}
		}
	}
}

// The actions added beside the audit log (accounts disabled and enabled, instance settings,
// quick exit, course packages) are recorded too, in the reader's language.
func TestAccountSettingsAndPackageActionsAppearInTheAuditLog(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin, lena := auditAdmin(t, ts)
		id := strconv.FormatInt(lena, 10)
		mustStatus(t, admin.post("/admin/users/"+id+"/disable", url.Values{}), http.StatusOK)
		mustStatus(t, admin.post("/admin/users/"+id+"/enable", url.Values{}), http.StatusOK)
		admin.post("/admin/quick-exit", url.Values{"url": {"https://weather.example.org/"}})
		admin.post("/admin/languages", url.Values{"offered": {"en", "ar"}, "default_language": {"en"}})
		admin.upload("demo.zip", pkgtest.Package(t, "demo", pkgtest.Course("demo", "1", "Version one.")), true)
		pkgs, err := store.New(ts.DB, nil).CoursePackages(context.Background())
		if err != nil || len(pkgs) != 1 {
			t.Fatalf("packages %v, %v", pkgs, err)
		}
		admin.post("/admin/courses/packages/"+strconv.FormatInt(pkgs[0].ID, 10)+"/unpublish", url.Values{})

		p := admin.get("/admin/audit")
		mustContain(t, p, "Account disabled", "Account enabled", "account \u2068lena\u2069",
			"Quick exit destination changed", "Instance settings changed", "languages",
			"Course package imported", "Course package published", "Course package unpublished",
			"course package \u2068demo 1\u2069")
		mustContain(t, admin.get("/admin/audit?lang=ar"), "تعطيل حساب", "نشر حزمة دورة")
	})
}
