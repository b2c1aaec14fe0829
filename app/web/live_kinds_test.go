package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// cloudTexts lists the words of a cloud sent in a message.
func cloudTexts(cloud any) []string {
	var out []string
	list, _ := cloud.([]any)
	for _, w := range list {
		out = append(out, w.(map[string]any)["text"].(string))
	}
	return out
}

func TestScalePollsAreLaunchedVotedClosedAndRevealedWithAMeanAndAMedian(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.connect(t)
		other := f.join(t, "scale-two").mustDial(t, f.session)
		other.next("snapshot")
		trainer.send(map[string]any{"type": "poll_open", "kind": "scale", "prompt": "How confident?", "options": []string{"x", "y"}, "ref": "bad"})
		if e := trainer.next("error"); e["code"] != "bad_poll" || e["ref"] != "bad" {
			t.Fatalf("a scale with options: %v", e)
		}
		trainer.send(map[string]any{"type": "poll_open", "kind": "scale", "prompt": "How confident?", "low_label": "not at all", "high_label": "very", "ref": "p"})
		trainer.next("ack")
		opened := learner.next("poll_opened")["poll"].(map[string]any)
		if opened["kind"] != "scale" || opened["low_label"] != "not at all" || opened["high_label"] != "very" {
			t.Fatalf("opened scale %v", opened)
		}
		if ids := optionIDs(opened); len(ids) != 5 || ids["1"] != "1" || ids["5"] != "5" {
			t.Fatalf("scale options %v", opened["options"])
		}
		poll := opened["id"]
		other.next("poll_opened")
		learner.send(map[string]any{"type": "vote", "poll_id": poll, "choice": "6", "ref": "off"})
		if e := learner.next("error"); e["code"] != "bad_choice" {
			t.Fatalf("a vote off the scale: %v", e)
		}
		learner.send(map[string]any{"type": "vote", "poll_id": poll, "choice": "4", "ref": "v"})
		learner.next("ack")
		other.send(map[string]any{"type": "vote", "poll_id": poll, "choice": "1", "ref": "v"})
		other.next("ack")
		tally := trainer.nextWhere("tally", func(m map[string]any) bool { return m["voters"].(float64) == 2 })
		if tally["mean"] != 2.5 || tally["median"] != 2.5 || tally["counts"].(map[string]any)["4"] != 1.0 {
			t.Fatalf("the trainer's tally of a named scale: %v", tally)
		}
		trainer.send(map[string]any{"type": "poll_close", "poll_id": poll, "ref": "c"})
		if closed := learner.next("poll_closed")["poll"].(map[string]any); closed["mean"] != nil || closed["counts"] != nil {
			t.Fatalf("a closed poll shows its results before the reveal: %v", closed)
		}
		trainer.send(map[string]any{"type": "poll_reveal", "poll_id": poll, "ref": "r"})
		revealed := learner.next("poll_revealed")["poll"].(map[string]any)
		if revealed["mean"] != 2.5 || revealed["median"] != 2.5 || revealed["voters"] != 2.0 || revealed["counts"].(map[string]any)["1"] != 1.0 {
			t.Fatalf("revealed scale %v", revealed)
		}
		learner.send(map[string]any{"type": "resync"})
		if mine := learner.next("snapshot")["poll"].(map[string]any); mine["my_choice"] != "4" || mine["mean"] != 2.5 {
			t.Fatalf("the voter's snapshot after the reveal: %v", mine)
		}
	})
}

func TestOpenTextPollsGatherAWordCloudAndTheTrainerCanHideAWord(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.connect(t)
		people := []*wsConn{learner}
		for _, name := range []string{"text-two", "text-three"} {
			c := f.join(t, name).mustDial(t, f.session)
			c.next("snapshot")
			people = append(people, c)
		}
		trainer.send(map[string]any{"type": "poll_open", "kind": "text", "prompt": "One word for how you feel about phishing", "ref": "p"})
		trainer.next("ack")
		var poll any
		for _, c := range people {
			opened := c.next("poll_opened")["poll"].(map[string]any)
			if opened["form"] != "text" || opened["max_length"] != 40.0 || len(opened["options"].([]any)) != 0 {
				t.Fatalf("opened text poll %v", opened)
			}
			poll = opened["id"]
		}
		learner.send(map[string]any{"type": "vote", "poll_id": poll, "text": strings.Repeat("é", 41), "ref": "long"})
		if e := learner.next("error"); e["code"] != "bad_answer" {
			t.Fatalf("an answer of 41 characters: %v", e)
		}
		learner.send(map[string]any{"type": "hide_word", "poll_id": poll, "word": "x", "ref": "h"})
		if e := learner.next("error"); e["code"] != "forbidden" {
			t.Fatalf("a participant hiding a word: %v", e)
		}
		for i, answer := range []string{"Scared", "scared!", "idiot"} {
			people[i].send(map[string]any{"type": "vote", "poll_id": poll, "text": answer, "ref": "v"})
			people[i].next("ack")
		}
		learner.send(map[string]any{"type": "vote", "poll_id": poll, "text": "again", "ref": "again"})
		if e := learner.next("error"); e["code"] != "already_voted" {
			t.Fatalf("a second answer: %v", e)
		}
		// A named poll: the trainer sees the cloud and every answer by its writer as they come.
		tally := trainer.nextWhere("tally", func(m map[string]any) bool { return m["voters"].(float64) == 3 })
		answers := tally["answers"].([]any)
		if len(answers) != 3 || !slices.Equal(cloudTexts(tally["cloud"]), []string{"idiot", "scared"}) {
			t.Fatalf("the trainer's tally %v", tally)
		}
		authors := map[string]string{}
		for _, a := range answers {
			a := a.(map[string]any)
			authors[a["text"].(string)] = a["author"].(string)
		}
		if authors["Scared"] != "live-learner" || authors["idiot"] != "text-three" {
			t.Fatalf("named answers by writer: %v", authors)
		}
		trainer.send(map[string]any{"type": "hide_word", "poll_id": poll, "word": "IDIOT", "ref": "h1"})
		trainer.next("ack")
		tally = trainer.nextWhere("tally", func(m map[string]any) bool { return !slices.Contains(cloudTexts(m["cloud"]), "idiot") })
		for _, a := range tally["answers"].([]any) {
			if a := a.(map[string]any); (a["text"] == "idiot") != (a["hidden"] == true) {
				t.Fatalf("after hiding, the answers %v", tally["answers"])
			}
		}
		trainer.send(map[string]any{"type": "poll_reveal", "poll_id": poll, "ref": "r"})
		revealed := people[1].next("poll_revealed")
		p := revealed["poll"].(map[string]any)
		cloud := p["cloud"].([]any)
		if len(cloud) != 1 || cloud[0].(map[string]any)["text"] != "scared" || cloud[0].(map[string]any)["count"] != 2.0 || p["voters"] != 3.0 {
			t.Fatalf("revealed cloud %v", p)
		}
		if _, leaked := p["answers"]; leaked {
			t.Fatal("participants get the trainer's list of answers")
		}
		// Hiding a word after the reveal sends the results again, numbered, for everyone.
		trainer.send(map[string]any{"type": "hide_word", "poll_id": poll, "word": "scared", "ref": "h2"})
		again := people[1].next("poll_revealed")
		if seqOf(again) != seqOf(revealed)+1 || len(cloudTexts(again["poll"].(map[string]any)["cloud"])) != 0 {
			t.Fatalf("results after hiding a revealed word: %v", again)
		}
		learner.send(map[string]any{"type": "resync"})
		if mine := learner.next("snapshot")["poll"].(map[string]any); mine["my_choice"] != "Scared" {
			t.Fatalf("a named writer's snapshot: %v", mine)
		}
	})
}

func TestAnonymousOpenTextAnswersAreMixedAndReadByTheTrainerOnlyOnceClosed(t *testing.T) {
	cfg := testConfig()
	cfg.LiveMinGroup = 3
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.connect(t)
		people := []*wsConn{learner}
		for _, name := range []string{"anon-text-two", "anon-text-three"} {
			c := f.join(t, name).mustDial(t, f.session)
			c.next("snapshot")
			people = append(people, c)
		}
		trainer.send(map[string]any{"type": "poll_open", "kind": "text", "prompt": "What worries you most?", "anonymous": true, "ref": "p"})
		trainer.next("ack")
		var poll any
		for _, c := range people {
			poll = c.next("poll_opened")["poll"].(map[string]any)["id"]
		}
		for i, answer := range []string{"my family", "My family.", "the border"} {
			people[i].send(map[string]any{"type": "vote", "poll_id": poll, "text": answer, "ref": "v"})
			people[i].next("ack")
		}
		tally := trainer.nextWhere("tally", func(m map[string]any) bool { return m["voters"].(float64) == 3 })
		if tally["cloud"] != nil || tally["answers"] != nil {
			t.Fatalf("the trainer reads an open anonymous poll's answers as they come: %v", tally)
		}
		// Held, not yet written: nothing of them is in the database.
		if n := countRows(t, ts.DB, "live_poll_answers"); n != 0 {
			t.Fatalf("%d anonymous answers written one by one", n)
		}
		trainer.send(map[string]any{"type": "poll_close", "poll_id": poll, "ref": "c"})
		trainer.next("ack")
		tally = trainer.nextWhere("tally", func(m map[string]any) bool { return m["answers"] != nil })
		for _, a := range tally["answers"].([]any) {
			if a.(map[string]any)["author"] != nil {
				t.Fatalf("an anonymous answer with its writer: %v", a)
			}
		}
		if got := cloudTexts(tally["cloud"]); len(got) != 2 || !slices.Contains(got, "my family") || !slices.Contains(got, "the border") {
			t.Fatalf("the closed poll's cloud for the trainer: %v", got)
		}
		trainer.send(map[string]any{"type": "poll_reveal", "poll_id": poll, "ref": "r"})
		p := learner.next("poll_revealed")["poll"].(map[string]any)
		if len(p["cloud"].([]any)) != 2 || p["my_choice"] != nil {
			t.Fatalf("revealed anonymous cloud %v", p)
		}
		ctx := context.Background()
		var named, guarded int
		if err := ts.DB.NewSelect().Table("live_poll_answers").ColumnExpr("COUNT(*)").Where("user_id IS NOT NULL").Scan(ctx, &named); err != nil {
			t.Fatal(err)
		}
		if err := ts.DB.NewSelect().Table("live_poll_voters").ColumnExpr("COUNT(*)").Where("choice IS NOT NULL").Scan(ctx, &guarded); err != nil {
			t.Fatal(err)
		}
		if named != 0 || guarded != 0 || countRows(t, ts.DB, "live_poll_answers") != 3 || countRows(t, ts.DB, "live_poll_voters") != 3 {
			t.Fatalf("anonymous answers stored with their writers: %d named answers, %d guard rows with a choice", named, guarded)
		}
	})
}

func mustInt(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestScaleAndOpenTextPollsWorkWithoutJavaScript(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer := f.trainer.mustDial(t, f.session)
		trainer.next("snapshot")
		trainer.send(map[string]any{"type": "poll_open", "kind": "scale", "prompt": "How confident are you?", "low_label": "not at all", "high_label": "very", "ref": "p"})
		trainer.next("ack")
		p := f.learner.get(f.session + "/frame")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "How confident are you?", `<fieldset class="scale">`, `value="1" required aria-describedby="scale-low-`, `value="5" required aria-describedby="scale-high-`,
			`value="3" required>`, ">not at all</bdi>", ">very</bdi>")
		if strings.Contains(p.Body, "<script") || strings.Contains(p.Body, "style=") {
			t.Fatal("the plain page carries a script or an inline style")
		}
		poll := pollIDRE.FindStringSubmatch(p.Body)[1]
		mustContain(t, f.learner.post(f.session+"/vote", url.Values{"poll": {poll}, "choice": {"4"}}), "Your answer is in.")
		other := f.join(t, "plain-scale")
		mustContain(t, other.post(f.session+"/vote", url.Values{"poll": {poll}, "choice": {"5"}}), "Your answer is in.")
		mustContain(t, other.post(f.session+"/vote", url.Values{"poll": {poll}, "choice": {"3"}}), "You have already answered this poll.")
		trainer.send(map[string]any{"type": "poll_reveal", "poll_id": mustInt(t, poll), "ref": "r"})
		trainer.next("ack")
		p = f.learner.get(f.session + "/frame")
		mustContain(t, p, "Mean: <strong>4.5</strong>", "Median: <strong>4.5</strong>", `<li class="mine"><span class="scale-value">4</span><progress max="1" value="1">`, `<span class="scale-mine badge">Your answer</span>`)
		mustContain(t, f.learner.get(f.session+"/frame?lang=fr"), "Moyenne\u00a0: <strong>4,5</strong>")
		mustContain(t, f.learner.get(f.session+"/frame?lang=ar"), "المتوسط: <strong>4.5</strong>")

		trainer.send(map[string]any{"type": "poll_open", "kind": "text", "prompt": "One word for how you feel", "ref": "t"})
		trainer.next("ack")
		p = f.learner.get(f.session + "/frame?lang=en")
		mustContain(t, p, `name="answer" value="" maxlength="40"`, "up to 40 characters")
		poll = pollIDRE.FindStringSubmatch(p.Body)[1]
		long := strings.Repeat("x", 41)
		p = f.learner.post(f.session+"/vote", url.Values{"poll": {poll}, "answer": {long}, "in": {"frame"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "Write an answer of up to 40 characters.", `value="`+long+`"`, `aria-invalid="true"`)
		mustContain(t, f.learner.post(f.session+"/vote", url.Values{"poll": {poll}, "answer": {"Tired"}, "in": {"frame"}}), "Your answer is in.", "<bdi>Tired</bdi>")
		mustContain(t, other.post(f.session+"/vote", url.Values{"poll": {poll}, "answer": {"tired!"}}), "Your answer is in.")
		trainer.send(map[string]any{"type": "poll_reveal", "poll_id": mustInt(t, poll), "ref": "r2"})
		trainer.next("ack")
		p = f.learner.get(f.session + "/frame")
		mustContain(t, p, `<ul class="cloud" aria-label="Word cloud of the answers.`, `<li class="cloud-5"><bdi>tired</bdi> <span class="cloud-count">2</span></li>`, "Your answer: <bdi>Tired</bdi>")
		// The session's summary keeps both: the scale's mean and median, and the cloud.
		mustContain(t, f.trainer.get(f.session+"/summary"), "Mean: <strong>4.5</strong> · Median: <strong>4.5</strong>", `<li class="cloud-5"><bdi>tired</bdi> <span class="cloud-count">2</span></li>`)
	})
}
