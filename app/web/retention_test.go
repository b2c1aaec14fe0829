package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/retention"
	"github.com/cairn-lms/cairn/app/store"
)

func retentionForm(attendance, audit, inactive, warning string) url.Values {
	return url.Values{"attendance_days": {attendance}, "audit_days": {audit}, "inactive_days": {inactive}, "warning_days": {warning}}
}

func TestAdminsSetRetentionPeriodsAndBadOnesAreRefusedKeepingWhatWasTyped(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin, _ := auditAdmin(t, ts)
		p := admin.get("/admin")
		mustContain(t, p, "Retention: what the server deletes by itself", `name="attendance_days"`, `value="90"`, `value="365"`, "Not run yet.")

		p = admin.post("/admin/retention", retentionForm("30", "400", "20", "20"))
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "a warning shorter than the period", `value="400"`, `aria-invalid="true"`)
		p = admin.post("/admin/retention", retentionForm("thirty", "400", "0", "30"))
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, `value="thirty"`)
		ctx := context.Background()
		st := store.New(ts.DB, nil)
		if v, _ := st.Setting(ctx, retention.SettingAuditDays, ""); v != "" {
			t.Fatalf("a refused form stored %q", v)
		}

		p = admin.post("/admin/retention", retentionForm("30", "400", "200", "14"))
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, `value="400"`, `value="200"`, `value="14"`)
		got, err := retention.Load(ctx, st, retention.Defaults(time.Hour))
		if err != nil || got != (retention.Policy{AttendanceDays: 30, AuditDays: 400, InactiveDays: 200, WarningDays: 14}) {
			t.Fatalf("stored %+v (%v)", got, err)
		}
		list := auditList(admin.get("/admin/audit?action=setting.retention"))
		if !strings.Contains(list, "Retention changed") || !strings.Contains(list, "unused accounts deleted after 200") {
			t.Errorf("the change is not in the audit log: %s", list)
		}
	})
}

func TestSomeoneSigningInCloseToDeletionIsToldTheirAccountWasKept(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		st := store.New(ts.DB, nil)
		if err := retention.Save(ctx, st, retention.Policy{AttendanceDays: 90, AuditDays: 365, InactiveDays: 100, WarningDays: 30}); err != nil {
			t.Fatal(err)
		}
		b := ts.browser(t)
		b.signUp("quiet-one") // used on 23 November 2026
		p := b.get("/account/")
		mustContain(t, p, "Days without use before deletion: 100", "If you do not use your account again, it will be deleted on 4 March 2027")
		b.post("/logout", url.Values{})

		// 80 days later: 21 days before the deletion day (4 March 2027: 23 November + 101 days), within the warning.
		ts.Clock.Advance(80 * 24 * time.Hour)
		p = b.signIn("quiet-one", strongPassword)
		mustContain(t, p, "would have been deleted on 4 March 2027. Signing in has kept it")
		u, err := st.UserByUsernameKey(ctx, auth.UsernameKey("quiet-one"))
		if err != nil || !u.ActiveOn.Equal(model.ActiveDay(ts.Clock.Now())) {
			t.Fatalf("the sign-in did not count as use: %v (%v)", u.ActiveOn, err)
		}
		// The next sign-in, with the account used today, says nothing.
		b.post("/logout", url.Values{})
		p = b.signIn("quiet-one", strongPassword)
		if strings.Contains(p.Body, "would have been deleted") {
			t.Error("warned again after the account was used")
		}
		// In Arabic, with the date in Arabic.
		ts.Clock.Advance(80 * 24 * time.Hour)
		b.post("/logout", url.Values{})
		b.get("/?lang=ar")
		p = b.signIn("quiet-one", strongPassword)
		mustContain(t, p, "أبقى تسجيل دخولك عليه")

		// A made-up day in the message cookie is dropped, never shown.
		b.setCookie("cairn_flash", "flash_retention_kept:<script>")
		if p := b.get("/account/"); strings.Contains(p.Body, "Signing in has kept it") || strings.Contains(p.Body, "<script>") {
			t.Error("a forged day was shown")
		}

		// An administrator is told the policy does not apply to them.
		admin, _ := auditAdmin(t, ts)
		mustContain(t, admin.get("/account/"), "Administrator accounts, like yours, are never deleted this way.")
	})
}
