package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/store"
)

// A learner whose account an administrator disabled stays on the cohort's dashboard with
// their progress, marked in words, counted in the totals (which say so) but never as quiet;
// the trainer may hide them; the export and a live session's attendance mark them too.
func TestADisabledLearnerStaysOnTheDashboardMarkedAndNeverQuiet(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		tr := ts.trainer(t, "disabled-trainer")
		path, code := newCohort(t, tr, "0")
		for _, name := range []string{"stayer", "leaver"} {
			b := ts.browser(t)
			b.signUp(name)
			b.post("/join", url.Values{"code": {code}})
		}
		st := store.New(ts.DB, ts.Clock.Now)
		ls := startCheckIn(t, st, path)
		if _, err := st.CompleteLesson(ctx, userID(t, ts.DB, "leaver"), "sample", "first-steps"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.JoinAttendance(ctx, ls.ID, userID(t, ts.DB, "leaver"), "test"); err != nil {
			t.Fatal(err)
		}

		// Ten days later both are quiet; then an administrator disables leaver.
		ts.Clock.Advance(10 * 24 * time.Hour)
		admin := adminBrowser(t, ts, "disabling-admin")
		mustStatus(t, admin.post(fmt.Sprintf("/admin/users/%d/disable", userID(t, ts.DB, "leaver")), nil), http.StatusOK)
		tr.signIn("disabled-trainer", strongPassword) // ten idle days ended the session

		p := tr.get(path)
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "2 learners", "1 learner has been quiet for more than 7 days.", "1 learner’s account is disabled.",
			"Disabled accounts are included in these totals")
		row := learnerRow(t, p, "leaver")
		if !strings.Contains(row, `<span class="badge account-disabled">Account disabled</span>`) || strings.Contains(row, ">quiet<") {
			t.Fatalf("the disabled learner's row is not marked disabled, or is marked quiet:\n%s", row)
		}
		if !strings.Contains(row, `<progress max="100" value="25"`) { // their progress stays visible
			t.Fatalf("the disabled learner's progress is gone:\n%s", row)
		}
		if row := learnerRow(t, p, "stayer"); strings.Contains(row, "Account disabled") || !strings.Contains(row, ">quiet<") {
			t.Fatalf("the enabled, quiet learner:\n%s", row)
		}

		// Only the quiet: the disabled learner is not among them.
		quiet := tr.get(path + "?quiet=1")
		if !strings.Contains(quiet.Body, "<bdi>stayer</bdi>") || strings.Contains(quiet.Body, "<bdi>leaver</bdi>") {
			t.Fatalf("the quiet filter:\n%s", quiet.Body)
		}
		// Hiding the disabled, by the form's checkbox (its state kept in the links).
		hidden := tr.get(path + "?active=1")
		mustContain(t, hidden, `id="active" name="active" value="1" checked`, "<bdi>stayer</bdi>", `<caption id="learners-caption">1 learner ·`)
		if strings.Contains(hidden.Body, "<bdi>leaver</bdi>") {
			t.Fatalf("a disabled learner shown although hidden:\n%s", hidden.Body)
		}
		if !strings.Contains(hidden.Body, "sort=progress") || !strings.Contains(hidden.Body, "active=1&amp;sort=progress") {
			t.Fatalf("the sort links forget the hidden choice:\n%s", hidden.Body)
		}

		// The export has every learner, with their account's status.
		csv := tr.get(path + "/export.csv")
		mustStatus(t, csv, http.StatusOK)
		lines := strings.Split(csv.Body, "\n")
		if !strings.HasPrefix(lines[0], "Learner,") || !strings.Contains(lines[0], ",Last activity,Account,") {
			t.Fatalf("export header: %q", lines[0])
		}
		if !strings.Contains(csv.Body, "\nleaver,1,") || !strings.Contains(csv.Body, ",Disabled,") || !strings.Contains(csv.Body, ",Enabled,") {
			t.Fatalf("export:\n%s", csv.Body)
		}

		// The session's attendance marks them as well.
		sum := tr.get(fmt.Sprintf("/live/%d/summary", ls.ID))
		mustStatus(t, sum, http.StatusOK)
		mustContain(t, sum, `<th scope="row"><bdi>leaver</bdi> <span class="badge account-disabled">Account disabled</span></th>`)

		// In Arabic (the language then sticks to the trainer's browser).
		if row := learnerRow(t, tr.get(path+"?lang=ar"), "leaver"); !strings.Contains(row, "حساب معطَّل") {
			t.Fatalf("no Arabic badge:\n%s", row)
		}
		mustContain(t, tr.get(fmt.Sprintf("/live/%d/summary", ls.ID)), "حساب معطَّل")
	})
}

// The dashboard's learner search and the administrators' account search find an Arabic
// name however it is typed, through HTTP.
func TestSearchesFindArabicNamesWithoutTheirMarksAndWithOtherLetterForms(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "arabic-trainer")
		path, code := newCohort(t, tr, "0")
		b := ts.browser(t)
		b.signUp("fatima-a")
		b.post("/join", url.Values{"code": {code}})
		if err := store.New(ts.DB, nil).UpdateProfile(context.Background(), userID(t, ts.DB, "fatima-a"), "فَاطِمَة الزَّهْرَاء", "ar"); err != nil {
			t.Fatal(err)
		}
		admin := adminBrowser(t, ts, "arabic-admin")
		for _, q := range []string{"فاطمه", "فـاطمة الزهراء", "فاطمة"} {
			p := tr.get(path + "?q=" + url.QueryEscape(q))
			mustContain(t, p, "<bdi>فَاطِمَة الزَّهْرَاء</bdi>")
			p = admin.get("/admin/users?q=" + url.QueryEscape(q))
			mustContain(t, p, "<bdi>fatima-a</bdi>")
		}
		if p := tr.get(path + "?q=" + url.QueryEscape("فاطن")); strings.Contains(p.Body, "<bdi>فَاطِمَة الزَّهْرَاء</bdi>") {
			t.Fatal("a different name found her")
		}
	})
}
