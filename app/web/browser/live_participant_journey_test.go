package browser_test

import (
	"context"
	"encoding/json"
	"fmt"
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
	"github.com/gorilla/websocket"

	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/i18n"
)

// A true-or-false question of the shipped course, whose answer is false.
const (
	tfModule   = "account-hygiene"
	tfQuestion = "session-location-reliable"
	phoneWidth = 360
	phoneTall  = 640
)

// liveJourney is a running session of the shipped course's first cohort with a trainer
// following it over a websocket (as the console does), and a learner to sign in.
type liveJourney struct {
	*liveJourneyFixture
	t       *testing.T
	live    string // /live/N
	cohort  string // /cohorts/N
	trainer *trainerSocket
	loc     *locale.Localizer // the learner's interface language
}

func newLiveJourney(t *testing.T, lang string) *liveJourney {
	t.Helper()
	f := newLiveJourneyFixture(t, false)
	trainer, learner := f.account(t, "phone-trainer", model.RoleTrainer), f.account(t, "phone-learner", model.RoleLearner)
	co := f.cohort(t, &model.Cohort{Name: "Phones", Lang: "en"}, trainer, learner)
	_, live := f.session(t, co, "Phones first")
	bundle, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	loc, ok := bundle.Lookup(lang)
	if !ok {
		t.Fatalf("no %s interface", lang)
	}
	j := &liveJourney{liveJourneyFixture: f, t: t, live: live, cohort: "/cohorts/" + strconv.FormatInt(co.ID, 10), loc: loc}
	j.trainer = dialAs(t, f.base, j.live, "phone-trainer", f.password)
	j.trainer.next("snapshot")
	j.trainer.send(map[string]any{"type": "step", "lesson": "strong-passphrases"})
	return j
}

// trainerSocket is a real websocket client signed in as the trainer.
type trainerSocket struct {
	t    *testing.T
	conn *websocket.Conn
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// dialAs signs in over HTTP and opens the live session's websocket with that session.
func dialAs(t *testing.T, base, live, username, password string) *trainerSocket {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := client.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRE.FindSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	resp, err = client.PostForm(base+"/login", url.Values{"username": {username}, "password": {password}, "csrf_token": {string(m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	u, _ := url.Parse(base)
	var cookies []string
	for _, c := range jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	h := http.Header{"Origin": {base}, "Cookie": {strings.Join(cookies, "; ")}}
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+u.Host+live+"/ws", h)
	if err != nil {
		t.Fatalf("the trainer's websocket: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return &trainerSocket{t: t, conn: conn}
}

func (s *trainerSocket) send(msg map[string]any) {
	s.t.Helper()
	if err := s.conn.WriteJSON(msg); err != nil {
		s.t.Fatal(err)
	}
}

// next reads until a message of type typ that satisfies ok (if given) arrives, within 20
// seconds (the page's live part refreshes every 10 without JavaScript).
func (s *trainerSocket) next(typ string, ok ...func(map[string]any) bool) map[string]any {
	s.t.Helper()
	_ = s.conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		_, data, err := s.conn.ReadMessage()
		if err != nil {
			s.t.Fatalf("the trainer waited for %q: %v", typ, err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			s.t.Fatal(err)
		}
		if m["type"] == typ && (len(ok) == 0 || ok[0](m)) {
			return m
		}
	}
}

// openQuizPoll launches the true-or-false question and returns the poll's id.
func (j *liveJourney) openQuizPoll() float64 {
	j.t.Helper()
	j.trainer.send(map[string]any{"type": "poll_open", "quiz_module": tfModule, "quiz_question": tfQuestion})
	return j.trainer.next("poll_opened")["poll"].(map[string]any)["id"].(float64)
}

// noWiderThanPhone fails when the page (or, inside, the live part's document) scrolls
// sideways at phone width.
func noWiderThanPhone(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	widths, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`(() => {
  const out = [document.documentElement.scrollWidth];
  const f = document.getElementById("live-frame");
  if (f && f.contentDocument && f.contentDocument.documentElement) out.push(f.contentDocument.documentElement.scrollWidth - f.clientWidth + `+strconv.Itoa(phoneWidth)+`);
  return out;
})()`))
	if err != nil {
		t.Fatalf("%s: measure: %v", where, err)
	}
	for _, w := range widths {
		if w > phoneWidth {
			t.Fatalf("%s scrolls sideways at %d px: %d px wide (page, live part: %v)", where, phoneWidth, w, widths)
		}
	}
}

func phone(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(phoneWidth, phoneTall)); err != nil {
		t.Fatal(err)
	}
}

// until evaluates js (in the page, by the browser's tools: the page's own scripts may be
// off) until it is true, for at most timeout. chromedp.Poll runs its loop in the page,
// which a page without JavaScript never runs.
func until(t *testing.T, ctx context.Context, js string, timeout time.Duration) bool {
	t.Helper()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(timeout)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return true
		}
		select {
		case <-deadline:
			return false
		case <-ctx.Done():
			return false
		case <-tick.C:
		}
	}
}

// frameHas waits until the live part's document (which refreshes itself, every 10 seconds)
// has a node for selector.
func frameHas(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const f = document.getElementById("live-frame"); return !!(f && f.contentDocument && f.contentDocument.querySelector(%q)); })()`, selector)
	if !until(t, ctx, js, 25*time.Second) {
		t.Fatalf("the live part never showed %s", selector)
	}
}

func frameText(t *testing.T, ctx context.Context, selector string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => { const e = document.getElementById("live-frame").contentDocument.querySelector(%q); return e ? e.textContent : ""; })()`, selector)))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(s)
}

// clickInFrame clicks, as a person would (the mouse, not a script), an element of the live
// part: chromedp queries from the frame's document.
func clickInFrame(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	frameHas(t, ctx, selector)
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS("#live-frame")))
	if err != nil || len(nodes) == 0 {
		t.Fatalf("no live part: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(selector), chromedp.FromNode(nodes[0]))); err != nil {
		t.Fatalf("click %s in the live part: %v", selector, err)
	}
}

// visibleWithoutScrolling tells whether the element's bottom edge, at the top of the page
// (and of the live part, when it is inside), is within the phone's screen.
func visibleWithoutScrolling(t *testing.T, ctx context.Context, selector string, inFrame bool) (float64, bool) {
	t.Helper()
	doc := "document"
	offset := "0"
	if inFrame {
		doc = `document.getElementById("live-frame").contentDocument`
		offset = `(document.getElementById("live-frame").getBoundingClientRect().top + window.scrollY + document.getElementById("live-frame").clientTop)`
	}
	bottom, err := chromedp.Run(ctx, chromedp.Evaluate[float64](fmt.Sprintf(`(() => {
  const d = %s, e = d.querySelector(%q);
  if (!e) return 1e9;
  return %s + e.getBoundingClientRect().bottom + d.defaultView.scrollY;
})()`, doc, selector, offset)))
	if err != nil {
		t.Fatal(err)
	}
	return bottom, bottom <= phoneTall
}

func TestAParticipantWithoutJavaScriptAsksVotesRaisesAHandAndIsCounted(t *testing.T) {
	for _, lang := range []string{"en", "ar", "fr"} {
		t.Run(lang, func(t *testing.T) {
			j := newLiveJourney(t, lang)
			ctx := newBrowser(t) // page JavaScript off
			phone(t, ctx)
			j.signIn(t, ctx, "phone-learner")
			type css = chromedp.CSS

			// One way in: the cohort page's "Join".
			if err := chromedp.Do(ctx, chromedp.Navigate(j.base+j.cohort+"?lang="+lang)); err != nil {
				t.Fatal(err)
			}
			noWiderThanPhone(t, ctx, "the cohort page")
			if links, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('main a[href*="/live/"]').length`)); err != nil || links != 1 {
				t.Fatalf("the cohort page offers %d ways into the session (%v), want one", links, err)
			}
			if err := chromedp.Do(ctx, chromedp.Click(css(`main a[href="`+j.live+`"]`)), chromedp.WaitVisible(css(`#live-frame`))); err != nil {
				t.Fatal(err)
			}
			frameHas(t, ctx, `form[action$="/hand"] button`)
			noWiderThanPhone(t, ctx, "the live page")
			if attrs, err := chromedp.Run(ctx, chromedp.Attributes(css(`#live-step .prose`))); err != nil || attrs["lang"] != "en" || attrs["dir"] != "ltr" {
				t.Fatalf("the lesson's lang and dir: %v (%v)", attrs, err)
			}

			// Ask: the form posts; the page comes back at the question form (not at the top),
			// emptied, saying there that the question was sent; the question is not in the
			// address, the trainer gets it.
			const question = "Is a passphrase of six words enough?"
			err := chromedp.Do(ctx,
				chromedp.Click(css(`#ask > summary`)),
				chromedp.SendKeys(css(`#ask-body`), question),
				chromedp.Click(css(`#form-ask button[type=submit]`)),
				chromedp.WaitVisible(css(`#ask-sent`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			if got := text(t, ctx, `#ask-sent`); got != j.loc.T("flash_live_asked") {
				t.Fatalf("after asking: %q", got)
			}
			if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("main p.notice").length`)); err != nil || n != 1 {
				t.Fatalf("after asking the page shows %d notices (%v), want the one at the form", n, err)
			}
			if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || loc != j.base+j.live+"#ask" {
				t.Fatalf("after asking the address is %q (%v)", loc, err)
			}
			inView := `(() => { const r = document.getElementById("ask-sent").getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`
			if seen, err := chromedp.Run(ctx, chromedp.Evaluate[bool](inView)); err != nil || !seen {
				t.Fatalf("the confirmation is not on the screen after asking (%v)", err)
			}
			if left, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("ask-body").value`)); err != nil || left != "" {
				t.Fatalf("the question form still holds %q (%v)", left, err)
			}
			if q := j.trainer.next("question"); q["question"].(map[string]any)["body"] != question {
				t.Fatalf("the trainer got %v", q)
			}
			noWiderThanPhone(t, ctx, "the live page after asking")

			// Raise a hand from the live part: it says so at the hand; the trainer sees it, and
			// counts the participant.
			clickInFrame(t, ctx, `form[action$="/hand"] button`)
			frameHas(t, ctx, `input[name="raised"][value="0"]`)
			if got := frameText(t, ctx, `#hand p.notice`); got != j.loc.T("flash_live_hand_raised") {
				t.Fatalf("after raising a hand the live part says %q", got)
			}
			if got := frameText(t, ctx, `form[action$="/hand"] button`); got != j.loc.T("live_lower_hand") {
				t.Fatalf("after raising a hand the button says %q", got)
			}
			if hands := j.trainer.next("hands"); fmt.Sprint(hands["names"]) != "[phone-learner]" {
				t.Fatalf("raised hands: %v", hands)
			}
			j.trainer.next("presence", func(m map[string]any) bool { return m["participants"] == float64(2) })

			// A poll: the live part shows it at its next refresh, first, on the phone's screen
			// without scrolling, in words.
			poll := j.openQuizPoll()
			frameHas(t, ctx, `input[name="choice"]`)
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`)); err != nil {
				t.Fatal(err)
			}
			for _, sel := range []string{`#poll-heading`, `.vote .field.checkbox`} {
				if bottom, ok := visibleWithoutScrolling(t, ctx, sel, true); !ok {
					t.Fatalf("%s ends %v px down: not on a %d px screen without scrolling", sel, bottom, phoneTall)
				}
			}
			if got := frameText(t, ctx, `label[for="c-true"]`) + "/" + frameText(t, ctx, `label[for="c-false"]`); got != j.loc.T("live_true")+"/"+j.loc.T("live_false") {
				t.Fatalf("true and false read %q", got)
			}
			if got := frameText(t, ctx, `.vote button[type=submit]`); got != j.loc.T("live_send_answer") {
				t.Fatalf("the vote button says %q", got)
			}
			noWiderThanPhone(t, ctx, "the live page with a poll")
			clickInFrame(t, ctx, `#c-false`)
			clickInFrame(t, ctx, `.vote button[type=submit]`)
			frameHas(t, ctx, `#poll p.notice`)
			if got := frameText(t, ctx, `#poll p.notice`); got != j.loc.T("flash_live_voted") {
				t.Fatalf("after voting: %q", got)
			}
			if tally := j.trainer.next("tally", func(m map[string]any) bool { return m["voters"] == float64(1) }); tally["poll_id"] != poll {
				t.Fatalf("tally %v", tally)
			}

			// The reveal: they learn they were right, their answer marked among the results.
			j.trainer.send(map[string]any{"type": "poll_reveal", "poll_id": poll})
			frameHas(t, ctx, `.outcome.right`)
			if got := frameText(t, ctx, `.outcome`); got != j.loc.T("live_you_were_right") {
				t.Fatalf("the outcome says %q", got)
			}
			if got := frameText(t, ctx, `.bars li.mine .bar-label`); !strings.HasPrefix(got, j.loc.T("live_false")) {
				t.Fatalf("their answer among the results: %q", got)
			}
			noWiderThanPhone(t, ctx, "the live page with results")

			// The end: the summary.
			j.trainer.send(map[string]any{"type": "end"})
			j.trainer.next("ended")
			if err := chromedp.Do(ctx, chromedp.Navigate(j.base+j.live+"/summary")); err != nil {
				t.Fatal(err)
			}
			noWiderThanPhone(t, ctx, "the summary")
		})
	}
}

func TestAParticipantWithJavaScriptOnAPhoneSeesThePollAndLearnsWhetherTheyWereRight(t *testing.T) {
	for _, lang := range []string{"en", "ar", "es", "fr", "fa"} {
		t.Run(lang, func(t *testing.T) {
			j := newLiveJourney(t, lang)
			ctx := withTimeout(t, startChromium(t))
			phone(t, ctx)
			j.signIn(t, ctx, "phone-learner")
			type css = chromedp.CSS
			if err := chromedp.Do(ctx, chromedp.Navigate(j.base+j.cohort+"?lang="+lang)); err != nil {
				t.Fatal(err)
			}
			noWiderThanPhone(t, ctx, "the cohort page")
			if err := chromedp.Do(ctx, chromedp.Click(css(`main a[href="`+j.live+`"]`)), chromedp.WaitVisible(css(`#live-step`))); err != nil {
				t.Fatal(err)
			}
			connected := fmt.Sprintf(`document.getElementById("live-status").textContent === %q && !document.getElementById("live-frame")`, j.loc.T("live_connected"))
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](connected)); err != nil {
				t.Fatalf("the page did not take the live part over: %v", err)
			}
			noWiderThanPhone(t, ctx, "the live page")

			// Reading further down when a poll opens: a notice takes them to it.
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.scrollTo(0, document.documentElement.scrollHeight), true`)); err != nil {
				t.Fatal(err)
			}
			poll := j.openQuizPoll()
			if err := chromedp.Do(ctx, chromedp.WaitVisible(css(`#live-jump`)), chromedp.Click(css(`#live-jump`))); err != nil {
				t.Fatalf("no notice of the poll: %v", err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("live-jump").hidden`)); err != nil {
				t.Fatalf("the notice stays once the poll is in view: %v", err)
			}

			// At the top of the page, the poll's question and first answer are on the screen.
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`)); err != nil {
				t.Fatal(err)
			}
			for _, sel := range []string{`#live-poll h2`, `#form-vote .field.checkbox`} {
				if bottom, ok := visibleWithoutScrolling(t, ctx, sel, false); !ok {
					t.Fatalf("%s ends %v px down: not on a %d px screen without scrolling", sel, bottom, phoneTall)
				}
			}
			if attrs, err := chromedp.Run(ctx, chromedp.Attributes(css(`#live-poll h2 span[lang]`))); err != nil || attrs["lang"] != "en" || attrs["dir"] != "ltr" {
				t.Fatalf("the course's question: %v (%v)", attrs, err)
			}
			if got := text(t, ctx, `label[for="vote-true"]`) + "/" + text(t, ctx, `label[for="vote-false"]`); got != j.loc.T("live_true")+"/"+j.loc.T("live_false") {
				t.Fatalf("true and false read %q", got)
			}
			if got := text(t, ctx, `#form-vote button[type=submit]`); got != j.loc.T("live_send_answer") {
				t.Fatalf("the vote button says %q", got)
			}
			noWiderThanPhone(t, ctx, "the live page with a poll")
			if err := chromedp.Do(ctx, chromedp.Click(css(`#vote-true`)), chromedp.Click(css(`#form-vote button[type=submit]`))); err != nil {
				t.Fatal(err)
			}
			j.trainer.next("tally", func(m map[string]any) bool { return m["voters"] == float64(1) })

			// The reveal: wrong this time, their answer marked, the right one too.
			j.trainer.send(map[string]any{"type": "poll_reveal", "poll_id": poll})
			if err := chromedp.Do(ctx, chromedp.WaitVisible(css(`#live-poll .outcome.wrong`))); err != nil {
				t.Fatal(err)
			}
			if got := text(t, ctx, `#live-poll .outcome`); got != j.loc.T("live_you_were_wrong") {
				t.Fatalf("the outcome says %q", got)
			}
			if got := text(t, ctx, `#live-poll .bars li.mine .bar-label`); !strings.HasPrefix(got, j.loc.T("live_true")) {
				t.Fatalf("their answer among the results: %q", got)
			}
			if got := text(t, ctx, `#live-poll .bars li:nth-child(2) .bar-label`); !strings.Contains(got, j.loc.T("live_correct")) {
				t.Fatalf("the right answer is not marked: %q", got)
			}
			// The counts live.js writes are in the page's digits (Persian ۱ in fa).
			if got := text(t, ctx, `#live-poll .bars li.mine .bar-count`); got != j.loc.Num(1) {
				t.Fatalf("their answer's count reads %q, want %q", got, j.loc.Num(1))
			}
			noWiderThanPhone(t, ctx, "the live page with results")
			for _, v := range axeCheck(t, ctx) {
				t.Errorf("accessibility: %s (%s) %s %v", v.ID, v.Impact, v.Help, v.Nodes)
			}
		})
	}
}
