package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

var planURLRE = regexp.MustCompile(`^/plans/(\d+)$`)

// newPlanFor creates an empty plan of the sample course through the form and returns its path.
func newPlanFor(t *testing.T, b *browser, title string, shared bool) string {
	t.Helper()
	form := url.Values{"title": {title}, "course": {"sample"}, "lang": {"en"}}
	if shared {
		form.Set("shared", "1")
	}
	p := b.post("/plans", form)
	if !planURLRE.MatchString(p.URL) {
		t.Fatalf("creating a plan led to %s (%d)\n%s", p.URL, p.Status, p.Body)
	}
	return p.URL
}

// stepIDs lists the ids of a plan's steps in the order its page shows them.
func stepIDs(t *testing.T, b *browser, plan string) []string {
	t.Helper()
	p := b.get(plan)
	mustStatus(t, p, http.StatusOK)
	var out []string
	for _, m := range regexp.MustCompile(`<li id="step-(\d+)"`).FindAllStringSubmatch(p.Body, -1) {
		out = append(out, m[1])
	}
	return out
}

func planID(t *testing.T, path string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(strings.TrimPrefix(path, "/plans/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestTrainerBuildsEditsPrintsCopiesAndDeletesAPlan(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "planner")
		mustContain(t, tr.get("/plans"), `href="/plans/new"`, "You have no plans yet")
		mustContain(t, tr.get("/"), `<a href="/plans">Plans</a>`)

		// A nameless plan is refused, with what was chosen kept.
		p := tr.post("/plans", url.Values{"title": {" "}, "course": {"sample"}, "lang": {"ar"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "Give the plan a name of 1 to 200 characters.", `<option value="ar" lang="ar" selected>`)

		plan := newPlanFor(t, tr, "Monday workshop", false)
		add := func(form url.Values) page {
			t.Helper()
			return tr.post(plan+"/steps", form)
		}
		steps := []url.Values{
			{"kind": {"discussion"}, "title": {"Who has lost an account?"}, "minutes": {"15"}, "stage": {"activity"}, "notes": {"Pairs first.\nThen the group."}},
			{"kind": {"lesson"}, "target": {"first-steps"}, "minutes": {"20"}, "stage": {"input"}},
			{"kind": {"poll"}, "title": {"Ready?"}, "options": {"Yes\nNot yet\n"}, "minutes": {"3"}, "anonymous": {"1"}},
			{"kind": {"quiz"}, "question": {"basics/is-it"}, "minutes": {"5"}},
			{"kind": {"break"}, "title": {"Tea"}, "minutes": {"10"}},
		}
		for _, form := range steps {
			if p := add(form); !strings.HasPrefix(p.URL, plan) || p.Status != http.StatusOK {
				t.Fatalf("adding %v led to %s (%d)\n%s", form, p.URL, p.Status, p.Body)
			}
		}
		page := tr.get(plan)
		mustContain(t, page, "0:00–0:15", "0:15–0:35", "0:35–0:38", "0:38–0:43", "0:43–0:53", "53 minutes", "5 steps",
			"Who has lost an account?", "First steps", "Ready?", "<li>Not yet</li>", "anonymous", "Tea", "Notes for trainers", "Pairs first.\nThen the group.")

		// A step refused comes back in its own form, unfolded, with the problems by field and
		// what was typed; in the reader's language.
		p = tr.post(plan+"/steps?lang=ar", url.Values{"kind": {"poll"}, "title": {"Only one?"}, "options": {"Lonely"}, "minutes": {"0"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, `<details class="card add-step" open>`, "Only one?", "Lonely", "اكتب من 2 إلى 10 إجابات", "اكتب مدة الخطوة بالدقائق")
		tr.get("/?lang=en")
		if n := len(stepIDs(t, tr, plan)); n != 5 {
			t.Fatalf("a refused step was stored: %d steps", n)
		}
		mustStatus(t, add(url.Values{"kind": {"party"}, "minutes": {"5"}}), http.StatusUnprocessableEntity)

		// Move the break up, the discussion down; edit the lesson to a section; remove the quiz.
		ids := stepIDs(t, tr, plan)
		tr.post(plan+"/steps/"+ids[4]+"/move", url.Values{"dir": {"up"}})
		tr.post(plan+"/steps/"+ids[0]+"/move", url.Values{"dir": {"down"}})
		if got := stepIDs(t, tr, plan); strings.Join(got, ",") != strings.Join([]string{ids[1], ids[0], ids[2], ids[4], ids[3]}, ",") {
			t.Fatalf("order after moves %v, from %v", got, ids)
		}
		edit := tr.get(plan + "/steps/" + ids[1])
		mustContain(t, edit, `name="target"`, `<option value="first-steps" selected>`, `value="20"`)
		p = tr.post(plan+"/steps/"+ids[1], url.Values{"target": {"second-steps"}, "title": {"Read on"}, "minutes": {"25"}, "stage": {"deepening"}})
		if !strings.HasPrefix(p.URL, plan) {
			t.Fatalf("saving a step led to %s (%d)\n%s", p.URL, p.Status, p.Body)
		}
		mustContain(t, p, "Read on", "Second steps", "Deepening")
		p = tr.post(plan+"/steps/"+ids[1], url.Values{"target": {"nowhere"}, "minutes": {"25"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "Choose a lesson of this course.")
		tr.post(plan+"/steps/"+ids[3]+"/remove", nil)
		if got := stepIDs(t, tr, plan); len(got) != 4 {
			t.Fatalf("after removing: %v", got)
		}

		// Print: every step with its notes, no forms.
		pr := tr.get(plan + "/print")
		mustStatus(t, pr, http.StatusOK)
		mustContain(t, pr, "Monday workshop", "Who has lost an account?", "Pairs first.", "Read on")
		if strings.Contains(pr.Body, `action="/plans/`) {
			t.Fatal("the print view carries the plan's forms")
		}

		// Rename and share.
		mustStatus(t, tr.post(plan, url.Values{"title": {""}}), http.StatusUnprocessableEntity)
		mustContain(t, tr.post(plan, url.Values{"title": {"Tuesday workshop"}, "shared": {"1"}}), "Tuesday workshop", "shared")

		// A copy is the trainer's, unshared, with the same steps.
		cp := tr.post(plan+"/duplicate", nil)
		if !planURLRE.MatchString(cp.URL) || cp.URL == plan {
			t.Fatalf("copying led to %s", cp.URL)
		}
		mustContain(t, cp, "Copy of Tuesday workshop", "Who has lost an account?")
		if len(stepIDs(t, tr, cp.URL)) != 4 {
			t.Fatal("the copy has other steps")
		}

		// Deleting asks first; a bare POST only leads to the question.
		p = tr.post(plan+"/delete", nil)
		if p.URL != plan+"/delete" {
			t.Fatalf("an unconfirmed delete led to %s", p.URL)
		}
		mustContain(t, p, "Delete this plan?", `name="confirm" value="yes"`)
		mustStatus(t, tr.get(plan), http.StatusOK)
		p = tr.post(plan+"/delete", url.Values{"confirm": {"yes"}})
		if p.URL != "/plans" {
			t.Fatalf("deleting led to %s", p.URL)
		}
		mustStatus(t, tr.get(plan), http.StatusNotFound)
		mustContain(t, tr.get("/plans"), "Copy of Tuesday workshop")
	})
}

func TestAModulesAgendaBecomesAPlanInTheTrainersLanguageWithFallback(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		tr := ts.trainer(t, "agenda-user")
		p := tr.get("/plans/new?lang=ar")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, `action="/plans/agenda"`, "من فقد حسابًا؟", `<option value="ar" lang="ar" selected>`)

		p = tr.post("/plans/agenda", url.Values{"course": {"sample"}, "module": {"basics"}, "lang": {"ar"}})
		if !planURLRE.MatchString(p.URL) {
			t.Fatalf("using the agenda led to %s (%d)\n%s", p.URL, p.Status, p.Body)
		}
		mustContain(t, p, `<h1 lang="ar" dir="rtl">الأساسيات</h1>`, "من فقد حسابًا؟", "رموز الاسترداد", "0:35–0:45")

		// Spanish notes do not exist: the English agenda, marked as such.
		tr.get("/?lang=es")
		mustContain(t, tr.get("/plans/new"), "Esta agenda aún no está escrita en tu idioma")
		p = tr.post("/plans/agenda", url.Values{"course": {"sample"}, "module": {"basics"}, "lang": {"es"}})
		mustContain(t, p, `<h1 lang="en" dir="ltr">Basics</h1>`, "Pairs share only what they are comfortable with.")
		for _, bad := range []url.Values{{"course": {"sample"}, "module": {"practice"}}, {"course": {"nope"}, "module": {"basics"}}, {}} {
			mustStatus(t, tr.post("/plans/agenda", bad), http.StatusUnprocessableEntity)
		}
	})
}

func TestPlansArePrivateToTheirOwnerUntilShared(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		owner, other := ts.trainer(t, "owner"), ts.trainer(t, "colleague")
		learner := ts.browser(t)
		learner.signUp("a-learner")
		plan := newPlanFor(t, owner, "Private notes", false)
		owner.post(plan+"/steps", url.Values{"kind": {"break"}, "minutes": {"5"}})
		step := stepIDs(t, owner, plan)[0]

		for _, path := range []string{plan, plan + "/print", plan + "/delete", plan + "/steps/" + step} {
			mustStatus(t, other.get(path), http.StatusNotFound)
			mustStatus(t, learner.get(path), http.StatusForbidden)
		}
		mustStatus(t, other.post(plan+"/duplicate", nil), http.StatusNotFound)
		if strings.Contains(other.get("/plans").Body, "Private notes") {
			t.Fatal("another trainer's private plan is listed")
		}

		owner.post(plan, url.Values{"title": {"Shared notes"}, "shared": {"1"}})
		list := other.get("/plans")
		mustContain(t, list, "Shared by other trainers", "Shared notes", "by \u2068owner\u2069")
		view := other.get(plan)
		mustStatus(t, view, http.StatusOK)
		if strings.Contains(view.Body, `action="`+plan+`/steps"`) || strings.Contains(view.Body, plan+"/delete") {
			t.Fatal("a shared plan offers its forms to someone who cannot change it")
		}
		mustStatus(t, other.get(plan+"/print"), http.StatusOK)
		for _, path := range []string{plan, plan + "/steps", plan + "/steps/" + step, plan + "/steps/" + step + "/move", plan + "/steps/" + step + "/remove", plan + "/delete"} {
			mustStatus(t, other.post(path, url.Values{"title": {"Taken"}, "kind": {"break"}, "minutes": {"5"}, "confirm": {"yes"}, "dir": {"up"}}), http.StatusForbidden)
		}
		mustStatus(t, other.get(plan+"/steps/"+step), http.StatusForbidden)
		cp := other.post(plan+"/duplicate", nil)
		if !planURLRE.MatchString(cp.URL) {
			t.Fatalf("copying a shared plan led to %s (%d)", cp.URL, cp.Status)
		}
		mustContain(t, owner.get(plan), "Shared notes")
		// A step is reached only through its own plan.
		mustStatus(t, other.get(cp.URL+"/steps/"+step), http.StatusNotFound)
	})
}

// liveWithPlan is a running session of the sample course whose trainer chose a plan made
// from the "basics" agenda, and a learner connected to it.
type liveWithPlan struct {
	*liveFixture
	plan    string
	trainer *wsConn
	learner *wsConn
}

func startLiveWithPlan(t *testing.T, ts *testServer) *liveWithPlan {
	t.Helper()
	f := &liveWithPlan{liveFixture: newLiveFixture(t, ts)}
	p := f.liveFixture.trainer.post(f.session+"/plan", url.Values{"plan": {"agenda:basics"}})
	if p.URL != f.session {
		t.Fatalf("choosing the agenda led to %s (%d)\n%s", p.URL, p.Status, p.Body)
	}
	mustContain(t, p, "This session now follows the plan", "Not started.", "Who has lost an account?", `name="from" value="-1"`)
	m := regexp.MustCompile(`<a href="(/plans/\d+)" lang="en"`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("the console does not link the plan:\n%s", p.Body)
	}
	f.plan = m[1]
	f.trainer, f.learner = f.connect(t)
	return f
}

func (f *liveWithPlan) next(t *testing.T, from int, extra ...string) page {
	t.Helper()
	form := url.Values{"from": {strconv.Itoa(from)}}
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	return f.liveFixture.trainer.post(f.session+"/plan/next", form)
}

func TestNextStepPerformsThePlanForEveryParticipant(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := startLiveWithPlan(t, ts)

		// Step 1, a discussion prompt, reaches the participant as the current step.
		p := f.next(t, -1)
		mustContain(t, p, "Done: participants see the step.", "Step 1 of 3", "Pairs share only what they are comfortable with.", `name="from" value="0"`, "Time on this step: 0:00 (planned: 15 min)")
		step := f.learner.next("step")["step"].(map[string]any)
		if step["kind"] != "discussion" || step["text"] != "Who has lost an account?" || step["lesson"] != "" {
			t.Fatalf("first step as the participant got it: %v", step)
		}
		// The same form sent again (a double click, a second trainer) does nothing more.
		mustContain(t, f.next(t, -1), "The plan had already moved on")

		// Time passes; step 2 shows the lesson.
		ts.Clock.Advance(17 * 60e9)
		mustContain(t, f.liveFixture.trainer.get(f.session), "Time on this step: 17:00 (planned: 15 min)", `plan-timer over`)
		f.next(t, 0)
		step = f.learner.next("step")["step"].(map[string]any)
		if step["lesson"] != "first-steps" || step["kind"] != nil {
			t.Fatalf("second step: %v", step)
		}
		// A late joiner's snapshot, and the page without JavaScript, show the current step.
		f.next(t, 1)
		step = f.learner.next("step")["step"].(map[string]any)
		if step["text"] != "One thing this week" {
			t.Fatalf("third step: %v", step)
		}
		plain := f.liveFixture.learner.get(f.session + "/frame")
		mustContain(t, plain, `<p class="step-prompt" dir="auto">One thing this week</p>`)
		snap := f.learner
		snap.send(map[string]any{"type": "resync"})
		if s := snap.next("snapshot")["step"].(map[string]any); s["text"] != "One thing this week" || s["kind"] != "discussion" {
			t.Fatalf("snapshot step %v", s)
		}
		p = f.liveFixture.trainer.get(f.session)
		mustContain(t, p, "That was the last step of the plan.")
		if strings.Contains(p.Body, `action="`+f.session+`/plan/next"`) {
			t.Fatal("a finished plan still offers a next step")
		}
		mustContain(t, f.next(t, 2), "The plan has no more steps.")
	})
}

func TestPlanPollsQuizQuestionsBreaksAndSkippedOrFailedSteps(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		plan := newPlanFor(t, f.trainer, "Quiz time", false)
		for _, form := range []url.Values{
			{"kind": {"poll"}, "title": {"Ready?"}, "options": {"Yes\nNo"}, "minutes": {"2"}, "multiple": {"1"}},
			{"kind": {"quiz"}, "question": {"basics/pick-one"}, "minutes": {"3"}, "anonymous": {"1"}},
			{"kind": {"break"}, "title": {"Lunch"}, "minutes": {"45"}},
			{"kind": {"discussion"}, "title": {"Skipped"}, "minutes": {"5"}},
			{"kind": {"discussion"}, "title": {"After the gap"}, "minutes": {"5"}},
		} {
			f.trainer.post(plan+"/steps", form)
		}
		// A step whose question left the course (stored past the form's checks, as a course
		// reload would leave it).
		st := store.New(ts.DB, nil)
		if err := st.AddPlanStep(context.Background(), &model.PlanStep{PlanID: planID(t, plan), Kind: model.PlanQuiz, QuizModule: "basics", QuestionID: "gone", Minutes: 1, Options: "[]"}); err != nil {
			t.Fatal(err)
		}
		p := f.trainer.post(f.session+"/plan", url.Values{"plan": {"plan:" + strconv.FormatInt(planID(t, plan), 10)}})
		mustContain(t, p, "Quiz time")
		trainer, learner := f.connect(t)
		lp := &liveWithPlan{liveFixture: f, plan: plan, trainer: trainer, learner: learner}

		lp.next(t, -1)
		poll := learner.next("poll_opened")["poll"].(map[string]any)
		if poll["prompt"] != "Ready?" || poll["multiple"] != true || len(poll["options"].([]any)) != 2 {
			t.Fatalf("poll step: %v", poll)
		}
		lp.next(t, 0)
		poll = learner.next("poll_opened")["poll"].(map[string]any)
		if poll["kind"] != "quiz" || poll["anonymous"] != true {
			t.Fatalf("quiz step: %v", poll)
		}
		lp.next(t, 1)
		step := learner.next("step")["step"].(map[string]any)
		if step["kind"] != "break" || step["text"] != "Lunch" || step["minutes"] != float64(45) {
			t.Fatalf("break step: %v", step)
		}
		mustContain(t, f.learner.get(f.session+"/frame"), `<p class="step-kind">Break · 45 minutes</p>`)
		// Skipping moves the plan on without showing anything.
		mustContain(t, lp.next(t, 2, "skip", "1"), "Step skipped.", "After the gap")
		lp.next(t, 3)
		if s := learner.next("step")["step"].(map[string]any); s["text"] != "After the gap" {
			t.Fatalf("the step after a skipped one: %v", s)
		}
		// A step the session refuses leaves the plan where it was, and says why.
		p = lp.next(t, 4)
		mustContain(t, p, "That question is no longer there.", `name="from" value="4"`)
		// The trainer improvises in between: the plan does not stand in the way.
		trainer.send(map[string]any{"type": "step", "lesson": "drill", "ref": "own"})
		trainer.next("ack")
		if s := learner.next("step")["step"].(map[string]any); s["lesson"] != "drill" {
			t.Fatalf("an improvised step: %v", s)
		}
	})
}

func TestChoosingPlansCohortDefaultsAndWhoMayRunWhat(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		other := ts.trainer(t, "other-coach")
		private := newPlanFor(t, other, "Someone else's", false)
		shared := newPlanFor(t, other, "Everyone's", true)
		console := f.trainer.get(f.session)
		mustContain(t, console, "This session follows no plan.", "Everyone&#39;s", `value="agenda:basics"`)
		if strings.Contains(console.Body, "Someone else") {
			t.Fatal("the console offers another trainer's private plan")
		}
		choose := func(b *browser, value string, makeDefault bool) page {
			form := url.Values{"plan": {value}}
			if makeDefault {
				form.Set("default", "1")
			}
			return b.post(f.session+"/plan", form)
		}
		mustStatus(t, choose(f.trainer, "plan:"+strconv.FormatInt(planID(t, private), 10), false), http.StatusUnprocessableEntity)
		mustStatus(t, choose(f.trainer, "plan:999999", false), http.StatusUnprocessableEntity)
		mustStatus(t, choose(f.trainer, "bogus", false), http.StatusUnprocessableEntity)
		mustStatus(t, choose(f.learner, "plan:"+strconv.FormatInt(planID(t, shared), 10), false), http.StatusForbidden)
		mustStatus(t, f.learner.post(f.session+"/plan/next", url.Values{"from": {"-1"}}), http.StatusForbidden)
		// A plan of another course cannot run here.
		p := other.post("/plans", url.Values{"title": {"Elsewhere"}, "course": {"sample"}, "lang": {"en"}, "shared": {"1"}})
		if _, err := ts.DB.NewUpdate().Table("session_plans").Set("course_id = 'other-course'").Where("id = ?", planID(t, p.URL)).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		mustStatus(t, choose(f.trainer, "plan:"+strconv.FormatInt(planID(t, p.URL), 10), false), http.StatusUnprocessableEntity)

		// The shared plan, made the cohort's default: the next session follows it from the start.
		p = choose(f.trainer, "plan:"+strconv.FormatInt(planID(t, shared), 10), true)
		mustContain(t, p, "This session now follows the plan", `id="plan-default" name="default" value="1" checked`)
		next := f.trainer.post(f.cohort+"/live", url.Values{"title": {"Tuesday"}, "when": {"now"}})
		mustContain(t, f.trainer.get(next.URL), "Everyone&#39;s", "Not started.")

		// The owner stops sharing it: the cohort's trainers still see and run their cohort's plan.
		other.post(shared, url.Values{"title": {"Everyone's"}})
		mustContain(t, f.trainer.get(next.URL), "This cohort&#39;s plan", "Everyone&#39;s")
		other.post(shared+"/steps", url.Values{"kind": {"break"}, "minutes": {"5"}})
		other.post(shared+"/steps", url.Values{"kind": {"break"}, "minutes": {"5"}})
		mustContain(t, f.trainer.post(f.session+"/plan/next", url.Values{"from": {"-1"}}), "Step 1 of 2")
		// Choosing again the plan the session follows keeps its place.
		mustContain(t, choose(f.trainer, "plan:"+strconv.FormatInt(planID(t, shared), 10), true), "Saved.", "Step 1 of 2")

		// Unticked, the chosen plan stops being the default; "No plan" stops following one.
		choose(f.trainer, "plan:"+strconv.FormatInt(planID(t, shared), 10), false)
		mustContain(t, choose(f.trainer, "", false), "This session follows no plan.")
		later := f.trainer.post(f.cohort+"/live", url.Values{"title": {"Wednesday"}, "when": {"now"}})
		mustContain(t, f.trainer.get(later.URL), "This session follows no plan.")
		// (">…<": the plan's title as an option, not the word in other text of the page)
		if strings.Contains(f.trainer.get(later.URL).Body, ">Everyone&#39;s<") {
			t.Fatal("a plan that is no longer shared nor the cohort's is still offered")
		}

		// A module's agenda chosen on the console becomes a plan in the cohort's language.
		p = choose(f.trainer, "agenda:basics", false)
		mustContain(t, p, html.EscapeString("Who has lost an account?"))
		mustContain(t, f.trainer.get("/plans"), "Basics")
	})
}

func TestTextStepsOverTheSocketAreCheckedLikeEveryStep(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		trainer, learner := f.connect(t)
		for i, bad := range []map[string]any{
			{"kind": "discussion"},
			{"kind": "discussion", "text": "\u202e "},
			{"kind": "discussion", "text": strings.Repeat("x", 301)},
			{"kind": "party", "text": "Dance"},
			{"kind": "break", "minutes": 601},
			{"kind": "break", "minutes": -1},
		} {
			bad["type"], bad["ref"] = "step", strconv.Itoa(i)
			trainer.send(bad)
			if e := trainer.next("error"); e["code"] != "bad_step" || e["ref"] != strconv.Itoa(i) {
				t.Fatalf("%v: %v", bad, e)
			}
		}
		learner.send(map[string]any{"type": "step", "kind": "break", "text": "Tea", "ref": "l"})
		if e := learner.next("error"); e["code"] != "forbidden" {
			t.Fatalf("a participant's text step: %v", e)
		}
		trainer.send(map[string]any{"type": "step", "kind": "break", "minutes": 10, "ref": "ok"})
		trainer.next("ack")
		if s := learner.next("step")["step"].(map[string]any); s["kind"] != "break" || s["minutes"] != float64(10) || s["text"] != nil {
			t.Fatalf("a break without text: %v", s)
		}
		// A discussion prompt carries no minutes; the text is cleaned of direction controls.
		trainer.send(map[string]any{"type": "step", "kind": "discussion", "text": " \u202eWhat now? ", "minutes": 5})
		if s := learner.next("step")["step"].(map[string]any); s["text"] != "What now?" || s["minutes"] != nil {
			t.Fatalf("a discussion prompt: %v", s)
		}
	})
}
