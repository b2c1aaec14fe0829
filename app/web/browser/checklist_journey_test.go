package browser_test

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/web"
)

// TestLearnerTicksAChecklistWithoutJavaScriptAndSeesItOnMyLearning: on a phone-sized
// screen with scripts off, a learner ticks one "what now" item, saves, lands back at the
// checklist with it ticked and a confirmation, and finds the rest listed on My learning.
func TestLearnerTicksAChecklistWithoutJavaScriptAndSeesItOnMyLearning(t *testing.T) {
	ctx := newBrowser(t)
	base := startServerWith(t, dbtest.Open(t, "sqlite"), &web.CoursesSource{FS: os.DirFS("../../course/testdata/valid"), Label: "testdata"})
	type css = chromedp.CSS
	const password = "a checklist without scripts"
	lesson := base + "/courses/sample/lessons/first-steps"

	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(base+"/signup?lang=en"),
		chromedp.WaitVisible(css(`#username`)),
		chromedp.SendKeys(css(`#username`), "Checker"),
		chromedp.SendKeys(css(`#password`), password),
		chromedp.SendKeys(css(`#password_confirm`), password),
		chromedp.Submit(css(`#username`)),
		chromedp.WaitVisible(css(`ol.codes`)),
		chromedp.Navigate(lesson),
		chromedp.WaitVisible(css(`#checklist form`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "ar"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(lesson+"?lang="+lang), chromedp.WaitVisible(css(`#checklist form`))); err != nil {
			t.Fatal(err)
		}
		if w := scrollWidth(t, ctx); w > 360 {
			t.Errorf("the %s lesson page with objectives and a checklist is %d px wide at 360", lang, w)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(lesson+"?lang=en"), chromedp.WaitVisible(css(`#check-print-codes`))); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.RunResponse(ctx,
		chromedp.Click(css(`#check-print-codes`)),
		chromedp.Click(css(`#checklist button[type="submit"]`)),
	)
	if err != nil || resp.Status != 200 {
		t.Fatalf("save the checklist: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(css(`#checklist [role="status"]`))); err != nil {
		t.Fatal(err)
	}
	if status := text(t, ctx, `#checklist [role="status"]`); status != "Saved. 1 of 2 done" {
		t.Fatalf("after saving: %q", status)
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.HasSuffix(url, "/courses/sample/lessons/first-steps#checklist") {
		t.Fatalf("after saving the browser is at %q (%v), want the lesson's checklist", url, err)
	}
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](`[...document.querySelectorAll('#checklist input[type=checkbox]')].map(c => c.checked)`))
	if err != nil || len(checked) != 2 || !checked[0] || checked[1] {
		t.Fatalf("checkboxes after saving: %v (%v), want [true false]", checked, err)
	}

	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/learning"),
		chromedp.WaitVisible(css(`details.checklist-summary summary`)),
		chromedp.Click(css(`details.checklist-summary summary`)),
		chromedp.WaitVisible(css(`details.checklist-summary[open] .checklist-lessons`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if s := text(t, ctx, `details.checklist-summary summary`); s != "Checklists: 1 of 2 done" {
		t.Fatalf("My learning says %q", s)
	}
	left := text(t, ctx, `details.checklist-summary .checklist-lessons`)
	if !strings.Contains(left, "First steps") || !strings.Contains(left, "Store them apart from your laptop") || strings.Contains(left, "Print your recovery codes") {
		t.Fatalf("My learning lists as still to do:\n%s", left)
	}
}
