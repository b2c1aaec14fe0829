package browser_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// TestAnAdministratorFindsPagesAndDisablesAnAccountOnAPhoneWithoutJavaScript: 60 accounts
// with long names in two scripts, an administrator at 360 px with JavaScript off, in English
// and Arabic: the list is one card per account (nothing scrolls sideways), the next page is
// a plain link, the filter a plain GET form (with the "no account matches" state), and
// disabling asks first on a page of its own, then comes back to the filtered list.
func TestAnAdministratorFindsPagesAndDisablesAnAccountOnAPhoneWithoutJavaScript(t *testing.T) {
	ctx := newBrowser(t)
	db := dbtest.Open(t, "sqlite")
	base := startServer(t, db)
	bg := context.Background()
	st := store.New(db, nil)
	hasher, _ := auth.NewHasher(1024, 1, 1, 1)
	const password = "an administrator's passphrase"
	hash, _ := hasher.Hash(bg, password)
	mk := func(name, display, role string) {
		u := &model.User{Username: name, UsernameKey: auth.UsernameKey(name), UsernameSkeleton: auth.UsernameSkeleton(name),
			DisplayName: display, PasswordHash: hash, Role: role, Locale: "en"}
		if err := st.CreateAccount(bg, store.NewAccount{User: u}); err != nil {
			t.Fatal(err)
		}
	}
	mk("accounts-admin", "", model.RoleAdmin)
	for i := range 30 {
		mk(fmt.Sprintf("learner-with-a-rather-long-name-%02d", i), fmt.Sprintf("Participant number %02d of the spring workshop", i), model.RoleLearner)
		mk(fmt.Sprintf("متعلّم-باسم-طويل-نسبيًا-%02d", i), fmt.Sprintf("مُشارِك رقم %02d في ورشة الربيع", i), model.RoleLearner)
	}
	signInAs(t, ctx, base, "accounts-admin", password)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800)); err != nil {
		t.Fatal(err)
	}
	type css = chromedp.CSS
	noSideways := func(where string) {
		t.Helper()
		if w := dashboardPageWidth(t, ctx); w > 360 {
			t.Fatalf("%s: the page is %d px wide at 360 px; beyond the edges:\n%s", where, w, beyondEdges(t, ctx, 360))
		}
	}
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(base+"/admin/users?lang="+lang), chromedp.WaitVisible(css(`table.accounts`))); err != nil {
				t.Fatal(err)
			}
			noSideways("page 1")
			caption := text(t, ctx, `table.accounts caption`)
			if want := map[string]string{"en": "Accounts 1–50 of 61", "ar": "الحسابات من 1 إلى 50 من أصل 61"}[lang]; !strings.HasPrefix(caption, want) {
				t.Fatalf("caption %q, want %q", caption, want)
			}
			dashboardGo(t, ctx, `nav.pager a[rel=next]`)
			noSideways("page 2")
			if caption := text(t, ctx, `table.accounts caption`); !strings.Contains(caption, "61") || !strings.Contains(caption, "51") {
				t.Fatalf("page 2 caption %q", caption)
			}
			if names := cardNames(t, ctx); len(names) != 11 {
				t.Fatalf("page 2 shows %d accounts", len(names))
			}

			// Nobody matches: a clear state, and a way back.
			if err := chromedp.Do(ctx, chromedp.SetValue(css(`#q`), "nobody-by-this-name"), chromedp.SetValue(css(`#role`), "trainer")); err != nil {
				t.Fatal(err)
			}
			dashboardGo(t, ctx, `form.learner-filter button[type=submit]`)
			noSideways("no match")
			if got, want := text(t, ctx, `section.card p.notice`), map[string]string{"en": "No account matches these filters.", "ar": "لا يطابق أيّ حساب عوامل التصفية هذه."}[lang]; !strings.HasPrefix(got, want) {
				t.Fatalf("no-match state %q, want %q", got, want)
			}

			// An Arabic display name, typed without its short vowels, among learners only.
			if err := chromedp.Do(ctx, chromedp.SetValue(css(`#q`), "مشارك رقم 07"), chromedp.SetValue(css(`#role`), "learner")); err != nil {
				t.Fatal(err)
			}
			dashboardGo(t, ctx, `form.learner-filter button[type=submit]`)
			if names := cardNames(t, ctx); len(names) != 1 || names[0] != "متعلّم-باسم-طويل-نسبيًا-07" {
				t.Fatalf("search found %v", names)
			}
		})
	}

	// Disabling, in English: the confirmation names the account and says what happens,
	// then the filtered list comes back with the account marked.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/admin/users?lang=en&q=long-name-07"), chromedp.WaitVisible(css(`table.accounts`))); err != nil {
		t.Fatal(err)
	}
	dashboardGo(t, ctx, `table.accounts a[href*="/disable"]`)
	noSideways("the disabling question")
	if got := text(t, ctx, `main h1`); got != "Disable an account" {
		t.Fatalf("confirmation titled %q", got)
	}
	if got := text(t, ctx, `main h1 + p`); !strings.Contains(got, "learner-with-a-rather-long-name-07") {
		t.Fatalf("the confirmation does not name the account: %q", got)
	}
	dashboardGo(t, ctx, `main form button.danger`)
	if got := text(t, ctx, `main > p.notice[role=status]`); got != "Account disabled. That person was signed out everywhere." {
		t.Fatalf("after disabling: %q", got)
	}
	if badge := text(t, ctx, `table.accounts tbody th .badge`); badge != "Disabled" {
		t.Fatalf("the account is not marked disabled: %q", badge)
	}
	if q, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`)); err != nil || !strings.Contains(q, "q=long-name-07") {
		t.Fatalf("back on %q, not the filtered list (%v)", q, err)
	}
	noSideways("the list with a disabled account")
}
