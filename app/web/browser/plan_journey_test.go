package browser_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/plan"
	"github.com/cairn-lms/cairn/courses"
)

// fitsPhone fails the test when the page the context shows scrolls sideways: at a 360 px
// viewport the document must be no wider than the screen.
func fitsPhone(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if w > 360 {
		wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 361).slice(0, 5).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))`))
		t.Errorf("%s is %d px wide at 360 px: it scrolls sideways (%v)", what, w, wide)
	}
}

// checked is fitsPhone and the automated accessibility check of the page the context shows.
func checked(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	fitsPhone(t, ctx, what)
	for _, v := range axeCheck(t, ctx) {
		t.Errorf("%s: %s (%s) %s %v", what, v.ID, v.Impact, v.Help, v.Nodes)
	}
}

// A trainer makes a plan of a module's shipped agenda, starts a session and walks its
// first two steps with "Next step"; a participant without JavaScript sees each step on the
// plain page. Everything on phones, in English and in Arabic.
func TestTrainerRunsASessionPlanFromAShippedAgenda(t *testing.T) {
	cat, _ := course.Load(courses.FS, "courses", course.Options{})
	crs := cat.Course("account-security")
	mod := crs.Module("passwords")
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			_, _, steps, fellBack := plan.FromAgenda(mod, lang)
			if fellBack || len(steps) < 3 || steps[0].Kind != model.PlanDiscussion || steps[2].Kind != model.PlanLesson {
				t.Fatalf("the %s agenda of passwords does not start with prompts then a lesson: %+v", lang, steps)
			}
			// What the participant is to see at each of the first three steps.
			var want []string
			for _, st := range steps[:3] {
				if st.Kind == model.PlanLesson {
					v, _ := crs.Lesson(st.Lesson).Version(lang)
					want = append(want, v.Title)
				} else {
					want = append(want, st.Title)
				}
			}
			runPlanJourney(t, lang, steps[:3], want, len(steps))
		})
	}
}

func runPlanJourney(t *testing.T, lang string, steps []model.PlanStep, want []string, nSteps int) {
	trainerCtx, learnerCtx := newBrowserContexts(t)
	noJavaScript(t, learnerCtx)
	phone(t, trainerCtx)
	phone(t, learnerCtx)
	f := newLiveJourneyFixture(t, false)
	base := f.base
	trainer, learner := f.account(t, "plan-trainer", model.RoleTrainer), f.account(t, "plan-learner", model.RoleLearner)
	co := f.cohort(t, &model.Cohort{Name: "Planned", Lang: lang}, trainer, learner)
	f.signIn(t, trainerCtx, "plan-trainer")
	f.signIn(t, learnerCtx, "plan-learner")
	if err := chromedp.Do(learnerCtx, chromedp.Navigate(base+"/?lang="+lang)); err != nil {
		t.Fatal(err)
	}
	type css = chromedp.CSS
	rtl := lang == "ar"

	// The agenda of a module, copied into a plan of the trainer's.
	err := chromedp.Do(trainerCtx,
		chromedp.Navigate(base+"/plans?lang="+lang),
		chromedp.WaitVisible(css(`a[href="/plans/new"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	checked(t, trainerCtx, "the list of plans")
	err = chromedp.Do(trainerCtx,
		chromedp.Navigate(base+"/plans/new?course=account-security"),
		chromedp.WaitVisible(css(`form[action="/plans/agenda"]:has(input[name=module][value=passwords]) button`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	checked(t, trainerCtx, "the new plan page")
	if dir := attr(t, trainerCtx, "html", "dir"); (dir == "rtl") != rtl {
		t.Fatalf("the new plan page has dir=%q in %s", dir, lang)
	}
	err = chromedp.Do(trainerCtx,
		chromedp.Click(css(`form[action="/plans/agenda"]:has(input[name=module][value=passwords]) button`)),
		chromedp.WaitVisible(css(`ol.plan-steps`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	planPath, err := chromedp.Run(trainerCtx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil || !strings.HasPrefix(planPath, "/plans/") {
		t.Fatalf("the agenda led to %q, %v", planPath, err)
	}
	if got := text(t, trainerCtx, `ol.plan-steps > li:first-child h3 bdi`); got != want[0] {
		t.Fatalf("the plan's first step reads %q, want %q", got, want[0])
	}
	// Times read start to end in either direction: "0:00–0:15", never "0:15–0:00" in Arabic.
	if got := text(t, trainerCtx, `ol.plan-steps > li:first-child .plan-step-meta bdi[dir=ltr]`); !strings.HasPrefix(got, "0:00–") {
		t.Fatalf("the first step's time reads %q", got)
	}
	if l := attr(t, trainerCtx, `main h1`, "lang"); l != lang {
		t.Fatalf("the plan's title is marked lang=%q, want %q", l, lang)
	}
	checked(t, trainerCtx, "the plan page")
	for _, p := range []string{planPath + "/print", planPath + "/delete"} {
		if err := chromedp.Do(trainerCtx, chromedp.Navigate(base+p), chromedp.WaitVisible(css(`main h1`))); err != nil {
			t.Fatal(err)
		}
		checked(t, trainerCtx, p)
	}
	err = chromedp.Do(trainerCtx,
		chromedp.Navigate(base+planPath),
		chromedp.WaitVisible(css(`ol.plan-steps`)),
		chromedp.Click(css(`ol.plan-steps > li:nth-child(3) a.button`)),
		chromedp.WaitVisible(css(`select[name=target]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	checked(t, trainerCtx, "the step editor")

	// The trainer starts a session from the cohort's page, has it follow the plan and takes
	// its first steps.
	err = chromedp.Do(trainerCtx,
		chromedp.Navigate(base+"/cohorts/"+strconv.FormatInt(co.ID, 10)),
		chromedp.WaitVisible(css(`#live-title`)),
		chromedp.SendKeys(css(`#live-title`), "Planned session"),
		chromedp.Click(css(`form[action$="/live"] button[type=submit]`)),
		chromedp.WaitVisible(css(`#plan-choice`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	livePath, err := chromedp.Run(trainerCtx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil || !strings.HasPrefix(livePath, "/live/") {
		t.Fatalf("starting a session led to %q, %v", livePath, err)
	}
	live := base + livePath
	planValue := "plan:" + strings.TrimPrefix(planPath, "/plans/")
	err = chromedp.Do(trainerCtx,
		chromedp.SetValue(css(`#plan-choice`), planValue),
		chromedp.Click(css(`#live-plan form[action$="/plan"] button[type=submit]`)),
		chromedp.WaitVisible(css(`#live-plan form.plan-next`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	checked(t, trainerCtx, "the console with its plan")
	next := func(n int) {
		t.Helper()
		if err := chromedp.Do(trainerCtx, chromedp.Click(css(`#live-plan form.plan-next button:not([name])`))); err != nil {
			t.Fatal(err)
		}
		// The script sends the form and puts the new card in place: no page load.
		want := fmt.Sprintf(`document.querySelector("#live-plan .plan-now .plan-step-meta") && document.querySelector("#live-plan .plan-now .plan-step-meta").textContent.includes("%d") && document.querySelector("#live-plan .plan-now .plan-step-meta").textContent.includes("%d") && document.querySelector("#live-plan .live-plan-status").textContent !== ""`, n, nSteps)
		if _, err := chromedp.Run(trainerCtx, chromedp.Poll[bool](want)); err != nil {
			got, _ := chromedp.Run(trainerCtx, chromedp.Evaluate[string](`document.getElementById("live-plan").innerText`))
			t.Fatalf("after Next step %d the plan card reads:\n%s\n(%v)", n, got, err)
		}
	}
	marker, err := chromedp.Run(trainerCtx, chromedp.Evaluate[bool](`window.__samePage = true`))
	if err != nil || !marker {
		t.Fatal(err)
	}
	for n, st := range steps {
		next(n + 1)
		if n == 0 {
			if kept, _ := chromedp.Run(trainerCtx, chromedp.Evaluate[bool](`window.__samePage === true`)); !kept {
				t.Fatal("Next step reloaded the console: the script should have sent it in place")
			}
			fitsPhone(t, trainerCtx, "the console on the first step")
		}
		// The participant, without JavaScript, sees the step on the plain page.
		shown := `.step-prompt`
		if st.Kind == model.PlanLesson {
			shown = `.live-now strong`
		}
		if err := chromedp.Do(learnerCtx, chromedp.Navigate(live+"/frame"), chromedp.WaitVisible(css(shown))); err != nil {
			t.Fatal(err)
		}
		if got := text(t, learnerCtx, shown); got != want[n] {
			t.Fatalf("at step %d the participant sees %q, want %q", n+1, got, want[n])
		}
		if dir := attr(t, learnerCtx, "html", "dir"); (dir == "rtl") != rtl {
			t.Fatalf("the participant's page has dir=%q", dir)
		}
		if st.Kind != model.PlanLesson {
			// The prompt takes its own direction, whatever the page's.
			isRTL, err := chromedp.Run(learnerCtx, chromedp.Evaluate[bool](`document.querySelector(".step-prompt").matches(":dir(rtl)")`))
			if err != nil || isRTL != rtl {
				t.Fatalf("the prompt's direction is rtl=%v in %s (%v)", isRTL, lang, err)
			}
		}
		fitsPhone(t, learnerCtx, fmt.Sprintf("the participant's page at step %d", n+1))
	}
}

func attr(t *testing.T, ctx context.Context, selector, name string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).getAttribute(%q) || ""`, selector, name)))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
