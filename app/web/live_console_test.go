package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var consolePollRE = regexp.MustCompile(`action="/live/\d+/console/reveal"><input type="hidden" name="csrf_token" value="[^"]+"><input type="hidden" name="poll" value="(\d+)"`)

// consolePoll is the id of the poll the console's reveal form names.
func consolePoll(t *testing.T, p page) string {
	t.Helper()
	m := consolePollRE.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("the console %s (status %d) has no reveal form:\n%s", p.URL, p.Status, p.Body)
	}
	return m[1]
}

func sessionEnded(t *testing.T, ts *testServer) bool {
	t.Helper()
	n, err := ts.DB.NewSelect().Table("live_sessions").Where("ended_at IS NOT NULL").Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func TestTheConsoleWorksWithoutJavaScript(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		learner := f.learner.mustDial(t, f.session)
		learner.next("snapshot")

		// Every control is a form that posts, with the CSRF token, to a real action.
		p := f.trainer.get(f.session)
		for _, action := range []string{"step", "poll", "end"} {
			if !regexp.MustCompile(`<form id="form-` + action + `"[^>]* method="post" action="` + f.session + `/console/` + action + `"[^>]*>\s*<input type="hidden" name="csrf_token" value="[^"]+">`).MatchString(p.Body) {
				t.Fatalf("no working %s form on the console:\n%s", action, p.Body)
			}
		}
		mustContain(t, p, "No poll launched yet.", "No lesson shown yet.")
		if strings.Contains(p.Body, "heading anchor") {
			t.Fatal("the console still asks for a heading anchor")
		}

		// A section is picked from the lesson's headings. Without JavaScript the form lists
		// one lesson's at a time: the second button lists those of the lesson chosen.
		p = f.trainer.post(f.session+"/console/step", url.Values{"lesson": {"drill"}, "pick": {"1"}})
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, `<option value="drill" selected>Drill</option>`, `<option value="practice">Practice</option>`, `<option value="warm-up">`+"\u00a0\u00a0\u00a0"+`Warm-up</option>`)
		p = f.trainer.post(f.session+"/console/step", url.Values{"lesson": {"drill"}, "section": {"practice"}})
		mustStatus(t, p, http.StatusOK)
		if p.URL != f.session {
			t.Fatalf("showing a step led to %s", p.URL)
		}
		mustContain(t, p, "Everyone now sees that lesson.", `Everyone sees: <bdi lang="en">Drill</bdi> — <bdi lang="en">Practice</bdi>`)
		st := learner.next("step")["step"].(map[string]any)
		if st["lesson"] != "drill" || st["section"] != "practice" || st["section_title"] != "Practice" {
			t.Fatalf("participants were taken to %v", st)
		}
		// A section of the lesson listed before, sent with another lesson, is not shown
		// anywhere: the form comes back with the new lesson's sections.
		p = f.trainer.post(f.session+"/console/step", url.Values{"lesson": {"second-steps"}, "section": {"practice"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "That section is not in the lesson you chose.", `<option value="second-steps" selected>`)
		if sections := regexp.MustCompile(`(?s)<select id="step-section".*?</select>`).FindString(p.Body); strings.Contains(sections, "practice") || !strings.Contains(sections, "From the start of the lesson") {
			t.Fatalf("the section list offered with second-steps: %s", sections)
		}

		// A typed poll is launched; the form comes back empty.
		p = f.trainer.post(f.session+"/console/poll", url.Values{"kind": {"choice"}, "prompt": {"Ready?"}, "options": {"Yes\nNo\n"}})
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Poll launched.", "Ready?", "open: taking answers", `<input id="poll-prompt" name="prompt" maxlength="300" value="" dir="auto">`)
		opened := learner.next("poll_opened")["poll"].(map[string]any)
		if opened["prompt"] != "Ready?" || len(opened["options"].([]any)) != 2 || opened["opened_at"].(float64) <= 0 {
			t.Fatalf("participants got %v", opened)
		}
		poll := consolePoll(t, p)

		// A typed poll and a picked quiz question together: neither is launched, and both
		// stay in the form to be sorted out.
		p = f.trainer.post(f.session+"/console/poll", url.Values{"kind": {"choice"}, "prompt": {"Typed"}, "options": {"A\nB"}, "quiz": {"basics/pick-one"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "You filled in both your own question and a question from the course.", `value="Typed"`, `<option value="basics/pick-one" selected>`)
		if got := consolePoll(t, p); got != poll {
			t.Fatalf("a refused form launched poll %s", got)
		}
		// The picker alone launches the quiz question, whatever "kind" says.
		p = f.trainer.post(f.session+"/console/poll", url.Values{"kind": {"choice"}, "quiz": {"basics/is-it"}})
		mustContain(t, p, "Poll launched.", "Encryption hides who you talk to.")
		poll = consolePoll(t, p)

		// Close, then reveal.
		p = f.trainer.post(f.session+"/console/close", url.Values{"poll": {poll}})
		mustContain(t, p, "Poll closed: it takes no more answers.", "closed: no more answers")
		if regexp.MustCompile(`action="` + f.session + `/console/close"`).MatchString(p.Body) {
			t.Fatal("a closed poll still offers to close it")
		}
		p = f.trainer.post(f.session+"/console/reveal", url.Values{"poll": {poll}})
		mustContain(t, p, "Results shown to everyone.", "results shown")
		learner.nextWhere("poll_revealed", func(m map[string]any) bool { return m["poll"].(map[string]any)["closed_at"].(float64) > 0 })

		// An anonymous poll in a room smaller than the minimum group is sent back once with
		// a warning, then launched when the trainer says so.
		p = f.trainer.post(f.session+"/console/poll", url.Values{"prompt": {"Honestly?"}, "options": {"Yes\nNo"}, "anonymous": {"1"}})
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "An anonymous poll shows its results only from 5 answers, so in this room they may stay hidden.", `name="small_room"`, `value="Honestly?"`)
		if !regexp.MustCompile(`People connected: [0-4]\.`).MatchString(p.Body) {
			t.Fatal("the warning does not say how many people are connected")
		}
		p = f.trainer.post(f.session+"/console/poll", url.Values{"prompt": {"Honestly?"}, "options": {"Yes\nNo"}, "anonymous": {"1"}, "small_room": {"1"}})
		mustContain(t, p, "Poll launched.", "0 of at least 5 answers: the results of an anonymous poll stay hidden until 5 people have answered.")
		anon := consolePoll(t, p)
		// Revealing it too soon is refused beside its buttons.
		p = f.trainer.post(f.session+"/console/reveal", url.Values{"poll": {anon}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, `<p class="field-error" role="alert">Too few answers to show the results of an anonymous poll.</p>`, `aria-describedby="console-min"`)

		// Ending asks first; only the confirmed form ends the session.
		p = f.trainer.post(f.session+"/console/end", url.Values{})
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "End this session for everyone?", `<input type="hidden" name="confirm" value="yes">`, `href="`+f.session+`#console"`)
		if sessionEnded(t, ts) {
			t.Fatal("one click ended the session")
		}
		p = f.trainer.post(f.session+"/console/end", url.Values{"confirm": {"yes"}})
		if p.URL != f.session+"/summary" || !sessionEnded(t, ts) {
			t.Fatalf("the confirmed end led to %s", p.URL)
		}
		learner.next("ended")
	})
}

func TestConsoleFormsAreTheTrainersAloneAndNeedTheToken(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		stranger := ts.trainer(t, "other-trainer")
		forms := map[string]url.Values{
			"step":   {"lesson": {"drill"}},
			"poll":   {"prompt": {"Hijack?"}, "options": {"Yes\nNo"}},
			"close":  {"poll": {"1"}},
			"reveal": {"poll": {"1"}},
			"end":    {"confirm": {"yes"}},
		}
		for action, form := range forms {
			if p := f.learner.post(f.session+"/console/"+action, form); p.Status != http.StatusForbidden {
				t.Fatalf("a learner posting %s got %d", action, p.Status)
			}
			if p := stranger.post(f.session+"/console/"+action, form); p.Status != http.StatusNotFound {
				t.Fatalf("a trainer of another cohort posting %s got %d", action, p.Status)
			}
			noToken := url.Values{"csrf_token": {"forged"}}
			for k, v := range form {
				noToken[k] = v
			}
			p := f.trainer.post(f.session+"/console/"+action, noToken)
			mustStatus(t, p, http.StatusForbidden)
			mustContain(t, p, csrfRefusal)
		}
		if n := countRows(t, ts.DB, "live_polls"); n != 0 || sessionEnded(t, ts) {
			t.Fatalf("refused forms changed the session: %d polls, ended %v", n, sessionEnded(t, ts))
		}
		// A learner's page has no console at all.
		if p := f.learner.get(f.session); strings.Contains(p.Body, "/console/") {
			t.Fatal("the learner's page shows console forms")
		}
	})
}

func TestConsoleRefusalsAreInTheTrainersLanguage(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		f.trainer.header.Set("Accept-Language", "ar")
		p := f.trainer.post(f.session+"/console/poll", url.Values{"prompt": {"سؤال"}, "options": {"نعم\nلا"}, "quiz": {"basics/pick-one"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, `<html lang="ar" dir="rtl">`, "ملأت سؤالك الخاص وسؤالًا من الدورة معًا.", `value="سؤال"`)
		p = f.trainer.post(f.session+"/console/poll", url.Values{"prompt": {"سؤال"}, "options": {"نعم"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "يحتاج") // flash_live_bad_poll in Arabic
		p = f.trainer.post(f.session+"/console/step", url.Values{"lesson": {"second-steps"}, "section": {"practice"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "هذا القسم ليس في الدرس الذي اخترته.")
		p = f.trainer.post(f.session+"/console/end", url.Values{})
		mustContain(t, p, "هل تريد إنهاء هذه الجلسة للجميع؟")
	})
}

func TestTheSocketRefusesTwoPollsInOneAndTitlesSections(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.connect(t)
		trainer.send(map[string]any{"type": "step", "lesson": "drill", "section": "warm-up"})
		if s := learner.next("step")["step"].(map[string]any); s["section_title"] != "Warm-up" {
			t.Fatalf("step %v", s)
		}
		// An anchor the lesson does not have is taken as it is, untitled.
		trainer.send(map[string]any{"type": "step", "lesson": "drill", "section": "load-1"})
		if s := learner.next("step")["step"].(map[string]any); s["section"] != "load-1" || s["section_title"] != nil {
			t.Fatalf("step %v", s)
		}
		trainer.send(map[string]any{"type": "poll_open", "prompt": "Typed", "options": []string{"A", "B"}, "quiz_module": "basics", "quiz_question": "pick-one", "ref": "2"})
		if e := trainer.next("error"); e["code"] != "ambiguous_poll" || e["ref"] != "2" {
			t.Fatalf("a typed poll with a quiz question: %v", e)
		}
		if n := countRows(t, ts.DB, "live_polls"); n != 0 {
			t.Fatalf("%d polls launched", n)
		}
	})
}
