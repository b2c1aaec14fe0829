package browser_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/retention"
	"github.com/cairn-lms/cairn/app/store"
)

// TestAnAdminFiltersTheAuditLogOnAPhoneWithoutJavaScript: at 360 CSS pixels with scripts off,
// in English and Arabic, an administrator reads the audit log (long names, every kind of
// entry), filters it with the form and pages back; neither the log nor the admin page with
// its retention form scrolls sideways.
func TestAnAdminFiltersTheAuditLogOnAPhoneWithoutJavaScript(t *testing.T) {
	ctx := newBrowser(t)
	f := newLiveJourneyFixture(t, false)
	admin := f.account(t, "audit-admin", model.RoleAdmin)
	learner := f.account(t, "a-learner-with-a-rather-long-username-indeed", model.RoleLearner)
	st := f.st
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	long := strings.Repeat("Journalists' digital safety workshop ", 4)
	for i := range 60 {
		must(st.RecordAudit(f.ctx, store.UserActor(admin), store.AuditUserResetLink, store.UserTarget(learner), ""))
		if i%20 == 0 {
			must(st.RecordAudit(f.ctx, store.UserActor(admin), store.AuditCohortCreate, store.ThingTarget(model.TargetCohort, 7, long), store.AuditDetail("course", "account-security")))
		}
	}
	must(st.RecordAudit(f.ctx, store.CLIActor, store.AuditUserRole, store.UserTarget(learner), store.AuditDetail("from", "learner", "to", "trainer")))
	must(st.RecordAudit(f.ctx, store.ServerActor, store.AuditRetentionPurge, store.NoTarget, retention.Counts{Sessions: 12, Attendance: 340, Audit: 5600, Accounts: 3, Kept: 1}.Detail()))
	must(st.RecordAudit(f.ctx, store.UserActor(admin), store.AuditSettingRetain, store.NoTarget, retention.Policy{AttendanceDays: 90, AuditDays: 365, InactiveDays: 730, WarningDays: 30}.Detail()))
	must(st.RecordAudit(context.Background(), store.UserActor(admin), store.AuditUserDeleteSelf, store.DeletedUserTarget, store.AuditDetail("role", "learner")))

	type css = chromedp.CSS
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740)); err != nil {
		t.Fatal(err)
	}
	f.signIn(t, ctx, "audit-admin")
	for _, lang := range []string{"en", "ar"} {
		for _, path := range []string{"/admin/audit", "/admin/audit?action=user.reset_link", "/admin"} {
			if err := chromedp.Do(ctx, chromedp.Navigate(f.base+path+sep(path)+"lang="+lang), chromedp.WaitVisible(css(`h1`))); err != nil {
				t.Fatal(err)
			}
			if w := scrollWidth(t, ctx); w > 360 {
				t.Errorf("%s in %s is %d px wide at 360", path, lang, w)
			}
		}
	}

	// The filter form works without scripts: choose an action, show, page back.
	var first, second int
	err := chromedp.Do(ctx,
		chromedp.Navigate(f.base+"/admin/audit?lang=en"),
		chromedp.SetValue(css(`#audit-action`), store.AuditCohortCreate),
		chromedp.Submit(css(`#audit-action`)),
		chromedp.WaitVisible(css(`.audit-list`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	first = evaluate[int](t, ctx, `document.querySelectorAll('.audit-list li').length`)
	if first != 3 || !strings.Contains(evaluate[string](t, ctx, `location.search`), "action=cohort.create") {
		t.Fatalf("filtered by action: %d entries at %s, want 3", first, evaluate[string](t, ctx, `location.search`))
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(f.base+"/admin/audit?lang=en&action=user.reset_link"),
		chromedp.Click(css(`.pager a[rel=next]`)),
		chromedp.WaitVisible(css(`.audit-list`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	second = evaluate[int](t, ctx, `document.querySelectorAll('.audit-list li').length`)
	if second != 10 {
		t.Errorf("the second page of reset links shows %d entries, want 10", second)
	}
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}
