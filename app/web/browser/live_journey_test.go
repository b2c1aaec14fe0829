package browser_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/model"
)

func signInAs(t *testing.T, ctx context.Context, base, username, password string) {
	t.Helper()
	type css = chromedp.CSS
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css(`#username`)),
		chromedp.SendKeys(css(`#username`), username),
		chromedp.SendKeys(css(`#password`), password),
		chromedp.Submit(css(`#username`)),
		chromedp.WaitVisible(css(`form[action="/account/profile"]`)),
	)
	if err != nil {
		t.Fatalf("sign in %s: %v", username, err)
	}
}

func TestTrainerDrivesAParticipantsPageAndSeesTheVote(t *testing.T) {
	trainerCtx, learnerCtx := newBrowserContexts(t)
	f := newLiveJourneyFixture(t, false)
	trainer, learner := f.account(t, "console-trainer", model.RoleTrainer), f.account(t, "console-learner", model.RoleLearner)
	co := f.cohort(t, &model.Cohort{Name: "Browsers", Lang: "en"}, trainer, learner)
	_, path := f.session(t, co, "Two browsers")
	live := f.base + path

	f.signIn(t, trainerCtx, "console-trainer")
	f.signIn(t, learnerCtx, "console-learner")
	type css = chromedp.CSS
	connected := func(c context.Context) {
		t.Helper()
		if err := chromedp.Do(c, chromedp.Navigate(live), chromedp.WaitVisible(css(`#live-status`))); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(c, chromedp.Poll[bool](`document.getElementById("live-status").textContent === "Connected."`)); err != nil {
			t.Fatalf("console did not connect: %v", err)
		}
	}
	// The participant's page records its sockets and the types of what they receive, so the
	// test can drop the connection and see how the console comes back.
	err := chromedp.Do(learnerCtx, chromedp.Func(func(c context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(c, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `(function () {
  var Real = window.WebSocket;
  window.__sockets = []; window.__received = [];
  window.WebSocket = function (url) {
    var ws = new Real(url);
    window.__sockets.push(ws);
    ws.addEventListener("message", function (e) { try { window.__received.push(JSON.parse(e.data).type); } catch (_) {} });
    return ws;
  };
  window.WebSocket.prototype = Real.prototype;
})();`})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	connected(trainerCtx)
	connected(learnerCtx)

	// The trainer shows a lesson: the participant's page follows.
	err = chromedp.Do(trainerCtx,
		chromedp.SetValue(css(`#step-lesson`), "strong-passphrases"),
		chromedp.Click(css(`#form-step button[type=submit]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(learnerCtx, chromedp.WaitVisible(css(`#live-step .prose h2`))); err != nil {
		t.Fatal(err)
	}
	if h := text(t, learnerCtx, `#live-step .prose h2`); !strings.Contains(h, "passphrase") {
		t.Fatalf("participant shows %q", h)
	}

	// The participant's connection drops: the console comes back giving the number it had,
	// and is sent what it missed (here nothing) instead of the whole state.
	if err := chromedp.Do(learnerCtx, chromedp.Func(func(c context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](`window.__sockets[0].close()`)(c, tg)
		return err
	})); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(learnerCtx, chromedp.Poll[bool](`window.__sockets.length === 2 && /[?]since=[1-9]/.test(window.__sockets[1].url) && window.__received.indexOf("replay") >= 0 && document.getElementById("live-status").textContent === "Connected."`)); err != nil {
		got, _ := chromedp.Run(learnerCtx, chromedp.Evaluate[[]string](`window.__received`))
		t.Fatalf("the console did not resume with a replay: %v (received %v)", err, got)
	}

	// The trainer launches a poll; the participant votes; the trainer sees the count.
	err = chromedp.Do(trainerCtx,
		chromedp.SendKeys(css(`#poll-prompt`), "Do you reuse passwords?"),
		chromedp.SendKeys(css(`#poll-options`), "Never\nSometimes\nOften"),
		chromedp.Click(css(`#form-poll button[type=submit]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(learnerCtx,
		chromedp.WaitVisible(css(`#form-vote`)),
		chromedp.Click(css(`#vote-b`)),
		chromedp.Click(css(`#form-vote button`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(trainerCtx, chromedp.Poll[bool](`document.querySelector("#live-poll .bars") !== null && document.querySelector("#live-poll").textContent.includes("Answers: 1")`)); err != nil {
		t.Fatalf("the trainer never saw the vote: %v", err)
	}
	if err := chromedp.Do(trainerCtx, chromedp.Click(css(`#console-poll button[data-action=poll_reveal]`))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(learnerCtx, chromedp.Poll[bool](`document.querySelector("#live-poll .bars") !== null`)); err != nil {
		t.Fatalf("the participant never saw the results: %v", err)
	}
	if got := text(t, learnerCtx, `#live-poll .bars`); !strings.Contains(got, "Sometimes") || !strings.Contains(got, "1") {
		t.Fatalf("results shown to the participant: %q", got)
	}

	// An ordering question from the course: the participant's page offers a place for each
	// item, refuses two items in the same place without losing the answer, and counts a
	// right order once the trainer reveals it.
	err = chromedp.Do(trainerCtx,
		chromedp.SetValue(css(`#poll-kind`), "quiz"),
		dispatchChange(`#poll-kind`),
		chromedp.SetValue(css(`#poll-quiz`), "passwords/diceware-steps"),
		chromedp.Click(css(`#form-poll button[type=submit]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(trainerCtx, chromedp.Poll[bool](`document.querySelectorAll("#live-poll ul.muted li").length === 4`)); err != nil {
		t.Fatalf("the trainer does not see the four items to put in order: %v", err)
	}
	// Items are named by position in this poll, not by the author's ids: find each by its text.
	right := []string{"Get a numbered diceware word list", "Roll five dice and read the numbers as a code",
		"Find the word with that code in the list", "Repeat until you have six or more words"}
	if err := chromedp.Do(learnerCtx, chromedp.WaitVisible(css(`#form-vote select`))); err != nil {
		t.Fatal(err)
	}
	selectOf, err := chromedp.Run(learnerCtx, chromedp.Evaluate[map[string]string](
		`Object.fromEntries([...document.querySelectorAll("#form-vote label")].map(l => [l.textContent, "#" + l.htmlFor]))`))
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range right {
		if strings.Contains(selectOf[item], "word") || strings.Contains(selectOf[item], "dice") || selectOf[item] == "" {
			t.Fatalf("item %q has the field %q: want it named by position, not by the author's id (%v)", item, selectOf[item], selectOf)
		}
	}
	err = chromedp.Do(learnerCtx,
		chromedp.SetValue(css(selectOf[right[0]]), "1"),
		chromedp.SetValue(css(selectOf[right[1]]), "1"),
		chromedp.Click(css(`#form-vote button`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, learnerCtx, `#live-status`); !strings.HasPrefix(got, "Give each item a different place") {
		t.Fatalf("status after two items in one place: %q", got)
	}
	for i, item := range right {
		if err := chromedp.Do(learnerCtx, chromedp.SetValue(css(selectOf[item]), strconv.Itoa(i+1))); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(learnerCtx, chromedp.Click(css(`#form-vote button`))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(trainerCtx, chromedp.Poll[bool](`document.querySelector("#live-poll").textContent.includes("Answers: 1")`)); err != nil {
		t.Fatalf("the trainer never saw the ordering answer: %v", err)
	}
	if err := chromedp.Do(trainerCtx, chromedp.Click(css(`#console-poll button[data-action=poll_reveal]`))); err != nil {
		t.Fatal(err)
	}
	// Graded answers are kept as right or wrong: the page asks for its own once revealed.
	if _, err := chromedp.Run(learnerCtx, chromedp.Poll[bool](`document.querySelector("#live-poll ol") !== null && document.querySelector("#live-poll .outcome.right") !== null`)); err != nil {
		t.Fatalf("the participant never saw the right order and that theirs was right: %v", err)
	}
	if got := text(t, learnerCtx, `#live-poll .bars li:first-child`); !strings.HasPrefix(got, "Right") || !strings.HasSuffix(got, "1") {
		t.Fatalf("right answers shown as %q", got)
	}

	// Questions past the rate limit are refused: the participant gets a message in their
	// language and keeps the text they typed; the accepted ones reach the trainer.
	if err := chromedp.Do(learnerCtx, chromedp.Click(css(`#ask > summary`))); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 4; i++ {
		err := chromedp.Do(learnerCtx,
			chromedp.SendKeys(css(`#ask-body`), "question number "+strconv.Itoa(i)),
			chromedp.Click(css(`#form-ask button[type=submit]`)),
		)
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chromedp.Run(learnerCtx, chromedp.Poll[bool](`document.getElementById("ask-body").value === "question number 4"`)); err != nil {
		t.Fatalf("the refused question was not given back: %v", err)
	}
	if got := text(t, learnerCtx, `#live-status`); got != "Slow down a little and try again." {
		t.Fatalf("status after a refused question: %q", got)
	}
	if _, err := chromedp.Run(trainerCtx, chromedp.Poll[bool](`document.querySelectorAll("#live-questions > li").length === 3`)); err != nil {
		t.Fatalf("the trainer does not list exactly the three accepted questions: %v", err)
	}
	// Each question and its author are isolated, so one written right to left (or carrying
	// a stored override) cannot reorder the rest of its line.
	isolated := `Array.from(document.querySelectorAll("#live-questions > li")).every(li => li.querySelector(":scope > bdi") && li.querySelector(":scope > bdi").textContent.startsWith("question number") && li.querySelector(":scope > span > bdi"))`
	if _, err := chromedp.Run(trainerCtx, chromedp.Poll[bool](isolated)); err != nil {
		t.Fatalf("the trainer's list shows questions or authors outside <bdi>: %v", err)
	}
	// The trainer's controls are forms (they post without the script); with it they go over
	// the websocket, and the page stays where it is.
	if _, err := chromedp.Run(trainerCtx, chromedp.Evaluate[bool](`window.notReloaded = true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(trainerCtx, chromedp.Click(css(`#live-questions > li:first-child form[action$="/console/answered"] button`))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(trainerCtx, chromedp.Poll[bool](`document.querySelectorAll("#live-questions > li.answered").length === 1 && window.notReloaded === true`)); err != nil {
		t.Fatalf("marking a question answered with the script: %v", err)
	}
}
