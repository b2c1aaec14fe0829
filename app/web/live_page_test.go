package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

var pollIDRE = regexp.MustCompile(`name="poll" value="(\d+)"`)

// conditionalGet asks for path again with the ETag the browser kept.
func (b *browser) conditionalGet(path, etag string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.ts.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("If-None-Match", etag)
	return b.do(req)
}

func TestTheOneLivePageWorksWithoutJavaScript(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer := f.trainer.mustDial(t, f.session)
		trainer.next("snapshot")
		trainer.send(map[string]any{"type": "step", "lesson": "first-steps", "ref": "s"})
		trainer.next("ack")

		// One way in: the cohort page offers "Join" only, and the old plain page leads here.
		mustContain(t, f.learner.get(f.cohort), `href="`+f.session+`"`)
		if strings.Contains(f.learner.get(f.cohort).Body, "/plain") {
			t.Fatal("the cohort page still offers a second way to join")
		}
		if p := f.learner.get(f.session + "/plain"); p.URL != f.session || p.Status != http.StatusOK {
			t.Fatalf("the old plain page led to %s (%d)", p.URL, p.Status)
		}

		// The page: the lesson, the live part in a frame, and a question form that posts.
		p := f.learner.get(f.session)
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Keep your recovery codes on paper",
			`<iframe id="live-frame" name="live-frame" class="live-frame" src="`+f.session+`/frame?shown=first-steps"`,
			`<form method="post" action="`+f.session+`/ask" id="form-ask"`, `name="csrf_token"`)
		for _, form := range regexp.MustCompile(`<form[^>]*>`).FindAllString(p.Body, -1) {
			if !strings.Contains(form, `method="post"`) {
				t.Fatalf("a form without method=post (what it holds would land in the URL): %s", form)
			}
		}

		// The live part: it may be framed by this site only, and is kept and asked about again.
		fr := f.learner.get(f.session + "/frame?shown=first-steps")
		mustStatus(t, fr, http.StatusOK)
		if csp := fr.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self'") || strings.Contains(csp, "'none'; base") {
			t.Fatalf("the live part's policy: %q", csp)
		}
		if xfo := fr.Header.Get("X-Frame-Options"); xfo != "SAMEORIGIN" {
			t.Fatalf("X-Frame-Options %q", xfo)
		}
		if strings.Contains(p.Header.Get("Content-Security-Policy"), "frame-ancestors 'self'") {
			t.Fatal("the page itself may be framed")
		}
		if strings.Contains(fr.Body, "<script") {
			t.Fatal("the live part needs no script")
		}
		mustContain(t, fr, `<meta http-equiv="refresh" content="10; url=`+f.session+`/frame?b=1&amp;shown=first-steps">`,
			"Raise hand", `action="`+f.session+`/hand"`, "No questions.", `target="_top"`)
		etag := fr.Header.Get("ETag")
		if etag == "" || fr.Header.Get("Cache-Control") != "private, no-cache" {
			t.Fatalf("ETag %q, Cache-Control %q", etag, fr.Header.Get("Cache-Control"))
		}
		again := f.learner.conditionalGet(f.session+"/frame?shown=first-steps", etag)
		if again.Status != http.StatusNotModified || again.Body != "" {
			t.Fatalf("an unchanged live part: %d with %d bytes", again.Status, len(again.Body))
		}
		// Only what RFC 9110 asks of a 304: the stored response's policies stay in force.
		if again.Header.Get("Content-Security-Policy") != "" || again.Header.Get("ETag") != etag || again.Header.Get("Cache-Control") != "private, no-cache" {
			t.Fatalf("the 304's headers: %v", again.Header)
		}

		// A poll opens: it comes first in the live part, and the refresh slows down so that it
		// does not undo what is being ticked.
		trainer.send(map[string]any{"type": "poll_open", "prompt": "Which colour?", "options": []string{"Red", "Blue"}, "ref": "p"})
		trainer.next("ack")
		if again := f.learner.conditionalGet(f.session+"/frame?shown=first-steps", etag); again.Status != http.StatusOK {
			t.Fatalf("a changed live part answered %d", again.Status)
		}
		fr = f.learner.get(f.session + "/frame?shown=first-steps&b=1")
		mustContain(t, fr, "Which colour?", `name="choice" value="b"`, "Send answer", `content="60; url=`, "Answer later")
		if strings.Index(fr.Body, "Which colour?") > strings.Index(fr.Body, "Raise hand") {
			t.Fatal("the poll is not first in the live part")
		}
		poll := pollIDRE.FindStringSubmatch(fr.Body)[1]

		// Vote, raise a hand and upvote from the live part: each comes back to it.
		frame := url.Values{"in": {"frame"}, "shown": {"first-steps"}}
		with := func(extra url.Values) url.Values {
			out := url.Values{}
			for k, v := range frame {
				out[k] = v
			}
			for k, v := range extra {
				out[k] = v
			}
			return out
		}
		v := f.learner.post(f.session+"/vote", with(url.Values{"poll": {poll}, "choice": {"b"}}))
		if v.URL != f.session+"/frame" {
			t.Fatalf("a vote in the live part led to %s", v.URL)
		}
		mustContain(t, v, "Your answer is in.", `content="10; url=`)
		if tally := trainer.next("tally"); tally["voters"].(float64) != 1 {
			t.Fatalf("tally after a vote without JavaScript: %v", tally)
		}
		mustContain(t, f.learner.post(f.session+"/vote", with(url.Values{"poll": {poll}, "choice": {"a"}})), "You have already answered this poll.")
		mustContain(t, f.learner.post(f.session+"/vote", with(url.Values{"poll": {poll}, "choice": {"zzz"}})), "Choose one of the answers.")

		h := f.learner.post(f.session+"/hand", with(url.Values{"raised": {"1"}}))
		mustContain(t, h, "Your hand is raised.", "Lower hand", `name="raised" value="0"`)
		if hands := trainer.next("hands"); len(hands["names"].([]any)) != 1 || hands["names"].([]any)[0] != "live-learner" {
			t.Fatalf("hands after a raised hand without JavaScript: %v", hands)
		}
		mustContain(t, f.learner.get(f.session), `data-raised="true"`, "Lower hand")

		// The question form posts from the page and comes back to it; the live part lists it.
		a := f.learner.post(f.session+"/ask", url.Values{"body": {"Plain question"}, "anonymous": {"1"}})
		if a.URL != f.session {
			t.Fatalf("a question led to %s", a.URL)
		}
		mustContain(t, a, "Your question was sent.")
		fr = f.learner.get(f.session + "/frame?shown=first-steps&b=1")
		mustContain(t, fr, "Plain question", "anonymous", `action="`+f.session+`/upvote"`)
		if q := trainer.next("question"); q["question"].(map[string]any)["body"] != "Plain question" {
			t.Fatalf("the trainer got %v", q)
		}
		qid := regexp.MustCompile(`name="question" value="(\d+)"`).FindStringSubmatch(fr.Body)[1]
		mustContain(t, f.learner.post(f.session+"/upvote", with(url.Values{"question": {qid}})), "Upvoted.")

		// A refused question comes back with what was typed, the form open.
		ts.Clock.Advance(time.Minute)
		r := f.learner.post(f.session+"/ask", url.Values{"body": {strings.Repeat("x", 501)}})
		mustStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, `<details class="card" id="ask" open>`, `aria-invalid="true"`, strings.Repeat("x", 501))

		// The trainer moves on: the live part offers the new lesson, the page keeps its own.
		trainer.send(map[string]any{"type": "step", "lesson": "second-steps", "ref": "s2"})
		trainer.next("ack")
		fr = f.learner.get(f.session + "/frame?shown=first-steps&b=1")
		mustContain(t, fr, "Go to this lesson", `href="`+f.session+`" target="_top"`)
	})
}

// A participant without JavaScript is counted while the live part keeps refreshing: in the
// trainer's count, and in the attendance the summary lists with everyone's role.
func TestParticipantsWithoutJavaScriptAreCountedWhileTheyRefresh(t *testing.T) {
	cfg := testConfig()
	cfg.LiveLease = time.Hour // the instance's own lease outlives the clock's jumps
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		f := newLiveFixture(t, ts)
		st := store.New(ts.DB, ts.Clock.Now)
		sessionID := liveID(t, f.session)
		trainer := f.trainer.mustDial(t, f.session)
		if n := trainer.next("snapshot")["participants"]; n != float64(1) {
			t.Fatalf("participants at first: %v", n)
		}
		present := func(want int) {
			t.Helper()
			if n, err := st.PresentCount(ctx, sessionID); err != nil || n != want {
				t.Fatalf("present: %d (%v), want %d", n, err, want)
			}
		}

		// The first load (also made by a page whose script then takes over) is not a heartbeat.
		f.learner.get(f.session + "/frame")
		present(1)
		// Its refreshes are: the trainer is told at once.
		f.learner.get(f.session + "/frame?b=1")
		trainer.nextWhere("presence", func(m map[string]any) bool { return m["participants"] == float64(2) })
		for range 5 {
			ts.Clock.Advance(10 * time.Second)
			f.learner.get(f.session + "/frame?b=1")
			present(2)
		}
		last := ts.Clock.Now()
		// No refresh for three intervals: no longer present, and any sweep closes the
		// attendance at the last refresh.
		ts.Clock.Advance(31 * time.Second)
		present(1)
		if _, err := st.SweepLeases(ctx); err != nil {
			t.Fatal(err)
		}
		spans, err := st.Attendance(ctx, sessionID)
		if err != nil {
			t.Fatal(err)
		}
		var learnerSpans []model.LiveAttendance
		for _, a := range spans {
			if a.User != nil && a.User.Username == "live-learner" {
				learnerSpans = append(learnerSpans, a)
			}
		}
		if len(learnerSpans) != 1 || learnerSpans[0].LeftAt == nil || learnerSpans[0].LeftAt.Sub(learnerSpans[0].JoinedAt) < 40*time.Second || learnerSpans[0].LeftAt.After(last) {
			t.Fatalf("the learner's attendance: %+v", learnerSpans)
		}
		// Back: a new stretch.
		f.learner.get(f.session + "/frame?b=1")
		present(2)

		// The summary names each person with their role in the cohort.
		trainer.send(map[string]any{"type": "end", "ref": "e"})
		trainer.next("ack")
		sum := f.trainer.get(f.session + "/summary")
		mustContain(t, sum, "<th scope=\"col\">Name</th>", "<th scope=\"col\">Role</th>")
		rowOf := func(name string) string {
			m := regexp.MustCompile(`<tr><th scope="row"><bdi>` + name + `</bdi></th><td data-label="Role">([^<]*)</td>`).FindStringSubmatch(sum.Body)
			if m == nil {
				t.Fatalf("no attendance row for %s:\n%s", name, sum.Body)
			}
			return m[1]
		}
		if got := rowOf("live-trainer"); got != "Trainer" {
			t.Fatalf("the trainer's role: %q", got)
		}
		if got := rowOf("live-learner"); got != "Learner" {
			t.Fatalf("the learner's role: %q", got)
		}
	})
}

// After the reveal, the live part tells each participant whether they were right, with
// their answer marked among the results, and True and False in words.
func TestTheLivePartTellsEachParticipantWhetherTheyWereRight(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer := f.trainer.mustDial(t, f.session)
		trainer.next("snapshot")
		other := f.join(t, "live-other")
		trainer.send(map[string]any{"type": "poll_open", "quiz_module": "basics", "quiz_question": "is-it", "ref": "p"})
		trainer.next("ack")
		fr := f.learner.get(f.session + "/frame")
		mustContain(t, fr, `<label for="c-true">True</label>`, `<label for="c-false">False</label>`, `lang="en" dir="ltr">Encryption hides who you talk to.`)
		for _, glyph := range []string{"✓", "✗"} {
			if strings.Contains(fr.Body, glyph) {
				t.Fatalf("the live part shows %q", glyph)
			}
		}
		poll := pollIDRE.FindStringSubmatch(fr.Body)[1]
		f.learner.post(f.session+"/vote", url.Values{"in": {"frame"}, "poll": {poll}, "choice": {"false"}})
		other.post(f.session+"/vote", url.Values{"in": {"frame"}, "poll": {poll}, "choice": {"true"}})
		pollID, _ := strconv.Atoi(poll)
		trainer.send(map[string]any{"type": "poll_reveal", "poll_id": pollID, "ref": "r"})
		trainer.next("ack")
		right := f.learner.get(f.session + "/frame?b=1")
		mustContain(t, right, "You got it right.", `<li class="mine"><span class="bar-label">False <span class="badge">right answer</span> <span class="badge mine">Your answer</span></span><progress max="2" value="1" aria-hidden="true"></progress><span class="bar-count">1</span></li>`)
		wrong := other.get(f.session + "/frame?b=1")
		mustContain(t, wrong, "Not this time", `<li class="mine"><span class="bar-label">True <span class="badge mine">Your answer</span>`)

		// In an Arabic interface, the English course's text keeps its own language and direction.
		ar := f.learner.get(f.session + "/frame?lang=ar")
		mustContain(t, ar, `<html lang="ar" dir="rtl">`, `lang="en" dir="ltr">Encryption hides who you talk to.`, "إجابتك صحيحة.", "خطأ")
	})
}

// liveID is the number in a session's path.
func liveID(t *testing.T, path string) int64 {
	t.Helper()
	m := liveURLRE.FindStringSubmatch(path)
	if m == nil {
		t.Fatalf("not a live session's path: %s", path)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// Presence is read from the database: a participant without JavaScript refreshing on one
// instance counts in the trainer's count on another.
func TestAParticipantWithoutJavaScriptOnOneInstanceCountsForTheTrainerOnAnother(t *testing.T) {
	db := openPostgresForTest(t)
	a, b := startServer(t, db, testConfig()), startServer(t, db, testConfig())
	f := newLiveFixture(t, a)
	onB := &browser{t: t, ts: b, client: f.learner.client, header: http.Header{}}
	copyCookies(t, a, b, f.learner)
	trainer := f.trainer.mustDial(t, f.session)
	trainer.next("snapshot")
	mustStatus(t, onB.get(f.session+"/frame?b=1"), http.StatusOK)
	trainer.nextWhere("presence", func(m map[string]any) bool { return m["participants"] == float64(2) })
}

// The summary of an ended session shows the course's questions in the course's language
// and direction, whatever the reader's interface, and a poll the trainer typed in its own
// direction.
func TestTheSummaryShowsTheCoursesQuestionsInTheirOwnLanguage(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		mustContain(t, f.trainer.post(f.session+"/console/poll", url.Values{"kind": {"quiz"}, "quiz": {"basics/is-it"}}), "Poll launched.")
		mustContain(t, f.trainer.post(f.session+"/console/poll", url.Values{"kind": {"choice"}, "prompt": {"Ready?"}, "options": {"Yes\nNo"}}), "Poll launched.")
		f.trainer.post(f.session+"/console/end", url.Values{"confirm": {"yes"}})
		for _, who := range []*browser{f.trainer, f.learner} {
			sum := who.get(f.session + "/summary?lang=ar")
			mustStatus(t, sum, http.StatusOK)
			mustContain(t, sum, `<html lang="ar" dir="rtl">`,
				`<h3 lang="en" dir="ltr">Encryption hides who you talk to.</h3>`, // the course's question
				`<h3 dir="auto">Ready?</h3>`,                                     // the trainer's own
				`<td dir="auto">Yes</td>`)
		}
	})
}

// A form of the live page sent without JavaScript leads back to where it was, not to the
// top: a question to the question form (open, empty, with its confirmation), a vote, a hand
// and an upvote to their place in the live part, each confirmed there and only there. What
// was sent never appears in an address; a refusal comes back to the top, where its message is.
func TestLiveFormsWithoutJavaScriptLandWhereTheyWereSent(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer := f.trainer.mustDial(t, f.session)
		trainer.next("snapshot")
		trainer.send(map[string]any{"type": "step", "lesson": "first-steps", "ref": "s"})
		trainer.next("ack")
		once := func(p page, text string) {
			t.Helper()
			if n := strings.Count(p.Body, text); n != 1 {
				t.Fatalf("%q shown %d times on %s, want once:\n%s", text, n, p.URL, p.Body)
			}
		}
		inside := func(p page, open, text string) {
			t.Helper()
			re := regexp.MustCompile(`(?s)` + regexp.QuoteMeta(open) + `(.*?)</(section|form|details)>`)
			m := re.FindStringSubmatch(p.Body)
			if m == nil || !strings.Contains(m[1], `<p class="notice`) || !strings.Contains(m[1], text) {
				t.Fatalf("%q is not confirmed inside %s:\n%s", text, open, p.Body)
			}
		}

		// Asking: back to the question form; the text is in no address, and not in the form.
		const question = "Can my employer read my messages?"
		_, to := f.learner.postNoFollow(f.session+"/ask", url.Values{"body": {question}, "anonymous": {"1"}})
		if to != f.session+"#ask" {
			t.Fatalf("a question led to %q, want %q", to, f.session+"#ask")
		}
		if q := trainer.next("question"); q["question"].(map[string]any)["body"] != question {
			t.Fatalf("the trainer got %v", q)
		}
		p := f.learner.get(to)
		inside(p, `<details class="card" id="ask" open>`, "Your question was sent.")
		once(p, "Your question was sent.")
		mustContain(t, p, `<textarea id="ask-body" name="body" maxlength="500" rows="2" required></textarea>`,
			`<input type="checkbox" id="ask-anon" name="anonymous" value="1"><label`)
		if strings.Contains(p.Body, "employer") {
			t.Fatal("the page still holds the question sent")
		}
		// Seen once: the page loaded again shows the form closed, without the confirmation.
		p = f.learner.get(f.session)
		mustContain(t, p, `<details class="card" id="ask">`)
		if strings.Contains(p.Body, "Your question was sent.") {
			t.Fatal("the confirmation outlives its page")
		}

		// A hand raised in the live part: back to the hand's form.
		frame := url.Values{"in": {"frame"}, "shown": {"first-steps"}}
		with := func(extra ...string) url.Values {
			out := url.Values{"in": frame["in"], "shown": frame["shown"]}
			for i := 0; i+1 < len(extra); i += 2 {
				out.Set(extra[i], extra[i+1])
			}
			return out
		}
		here := f.session + "/frame?b=1&shown=first-steps"
		if _, to = f.learner.postNoFollow(f.session+"/hand", with("raised", "1")); to != here+"#hand" {
			t.Fatalf("a raised hand led to %q", to)
		}
		fr := f.learner.get(to)
		inside(fr, `<form method="post" action="`+f.session+`/hand" class="live-hand" id="hand">`, "Your hand is raised.")
		once(fr, "Your hand is raised.")

		// A vote: back to the poll, which says it is in.
		trainer.send(map[string]any{"type": "poll_open", "prompt": "Which colour?", "options": []string{"Red", "Blue"}, "ref": "p"})
		trainer.next("ack")
		poll := pollIDRE.FindStringSubmatch(f.learner.get(here).Body)[1]
		if _, to = f.learner.postNoFollow(f.session+"/vote", with("poll", poll, "choice", "b")); to != here+"#poll" {
			t.Fatalf("a vote led to %q", to)
		}
		fr = f.learner.get(to)
		inside(fr, `<section class="card live-poll" id="poll"`, "Your answer is in.")
		once(fr, "Your answer is in.")
		// Refused, the message is at the top, where the live part opens.
		if _, to = f.learner.postNoFollow(f.session+"/vote", with("poll", poll, "choice", "a")); to != here {
			t.Fatalf("a refused vote led to %q", to)
		}
		mustContain(t, f.learner.get(to), `<body class="in-frame"><p class="notice" role="status">You have already answered this poll.</p>`)

		// An upvote: back to the questions.
		qid := regexp.MustCompile(`name="question" value="(\d+)"`).FindStringSubmatch(f.learner.get(here).Body)[1]
		if _, to = f.learner.postNoFollow(f.session+"/upvote", with("question", qid)); to != here+"#questions" {
			t.Fatalf("an upvote led to %q", to)
		}
		fr = f.learner.get(to)
		inside(fr, `<section aria-labelledby="questions-heading" id="questions">`, "Upvoted.")
		once(fr, "Upvoted.")

		// The live part's forms sent from the page (live.js, its socket down) land on the
		// page's notice, above the live part.
		if _, to = f.learner.postNoFollow(f.session+"/hand", url.Values{"raised": {"0"}}); to != f.session+"#live-notice" {
			t.Fatalf("a hand lowered from the page led to %q", to)
		}
		p = f.learner.get(to)
		mustContain(t, p, "<p class=\"notice\" role=\"status\" id=\"live-notice\">Your hand is lowered.</p>\n  <iframe id=\"live-frame\"")
		once(p, "Your hand is lowered.")
	})
}
