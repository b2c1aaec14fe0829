package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// Short answers and orderings are graded by the server and counted as right or wrong; what
// was typed and the order given are never stored or shown.
func TestShortAnswersAndOrderingsAreGradedLiveAndCountedRightOrWrong(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.connect(t)
		otherBrowser := f.join(t, "graded-two")
		other := otherBrowser.mustDial(t, f.session)
		other.next("snapshot")

		// A short answer.
		trainer.send(map[string]any{"type": "poll_open", "quiz_module": "basics", "quiz_question": "type-it"})
		opened := learner.next("poll_opened")["poll"].(map[string]any)
		other.next("poll_opened")
		raw, _ := json.Marshal(opened)
		if opened["form"] != "short" || len(opened["options"].([]any)) != 0 || strings.Contains(string(raw), "Tor") {
			t.Fatalf("short-answer question opened as %s", raw)
		}
		poll := opened["id"]
		for _, bad := range []map[string]any{{"choice": "right"}, {"text": "   "}, {"order": []string{"a"}}, {"text": strings.Repeat("x", 201)}} {
			bad["type"], bad["poll_id"], bad["ref"] = "vote", poll, "bad"
			learner.send(bad)
			if e := learner.next("error"); e["code"] != "bad_choice" {
				t.Fatalf("vote %v on a short answer: %v", bad, e)
			}
		}
		learner.send(map[string]any{"type": "vote", "poll_id": poll, "text": "  tor BROWSER! ", "ref": "v"})
		learner.next("ack")
		// Reconnecting says the vote is in, not whether it was right: that is for the reveal.
		again := f.learner.mustDial(t, f.session).next("snapshot")["poll"].(map[string]any)
		if again["voted"] != true || again["my_choice"] != nil {
			t.Fatalf("a reconnecting voter sees %v before the reveal", again)
		}
		plain := otherBrowser.get(f.session + "/frame")
		mustContain(t, plain, `<label for="answer">Your answer</label>`, `name="answer"`)
		mustContain(t, otherBrowser.post(f.session+"/vote", url.Values{"poll": {fmt.Sprint(poll)}, "answer": {"Firefox"}}), "Your answer is in.")

		trainer.send(map[string]any{"type": "poll_reveal", "poll_id": poll})
		p := learner.next("poll_revealed")["poll"].(map[string]any)
		counts := p["counts"].(map[string]any)
		if counts["right"] != float64(1) || counts["wrong"] != float64(1) || p["voters"] != float64(2) {
			t.Fatalf("revealed short answer: counts %v, voters %v; want one right, one wrong", counts, p["voters"])
		}
		if fmt.Sprint(p["solution"]) != "[Tor Browser Tor]" || p["explanation"] != "Tor Browser." {
			t.Fatalf("revealed short answer: solution %v, explanation %v", p["solution"], p["explanation"])
		}
		var stored []string
		if err := ts.DB.NewSelect().Table("live_poll_voters").Column("choice").Where("poll_id = ?", poll).Order("choice").Scan(context.Background(), &stored); err != nil || fmt.Sprint(stored) != "[right wrong]" {
			t.Fatalf("stored choices %q (%v): want only right and wrong, never the typed text", stored, err)
		}
		mustContain(t, otherBrowser.get(f.session+"/frame"), "Answers counted as right:", "<li>Tor Browser</li>", `<span class="bar-label">Right`, `<span class="bar-label">Not right`)

		// An ordering: items come shuffled, named by position, not by the author's ids. A
		// second passes first: the vote budget is per person, and "other" spent one above.
		ts.Clock.Advance(time.Second)
		trainer.send(map[string]any{"type": "poll_open", "quiz_module": "basics", "quiz_question": "sort-them"})
		opened = learner.next("poll_opened")["poll"].(map[string]any)
		other.next("poll_opened")
		ids := optionIDs(opened)
		first, second, third := ids["First"], ids["Second"], ids["Third"]
		if opened["form"] != "ordering" || len(ids) != 3 || fmt.Sprint(slices.Sorted(maps.Values(ids))) != "[a b c]" {
			t.Fatalf("ordering question opened as %v, items %v", opened, ids)
		}
		poll = opened["id"]
		// A person may send five votes at once: this part votes from the other person.
		for _, bad := range [][]string{{first, second}, {first, first, third}, {first, second, "d"}, {"first", "second", "third"}} {
			other.send(map[string]any{"type": "vote", "poll_id": poll, "order": bad, "ref": "bad"})
			if e := other.next("error"); e["code"] != "bad_choice" {
				t.Fatalf("order %v: %v", bad, e)
			}
		}
		other.send(map[string]any{"type": "vote", "poll_id": poll, "order": []string{first, second, third}, "ref": "v"})
		other.next("ack")

		// A person may vote five times at once, over all their tabs and forms; a second
		// later they may again.
		ts.Clock.Advance(time.Second)
		plain = f.learner.get(f.session + "/frame")
		mustContain(t, plain, "Give each item its place in the order", `<select id="place-`+first+`" name="place">`)
		pollID := regexp.MustCompile(`name="poll" value="(\d+)"`).FindStringSubmatch(plain.Body)[1]
		items := url.Values{"poll": {pollID}, "item": {first, second, third}}
		items["place"] = []string{"1", "1", "3"}
		mustContain(t, f.learner.post(f.session+"/vote", items), "Give each item a different place")
		items["place"] = []string{"3", "2", "1"}
		mustContain(t, f.learner.post(f.session+"/vote", items), "Your answer is in.")

		trainer.send(map[string]any{"type": "poll_reveal", "poll_id": poll})
		p = learner.next("poll_revealed")["poll"].(map[string]any)
		counts = p["counts"].(map[string]any)
		if counts["right"] != float64(1) || counts["wrong"] != float64(1) || fmt.Sprint(p["solution"]) != "[First Second Third]" {
			t.Fatalf("revealed ordering: counts %v, solution %v", counts, p["solution"])
		}
		mustContain(t, otherBrowser.get(f.session+"/frame"), "The right order:", `<ol lang="en" dir="ltr"><li>First</li><li>Second</li><li>Third</li></ol>`)
		mustContain(t, f.trainer.get(f.session+"/summary"), "<td>Right</td><td>1</td>", "<td>Not right</td><td>1</td>")
	})
}
