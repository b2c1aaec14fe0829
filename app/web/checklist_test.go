package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/store"
)

func TestLessonShowsObjectivesAndAChecklistOnlyTheSignedInCanTick(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		anon := ts.browser(t)
		p := anon.get("/courses/sample/lessons/first-steps?lang=en")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "In this lesson you will:", "<li>Tell the next lesson from the quiz</li>", "<li>Keep recovery codes on paper</li>",
			`<section class="checklist card" id="checklist"`, "What now?", "<li>Print your recovery codes</li>",
			`<a href="/login?next=/courses/sample/lessons/first-steps">Sign in</a> — sign in to tick these off`)
		if strings.Contains(p.Body, `name="item"`) {
			t.Fatal("an anonymous reader is offered checkboxes")
		}
		// The objectives come before the lesson text, the checklist after it.
		if i, j, k := strings.Index(p.Body, "In this lesson you will"), strings.Index(p.Body, `<div class="prose">`), strings.Index(p.Body, `id="checklist"`); !(i < j && j < k) {
			t.Fatalf("objectives at %d, text at %d, checklist at %d", i, j, k)
		}
		// A lesson without objectives or checklist has neither section.
		p = anon.get("/courses/sample/lessons/second-steps")
		if strings.Contains(p.Body, "objectives-heading") || strings.Contains(p.Body, `id="checklist"`) {
			t.Fatal("a lesson without objectives or a checklist shows their sections")
		}
		// In Arabic the lesson's own items, under Arabic headings.
		mustContain(t, anon.get("/courses/sample/lessons/first-steps?lang=ar"), "أهداف هذا الدرس:", "<li>ميّز الدرس التالي من الاختبار</li>", "اطبع رموز الاسترداد")

		b := ts.browser(t)
		b.signUp("ticker")
		p = b.get("/courses/sample/lessons/first-steps?lang=en")
		mustContain(t, p, `<form method="post" action="/courses/sample/lessons/first-steps/checklist">`,
			`<input type="checkbox" id="check-print-codes" name="item" value="print-codes"> <label for="check-print-codes">Print your recovery codes</label>`,
			"0 of 2 done")
	})
}

func TestTickingAChecklistSavesTheSetAndIgnoresUnknownItems(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		st := store.New(ts.DB, nil)
		b := ts.browser(t)
		b.signUp("doer")
		u, err := st.UserByUsernameKey(ctx, auth.UsernameKey("doer"))
		if err != nil {
			t.Fatal(err)
		}

		p, location := b.postNoFollow("/courses/sample/lessons/first-steps/checklist", url.Values{"item": {"store-apart", "forged-item", "store-apart"}})
		if p.Status != http.StatusSeeOther || location != "/courses/sample/lessons/first-steps#checklist" {
			t.Fatalf("saving answered %d to %q, want 303 to the lesson's checklist", p.Status, location)
		}
		ticks, err := st.ChecklistTicks(ctx, u.ID, "sample")
		if err != nil {
			t.Fatal(err)
		}
		if got := ticks.Lesson("sample", "first-steps"); len(got) != 1 || !got["store-apart"] {
			t.Fatalf("stored ticks %v, want only store-apart", got)
		}
		// The page after the redirect confirms it next to the checklist, not at the top.
		p = b.get("/courses/sample/lessons/first-steps?lang=en")
		mustContain(t, p, `value="store-apart" checked>`, `<span class="muted small" role="status">Saved. 1 of 2 done</span>`)
		if strings.Contains(p.Body, `<p class="notice" role="status">Saved.`) {
			t.Fatal("the confirmation is shown twice")
		}
		if strings.Contains(b.get("/courses/sample/lessons/first-steps").Body, "Saved.") {
			t.Fatal("the confirmation outlived the page it was for")
		}

		// A form with nothing ticked unticks everything.
		b.post("/courses/sample/lessons/first-steps/checklist", url.Values{})
		if ticks, _ := st.ChecklistTicks(ctx, u.ID); len(ticks.Lesson("sample", "first-steps")) != 0 {
			t.Fatalf("unticking left %v", ticks)
		}
		// A stale tick (an item since removed from the lesson) is not counted.
		if err := st.SetChecklistTicks(ctx, u.ID, "sample", "first-steps", []string{"print-codes", "removed-item"}); err != nil {
			t.Fatal(err)
		}
		mustContain(t, b.get("/courses/sample/lessons/first-steps?lang=en"), "1 of 2 done")
		// A lesson without a checklist has nothing to save.
		p, _ = b.postNoFollow("/courses/sample/lessons/second-steps/checklist", url.Values{"item": {"x"}})
		mustStatus(t, p, http.StatusNotFound)
	})
}

func TestMyLearningCountsChecklistsAndListsWhatIsLeft(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("tracker")
		b.post("/courses/sample/lessons/first-steps/checklist", url.Values{"item": {"print-codes"}})
		p := b.get("/learning?lang=en")
		mustContain(t, p, "<summary>Checklists: 1 of 2 done</summary>",
			`<li lang="en" dir="ltr"><a href="/courses/sample/lessons/first-steps#checklist">First steps</a>`, "<li>Store them apart from your laptop</li>")
		if strings.Contains(p.Body, "<li>Print your recovery codes</li>") {
			t.Fatal("a ticked item is listed as still to do")
		}
		b.post("/courses/sample/lessons/first-steps/checklist", url.Values{"item": {"print-codes", "store-apart"}})
		mustContain(t, b.get("/learning?lang=ar"), "قوائم المهام: أُنجز 2 من 2", "أُنجز كل ما في قوائم المهام لهذه الدورة.")
	})
}
