package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// consoleFormFor is the value of field in the first form posting to action after text on
// the trainer's page p: the id a question's or an answer's form names.
func consoleFormFor(t *testing.T, p page, text, action, field string) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)` + regexp.QuoteMeta(text) + `</bdi>[^\n]*?action="/live/\d+/console/` + action + `" class="inline"><input type="hidden" name="csrf_token" value="[^"]+">(?:<input type="hidden" name="[a-z]+" value="[^"]*">)*?<input type="hidden" name="` + field + `" value="([^"]+)">`)
	m := re.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("the trainer's page has no %s form for %q:\n%s", action, text, p.Body)
	}
	return m[1]
}

func TestTheTrainersQuestionsAndAnswersWorkWithoutJavaScript(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		mustContain(t, f.learner.post(f.session+"/ask", url.Values{"body": {"Is Signal safe?"}}), "Your question was sent.")
		mustContain(t, f.learner.post(f.session+"/ask", url.Values{"body": {"Off-topic rant"}, "anonymous": {"1"}}), "Your question was sent.")

		// The trainer's page lists them, each with forms that post with the token.
		p := f.trainer.get(f.session)
		mustContain(t, p, `<section class="card" id="questions"`, "<bdi>Is Signal safe?</bdi>", "<bdi>live-learner</bdi>", "Mark as answered")
		signal := consoleFormFor(t, p, "Is Signal safe?", "answered", "question")
		rant := consoleFormFor(t, p, "Off-topic rant", "hide", "question")

		p = f.trainer.post(f.session+"/console/answered", url.Values{"question": {signal}})
		mustStatus(t, p, http.StatusOK)
		if p.URL != f.session {
			t.Fatalf("marking a question answered led to %s", p.URL)
		}
		mustContain(t, p, "Question marked as answered.", `<li class="answered"><bdi>Is Signal safe?</bdi>`)
		if regexp.MustCompile(`(?s)Is Signal safe\?</bdi>[^\n]*console/answered`).MatchString(p.Body) {
			t.Fatal("an answered question still offers to mark it answered")
		}
		p = f.trainer.post(f.session+"/console/hide", url.Values{"question": {rant}})
		mustContain(t, p, "Question hidden from participants.", "· hidden from participants")

		// Participants see both: without JavaScript (the live part) and with it (a snapshot).
		fr := f.learner.get(f.session + "/frame")
		mustContain(t, fr, `<li class="answered"><bdi>Is Signal safe?</bdi>`)
		if strings.Contains(fr.Body, "Off-topic rant") {
			t.Fatal("a hidden question is still shown to participants")
		}
		learner := f.learner.mustDial(t, f.session)
		qs := learner.next("snapshot")["questions"].([]any)
		if len(qs) != 1 || qs[0].(map[string]any)["body"] != "Is Signal safe?" || qs[0].(map[string]any)["answered"] != true {
			t.Fatalf("the participant's snapshot has the questions %v", qs)
		}

		// A question that is not there is refused beside the list, in the trainer's language.
		f.trainer.header.Set("Accept-Language", "ar")
		p = f.trainer.post(f.session+"/console/hide", url.Values{"question": {"12345"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, `<p class="field-error" role="alert">لم يعد هذا السؤال موجودًا.</p>`, "مخفي عن الحضور")
		f.trainer.header.Del("Accept-Language")

		// An open-text poll: its answers are listed in the console, each with a form that
		// hides its word from the cloud, for everyone.
		p = f.trainer.post(f.session+"/console/poll", url.Values{"text_prompt": {"One word for phishing"}})
		mustContain(t, p, "Poll launched.")
		poll := consolePoll(t, p)
		for i, answer := range []string{"Scared", "idiot"} {
			b := f.learner
			if i == 1 {
				b = f.join(t, "text-two")
			}
			mustContain(t, b.post(f.session+"/vote", url.Values{"poll": {poll}, "answer": {answer}}), "Your answer is in.")
		}
		p = f.trainer.get(f.session)
		mustContain(t, p, `<div id="console-answers">`, "Every answer (2)")
		if got := consoleFormFor(t, p, "idiot", "hide-word", "word"); got != "idiot" {
			t.Fatalf("the hide-word form names %q", got)
		}
		p = f.trainer.post(f.session+"/console/hide-word", url.Values{"poll": {poll}, "word": {"idiot"}})
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Word hidden from the cloud, for everyone.", `<li class="hidden-word"><bdi>idiot</bdi>`, "· hidden from the cloud")
		p = f.trainer.post(f.session+"/console/hide-word", url.Values{"poll": {poll}, "word": {"  "}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, `<p class="field-error" role="alert">That answer cannot be hidden from the cloud.</p>`)

		mustContain(t, f.trainer.post(f.session+"/console/reveal", url.Values{"poll": {poll}}), "Results shown to everyone.")
		fr = f.learner.get(f.session + "/frame")
		mustContain(t, fr, "Scared")
		if strings.Contains(strings.ToLower(fr.Body), "idiot") {
			t.Fatal("a hidden word is in the participants' cloud")
		}
	})
}

func TestTheQuestionFormsAreTheTrainersAloneAndNeedTheToken(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		mustContain(t, f.learner.post(f.session+"/ask", url.Values{"body": {"Keep me"}}), "Your question was sent.")
		question := consoleFormFor(t, f.trainer.get(f.session), "Keep me", "hide", "question")
		stranger := ts.trainer(t, "other-trainer")
		forms := map[string]url.Values{
			"answered":  {"question": {question}},
			"hide":      {"question": {question}},
			"hide-word": {"poll": {"1"}, "word": {"x"}},
		}
		for action, form := range forms {
			if p := f.learner.post(f.session+"/console/"+action, form); p.Status != http.StatusForbidden {
				t.Fatalf("a learner posting %s got %d", action, p.Status)
			}
			if p := stranger.post(f.session+"/console/"+action, form); p.Status != http.StatusNotFound {
				t.Fatalf("a trainer of another cohort posting %s got %d", action, p.Status)
			}
			forged := url.Values{"csrf_token": {"forged"}}
			for k, v := range form {
				forged[k] = v
			}
			p := f.trainer.post(f.session+"/console/"+action, forged)
			mustStatus(t, p, http.StatusForbidden)
			mustContain(t, p, csrfRefusal)
		}
		fr := f.learner.get(f.session + "/frame")
		mustContain(t, fr, "<li><bdi>Keep me</bdi>")
		if strings.Contains(f.learner.get(f.session).Body, "/console/") {
			t.Fatal("the learner's page shows console forms")
		}
	})
}
