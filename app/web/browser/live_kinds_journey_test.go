package browser_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/model"
)

// A scale and an open-text poll run from the console; one participant follows on a 360-px
// phone with JavaScript, another on the page without it. Both result views, in English and
// in Arabic, must not scroll sideways.
func TestScaleAndWordCloudPollsOnA360PixelPhoneWithAndWithoutJavaScript(t *testing.T) {
	root := startChromium(t)
	newContext := func() context.Context {
		c, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		return withTimeout(t, c)
	}
	trainerCtx, phoneCtx, plainCtx := newContext(), newContext(), newContext()
	for _, c := range []context.Context{phoneCtx, plainCtx} {
		if err := chromedp.Do(c, chromedp.EmulateViewport(360, 780)); err != nil {
			t.Fatal(err)
		}
	}
	noJavaScript(t, plainCtx)

	f := newLiveJourneyFixture(t, false)
	trainer, phone, plain := f.account(t, "cloud-trainer", model.RoleTrainer), f.account(t, "cloud-phone", model.RoleLearner), f.account(t, "cloud-plain", model.RoleLearner)
	co := f.cohort(t, &model.Cohort{Name: "Clouds", Lang: "en"}, trainer, phone, plain)
	_, path := f.session(t, co, "Feelings about phishing")
	live := f.base + path
	f.signIn(t, trainerCtx, "cloud-trainer")
	f.signIn(t, phoneCtx, "cloud-phone")
	f.signIn(t, plainCtx, "cloud-plain")

	type css = chromedp.CSS
	do := func(c context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(c, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	until := func(c context.Context, what, cond string) {
		t.Helper()
		if _, err := chromedp.Run(c, chromedp.Poll[bool](cond)); err != nil {
			body, _ := chromedp.Run(c, chromedp.Evaluate[string](`document.querySelector("main") ? document.querySelector("main").innerText : ""`))
			t.Fatalf("%s: %v\n%s", what, err, body)
		}
	}
	connected := func(c context.Context, url string) {
		t.Helper()
		do(c, "open "+url, chromedp.Navigate(url), chromedp.WaitVisible(css(`#live-status`)))
		until(c, "connect", `document.getElementById("live-status").textContent === document.getElementById("live").dataset.msgConnected`)
	}
	// noSidewaysScroll checks the page as shown: in the language asked for, at 360 px, no
	// wider than the window.
	noSidewaysScroll := func(c context.Context, where, lang string) {
		t.Helper()
		got, err := chromedp.Run(c, chromedp.Evaluate[[]any](`[document.documentElement.scrollWidth, document.documentElement.clientWidth, document.documentElement.lang, document.documentElement.dir]`))
		if err != nil {
			t.Fatal(err)
		}
		if got[0].(float64) > got[1].(float64) || got[1].(float64) > 360 {
			wide, _ := chromedp.Run(c, chromedp.Evaluate[[]string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 || e.getBoundingClientRect().left < -1).map(e => e.tagName + "." + e.className + ": " + e.textContent.slice(0, 40))`))
			t.Logf("too wide: %q", wide)
			t.Errorf("%s in %s scrolls sideways at 360 px: scrollWidth %v, clientWidth %v", where, lang, got[0], got[1])
		}
		if got[2] != lang || (lang == "ar") != (got[3] == "rtl") {
			t.Errorf("%s: lang %v dir %v, want %s", where, got[2], got[3], lang)
		}
	}
	// showResults looks at a result view in English, then in Arabic, checking it each time.
	showResults := func(c context.Context, where, url, ready string) {
		t.Helper()
		for _, lang := range []string{"en", "ar"} {
			do(c, where+" in "+lang, chromedp.Navigate(url+"?lang="+lang))
			until(c, where+" in "+lang, ready)
			noSidewaysScroll(c, where, lang)
		}
	}

	connected(trainerCtx, live)
	connected(phoneCtx, live)

	// A scale from the console: picking the kind hides the fields of a choice poll.
	if _, err := chromedp.Run(trainerCtx, chromedp.Evaluate[bool](`(() => { const s = document.getElementById("poll-kind"); s.value = "scale"; s.dispatchEvent(new Event("change")); return true })()`)); err != nil {
		t.Fatal(err)
	}
	do(trainerCtx, "launch a scale",
		chromedp.SendKeys(css(`#poll-scale-prompt`), "How confident are you that you would spot a phishing message?"),
		chromedp.SendKeys(css(`#poll-scale-low`), "not at all confident, I would probably click"),
		chromedp.SendKeys(css(`#poll-scale-high`), "very confident, I always check the sender"),
	)
	until(trainerCtx, "the choice fields hide", `document.querySelector('fieldset[data-kind=choice]').hidden && !document.querySelector('fieldset[data-kind=scale]').hidden`)
	do(trainerCtx, "launch", chromedp.Click(css(`#form-poll button[type=submit]`)))

	do(phoneCtx, "vote 4 on the phone", chromedp.WaitVisible(css(`#form-vote .scale-points`)), chromedp.Click(css(`#vote-4`)), chromedp.Click(css(`#form-vote button[type=submit]`)))
	noSidewaysScroll(phoneCtx, "the scale's vote row", "en")
	do(plainCtx, "vote 2 without JavaScript", chromedp.Navigate(live+"/frame"), chromedp.WaitVisible(css(`fieldset.scale`)))
	noSidewaysScroll(plainCtx, "the plain scale form", "en")
	do(plainCtx, "vote 2", chromedp.Click(css(`input[name=choice][value="2"]`)), chromedp.Click(css(`fieldset.scale ~ button[type=submit]`)), chromedp.WaitVisible(css(`.flash, [role=status], main`)))
	until(trainerCtx, "the trainer sees both votes and the mean", `document.querySelector("#live-poll .scale-bars") !== null && document.querySelector("#live-poll .scale-stats").textContent.includes("3.0")`)
	do(trainerCtx, "reveal", chromedp.Click(css(`#console-poll-body button[data-action=poll_reveal]`)))

	showResults(phoneCtx, "the scale's results with JavaScript", live,
		`document.querySelector("#live-poll .scale-bars li.mine") !== null && document.querySelector("#live-poll .scale-stats").textContent.includes("3.0")`)
	showResults(plainCtx, "the scale's results without JavaScript", live+"/frame",
		`document.querySelector(".scale-bars") !== null && document.querySelector(".scale-stats").textContent.includes("3.0")`)
	// The bars line up: every bar starts at the same place, whatever the words beside it.
	starts, err := chromedp.Run(plainCtx, chromedp.Evaluate[[]float64](`[...document.querySelectorAll(".scale-bars progress")].map(p => p.getBoundingClientRect().right)`))
	if err != nil || len(starts) != 5 {
		t.Fatalf("bars %v, %v", starts, err)
	}
	for _, x := range starts[1:] {
		if x != starts[0] {
			t.Fatalf("the scale's bars do not line up (right edges in Arabic %v)", starts)
		}
	}

	// An open answer, shown as a word cloud; one answer is as long as allowed, in one word.
	long := strings.Repeat("anxious", 5) + "abcde"
	if _, err := chromedp.Run(trainerCtx, chromedp.Evaluate[bool](`(() => { const s = document.getElementById("poll-kind"); s.value = "text"; s.dispatchEvent(new Event("change")); return true })()`)); err != nil {
		t.Fatal(err)
	}
	do(trainerCtx, "launch an open-text poll",
		chromedp.SetValue(css(`#poll-text-prompt`), "One word for how you feel about phishing"),
		chromedp.Click(css(`#form-poll button[type=submit]`)),
	)
	connected(phoneCtx, live+"?lang=en")
	do(phoneCtx, "answer on the phone", chromedp.WaitVisible(css(`#vote-text`)), chromedp.SendKeys(css(`#vote-text`), long), chromedp.Click(css(`#form-vote button[type=submit]`)))
	do(plainCtx, "answer without JavaScript", chromedp.Navigate(live+"/frame?lang=en"), chromedp.WaitVisible(css(`#text-answer`)),
		chromedp.SendKeys(css(`#text-answer`), strings.ToUpper(long)+"!"), chromedp.Click(css(`#text-answer-hint ~ button, form:has(#text-answer) button[type=submit]`)))
	until(trainerCtx, "the trainer reads both answers", `document.querySelectorAll("#live-poll .poll-answers li").length === 2 && document.querySelector("#live-poll .cloud li.cloud-5") !== null`)
	do(trainerCtx, "reveal the cloud", chromedp.Click(css(`#console-poll-body button[data-action=poll_reveal]`)))

	showResults(phoneCtx, "the word cloud with JavaScript", live,
		`document.querySelector("#live-poll .cloud li.cloud-5 bdi") !== null && document.querySelector("#live-poll .cloud li.cloud-5 bdi").textContent === "`+long+`"`)
	showResults(plainCtx, "the word cloud without JavaScript", live+"/frame",
		`document.querySelector(".cloud li.cloud-5 .cloud-count") !== null && document.querySelector(".cloud li.cloud-5 .cloud-count").textContent === "2"`)
}
