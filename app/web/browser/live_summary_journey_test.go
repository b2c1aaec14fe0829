package browser_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// cellFit is what the sweep of a table measures: how many cells it has, the narrowest one's
// width, and the cells a phone shows without the name of their column.
type cellFit struct {
	Cells      int      `json:"cells"`
	Narrowest  int      `json:"narrowest"`
	NarrowText string   `json:"narrowText"`
	Unlabelled []string `json:"unlabelled"`
}

// measureCells measures every body cell of the page's tables in <main>.
const measureCells = `(() => {
  let cells = 0, narrowest = 1e9, text = "";
  const unlabelled = [];
  for (const c of document.querySelectorAll("main table tbody th, main table tbody td")) {
    const w = c.getBoundingClientRect().width;
    cells++;
    if (w < narrowest) { narrowest = w; text = c.textContent.trim().slice(0, 40); }
    const card = getComputedStyle(c).display === "block" || getComputedStyle(c).display === "flex";
    if (card && c.tagName === "TD" && !c.dataset.label) unlabelled.push(c.textContent.trim().slice(0, 40));
  }
  return {cells: cells, narrowest: Math.round(narrowest), narrowText: text, unlabelled: unlabelled};
})()`

// The summary of a live session, on a 360-px phone without JavaScript, in English and in
// Arabic: no sideways scroll, and no cramped column (the attendance becomes a card per
// person, each value labelled with its column; a poll's results stay a narrow table).
// The cohort's dashboard, with the same disabled learner, fits the phone as well.
// CAIRN_TEST_SCREENSHOT_DIR, when set, keeps a screenshot of each for a person to look at.
func TestALiveSessionSummaryReadsOnA360PixelPhoneWithoutJavaScript(t *testing.T) {
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800)); err != nil {
		t.Fatal(err)
	}
	f := newLiveJourneyFixture(t, false)
	trainer := f.account(t, "summary-trainer", model.RoleTrainer)
	var learners []*model.User
	for _, name := range []string{"a-learner-with-a-rather-long-pseudonym", "short", "gone-away"} {
		learners = append(learners, f.account(t, name, model.RoleLearner))
	}
	if err := f.st.UpdateProfile(f.ctx, learners[1].ID, "فاطمة عبد الرحمن الحسيني", "ar"); err != nil {
		t.Fatal(err)
	}
	co := f.cohort(t, &model.Cohort{Name: "Summaries", Lang: "en"}, trainer, learners...)
	ls, path := f.session(t, co, "Phishing drill, second round")
	// Several stretches each (a tab closed and opened again), one person still there.
	for _, u := range append([]*model.User{trainer}, learners...) {
		for range 3 {
			id, err := f.st.JoinAttendance(f.ctx, ls.ID, u.ID, "test")
			if err != nil {
				t.Fatal(err)
			}
			if u != learners[1] {
				if err := f.st.LeaveAttendance(f.ctx, id); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := f.st.DisableUser(f.ctx, learners[2].ID); err != nil {
		t.Fatal(err)
	}
	poll := &model.LivePoll{SessionID: ls.ID, Kind: model.PollKindPoll, Prompt: "Which of these would you report to the organisation's security contact?",
		Options: `[{"id":"a","text":"An email asking to confirm a password on an unfamiliar site"},{"id":"b","text":"SMS"}]`, MinGroup: 1}
	if err := f.st.DB().RunInTx(f.ctx, nil, func(ctx context.Context, tx bun.Tx) error { return f.st.OpenPoll(ctx, tx, poll) }); err != nil {
		t.Fatal(err)
	}
	f.signIn(t, ctx, "summary-trainer")

	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(f.base+path+"/summary?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`main table`))); err != nil {
				t.Fatal(err)
			}
			if dir := evaluate[string](t, ctx, `document.documentElement.dir`); (lang == "ar") != (dir == "rtl") {
				t.Fatalf("dir %q in %s", dir, lang)
			}
			keepScreenshot(t, ctx, "live-summary-360-"+lang, "main")
			fitsWidth(t, ctx, "the live summary in "+lang)
			fit := evaluate[cellFit](t, ctx, measureCells)
			// 4 people × 4 cells, and the poll's 2 × 2.
			if fit.Cells != 20 {
				t.Fatalf("%d table cells, want 20", fit.Cells)
			}
			// A column a few letters wide wraps a word a letter or two per line: cramped.
			if fit.Narrowest < 80 {
				t.Fatalf("a cell %d px wide at 360 px (%q): cramped", fit.Narrowest, fit.NarrowText)
			}
			if len(fit.Unlabelled) > 0 {
				t.Fatalf("cells shown without their column's name: %q", fit.Unlabelled)
			}
			badge := evaluate[string](t, ctx, `(document.querySelector("table.attendance .account-disabled") || {}).textContent || ""`)
			if want := map[string]string{"en": "Account disabled", "ar": "حساب معطَّل"}[lang]; badge != want {
				t.Fatalf("the disabled account's badge says %q, want %q", badge, want)
			}

			if err := chromedp.Do(ctx, chromedp.Navigate(f.base+"/cohorts/"+strconv.FormatInt(co.ID, 10)+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`table.learners`))); err != nil {
				t.Fatal(err)
			}
			keepScreenshot(t, ctx, "cohort-360-"+lang, `section[aria-labelledby="progress-heading"]`)
			fitsWidth(t, ctx, "the cohort dashboard in "+lang)
			// Three learners are counted on each request (on the real clock the count is
			// already in the past when the page is drawn).
			if lang == "en" && evaluate[bool](t, ctx, `document.querySelector("main").innerText.includes("Counted at")`) {
				t.Fatal("a three-learner cohort's totals said to be counted earlier")
			}
			badge = evaluate[string](t, ctx, `(document.querySelector("table.learners .account-disabled") || {}).textContent || ""`)
			if want := map[string]string{"en": "Account disabled", "ar": "حساب معطَّل"}[lang]; badge != want {
				t.Fatalf("the dashboard's badge says %q, want %q", badge, want)
			}
		})
	}
}

// keepScreenshot saves the element selector finds as name.png in CAIRN_TEST_SCREENSHOT_DIR, when
// it is set, for a person to judge what a test cannot measure.
func keepScreenshot(t *testing.T, ctx context.Context, name, selector string) {
	t.Helper()
	dir := os.Getenv("CAIRN_TEST_SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(selector)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), shot, 0o600); err != nil {
		t.Fatal(err)
	}
}
