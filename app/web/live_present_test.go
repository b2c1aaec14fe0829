package web_test

import (
	"bytes"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// watch opens the presenter view's socket: a trainer's screen that is not a person in the
// room.
func (b *browser) watch(t *testing.T, session string) *wsConn {
	t.Helper()
	u, _ := url.Parse(b.ts.URL)
	h := http.Header{"Origin": {b.ts.URL}}
	var cookies []string
	for _, c := range b.client.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	h.Set("Cookie", strings.Join(cookies, "; "))
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+u.Host+session+"/ws?watch=1", h)
	if err != nil {
		t.Fatalf("watch %s: %v", session, err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return &wsConn{t: t, conn: conn}
}

func TestThePresenterViewFollowsTheConsoleWithoutCountingAsSomeone(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		learner := f.learner.mustDial(t, f.session)
		learner.next("snapshot")
		rows := countRows(t, ts.DB, "live_attendance")

		presenter := f.trainer.watch(t, f.session)
		snap := presenter.next("snapshot")
		if snap["role"] != "trainer" || snap["participants"].(float64) != 1 {
			t.Fatalf("presenter snapshot %v", snap)
		}
		if n := countRows(t, ts.DB, "live_attendance"); n != rows {
			t.Fatalf("the presenter view opened attendance: %d rows, was %d", n, rows)
		}

		// The console launches a poll (here without JavaScript); the presenter gets it with
		// the time it was launched, then each answer as it comes.
		f.trainer.post(f.session+"/console/poll", url.Values{"prompt": {"Which colour?"}, "options": {"Red\nBlue"}})
		opened := presenter.next("poll_opened")["poll"].(map[string]any)
		if opened["prompt"] != "Which colour?" || opened["opened_at"].(float64) != float64(ts.Clock.Now().UnixMilli()) {
			t.Fatalf("presenter got %v", opened)
		}
		learner.next("poll_opened")
		learner.send(map[string]any{"type": "vote", "poll_id": opened["id"], "choice": "b"})
		presenter.nextWhere("tally", func(m map[string]any) bool { return m["voters"].(float64) == 1 })

		// Its shortcuts act as the trainer: R reveals, N shows the next lesson.
		presenter.send(map[string]any{"type": "poll_reveal", "poll_id": opened["id"], "ref": "r"})
		presenter.next("ack")
		revealed := learner.next("poll_revealed")["poll"].(map[string]any)
		if revealed["counts"].(map[string]any)["b"].(float64) != 1 {
			t.Fatalf("revealed %v", revealed)
		}
		presenter.send(map[string]any{"type": "step", "lesson": "second-steps"})
		if s := learner.next("step")["step"].(map[string]any); s["lesson"] != "second-steps" {
			t.Fatalf("step %v", s)
		}
		if s := presenter.next("step")["step"].(map[string]any); s["title"] != "Second steps" {
			t.Fatalf("the presenter shows %v", s)
		}

		// A participant asking to watch is counted all the same.
		late := f.join(t, "late-watcher")
		late.watch(t, f.session).next("snapshot")
		if n := countRows(t, ts.DB, "live_attendance"); n != rows+1 {
			t.Fatalf("a participant's ?watch=1 went uncounted: %d rows, want %d", n, rows+1)
		}

		// The session ends: the presenter is told, and its page says so without refreshing.
		f.trainer.post(f.session+"/console/end", url.Values{"confirm": {"yes"}})
		presenter.next("ended")
		p := f.trainer.get(f.session + "/present")
		mustContain(t, p, "This session has ended.")
		if strings.Contains(p.Body, `http-equiv="refresh"`) {
			t.Fatal("the presenter view of an ended session keeps refreshing")
		}
	})
}

func TestThePresenterViewWorksWithoutJavaScript(t *testing.T) {
	cfg := testConfig()
	cfg.BaseURL = "http://cairn.example"
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		id := strings.TrimPrefix(f.session, "/live/")
		p := f.trainer.get(f.session + "/present")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, f.code, "http://cairn.example/join?code="+strings.ReplaceAll(f.code, "-", "")+"&amp;live="+id,
			`<noscript><meta http-equiv="refresh" content="5"></noscript>`, `src="`+f.session+`/present/qr.png"`,
			"Waiting for the next question…", "Keyboard shortcuts", "<kbd>R</kbd>", "Show results", `src="/static/js/present.`)
		if cc := p.Header.Get("Cache-Control"); cc != "private, no-cache" {
			t.Fatalf("Cache-Control %q: the browser may keep it, no shared cache", cc)
		}
		tag := p.Header.Get("ETag")
		if tag == "" {
			t.Fatal("no ETag")
		}
		// Reloaded with nothing changed: 304 and no body.
		f.trainer.header.Set("If-None-Match", tag)
		same := f.trainer.get(f.session + "/present")
		f.trainer.header.Del("If-None-Match")
		if same.Status != http.StatusNotModified || same.Body != "" {
			t.Fatalf("unchanged reload: status %d, %d bytes", same.Status, len(same.Body))
		}

		// A poll, seventy-five seconds after its launch, with a one-minute countdown.
		f.trainer.post(f.session+"/console/poll", url.Values{"prompt": {"Which colour?"}, "options": {"Red\nBlue"}})
		ts.Clock.Advance(75 * time.Second)
		f.trainer.header.Set("If-None-Match", tag)
		p = f.trainer.get(f.session + "/present?countdown=60")
		f.trainer.header.Del("If-None-Match")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, `<h1 class="present-prompt" lang="en" dir="auto">Which colour?</h1>`, "<li>Red</li>", "<li>Blue</li>",
			`Time since launch: <span dir="ltr">1:15</span> · Time is up`, `<option value="60" selected>1:00</option>`)
		// (With CAIRN_BASE_URL set, this test's sockets would come from the wrong origin:
		// the learner votes with the form.)
		poll := consolePoll(t, f.trainer.get(f.session))
		f.learner.post(f.session+"/vote", url.Values{"poll": {poll}, "choice": {"b"}})
		p = f.trainer.post(f.session+"/console/reveal", url.Values{"poll": {poll}})
		mustContain(t, p, "Results shown to everyone.")
		p = f.trainer.get(f.session + "/present")
		// The chart has its numbers as text.
		mustContain(t, p, `<progress max="100" value="0"></progress><span class="present-bar-value" dir="ltr">0 (0%)</span>`,
			`<progress max="100" value="100"></progress><span class="present-bar-value" dir="ltr">1 (100%)</span>`, `Answers: <strong id="present-voters">1</strong>`)

		// The QR code of the join link: a PNG for the cohort's trainers, kept by no cache.
		q := f.trainer.get(f.session + "/present/qr.png")
		mustStatus(t, q, http.StatusOK)
		if q.Header.Get("Content-Type") != "image/png" || q.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("QR code headers %v", q.Header)
		}
		img, err := png.Decode(bytes.NewReader([]byte(q.Body)))
		if err != nil || img.Bounds().Dx() < 200 || img.Bounds().Dx() != img.Bounds().Dy() {
			t.Fatalf("QR code image: %v %v", img.Bounds(), err)
		}
		for _, path := range []string{"/present", "/present/qr.png"} {
			mustStatus(t, f.learner.get(f.session+path), http.StatusForbidden)
		}

		// In Arabic the page runs right to left.
		f.trainer.header.Set("Accept-Language", "ar")
		p = f.trainer.get(f.session + "/present")
		mustContain(t, p, `<html lang="ar" dir="rtl">`, "اختصارات لوحة المفاتيح", "الإجابات:")

		// The join link leads a newcomer into the session once they join the cohort.
		newcomer := ts.browser(t)
		newcomer.signUp("from-the-projector")
		join := newcomer.get("/join?code=" + url.QueryEscape(f.code) + "&live=" + id)
		mustContain(t, join, `<input type="hidden" name="live" value="`+id+`">`)
		if p := newcomer.post("/join", url.Values{"code": {f.code}, "live": {id}}); p.URL != f.session {
			t.Fatalf("joining from the projector's link led to %s", p.URL)
		}
		// Another number is ignored: joining leads to the cohort as usual.
		other := ts.browser(t)
		other.signUp("wrong-session")
		if p := other.post("/join", url.Values{"code": {f.code}, "live": {"999"}}); p.URL != f.cohort {
			t.Fatalf("a join link naming another session led to %s", p.URL)
		}
	})
}

// The projector's page, reloaded without JavaScript, draws a revealed scale as bars with
// its mean and median as text, and a revealed open-text poll as its word cloud.
func TestThePresenterViewDrawsScaleAndOpenTextResults(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		f.trainer.post(f.session+"/console/poll", url.Values{"kind": {"scale"}, "scale_prompt": {"How confident?"}, "low_label": {"not at all"}, "high_label": {"very"}})
		p := f.trainer.get(f.session + "/present")
		mustContain(t, p, `<p class="scale-ends present-scale-ends" lang="en"><bdi>1 not at all</bdi><bdi>5 very</bdi></p>`)
		poll := consolePoll(t, f.trainer.get(f.session))
		f.learner.post(f.session+"/vote", url.Values{"poll": {poll}, "choice": {"4"}})
		f.trainer.post(f.session+"/console/reveal", url.Values{"poll": {poll}})
		p = f.trainer.get(f.session + "/present")
		mustContain(t, p, `<p class="scale-stats">Mean: <strong>4.0</strong> · Median: <strong>4</strong></p>`,
			`<li><span class="scale-value">4</span><progress max="1" value="1"></progress><span class="scale-count">1</span></li>`,
			`<span class="scale-count">0</span><bdi class="scale-end" lang="en">very</bdi>`)

		f.trainer.post(f.session+"/console/poll", url.Values{"kind": {"text"}, "text_prompt": {"One word for safety?"}})
		poll = consolePoll(t, f.trainer.get(f.session))
		f.learner.post(f.session+"/vote", url.Values{"poll": {poll}, "answer": {"Signal"}})
		f.trainer.post(f.session+"/console/reveal", url.Values{"poll": {poll}})
		p = f.trainer.get(f.session + "/present")
		mustContain(t, p, `<ul class="cloud" lang="en" aria-label="`, `<bdi>Signal</bdi> <span class="cloud-count">1</span>`)
		if strings.Contains(p.Body, "present-bars") {
			t.Fatal("the open-text poll is drawn as right and wrong bars")
		}
	})
}

// pageForm is a form of a page, as a browser would send it: its action and the values of
// its hidden fields (a hidden form too: without JavaScript a reload shows it when it applies).
func pageForm(t *testing.T, p page, id string) (action string, values url.Values) {
	t.Helper()
	m := regexp.MustCompile(`(?s)<form method="post" action="([^"]+)"[^>]* id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</form>`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no form #%s on %s:\n%s", id, p.URL, p.Body)
	}
	values = url.Values{}
	for _, in := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(m[2], -1) {
		values.Add(in[1], html.UnescapeString(in[2]))
	}
	return m[1], values
}

// formShown tells whether the page shows the form (it is there, not hidden).
func formShown(t *testing.T, p page, id string) bool {
	t.Helper()
	m := regexp.MustCompile(`<form [^>]*id="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(p.Body)
	if m == "" {
		t.Fatalf("no form #%s on %s", id, p.URL)
	}
	return !strings.HasSuffix(m, " hidden>")
}

// sendFromPresenter sends the presenter view's form #id as the view at path has it, checks
// that it leads back to that view, and returns the view, which says wantStatus.
func sendFromPresenter(t *testing.T, trainer *browser, path, id, wantStatus string) page {
	t.Helper()
	action, values := pageForm(t, trainer.get(path), id)
	if values.Get("csrf_token") == "" || values.Get("back") != "present" {
		t.Fatalf("the form #%s sends %v", id, values)
	}
	_, to := trainer.postNoFollow(action, values)
	if to != path {
		t.Fatalf("the presenter's #%s led to %q, want back to %q", id, to, path)
	}
	p := trainer.get(to)
	mustContain(t, p, `<p class="live-status" id="present-status" role="status">`+wantStatus+`</p>`)
	return p
}

// Every control of the presenter view works without JavaScript: the next lesson, close and
// reveal are the console's forms, sent from the view and led back to it as it was shown
// (its countdown, the join code put away), with what they did (or why not) in its status
// line; the join code is put away and brought back by a link.
func TestThePresentersControlsWorkWithoutJavaScript(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		learner := f.learner.mustDial(t, f.session)
		learner.next("snapshot")
		view := f.session + "/present?countdown=60&join=hide"
		send := func(id, want string) page { t.Helper(); return sendFromPresenter(t, f.trainer, view, id, want) }

		// The join code put away, and the link that brings it back.
		p := f.trainer.get(view)
		mustContain(t, p, `<section class="present-join" id="present-join" aria-labelledby="present-join-title" hidden>`,
			`<a href="`+f.session+`/present?countdown=60" id="present-join-toggle"`, ">Show the join code</a>")
		mustContain(t, f.trainer.get(f.session+"/present"), `<a href="`+f.session+`/present?join=hide" id="present-join-toggle"`, ">Hide the join code</a>")

		// Without a plan, the next lesson: the first, then the second.
		if formShown(t, p, "present-close") || formShown(t, p, "present-reveal") {
			t.Fatal("close and reveal offered without a poll")
		}
		send("present-next", "Everyone now sees that lesson.")
		if s := learner.next("step")["step"].(map[string]any); s["lesson"] != "first-steps" {
			t.Fatalf("the first next lesson: %v", s)
		}
		p = send("present-next", "Everyone now sees that lesson.")
		if s := learner.next("step")["step"].(map[string]any); s["lesson"] != "second-steps" {
			t.Fatalf("the second next lesson: %v", s)
		}
		mustContain(t, p, "Second steps")

		// A poll: close, then reveal.
		f.trainer.post(f.session+"/console/poll", url.Values{"prompt": {"Which colour?"}, "options": {"Red\nBlue"}})
		learner.next("poll_opened")
		p = f.trainer.get(view)
		if !formShown(t, p, "present-close") || !formShown(t, p, "present-reveal") {
			t.Fatal("close and reveal not offered for an open poll")
		}
		p = send("present-close", "Poll closed: it takes no more answers.")
		learner.next("poll_closed")
		if formShown(t, p, "present-close") || !formShown(t, p, "present-reveal") {
			t.Fatal("after closing: close offered, or reveal not")
		}
		p = send("present-reveal", "Results shown to everyone.")
		learner.next("poll_revealed")
		if formShown(t, p, "present-reveal") {
			t.Fatal("reveal offered for a revealed poll")
		}

		// Refused: back to the view, saying why.
		f.trainer.post(f.session+"/console/poll", url.Values{"prompt": {"Honestly?"}, "options": {"Yes\nNo"}, "anonymous": {"1"}, "small_room": {"1"}})
		learner.next("poll_opened")
		send("present-reveal", "Too few answers to show the results of an anonymous poll.")
	})
}

// With a session plan, the presenter view's button performs the plan's next step, from
// where the view said the plan stood: a view left open while the console moved on does not
// perform a step twice, and a finished plan offers no next step.
func TestThePresentersNextStepFollowsThePlanWithoutJavaScript(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := startLiveWithPlan(t, ts)
		trainer, view := f.liveFixture.trainer, f.session+"/present"
		if action, values := pageForm(t, trainer.get(view), "present-next"); action != f.session+"/plan/next" || values.Get("from") != "-1" {
			t.Fatalf("the presenter's next step: %s %v", action, values)
		}
		sendFromPresenter(t, trainer, view, "present-next", "Done: participants see the step.")
		if s := f.learner.next("step")["step"].(map[string]any); s["text"] != "Who has lost an account?" {
			t.Fatalf("the plan's first step: %v", s)
		}
		_, stale := pageForm(t, trainer.get(view), "present-next")
		f.next(t, 0)
		f.learner.next("step")
		mustContain(t, trainer.post(f.session+"/plan/next", stale), `role="status">The plan had already moved on`)
		sendFromPresenter(t, trainer, view, "present-next", "Done: participants see the step.")
		if p := trainer.get(view); formShown(t, p, "present-next") {
			t.Fatal("a finished plan still offers its next step")
		}
	})
}

// A cohort may run in a language its course lacks: the course's text is then in the
// course's default language, and the console and the presenter view mark it so, as the
// participants' pages do, not with the cohort's language.
func TestTheConsoleAndThePresenterMarkTheCoursesTextInTheLanguageItIsIn(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "french-trainer")
		p := tr.post("/cohorts", url.Values{"course": {"sample"}, "name": {"Groupe"}, "lang": {"fr"}, "seats": {"0"}})
		if !cohortURLRE.MatchString(p.URL) {
			t.Fatalf("creating a cohort led to %s", p.URL)
		}
		p = tr.post(p.URL+"/live", url.Values{"title": {"Séance"}, "when": {"now"}})
		session := p.URL
		mustContain(t, tr.post(session+"/console/poll", url.Values{"kind": {"quiz"}, "quiz": {"basics/is-it"}}),
			`id="console" aria-labelledby="console-title" data-content-lang="en"`, `<bdi lang="en">Encryption hides who you talk to.</bdi>`)
		mustContain(t, tr.get(session+"/present"), `data-content-lang="en" data-content-dir="ltr"`,
			`<h1 class="present-prompt" lang="en" dir="auto">Encryption hides who you talk to.</h1>`)
	})
}
