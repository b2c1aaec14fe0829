package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/store"
)

// stepTitles lists a plan page's steps, in order, as "group: title".
var stepRE = regexp.MustCompile(`(?s)<h2 id="group-([a-z]+)">|<h3><a href="([^"]+)"[^>]*>([^<]+)</a></h3>`)

func planSteps(body string) []string {
	var out []string
	group := ""
	for _, m := range stepRE.FindAllStringSubmatch(body, -1) {
		if m[1] != "" {
			group = m[1]
			continue
		}
		out = append(out, group+": "+m[3]+" → "+m[2])
	}
	return out
}

func TestAnAnonymousReaderGetsAPlanThatIsStoredNowhere(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		logs := &syncBuffer{}
		ts := startServerLogging(t, db, testConfig(), logs)
		b := ts.browser(t)
		form := b.get("/my-plan?lang=en")
		mustStatus(t, form, http.StatusOK)
		mustContain(t, form, `<form method="post" action="/my-plan"`, "Question 1 of 3", "Do you work alone or with others?",
			`type="radio" id="a-team-alone" name="team" value="alone"`, `type="checkbox" id="a-devices-laptop" name="devices" value="laptop"`,
			"Every question is optional")
		if form.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("the form's Cache-Control: %q", form.Header.Get("Cache-Control"))
		}

		p := b.post("/my-plan", url.Values{"team": {"alone"}, "devices": {"phone", "laptop"}, "worries": {"seizure"}})
		mustStatus(t, p, http.StatusOK)
		if !strings.HasSuffix(p.URL, "/my-plan") {
			t.Errorf("the plan is at %s: the answers must not be in the address", p.URL)
		}
		want := []string{
			"start: First steps → /courses/sample/lessons/first-steps",
			"now: Drill → /courses/sample/lessons/drill",
			"soon: Store them apart from your laptop → /courses/sample/lessons/first-steps#checklist",
		}
		if got := planSteps(p.Body); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("plan steps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		mustContain(t, p, "Start here", "Do first", "Next", "Why:", "A phone that is taken holds a lot.", "Laptops travel too.",
			"Every plan starts with the basics.", "Practical step", `href="/first-aid"`, "print it or save it as a file")
		for _, absent := range []string{"/my-plan/save", "Not done yet", "Steps done"} {
			if strings.Contains(p.Body, absent) {
				t.Errorf("an anonymous reader's plan shows %q", absent)
			}
		}
		if n := countRows(t, db, "intake_plans"); n != 0 {
			t.Errorf("%d intake plans stored for an anonymous reader", n)
		}
		// Nothing of the answers reaches the log: the line names the route only.
		out := logs.String()
		if !strings.Contains(out, "route=/my-plan") {
			t.Fatalf("no request line for the plan:\n%s", out)
		}
		for _, answer := range []string{"seizure", "laptop", "devices=", "worries"} {
			if strings.Contains(out, answer) {
				t.Errorf("the log holds %q:\n%s", answer, out)
			}
		}

		// "Change my answers" brings the form back with them chosen, still by POST.
		again := b.post("/my-plan", url.Values{"edit": {"1"}, "team": {"alone"}, "devices": {"phone"}})
		mustStatus(t, again, http.StatusOK)
		mustContain(t, again, `value="alone" checked`, `value="phone" checked`)
		if strings.Contains(again.Body, `value="laptop" checked`) {
			t.Error("an answer not sent is chosen")
		}
	})
}

func TestAnAnswerTheIntakeDoesNotHaveShowsTheFormAgainWithTheRest(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		p := b.post("/my-plan?lang=ar", url.Values{"team": {"alone", "group"}, "devices": {"phone", "pager"}, "worries": {"accounts"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "لم يُتعرَّف على بعض الإجابات", "راجع هذا السؤال", `value="phone" checked`, `value="accounts" checked`, `dir="rtl"`)
		if strings.Contains(p.Body, `value="alone" checked`) || strings.Contains(p.Body, `value="pager"`) {
			t.Error("the refused answers are chosen again")
		}
	})
}

func TestASignedInLearnerSeesWhatIsDoneSavesThePlanAndDeletesIt(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		b := ts.browser(t)
		b.signUp("planner")
		b.post("/courses/sample/lessons/drill/complete", url.Values{})
		b.post("/courses/sample/lessons/first-steps/checklist", url.Values{"item": {"store-apart"}})
		answers := url.Values{"team": {"alone"}, "devices": {"phone"}, "worries": {"seizure"}}

		p := b.post("/my-plan?lang=en", answers)
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Steps done: 2 of 3", `<progress id="intake-progress" max="3" value="2">`, `action="/my-plan/save"`,
			`<input type="hidden" name="devices" value="phone">`, `<input type="hidden" name="worries" value="seizure">`)
		if got := strings.Count(p.Body, "✓ Done"); got != 2 {
			t.Errorf("%d steps marked done, want 2 (the completed lesson and the ticked item)", got)
		}
		if n := countRows(t, ts.DB, "intake_plans"); n != 0 {
			t.Fatalf("the plan was stored before the learner asked: %d rows", n)
		}

		saved := b.post("/my-plan/save", answers)
		mustStatus(t, saved, http.StatusOK)
		if !strings.HasSuffix(saved.URL, "/my-plan/saved") {
			t.Fatalf("saving led to %s", saved.URL)
		}
		mustContain(t, saved, "Your plan is saved to your account.", "Saved on 23 November 2026", "Delete my saved plan", "Drill")
		st := store.New(ts.DB, nil)
		u, err := st.UserByUsernameKey(ctx, auth.UsernameKey("planner"))
		if err != nil {
			t.Fatal(err)
		}
		row, err := st.IntakePlan(ctx, u.ID)
		if err != nil || row.Answers != `{"devices":["phone"],"team":["alone"],"worries":["seizure"]}` || row.Version != 3 {
			t.Fatalf("stored: %+v (%v)", row, err)
		}

		form := b.get("/my-plan")
		mustContain(t, form, "You saved a plan before", `value="seizure" checked`, `value="alone" checked`)
		account := b.get("/account")
		mustContain(t, account, "Your learning plan", `href="/my-plan/saved"`, `action="/my-plan/delete"`)

		// The questions change: the saved plan says so.
		if _, err := ts.DB.NewUpdate().Table("intake_plans").Set("version = 2").Where("user_id = ?", u.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		mustContain(t, b.get("/my-plan/saved"), "The questions have changed since you saved this plan.")

		gone := b.post("/my-plan/delete", url.Values{})
		mustStatus(t, gone, http.StatusOK)
		mustContain(t, gone, "Your saved plan and its answers are deleted.", "You have no saved plan.", `href="/my-plan"`)
		if n := countRows(t, ts.DB, "intake_plans"); n != 0 {
			t.Fatalf("%d intake plans after deleting", n)
		}
		if p := b.get("/my-plan/saved"); !strings.HasSuffix(p.URL, "/my-plan") || !strings.Contains(p.Body, "Question 1 of 3") {
			t.Errorf("without a saved plan, /my-plan/saved led to %s", p.URL)
		}
		if n := countRows(t, ts.DB, "lesson_progress"); n != 1 {
			t.Errorf("deleting the plan touched the progress: %d lessons done", n)
		}
	})
}
