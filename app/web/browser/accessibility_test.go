package browser_test

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/web"
)

// axe-core (MPL-2.0, testdata/axe/LICENSE) checks a rendered page against WCAG rules. It is
// vendored so the test needs nothing from the network.
//
//go:embed testdata/axe/axe.min.js
var axeSource string

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeCheck runs axe on the page the context shows, for WCAG 2.1 A and AA rules.
func axeCheck(t *testing.T, ctx context.Context) []axeViolation {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
		t.Fatalf("load axe: %v", err)
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe: %v", err)
	}
	return v
}

func TestPagesPassAutomatedAccessibilityChecks(t *testing.T) {
	ctx, _ := newBrowserContexts(t)
	// The check itself must be able to fail: a page with an unlabelled field and an image
	// without a text alternative.
	if err := chromedp.Do(ctx, chromedp.Navigate(`data:text/html,<html lang="en"><title>x</title><main><img src="x.png"><input></main></html>`)); err != nil {
		t.Fatal(err)
	}
	if v := axeCheck(t, ctx); len(v) < 2 {
		t.Fatalf("axe missed obvious violations: %v", v)
	}

	db := dbtest.Open(t, "sqlite")
	base := startServer(t, db)
	pages := []string{"/", "/courses", "/courses/account-security", "/courses/account-security/lessons/two-factor-methods-compared",
		"/courses/account-security/lessons/two-factor-methods-compared?lang=ar", "/login", "/signup", "/no-such-page",
		"/?lang=fa", "/courses/account-security?lang=fa", "/signup?lang=fa", "/first-aid", "/first-aid?lang=ar", "/first-aid?lang=fa",
		"/my-plan", "/my-plan?lang=ar", "/my-plan?lang=fa"}
	var report strings.Builder
	for _, p := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+p)); err != nil {
			t.Fatal(err)
		}
		for _, v := range axeCheck(t, ctx) {
			fmt.Fprintf(&report, "%s: %s (%s) %s %v\n", p, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}

	// Signed in: a learner's and a trainer's pages, an admin's, and the live pages with a
	// poll and a question on them.
	ctxb := context.Background()
	st := store.New(db, nil)
	hasher, _ := auth.NewHasher(1024, 1, 1, 1)
	const password = "an accessible passphrase"
	hash, _ := hasher.Hash(ctxb, password)
	mk := func(name, role string) *model.User {
		u := &model.User{Username: name, UsernameKey: name, UsernameSkeleton: auth.UsernameSkeleton(name), PasswordHash: hash, Role: role}
		if err := st.CreateAccount(ctxb, store.NewAccount{User: u}); err != nil {
			t.Fatal(err)
		}
		return u
	}
	admin, learner := mk("axe-admin", model.RoleAdmin), mk("axe-learner", model.RoleLearner)
	co := &model.Cohort{CourseID: "account-security", Name: "Checked", Lang: "en"}
	if err := st.CreateCohort(ctxb, co, admin.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.JoinCohort(ctxb, co.ID, learner.ID, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CompleteLesson(ctxb, learner.ID, "account-security", "strong-passphrases"); err != nil {
		t.Fatal(err)
	}
	ls := &model.LiveSession{CohortID: co.ID, Title: "Checked session"}
	if err := st.CreateLiveSession(ctxb, ls, true); err != nil {
		t.Fatal(err)
	}
	poll := &model.LivePoll{SessionID: ls.ID, Kind: model.PollKindPoll, Prompt: "Which apps?", Options: `[{"id":"a","text":"Signal"},{"id":"b","text":"SMS"}]`, Multiple: true, MinGroup: 5}
	if err := db.RunInTx(ctxb, nil, func(ctx context.Context, tx bun.Tx) error { return st.OpenPoll(ctx, tx, poll) }); err != nil {
		t.Fatal(err)
	}
	cohort, live := fmt.Sprintf("/cohorts/%d", co.ID), fmt.Sprintf("/live/%d", ls.ID)
	signInAs(t, ctx, base, "axe-admin", password)
	for _, p := range []string{"/learning", "/account", "/account/password", "/account/sessions", "/account/2fa",
		"/courses/account-security/quizzes/passwords", "/cohorts", "/cohorts/new", cohort, cohort + "?lang=ar", cohort + "/quizzes/passwords", live, live + "/summary",
		"/admin", "/admin/users", "/admin/courses", "/admin/courses?lang=ar", cohort + "?lang=fa", live + "?lang=fa", live + "/summary"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+p)); err != nil {
			t.Fatal(err)
		}
		for _, v := range axeCheck(t, ctx) {
			fmt.Fprintf(&report, "%s: %s (%s) %s %v\n", p, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
	// The personal learning plan, which only a POST shows, in English and Arabic.
	for _, lang := range []string{"en", "ar"} {
		err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/my-plan?lang="+lang),
			chromedp.WaitVisible(chromedp.CSS(`form.intake`)),
			chromedp.Click(chromedp.CSS(`#a-worries-accounts`)),
			chromedp.Click(chromedp.CSS(`form.intake button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#group-start`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range axeCheck(t, ctx) {
			fmt.Fprintf(&report, "the plan (%s): %s (%s) %s %v\n", lang, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
	// The page without JavaScript must refresh itself to follow the session (WCAG 2.2.1
	// allows it with a way to stop it, which the paused page above is); that is the one
	// finding allowed there.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+live+"/frame")); err != nil {
		t.Fatal(err)
	}
	for _, v := range axeCheck(t, ctx) {
		if v.ID != "meta-refresh" {
			fmt.Fprintf(&report, "%s/frame: %s (%s) %s %v\n", live, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
	// The presenter view without JavaScript reloads itself too: it is a display for the
	// room that the trainer drives from the console, where nothing is read at one's own pace.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+live+"/present")); err != nil {
		t.Fatal(err)
	}
	for _, v := range axeCheck(t, ctx) {
		if v.ID != "meta-refresh" {
			fmt.Fprintf(&report, "%s/present: %s (%s) %s %v\n", live, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
	if report.Len() > 0 {
		t.Fatalf("accessibility violations:\n%s", report.String())
	}
}

// TestChecklistAndTrainerPagesPassAutomatedAccessibilityChecks runs axe on the pages that
// show lesson objectives and checklists, checklist progress and trainer notes, with the test
// course (which has all of them) as a visitor and as a trainer who ticked an item.
func TestChecklistAndTrainerPagesPassAutomatedAccessibilityChecks(t *testing.T) {
	ctx, _ := newBrowserContexts(t)
	db := dbtest.Open(t, "sqlite")
	base := startServerWith(t, db, &web.CoursesSource{FS: os.DirFS("../../course/testdata/valid"), Label: "testdata"})
	ctxb := context.Background()
	st := store.New(db, nil)
	hasher, _ := auth.NewHasher(1024, 1, 1, 1)
	const password = "an accessible passphrase"
	hash, _ := hasher.Hash(ctxb, password)
	u := &model.User{Username: "axe-trainer", UsernameKey: "axe-trainer", UsernameSkeleton: auth.UsernameSkeleton("axe-trainer"), PasswordHash: hash, Role: model.RoleTrainer}
	if err := st.CreateAccount(ctxb, store.NewAccount{User: u}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetChecklistTicks(ctxb, u.ID, "sample", "first-steps", []string{"print-codes"}); err != nil {
		t.Fatal(err)
	}
	var report strings.Builder
	check := func(paths ...string) {
		for _, p := range paths {
			if err := chromedp.Do(ctx, chromedp.Navigate(base+p)); err != nil {
				t.Fatal(err)
			}
			for _, v := range axeCheck(t, ctx) {
				fmt.Fprintf(&report, "%s: %s (%s) %s %v\n", p, v.ID, v.Impact, v.Help, v.Nodes)
			}
		}
	}
	check("/courses/sample/lessons/first-steps", "/courses/sample/lessons/first-steps?lang=ar")
	signInAs(t, ctx, base, "axe-trainer", password)
	check("/courses/sample/lessons/first-steps?lang=en", "/courses/sample/lessons/first-steps?lang=ar", "/learning",
		"/courses/sample", "/courses/sample/trainer-notes/basics", "/courses/sample/trainer-notes/basics?lang=ar")
	if report.Len() > 0 {
		t.Fatalf("accessibility violations:\n%s", report.String())
	}
}
