package web_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// A quiz question asked live must not give its answer away before the reveal: not by the
// author's option ids ("right", "also-wrong") nor by the author's order (the right option
// first). Each launch shuffles afresh and names options by position.
func TestLiveQuizQuestionsAreShuffledPerPollAndNeverNameTheAuthorsOptions(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.connect(t)
		authors := []string{"right", "wrong", "also-wrong", "first", "second", "third"}
		leaks := func(what string, v any) {
			t.Helper()
			raw, _ := json.Marshal(v)
			for _, id := range authors {
				if strings.Contains(string(raw), `"`+id+`"`) {
					t.Fatalf("%s names the author's option %q: %s", what, id, raw)
				}
			}
		}
		// With 45 launches of a three-option question, a uniform shuffle leaves some
		// position without the right option with probability 3·(2/3)^45 < 1e-7.
		const launches = 45
		for _, tc := range []struct{ question, text string }{{"pick-one", "The right one"}, {"sort-them", "First"}} {
			at := map[int]int{}
			for i := range launches {
				if i%15 == 14 {
					// A connection may send 20 messages at once, then 10 a second: a fresh
					// one for the trainer keeps the test quick.
					trainer = f.trainer.mustDial(t, f.session)
					trainer.next("snapshot")
				}
				trainer.send(map[string]any{"type": "poll_open", "quiz_module": "basics", "quiz_question": tc.question})
				opened := learner.next("poll_opened")["poll"].(map[string]any)
				leaks("poll_opened", opened)
				for i, o := range opened["options"].([]any) {
					if o.(map[string]any)["text"] == tc.text {
						at[i]++
					}
				}
			}
			if len(at) != 3 || at[0] == launches {
				t.Fatalf("%s: %q shown at positions %v over %d launches: not shuffled", tc.question, tc.text, at, launches)
			}
		}

		// The snapshot of someone joining, and the page without JavaScript, name positions too;
		// a vote from that page counts for the option chosen.
		trainer.send(map[string]any{"type": "poll_open", "quiz_module": "basics", "quiz_question": "pick-one"})
		opened := learner.next("poll_opened")["poll"].(map[string]any)
		right := optionIDs(opened)["The right one"]
		snap := f.learner.mustDial(t, f.session).next("snapshot")
		leaks("snapshot", snap)
		plain := f.learner.get(f.session + "/frame")
		for _, id := range authors {
			if strings.Contains(plain.Body, `value="`+id+`"`) {
				t.Fatalf("the page without JavaScript names the author's option %q", id)
			}
		}
		mustContain(t, plain, `name="choice" value="`+right+`"`)
		mustContain(t, f.learner.post(f.session+"/vote", url.Values{"poll": {fmt.Sprint(opened["id"])}, "choice": {right}}), "Your answer is in.")
		trainer.send(map[string]any{"type": "poll_reveal", "poll_id": opened["id"]})
		p := learner.next("poll_revealed")["poll"].(map[string]any)
		if fmt.Sprint(p["correct"]) != "["+right+"]" || p["counts"].(map[string]any)[right] != float64(1) {
			t.Fatalf("revealed: correct %v, counts %v; want %q right with one vote", p["correct"], p["counts"], right)
		}
	})
}
