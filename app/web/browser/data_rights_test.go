package browser_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// TestDataRightsPagesFitAPhoneAndPassAccessibilityChecks opens the download and deletion
// pages (a trainer's own, with a cohort that stops the deletion, and an administrator's for
// that account) in every interface language, at 360 CSS pixels, and
// fails on a page wider than the screen or one axe faults. (The pages have no script of
// their own: what shows with JavaScript on is what shows with it off.)
func TestDataRightsPagesFitAPhoneAndPassAccessibilityChecks(t *testing.T) {
	// Scripts on for axe (these pages have none of their own); a browser context (cookies)
	// for each account, and a few minutes for their fifteen pages each.
	root := startChromium(t)
	tab := func() context.Context {
		c, cancelTab := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
		c, cancelTime := context.WithTimeout(c, 4*time.Minute)
		t.Cleanup(func() { cancelTime(); cancelTab() })
		if err := chromedp.Do(c, chromedp.EmulateViewport(sweepWidth, 740)); err != nil {
			t.Fatal(err)
		}
		return c
	}
	db := dbtest.Open(t, "sqlite")
	base := startServer(t, db)
	ctxb := context.Background()
	st := store.New(db, nil)
	hasher, _ := auth.NewHasher(1024, 1, 1, 1)
	const password = "a data rights passphrase"
	hash, _ := hasher.Hash(ctxb, password)
	mk := func(name, role string) *model.User {
		u := &model.User{Username: name, UsernameKey: name, UsernameSkeleton: auth.UsernameSkeleton(name), PasswordHash: hash, Role: role}
		if err := st.CreateAccount(ctxb, store.NewAccount{User: u}); err != nil {
			t.Fatal(err)
		}
		return u
	}
	mk("rights-admin", model.RoleAdmin)
	trainer := mk("rights-trainer", model.RoleTrainer)
	if err := st.CreateCohort(ctxb, &model.Cohort{CourseID: "account-security", Name: "Journalists' workshop, spring", Lang: "en"}, trainer.ID); err != nil {
		t.Fatal(err)
	}
	var report strings.Builder
	check := func(ctx context.Context, paths ...string) {
		for _, lang := range []string{"en", "es", "fr", "ar", "fa"} {
			for _, p := range paths {
				path := p + "?lang=" + lang
				if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				got, err := chromedp.Run(ctx, chromedp.Evaluate[layout](measureLayout))
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				if got.ScrollWidth > got.ClientWidth {
					fmt.Fprintf(&report, "%s scrolls sideways: %d px wide on a %d px screen; sticking out: %s\n", path, got.ScrollWidth, got.ClientWidth, strings.Join(got.Culprits, " | "))
				}
				if strings.HasSuffix(p, "/delete") {
					// The cohort that stops the deletion is named, with a link to it.
					shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('.notice.warning a[href^="/cohorts/"]')`))
					if err != nil || !shown {
						fmt.Fprintf(&report, "%s does not link the cohort that stops the deletion (%v)\n", path, err)
					}
				}
				for _, v := range axeCheck(t, ctx) {
					fmt.Fprintf(&report, "%s: %s (%s) %s %v\n", path, v.ID, v.Impact, v.Help, v.Nodes)
				}
			}
		}
	}
	own, admin := tab(), tab()
	signInAs(t, own, base, "rights-trainer", password)
	check(own, "/account", "/account/export", "/account/delete")
	signInAs(t, admin, base, "rights-admin", password)
	id := fmt.Sprint(trainer.ID)
	check(admin, "/admin/users", "/admin/users/"+id+"/export", "/admin/users/"+id+"/delete")
	if report.Len() > 0 {
		t.Fatalf("data rights pages:\n%s", report.String())
	}
}
