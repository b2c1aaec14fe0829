package browser_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// dashboardPageWidth is how wide the page is: more than the viewport means the reader
// scrolls sideways.
func dashboardPageWidth(t *testing.T, ctx context.Context) int {
	t.Helper()
	w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// beyondEdges lists the elements that reach past the viewport's edges (in a right-to-left
// page, past the left one), to say what makes a page scroll sideways.
func beyondEdges(t *testing.T, ctx context.Context, width int) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`[...document.querySelectorAll("body *")]
  .filter(e => { const r = e.getBoundingClientRect(); return r.right > %d.5 || r.left < -0.5 })
  .slice(0, 10).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().left) + ".." + Math.round(e.getBoundingClientRect().right)).join("\n")`, width)))
	if err != nil {
		return err.Error()
	}
	return s
}

// dashboardGo follows a link or submits a form by a click and waits for the next page.
func dashboardGo(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	if err != nil || resp.Status != 200 {
		t.Fatalf("click %s: %v", selector, err)
	}
}

// cardNames lists the learners the table shows, in order.
func cardNames(t *testing.T, ctx context.Context) []string {
	t.Helper()
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("table.learners tbody th[scope=row] bdi")].map(e => e.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// largeDashboard stores a cohort of 61 learners of the first shipped course (learner-01 …
// learner-60 and Émile, learner-07 ahead of everyone) and its trainer "dash-coach", and
// returns the dashboard's URL and the trainer's password.
func largeDashboard(t *testing.T, db *bun.DB, base string) (string, string) {
	t.Helper()
	bg := context.Background()
	st := store.New(db, nil)
	hasher, _ := auth.NewHasher(1024, 1, 1, 1)
	const password = "a dashboard journey passphrase"
	hash, _ := hasher.Hash(bg, password)
	mk := func(name, role string) *model.User {
		u := &model.User{Username: name, UsernameKey: auth.UsernameKey(name), UsernameSkeleton: auth.UsernameSkeleton(name), PasswordHash: hash, Role: role}
		if err := st.CreateAccount(bg, store.NewAccount{User: u}); err != nil {
			t.Fatal(err)
		}
		return u
	}
	trainer := mk("dash-coach", model.RoleTrainer)
	co := &model.Cohort{CourseID: "account-security", Name: "Large group", Lang: "en"}
	if err := st.CreateCohort(bg, co, trainer.ID); err != nil {
		t.Fatal(err)
	}
	learners := []string{"Émile"}
	for i := 1; i <= 60; i++ {
		learners = append(learners, fmt.Sprintf("learner-%02d", i))
	}
	for _, name := range learners {
		u := mk(name, model.RoleLearner)
		if err := st.JoinCohort(bg, co.ID, u.ID, 0); err != nil {
			t.Fatal(err)
		}
		if name == "learner-07" {
			for _, l := range []string{"two-factor-methods-compared", "how-accounts-get-taken-over"} {
				if _, err := st.CompleteLesson(bg, u.ID, "account-security", l); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return base + "/cohorts/" + strconv.FormatInt(co.ID, 10), password
}

func TestATrainerPagesSortsAndSearchesLearnersOnAPhoneWithoutJavaScript(t *testing.T) {
	ctx := newBrowser(t)
	db := dbtest.Open(t, "sqlite")
	base := startServer(t, db)
	dashboard, password := largeDashboard(t, db, base)
	signInAs(t, ctx, base, "dash-coach", password)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800)); err != nil {
		t.Fatal(err)
	}
	type css = chromedp.CSS

	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			noSideways := func(where string) {
				t.Helper()
				if w := dashboardPageWidth(t, ctx); w > 360 {
					t.Fatalf("%s: the page is %d px wide at 360 px: it scrolls sideways; elements beyond the edges:\n%s", where, w, beyondEdges(t, ctx, 360))
				}
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(dashboard+"?lang="+lang), chromedp.WaitVisible(css(`table.learners`))); err != nil {
				t.Fatal(err)
			}
			noSideways("page 1")
			names := cardNames(t, ctx)
			if len(names) != 50 || names[0] != "Émile" || names[1] != "learner-01" {
				t.Fatalf("page 1 shows %d learners: %v", len(names), names)
			}
			caption := text(t, ctx, `table.learners caption`)
			wantCaption := map[string]string{"en": "Learners 1–50 of 61", "ar": "الأشخاص من 1 إلى 50 من أصل 61"}[lang]
			if !strings.HasPrefix(caption, wantCaption) {
				t.Fatalf("caption %q, want %q", caption, wantCaption)
			}

			// The next page, by a plain link.
			dashboardGo(t, ctx, `nav.pager a[rel=next]`)
			noSideways("page 2")
			if names := cardNames(t, ctx); len(names) != 11 || names[0] != "learner-50" || names[10] != "learner-60" {
				t.Fatalf("page 2 shows %v", names)
			}
			if current := text(t, ctx, `nav.pager [aria-current=page]`); !strings.Contains(current, "2") {
				t.Fatalf("pager says %q", current)
			}

			// Most progress first, by the form (the column headers are hidden on a phone).
			if err := chromedp.Do(ctx, chromedp.SetValue(css(`#sort`), "progress"), chromedp.SetValue(css(`#order`), "desc")); err != nil {
				t.Fatal(err)
			}
			dashboardGo(t, ctx, `form.learner-filter button[type=submit]`)
			noSideways("sorted by progress")
			if names := cardNames(t, ctx); len(names) != 50 || names[0] != "learner-07" {
				t.Fatalf("by progress, most first, page 1: %v", names[:3])
			}

			// Search without case or accents.
			if err := chromedp.Do(ctx, chromedp.SetValue(css(`#q`), "EMILE")); err != nil {
				t.Fatal(err)
			}
			dashboardGo(t, ctx, `form.learner-filter button[type=submit]`)
			noSideways("searched")
			if names := cardNames(t, ctx); len(names) != 1 || names[0] != "Émile" {
				t.Fatalf("searching EMILE finds %v", names)
			}
			dashboardGo(t, ctx, `table.learners caption a`) // show everyone again
			if names := cardNames(t, ctx); len(names) != 50 {
				t.Fatalf("after clearing the search: %d learners", len(names))
			}

			// Score bands read in the page's language and direction.
			band := text(t, ctx, `table.bands tbody tr:first-child th`)
			if want := map[string]string{"en": "0–19%", "ar": "من 0 إلى 19%"}[lang]; band != want {
				t.Fatalf("first score band %q, want %q", band, want)
			}
		})
	}

	// On a wide screen the column headers sort: ascending, then descending.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1024, 800), chromedp.Navigate(dashboard+"?lang=en"), chromedp.WaitVisible(css(`table.learners thead`))); err != nil {
		t.Fatal(err)
	}
	if w := dashboardPageWidth(t, ctx); w > 1024 {
		t.Fatalf("the page is %d px wide at 1024 px", w)
	}
	dashboardGo(t, ctx, `table.learners thead th:nth-child(2) a`)
	dashboardGo(t, ctx, `table.learners thead th:nth-child(2) a`)
	sorted, err := chromedp.Run(ctx, chromedp.AttributeValue(css(`table.learners thead th:nth-child(2)`), "aria-sort"))
	if err != nil || sorted.Value != "descending" {
		t.Fatalf("progress column aria-sort %q, %v", sorted.Value, err)
	}
	if names := cardNames(t, ctx); names[0] != "learner-07" {
		t.Fatalf("progress, most first: %v", names[:3])
	}

	// Removing a learner asks first, on a page of its own that names them: in Arabic the
	// trainer keeps them, in English removes them; at 360 px, without JavaScript.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800)); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"ar", "en"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(dashboard+"?lang="+lang+"&q=learner-60"), chromedp.WaitVisible(css(`table.learners`))); err != nil {
			t.Fatal(err)
		}
		dashboardGo(t, ctx, `table.learners a[href$="/remove"]`)
		if w := dashboardPageWidth(t, ctx); w > 360 {
			t.Fatalf("%s: the removal question is %d px wide at 360 px:\n%s", lang, w, beyondEdges(t, ctx, 360))
		}
		if got, want := text(t, ctx, `main h1`), map[string]string{"en": "Remove from the cohort", "ar": "الإزالة من المجموعة"}[lang]; got != want {
			t.Fatalf("%s: the question is titled %q, want %q", lang, got, want)
		}
		if got := text(t, ctx, `main h1 + p`); !strings.Contains(got, "learner-60") || !strings.Contains(got, "Large group") {
			t.Fatalf("%s: the question does not name the learner and the cohort: %q", lang, got)
		}
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("main ul li").length`)); err != nil || n != 3 {
			t.Fatalf("%s: the question says %d things about what happens (%v), want access, progress and attendance", lang, n, err)
		}
		if lang == "ar" {
			dashboardGo(t, ctx, `main form .actions a`) // keep them
			if caption := text(t, ctx, `table.learners caption`); !strings.HasPrefix(caption, "الأشخاص من 1 إلى 50 من أصل 61") {
				t.Fatalf("after keeping the learner the table says %q", caption)
			}
			continue
		}
		dashboardGo(t, ctx, `main form button.danger`)
		if got := text(t, ctx, `main > p.notice[role=status]`); got != "Removed from the cohort." {
			t.Fatalf("after removing: %q", got)
		}
		caption := text(t, ctx, `table.learners caption`)
		if !strings.HasPrefix(caption, "Learners 1–50 of 60") {
			t.Fatalf("after removing one of 61 learners the table says %q", caption)
		}
	}
}

func TestTheDashboardOnAPhonePassesAutomatedAccessibilityChecks(t *testing.T) {
	ctx, _ := newBrowserContexts(t) // axe is a script
	db := dbtest.Open(t, "sqlite")
	base := startServer(t, db)
	dashboard, password := largeDashboard(t, db, base)
	signInAs(t, ctx, base, "dash-coach", password)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800)); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"?lang=en", "?lang=ar", "?lang=ar&page=2&sort=progress", "/quizzes/passwords?lang=ar"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(dashboard+p)); err != nil {
			t.Fatal(err)
		}
		if w := dashboardPageWidth(t, ctx); w > 360 {
			t.Errorf("%s: %d px wide at 360 px:\n%s", p, w, beyondEdges(t, ctx, 360))
		}
		for _, v := range axeCheck(t, ctx) {
			t.Errorf("360 px, %s: %s (%s) %s %v", p, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
	// The question before removing a learner.
	if err := chromedp.Do(ctx, chromedp.Navigate(dashboard), chromedp.WaitVisible(chromedp.CSS(`table.learners`))); err != nil {
		t.Fatal(err)
	}
	remove := evaluate[string](t, ctx, `document.querySelector('table.learners a[href$="/remove"]').getAttribute("href")`)
	for _, lang := range []string{"en", "ar"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+remove+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`main form button.danger`))); err != nil {
			t.Fatal(err)
		}
		if w := dashboardPageWidth(t, ctx); w > 360 {
			t.Errorf("the removal question in %s: %d px wide at 360 px:\n%s", lang, w, beyondEdges(t, ctx, 360))
		}
		for _, v := range axeCheck(t, ctx) {
			t.Errorf("360 px, the removal question in %s: %s (%s) %s %v", lang, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
}
