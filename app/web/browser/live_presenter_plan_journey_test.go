package browser_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/plan"
	"github.com/cairn-lms/cairn/courses"
)

// TestTrainerRunsASessionPlanWithThePresenterViewOpen: the trainer has the session follow a
// module's shipped agenda, chosen on the console, while the presenter view is open on the
// projector (another browser): two presses of "Next step" on the console, and the projector
// shows each prompt; N on the projector's keyboard performs the plan's third step (a
// lesson) and the page's own "Next step" button the fourth, in place; a scale poll
// launched from the console shows its bars with its mean and median on the projector once
// revealed, live and after a reload. In English and Arabic, at the projector's 1280 px
// without sideways scrolling.
func TestTrainerRunsASessionPlanWithThePresenterViewOpen(t *testing.T) {
	cat, _ := course.Load(courses.FS, "courses", course.Options{})
	crs := cat.Course("account-security")
	laptop, projector := newBrowserContexts(t)
	f := newLiveJourneyFixture(t, false)
	ctx, st, base := f.ctx, f.st, f.base
	trainer, learner := f.account(t, "planned-presenter", model.RoleTrainer), f.account(t, "planned-learner", model.RoleLearner)
	f.signIn(t, laptop, "planned-presenter")
	f.signIn(t, projector, "planned-presenter")
	voter := newFormVoter(t, base, "planned-learner", f.password)
	type css = chromedp.CSS

	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			_, _, steps, _ := plan.FromAgenda(crs.Module("passwords"), lang)
			if len(steps) < 4 || steps[0].Kind != model.PlanDiscussion || steps[1].Kind != model.PlanDiscussion || steps[2].Kind != model.PlanLesson || steps[3].Kind != model.PlanLesson {
				t.Fatalf("the %s agenda of passwords does not start with two prompts then two lessons: %+v", lang, steps)
			}
			third, _ := crs.Lesson(steps[2].Lesson).Version(lang)

			co := f.cohort(t, &model.Cohort{Name: "Planned projector " + lang, Lang: lang}, trainer, learner)
			ls, path := f.session(t, co, "Planned projector "+lang)
			live := base + path

			// On the console, the module's agenda is chosen: the session follows a copy of it.
			err := chromedp.Do(laptop, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(live+"?lang="+lang), chromedp.WaitVisible(css(`#plan-choice`)))
			if err != nil {
				t.Fatal(err)
			}
			agenda := evaluate[string](t, laptop, `[...document.querySelectorAll("#plan-choice option")].map(o => o.value).find(v => v.startsWith("agenda:") && v.endsWith("passwords")) || ""`)
			if agenda == "" {
				t.Fatal("the console does not offer the passwords agenda")
			}
			err = chromedp.Do(laptop,
				chromedp.SetValue(css(`#plan-choice`), agenda),
				chromedp.Click(css(`#live-plan form[action$="/plan"] button[type=submit]`)),
				chromedp.WaitVisible(css(`#live-plan form.plan-next`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			connected := `document.getElementById("live-status").textContent === document.getElementById("live").dataset.msgConnected`
			waitFor(t, laptop, "the console did not connect", connected)

			err = chromedp.Do(projector, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(live+"/present?lang="+lang), chromedp.WaitVisible(css(`#presenter`)))
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, projector, "the presenter view did not connect", `document.getElementById("present-status").textContent === document.getElementById("presenter").dataset.msgConnected`)
			if got := evaluate[string](t, projector, `document.documentElement.dir`); got != map[string]string{"en": "ltr", "ar": "rtl"}[lang] {
				t.Fatalf("the presenter view runs %q", got)
			}
			// The shortcut list (folded away) says what N does with a plan.
			if got, want := evaluate[string](t, projector, `document.getElementById("present-key-next").textContent`), attr(t, projector, `#present-key-next`, "data-plan-text"); got != want {
				t.Fatalf("N is described as %q, want %q", got, want)
			}

			// Next step, twice, on the console: the projector shows each prompt, large, in
			// its own direction.
			for n := range 2 {
				if err := chromedp.Do(laptop, chromedp.Click(css(`#live-plan form.plan-next button:not([name])`))); err != nil {
					t.Fatal(err)
				}
				// The console's script puts the new plan card in place before it is pressed again.
				waitFor(t, laptop, "the console's plan card did not move to step "+strconv.Itoa(n+1),
					`document.querySelector('#live-plan form.plan-next input[name=from]') !== null && document.querySelector('#live-plan form.plan-next input[name=from]').value === "`+strconv.Itoa(n)+`"`)
				waitFor(t, projector, "the presenter view did not show step "+strconv.Itoa(n+1),
					`document.querySelector("#present-step .present-step-text") !== null && document.querySelector("#present-step .present-step-text").textContent === `+strconv.Quote(steps[n].Title))
				if got := evaluate[bool](t, projector, `document.querySelector(".present-step-text").matches(":dir(rtl)")`); got != (lang == "ar") {
					t.Fatalf("the prompt runs rtl=%v in %s", got, lang)
				}
			}
			fitsWidth(t, projector, "the presenter view with a prompt at 1280 px")

			// N on the projector performs the plan's third step, where the console left it.
			if err := chromedp.Do(projector, chromedp.KeyEvent("n")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, projector, "N did not perform the plan's next step", `document.getElementById("present-step").textContent.includes(`+strconv.Quote(third.Title)+`)`)
			if sp, err := st.SessionPlan(ctx, ls.ID); err != nil || sp.Position != 2 {
				t.Fatalf("after N the plan stands at %+v (%v), want its third step", sp, err)
			}
			waitFor(t, projector, "the projector did not say the step was performed", `document.getElementById("present-status").textContent !== document.getElementById("presenter").dataset.msgConnected`)

			// The page's "Next step" button does the same as N, in place: the fourth step.
			if got := text(t, projector, `#present-next button`); got != attr(t, projector, `#present-next button`, "data-plan-text") {
				t.Fatalf("the projector's button reads %q", got)
			}
			evaluate[bool](t, projector, `window.__samePage = true`)
			if err := chromedp.Do(projector, chromedp.Click(css(`#present-next button`))); err != nil {
				t.Fatal(err)
			}
			fourth, _ := crs.Lesson(steps[3].Lesson).Version(lang)
			waitFor(t, projector, "the projector's button did not perform the step in place", `document.getElementById("present-step").textContent.includes(`+strconv.Quote(fourth.Title)+`) && window.__samePage === true`)
			if sp, err := st.SessionPlan(ctx, ls.ID); err != nil || sp.Position != 3 {
				t.Fatalf("after the projector's button the plan stands at %+v (%v), want its fourth step", sp, err)
			}

			// A scale poll, launched from the console, answered without JavaScript.
			err = chromedp.Do(laptop,
				chromedp.SetValue(css(`#poll-kind`), "scale"),
				dispatchChange(`#poll-kind`),
				chromedp.SendKeys(css(`#poll-scale-prompt`), "How sure are you of your passphrase?"),
				chromedp.SendKeys(css(`#poll-scale-low`), "not at all"),
				chromedp.SendKeys(css(`#poll-scale-high`), "very"),
				chromedp.Click(css(`#form-poll button[type=submit]`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, projector, "the presenter view did not show the scale", `document.querySelector(".present-prompt") !== null && document.querySelector(".present-prompt").textContent === "How sure are you of your passphrase?"`)
			if got := text(t, projector, `.present-scale-ends`); !strings.Contains(got, "not at all") || !strings.Contains(got, "very") {
				t.Fatalf("the scale's ends read %q", got)
			}
			waitFor(t, laptop, "the console does not show the poll", `document.querySelector('#console-poll input[name=poll]') !== null`)
			poll := evaluate[string](t, laptop, `document.querySelector('#console-poll input[name=poll]').value`)
			voter.post(path+"/vote", url.Values{"poll": {poll}, "choice": {"4"}}, path)
			waitFor(t, projector, "the presenter view did not count the answer", `document.getElementById("present-voters").textContent === "1"`)
			if evaluate[bool](t, projector, `document.querySelector(".scale-bars") !== null`) {
				t.Fatal("the scale's results show before the reveal")
			}

			// Revealed from the console: the bars, with the mean and median as text.
			if err := chromedp.Do(laptop, chromedp.Click(css(`#console-poll button[data-action=poll_reveal]`))); err != nil {
				t.Fatal(err)
			}
			sep := evaluate[string](t, projector, `document.getElementById("live-kind-strings").dataset.decimal`)
			checkScale := func(when string) {
				t.Helper()
				waitFor(t, projector, "the presenter view did not draw the scale "+when, `document.querySelectorAll(".scale-bars li").length === 5`)
				counts := evaluate[[]string](t, projector, `[...document.querySelectorAll(".scale-count")].map(e => e.textContent)`)
				if strings.Join(counts, "|") != "0|0|0|1|0" {
					t.Fatalf("the scale's counts %s: %v", when, counts)
				}
				stats := evaluate[[]string](t, projector, `[...document.querySelectorAll(".scale-stats strong")].map(e => e.textContent)`)
				if strings.Join(stats, "|") != "4"+sep+"0|4" {
					t.Fatalf("the scale's mean and median %s: %v", when, stats)
				}
				if got := evaluate[bool](t, projector, `document.querySelector(".scale-bars").matches(":dir(rtl)")`); got != (lang == "ar") {
					t.Fatalf("the bars run rtl=%v in %s", got, lang)
				}
				fitsWidth(t, projector, "the presenter view with a scale's results at 1280 px")
			}
			checkScale("live")
			if err := chromedp.Do(projector, chromedp.Reload(), chromedp.WaitVisible(css(`#presenter`))); err != nil {
				t.Fatal(err)
			}
			checkScale("after a reload")
		})
	}
}
