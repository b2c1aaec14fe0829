package browser_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/plan"
	"github.com/cairn-lms/cairn/courses"
	"github.com/cairn-lms/cairn/i18n"
)

// dispatchChange tells the page's script that a field changed, as a person's choice would
// (setting a value from outside fires no event).
func dispatchChange(selector string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(c context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`document.querySelector(`+strconv.Quote(selector)+`).dispatchEvent(new Event("change", {bubbles: true}))`)(c, tg)
		return err
	})
}

// waitFor polls a JavaScript condition in the page, failing the test with why when it
// never holds. A page that navigates away while polled (the protocol says -32000: its
// document, or the script context, is gone) is polled again in its new document
// (the condition may be about where it went).
func waitFor(t *testing.T, ctx context.Context, why, condition string) {
	t.Helper()
	var err error
	for range 3 {
		if _, err = chromedp.Run(ctx, chromedp.Poll[bool](condition)); err == nil || !strings.Contains(err.Error(), "(-32000)") {
			break
		}
	}
	if err != nil {
		t.Fatalf("%s: %v (waited for %s)", why, err, condition)
	}
}

func evaluate[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// fitsWidth fails when the page scrolls sideways at the viewport's width.
func fitsWidth(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	w := evaluate[[]int](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
	if w[0] > w[1] {
		t.Fatalf("%s scrolls sideways: %d px of content in %d px", what, w[0], w[1])
	}
}

// formVoter is a participant without JavaScript: plain HTTP forms with the CSRF token the
// pages carry.
type formVoter struct {
	t      *testing.T
	base   string
	client *http.Client
}

var csrfInPage = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func newFormVoter(t *testing.T, base, username, password string) *formVoter {
	jar, _ := cookiejar.New(nil)
	v := &formVoter{t: t, base: base, client: &http.Client{Jar: jar}}
	v.post("/login", url.Values{"username": {username}, "password": {password}}, "/login")
	return v
}

func (v *formVoter) post(path string, form url.Values, tokenFrom string) {
	v.t.Helper()
	resp, err := v.client.Get(v.base + tokenFrom)
	if err != nil {
		v.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfInPage.FindSubmatch(body)
	if m == nil {
		v.t.Fatalf("no CSRF token on %s", tokenFrom)
	}
	form.Set("csrf_token", string(m[1]))
	resp, err = v.client.PostForm(v.base+path, form)
	if err != nil {
		v.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		v.t.Fatalf("POST %s: status %d", path, resp.StatusCode)
	}
}

// TestTrainerRunsAPollWithThePresenterViewOnTheProjector: a trainer at a laptop drives the
// console while the presenter view, open in a second browser, follows: the step and its
// section, a launched poll and its answers as they come, the reveal (from the presenter's
// own keyboard shortcut), and the end; in English and in Arabic, with no page scrolling
// sideways at 360 px.
func TestTrainerRunsAPollWithThePresenterViewOnTheProjector(t *testing.T) {
	laptop, projector := newBrowserContexts(t)
	f := newLiveJourneyFixture(t, true)
	ctx, st, base := f.ctx, f.st, f.base
	trainer, learner := f.account(t, "projector-trainer", model.RoleTrainer), f.account(t, "projector-learner", model.RoleLearner)
	// The trainer is signed in twice: at the laptop, and on the machine that drives the
	// projector.
	f.signIn(t, laptop, "projector-trainer")
	f.signIn(t, projector, "projector-trainer")
	voter := newFormVoter(t, base, "projector-learner", f.password)
	type css = chromedp.CSS

	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			code := "projector" + lang
			co := f.cohort(t, &model.Cohort{Name: "Projector " + lang, Lang: lang, JoinCode: &code}, trainer, learner)
			ls, path := f.session(t, co, "Projector "+lang)
			live := base + path
			connected := `document.getElementById("live-status").textContent === document.getElementById("live").dataset.msgConnected`
			presenterConnected := `document.getElementById("present-status").textContent === document.getElementById("presenter").dataset.msgConnected`

			err := chromedp.Do(laptop, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(live+"?lang="+lang), chromedp.WaitVisible(css(`#console`)))
			if err != nil {
				t.Fatal(err)
			}
			err = chromedp.Do(projector, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(live+"/present?lang="+lang), chromedp.WaitVisible(css(`#presenter`)))
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, laptop, "the console did not connect", connected)
			waitFor(t, projector, "the presenter view did not connect", presenterConnected)
			if got := evaluate[string](t, projector, `document.documentElement.dir`); got != map[string]string{"en": "ltr", "ar": "rtl"}[lang] {
				t.Fatalf("the presenter view runs %q", got)
			}
			// The join code is shown large, with its QR code drawn.
			waitFor(t, projector, "the QR code is not shown", `document.getElementById("present-qr").naturalWidth > 100`)
			if got := text(t, projector, `.present-code`); got != "proje-ctor"+lang {
				t.Fatalf("join code shown as %q", got)
			}

			// Without the script's help the console offers the step form, the poll form,
			// and End away from Launch; with it, one type of poll at a time.
			if evaluate[bool](t, laptop, `document.querySelector('fieldset[data-kind="quiz"]').hidden && !document.querySelector('fieldset[data-kind="choice"]').hidden`) != true {
				t.Fatal("the console shows both types of poll at once")
			}

			// A lesson and one of its sections, picked from the lesson's headings.
			err = chromedp.Do(laptop,
				chromedp.SetValue(css(`#step-lesson`), "strong-passphrases"),
				dispatchChange(`#step-lesson`),
			)
			if err != nil {
				t.Fatal(err)
			}
			section := evaluate[[]string](t, laptop, `(function () { var o = document.querySelectorAll("#step-section option")[1]; return [o.value, o.textContent.trim()]; })()`)
			err = chromedp.Do(laptop,
				chromedp.SetValue(css(`#step-section`), section[0]),
				chromedp.Click(css(`#form-step button[type=submit]`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, projector, "the presenter view did not follow the step", `document.getElementById("present-step").textContent.includes(`+strconv.Quote(section[1])+`)`)

			// A quiz question picked, then the trainer changes their mind and types a poll:
			// the typed poll is what launches.
			err = chromedp.Do(laptop,
				chromedp.SetValue(css(`#poll-kind`), "quiz"),
				dispatchChange(`#poll-kind`),
				chromedp.SetValue(css(`#poll-quiz`), "passwords/diceware-steps"),
				chromedp.SetValue(css(`#poll-kind`), "choice"),
				dispatchChange(`#poll-kind`),
				chromedp.SendKeys(css(`#poll-prompt`), "Do you reuse passwords?"),
				chromedp.SendKeys(css(`#poll-options`), "Never\nSometimes\nOften"),
				chromedp.Click(css(`#form-poll button[type=submit]`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, projector, "the presenter view did not show the poll", `document.querySelector(".present-prompt") !== null && document.querySelector(".present-prompt").textContent === "Do you reuse passwords?"`)
			// The form is empty again, the picked question too.
			waitFor(t, laptop, "the poll form kept what was launched", `document.getElementById("poll-prompt").value === "" && document.getElementById("poll-quiz").value === "" && document.getElementById("poll-options").value === ""`)
			if got := text(t, projector, `#present-voters`); got != "0" {
				t.Fatalf("answers before anyone voted: %q", got)
			}
			waitFor(t, projector, "no timer", `/0:0\d/.test(document.getElementById("present-timer").textContent)`)

			// A participant answers (without JavaScript): the count moves on the projector.
			poll := evaluate[string](t, laptop, `document.querySelector('#console-poll input[name=poll]').value`)
			voter.post(path+"/vote", url.Values{"poll": {poll}, "choice": {"b"}}, path)
			waitFor(t, projector, "the presenter view did not count the answer", `document.getElementById("present-voters").textContent === "1"`)

			// R on the projector's keyboard reveals: the chart, its numbers as text.
			if err := chromedp.Do(projector, chromedp.KeyEvent("r")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, projector, "R did not reveal the results", `document.querySelectorAll(".present-bars li").length === 3`)
			values := evaluate[[]string](t, projector, `Array.from(document.querySelectorAll(".present-bar-value")).map(e => e.textContent)`)
			if strings.Join(values, "|") != "0 (0%)|1 (100%)|0 (0%)" {
				t.Fatalf("results on the projector: %v", values)
			}
			waitFor(t, laptop, "the console did not follow the reveal", `document.querySelector("#console-poll .badge").textContent === document.getElementById("console").dataset.consoleRevealed`)
			fitsWidth(t, projector, "the presenter view at 1280 px")
			fitsWidth(t, laptop, "the console at 1280 px")

			// The buttons follow: a revealed poll is neither closed nor revealed again.
			waitFor(t, projector, "the presenter's buttons did not follow the reveal", `document.getElementById("present-close").hidden && document.getElementById("present-reveal").hidden && !document.getElementById("present-next").hidden`)

			// Q hides the join code and QR code, and brings them back.
			if err := chromedp.Do(projector, chromedp.KeyEvent("q")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, projector, "Q did not hide the join code", `document.getElementById("present-join").hidden`)
			if err := chromedp.Do(projector, chromedp.KeyEvent("q")); err != nil {
				t.Fatal(err)
			}
			// So does the page's link, which the script follows in place.
			evaluate[bool](t, projector, `window.__samePage = true`)
			if err := chromedp.Do(projector, chromedp.Click(css(`#present-join-toggle`))); err != nil {
				t.Fatal(err)
			}
			waitFor(t, projector, "the link did not hide the join code in place", `document.getElementById("present-join").hidden && window.__samePage === true && location.search.includes("join=hide") && document.getElementById("present-join-toggle").textContent === document.getElementById("present-join-toggle").dataset.show`)
			if err := chromedp.Do(projector, chromedp.Click(css(`#present-join-toggle`))); err != nil {
				t.Fatal(err)
			}
			waitFor(t, projector, "the link did not bring the join code back", `!document.getElementById("present-join").hidden && window.__samePage === true`)

			// At 360 px neither page scrolls sideways.
			if err := chromedp.Do(projector, chromedp.EmulateViewport(360, 740)); err != nil {
				t.Fatal(err)
			}
			fitsWidth(t, projector, "the presenter view at 360 px")
			if err := chromedp.Do(laptop, chromedp.EmulateViewport(360, 740)); err != nil {
				t.Fatal(err)
			}
			fitsWidth(t, laptop, "the console at 360 px")
			err = chromedp.Do(laptop, chromedp.Navigate(live+"/present"), chromedp.WaitVisible(css(`#presenter`)))
			if err != nil {
				t.Fatal(err)
			}
			fitsWidth(t, laptop, "the presenter view, loaded at 360 px")
			err = chromedp.Do(laptop, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(live), chromedp.WaitVisible(css(`#console`)))
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, laptop, "the console did not reconnect", connected)

			// Ending asks first: cancelled, the session runs on; confirmed, it ends for all.
			err = chromedp.Do(laptop,
				chromedp.Click(css(`#form-end button`)),
				chromedp.WaitVisible(css(`#end-dialog`)),
				chromedp.Click(css(`#end-dialog button[value=cancel]`)),
				chromedp.WaitNotVisible(css(`#end-dialog`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := st.LiveSession(ctx, ls.ID); got.EndedAt != nil {
				t.Fatal("cancelling ended the session")
			}
			err = chromedp.Do(laptop,
				chromedp.Click(css(`#form-end button`)),
				chromedp.WaitVisible(css(`#end-dialog`)),
				chromedp.Click(css(`#end-dialog button[value=end]`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, laptop, "the trainer was not taken to the summary", `location.pathname.endsWith("/summary")`)
			waitFor(t, projector, "the presenter view did not say the session ended", `document.getElementById("present-status").textContent === document.getElementById("presenter").dataset.msgEnded`)
		})
	}
}

// TestTheConsoleAndThePresenterViewWorkWithoutJavaScript: every console control is a form
// that works with JavaScript off (Tor Browser's Safest level): a section chosen in two
// steps, an anonymous poll launched in a small room after a warning, a reveal refused for
// too few answers beside its button, and the end confirmed on a page of its own; the
// presenter view, in another tab (JavaScript off too), follows by reloading itself, and its
// own buttons work: close, a reveal refused with why, the session plan's next step, and
// the join code put away and brought back.
func TestTheConsoleAndThePresenterViewWorkWithoutJavaScript(t *testing.T) {
	laptop := newBrowser(t)
	f := newLiveJourneyFixture(t, true)
	ctx, st, base := f.ctx, f.st, f.base
	tr := f.account(t, "plain-trainer", model.RoleTrainer)
	f.signIn(t, laptop, "plain-trainer")
	// The projector is another tab of the same browser, JavaScript off too (the setting is
	// the tab's own).
	projector, cancel := chromedp.NewContext(laptop)
	t.Cleanup(cancel)
	noJavaScript(t, projector)
	type css = chromedp.CSS
	cat, _ := course.Load(courses.FS, "courses", course.Options{})
	bundle, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}

	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			loc, _ := bundle.Lookup(lang)
			co := f.cohort(t, &model.Cohort{Name: "Plain " + lang, Lang: lang}, tr)
			ls, path := f.session(t, co, "Plain "+lang)
			live := base + path
			err := chromedp.Do(laptop, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(live+"?lang="+lang), chromedp.WaitVisible(css(`#form-step`)))
			if err != nil {
				t.Fatal(err)
			}
			if !evaluate[bool](t, laptop, `!!document.querySelector('fieldset[data-kind="quiz"]').offsetParent && !!document.querySelector('fieldset[data-kind="choice"]').offsetParent`) {
				t.Fatal("without JavaScript both types of poll must be offered")
			}

			// Two steps: the lesson's sections are listed, then one is shown.
			err = chromedp.Do(laptop,
				chromedp.SetValue(css(`#step-lesson`), "strong-passphrases"),
				chromedp.Click(css(`#step-pick`)),
				chromedp.WaitReady(css(`#step-lesson option[value="strong-passphrases"][selected]`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			section := evaluate[[]string](t, laptop, `(function () { var o = document.querySelectorAll("#step-section option")[1]; return [o.value, o.textContent.trim()]; })()`)
			err = chromedp.Do(laptop,
				chromedp.SetValue(css(`#step-section`), section[0]),
				chromedp.Click(css(`#form-step .actions button:first-child`)),
				chromedp.WaitVisible(css(`p.notice[role=status]`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			if got := text(t, laptop, `#console-step-now`); !strings.Contains(got, section[1]) {
				t.Fatalf("the console says everyone sees %q, want the section %q", got, section[1])
			}

			err = chromedp.Do(projector, chromedp.EmulateViewport(360, 740), chromedp.Navigate(live+"/present?lang="+lang), chromedp.WaitVisible(css(`#presenter`)))
			if err != nil {
				t.Fatal(err)
			}
			if got := text(t, projector, `#present-step`); !strings.Contains(got, section[1]) {
				t.Fatalf("the presenter view shows the step %q", got)
			}
			fitsWidth(t, projector, "the presenter view without JavaScript at 360 px")

			// An anonymous poll in an empty room: warned, then launched anyway.
			err = chromedp.Do(laptop,
				chromedp.SendKeys(css(`#poll-prompt`), "Who uses a password manager?"),
				chromedp.SendKeys(css(`#poll-options`), "Me\nNot yet"),
				chromedp.Click(css(`#poll-anon`)),
				chromedp.Click(css(`#form-poll > button[type=submit]`)),
				chromedp.WaitVisible(css(`#poll-small-room-ok`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			err = chromedp.Do(laptop,
				chromedp.Click(css(`#poll-small-room-ok`)),
				chromedp.Click(css(`#form-poll > button[type=submit]`)),
				chromedp.WaitVisible(css(`#console-min`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			if got := evaluate[string](t, laptop, `document.getElementById("poll-prompt").value`); got != "" {
				t.Fatalf("the poll form still holds %q after the launch", got)
			}
			// Revealing too soon is refused beside the button.
			err = chromedp.Do(laptop,
				chromedp.Click(css(`#console-poll button[data-action=poll_reveal]`)),
				chromedp.WaitVisible(css(`#console-poll .field-error`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			// The projector's reload brings the poll (its script is off: nothing else could).
			if !until(t, projector, `document.querySelector(".present-prompt") !== null && document.querySelector(".present-prompt").textContent === "Who uses a password manager?"`, 20*time.Second) {
				t.Fatal("the presenter view did not reload into the poll")
			}
			if evaluate[bool](t, projector, `document.getElementById("present-countdown-set").hidden`) {
				t.Fatal("the projector runs its script: this part is about the page without it")
			}
			fitsWidth(t, projector, "the presenter view with a poll at 360 px")

			// The presenter view's own buttons, without JavaScript: each is a form that comes
			// back to the view and says there what it did, or why not.
			// Without JavaScript the view reloads itself every few seconds (a meta refresh), and
			// a reload that fires while a form is being sent replaces the form's answer with the
			// unchanged page. So each click comes right after loading the view afresh, as a
			// person reloading it would: its next reload is then a whole interval away. (Waiting
			// for the view's own reload does not work: while nothing changes it is answered 304
			// and the document may stay the same.)
			clickAfterReload := func(selector string) {
				t.Helper()
				here := evaluate[string](t, projector, `location.href`)
				if err := chromedp.Do(projector, chromedp.Navigate(here), chromedp.WaitVisible(css(selector)), chromedp.Click(css(selector))); err != nil {
					t.Fatal(err)
				}
			}
			presenterSays := func(what, want string) {
				t.Helper()
				if !until(t, projector, `document.getElementById("present-status").textContent === `+strconv.Quote(want), 10*time.Second) {
					t.Fatalf("after %s the presenter view says %q, want %q", what, evaluate[string](t, projector, `document.getElementById("present-status").textContent`), want)
				}
			}
			clickAfterReload(`#present-reveal button`)
			presenterSays("revealing too soon", loc.T("flash_live_too_few_votes"))
			clickAfterReload(`#present-close button`)
			presenterSays("closing", loc.T("flash_console_poll_closed"))
			if !evaluate[bool](t, projector, `document.getElementById("present-close").hidden && !document.getElementById("present-reveal").hidden`) {
				t.Fatal("a closed poll still offers Close, or no longer Show results")
			}
			fitsWidth(t, projector, "the presenter view's buttons at 360 px")

			// The join code put away, and brought back, by a link.
			clickAfterReload(`#present-join-toggle`)
			if !until(t, projector, `document.getElementById("present-join").hidden && location.search.includes("join=hide")`, 10*time.Second) {
				t.Fatal("the link did not put the join code away")
			}
			clickAfterReload(`#present-join-toggle`)
			if !until(t, projector, `!document.getElementById("present-join").hidden && !location.search.includes("join")`, 10*time.Second) {
				t.Fatal("the link did not bring the join code back")
			}

			// The session follows a module's agenda (chosen on the console, without its
			// script): the projector's button performs the plan's next step.
			_, _, steps, _ := plan.FromAgenda(cat.Course("account-security").Module("passwords"), lang)
			err = chromedp.Do(laptop,
				chromedp.EmulateViewport(1280, 800),
				chromedp.Navigate(live+"?lang="+lang),
				chromedp.WaitVisible(css(`#plan-choice`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			agenda := evaluate[string](t, laptop, `[...document.querySelectorAll("#plan-choice option")].map(o => o.value).find(v => v.startsWith("agenda:") && v.endsWith("passwords")) || ""`)
			err = chromedp.Do(laptop,
				chromedp.SetValue(css(`#plan-choice`), agenda),
				chromedp.Click(css(`#live-plan form[action$="/plan"] button[type=submit]`)),
				chromedp.WaitVisible(css(`#live-plan form.plan-next`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			if !until(t, projector, `document.querySelector('#present-next[action$="/plan/next"]') !== null && !document.getElementById("present-next").hidden`, 20*time.Second) {
				t.Fatal("the presenter view offers no next step of the plan")
			}
			clickAfterReload(`#present-next button`)
			presenterSays("the next step", loc.T("flash_plan_next"))
			if got := text(t, projector, `#present-step .present-step-text`); got != steps[0].Title {
				t.Fatalf("after the next step the projector shows %q, want %q", got, steps[0].Title)
			}
			if sp, err := st.SessionPlan(ctx, ls.ID); err != nil || sp.Position != 0 {
				t.Fatalf("after the projector's next step the plan stands at %+v (%v)", sp, err)
			}
			if got := evaluate[string](t, projector, `location.pathname`); got != path+"/present" {
				t.Fatalf("the projector's next step led to %s", got)
			}
			fitsWidth(t, projector, "the presenter view with a plan's step at 360 px")
			if err := chromedp.Do(laptop, chromedp.EmulateViewport(360, 740)); err != nil {
				t.Fatal(err)
			}
			fitsWidth(t, laptop, "the console without JavaScript at 360 px")

			// Ending asks on a page of its own.
			err = chromedp.Do(laptop,
				chromedp.Click(css(`#form-end button`)),
				chromedp.WaitReady(css(`input[name=confirm]`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := st.LiveSession(ctx, ls.ID); got.EndedAt != nil {
				t.Fatal("the first click ended the session")
			}
			fitsWidth(t, laptop, "the end confirmation at 360 px")
			err = chromedp.Do(laptop,
				chromedp.Click(css(`input[name=confirm] ~ button.danger`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, laptop, "the confirmed end did not lead to the summary", `location.pathname.endsWith("/summary")`)
			if got, _ := st.LiveSession(ctx, ls.ID); got.EndedAt == nil {
				t.Fatal("the confirmed end did not end the session")
			}
		})
	}
}
