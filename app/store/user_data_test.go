package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// The person who did everything: their id is one no other row of the test holds, and their
// names appear nowhere else, so finding either anywhere after deletion is a leftover.
const (
	everythingID      = 7_777_777
	everythingName    = "quillon-vex"
	everythingDisplay = "Zephyrine Marlowe"
)

// everything is a world in which one trainer did everything Cairn records about a person,
// next to others whose rows must stay.
type everything struct {
	u                       *model.User
	other, coach            *model.User
	session                 *model.LiveSession
	named, anon             *model.LivePoll // polls the person voted in
	namedText, anonText     *model.LivePoll // open-text polls the person answered
	namedQ, anonQ, othersQ  int64           // questions: theirs by name, theirs anonymous, another's they upvoted
	namedVoters, anonVoters int
	namedCounts, anonCounts map[string]int
	othersQUpvotes          int
}

func doEverything(t *testing.T, db *bun.DB, st *store.Store) *everything {
	t.Helper()
	ctx := context.Background()
	w := &everything{}
	w.coach = createUser(t, st, "coach")
	w.other = createUser(t, st, "other-learner")
	crowd := []*model.User{createUser(t, st, "crowd1"), createUser(t, st, "crowd2"), createUser(t, st, "crowd3")}

	// Signs up (with recovery codes), as a trainer.
	dbtest.RestartIDs(t, db, "users", everythingID)
	w.u = newUser(everythingName)
	w.u.DisplayName = everythingDisplay
	w.u.Role = model.RoleTrainer
	if err := st.CreateAccount(ctx, store.NewAccount{User: w.u, RecoveryHashes: []string{"code-hash-1", "code-hash-2"}}); err != nil {
		t.Fatal(err)
	}
	if w.u.ID != everythingID {
		t.Fatalf("the account got id %d, want %d", w.u.ID, everythingID)
	}
	id := w.u.ID
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	inTx := func(fn func(ctx context.Context, tx bun.Tx) error) { t.Helper(); must(db.RunInTx(ctx, nil, fn)) }

	// Two-factor, a used recovery code, a reset link, a signed-in browser.
	must(st.SetPendingTOTP(ctx, id, "JBSWY3DPEHPK3PXP"))
	must(st.EnableTOTP(ctx, id, 1))
	must(st.UseRecoveryCode(ctx, id, "code-hash-1"))
	must(st.CreatePasswordReset(ctx, id, "reset-hash", time.Hour))
	now := st.Now()
	must(st.CreateSession(ctx, &model.Session{TokenHash: "token-hash", UserID: id, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}))

	// Learning: a lesson, a finished course, checklist ticks, a quiz attempt.
	_, err := st.CompleteLesson(ctx, id, "sample", "first-steps")
	must(err)
	must(st.MarkCourseCompleted(ctx, id, "sample"))
	must(st.SetChecklistTicks(ctx, id, "sample", "first-steps", []string{"lock-screen", "updates"}))
	must(st.SaveIntakePlan(ctx, id, 1, `{"worries":["accounts"]}`))
	_, _, err = st.RecordQuizAttempt(ctx, &model.QuizAttempt{UserID: id, CourseID: "sample", QuizID: "basics", AttemptKey: "k1",
		CourseVersion: "1", Lang: "en", Score: 2, MaxScore: 3, Percent: 66, Answers: `{"q1":["a"]}`})
	must(err)

	// Cohorts: a learner in the coach's, a co-trainer of the coach's second, and creator of
	// one the coach co-trains (so that it is not left without a trainer).
	learning := &model.Cohort{CourseID: "sample", Name: "Coach's cohort", Lang: "en"}
	must(st.CreateCohort(ctx, learning, w.coach.ID))
	must(st.JoinCohort(ctx, learning.ID, id, 0))
	must(st.JoinCohort(ctx, learning.ID, w.other.ID, 0))
	coTrained := &model.Cohort{CourseID: "sample", Name: "Second cohort", Lang: "en"}
	must(st.CreateCohort(ctx, coTrained, w.coach.ID))
	must(st.AddCohortTrainer(ctx, coTrained.ID, id))
	own := &model.Cohort{CourseID: "sample", Name: "Own cohort", Lang: "en"}
	must(st.CreateCohort(ctx, own, id))
	must(st.AddCohortTrainer(ctx, own.ID, w.coach.ID))

	// An invitation they made, and a plan they own, followed by their cohort and a session.
	must(st.CreateInvite(ctx, &model.Invite{CodeHash: "invite-hash", Note: "for the workshop", MaxUses: 3, CreatedBy: &id, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	plan := &model.SessionPlan{OwnerID: id, CourseID: "sample", Lang: "en", Title: "Workshop day", Shared: true}
	must(st.CreatePlan(ctx, plan, []model.PlanStep{{Kind: model.PlanBreak, Minutes: 10, Title: "Tea", Notes: "private note", Options: "[]"}}))
	must(st.SetCohortPlan(ctx, own.ID, plan.ID))
	ownSession := &model.LiveSession{CohortID: own.ID, Title: "Their own session", CreatedBy: &id}
	must(st.CreateLiveSession(ctx, ownSession, true))
	must(st.SetSessionPlan(ctx, ownSession.ID, plan.ID))

	// The audit log: what they did as a trainer, and what an administrator did to them.
	must(st.RecordAudit(ctx, store.UserActor(w.u), store.AuditCohortCreate, store.ThingTarget(model.TargetCohort, own.ID, own.Name), ""))
	must(st.RecordAudit(ctx, store.UserActor(w.coach), store.AuditUserRole, store.UserTarget(w.u), store.AuditDetail("from", "learner", "to", "trainer")))
	must(st.RecordAudit(ctx, store.UserActor(w.u), store.AuditCohortTrainerAdd, store.UserTarget(w.coach), store.AuditDetail("cohort", own.ID)))

	// A running session of the coach's cohort: attends, asks (by name and anonymously),
	// upvotes another's question, raises a hand, votes and answers in named and anonymous
	// polls; the room's kept event names them.
	w.session = &model.LiveSession{CohortID: learning.ID, Title: "Live one", CreatedBy: &w.coach.ID}
	must(st.CreateLiveSession(ctx, w.session, true))
	_, err = st.JoinAttendance(ctx, w.session.ID, id, "instance-a")
	must(err)
	_, err = st.JoinAttendance(ctx, w.session.ID, w.other.ID, "instance-a")
	must(err)
	_, err = st.RenewVisit(ctx, store.VisitPrefix+"their-visit", w.session.ID, id, time.Minute) // following without JavaScript
	must(err)
	_, err = st.RenewLease(ctx, "instance-a", time.Minute)
	must(err)
	ask := func(uid *int64, body string) int64 {
		q := &model.LiveQuestion{SessionID: w.session.ID, UserID: uid, Body: body}
		inTx(func(ctx context.Context, tx bun.Tx) error { return st.AddQuestion(ctx, tx, q) })
		return q.ID
	}
	w.namedQ = ask(&id, "How do I lock my phone?")
	w.anonQ = ask(nil, "Is my employer watching?")
	w.othersQ = ask(&w.other.ID, "What is a passkey?")
	inTx(func(ctx context.Context, tx bun.Tx) error {
		_, _, err := st.UpvoteQuestion(ctx, tx, w.session.ID, w.othersQ, w.coach.ID)
		return err
	})
	inTx(func(ctx context.Context, tx bun.Tx) error {
		_, _, err := st.UpvoteQuestion(ctx, tx, w.session.ID, w.othersQ, id)
		return err
	})
	inTx(func(ctx context.Context, tx bun.Tx) error { return st.SetHand(ctx, tx, w.session.ID, id, true) })
	inTx(func(ctx context.Context, tx bun.Tx) error {
		return st.AddLiveEvent(ctx, tx, w.session.ID, 1, "all", []byte(`{"type":"question","question":{"author":"`+everythingDisplay+`"}}`))
	})

	openIn := func(p *model.LivePoll) *model.LivePoll {
		p.SessionID = w.session.ID
		inTx(func(ctx context.Context, tx bun.Tx) error { return st.OpenPoll(ctx, tx, p) })
		return p
	}
	w.named = openIn(&model.LivePoll{Kind: model.PollKindPoll, Prompt: "Named?", Options: `[{"id":"a","text":"Yes"},{"id":"b","text":"No"}]`, MinGroup: 3})
	vote := func(p *model.LivePoll, u int64, choice string) store.Vote {
		return store.Vote{SessionID: p.SessionID, PollID: p.ID, UserID: u, Choice: choice}
	}
	errs, err := st.CastVotes(ctx, []store.Vote{vote(w.named, id, "a"), vote(w.named, w.other.ID, "b")})
	must(err)
	must(errors.Join(errs...))
	w.anon = openIn(&model.LivePoll{Kind: model.PollKindPoll, Prompt: "Anonymous?", Options: `[{"id":"a"},{"id":"b"}]`, Anonymous: true, MinGroup: 3})
	inTx(func(ctx context.Context, tx bun.Tx) error {
		_, err := st.RecordAnonymousVotes(ctx, tx, w.session.ID, w.anon.ID, map[int64]string{id: "a", crowd[0].ID: "b", crowd[1].ID: "a"})
		return err
	})
	w.namedText = openIn(&model.LivePoll{Kind: model.PollKindText, AnswerForm: model.AnswerText, Prompt: "One word, named", Options: "[]", MinGroup: 3})
	errs, err = st.CastTextAnswers(ctx, []store.Vote{vote(w.namedText, id, "worried"), vote(w.namedText, w.other.ID, "ready")})
	must(err)
	must(errors.Join(errs...))
	w.anonText = openIn(&model.LivePoll{Kind: model.PollKindText, AnswerForm: model.AnswerText, Prompt: "One word, anonymous", Options: "[]", Anonymous: true, MinGroup: 3})
	inTx(func(ctx context.Context, tx bun.Tx) error {
		_, err := st.RecordAnonymousVotes(ctx, tx, w.session.ID, w.anonText.ID, map[int64]string{id: "calm", crowd[0].ID: "tired", crowd[2].ID: "curious"})
		return err
	})

	w.namedCounts, w.namedVoters, err = st.PollCounts(ctx, nil, w.named.ID)
	must(err)
	w.anonCounts, w.anonVoters, err = st.PollCounts(ctx, nil, w.anon.ID)
	must(err)
	qs, err := st.Questions(ctx, w.session.ID, true)
	must(err)
	for _, q := range qs {
		if q.ID == w.othersQ {
			w.othersQUpvotes = q.Upvotes
		}
	}
	if w.namedVoters != 2 || w.anonVoters != 3 || w.othersQUpvotes != 2 {
		t.Fatalf("the world is not as built: %d named voters, %d anonymous, %d upvotes", w.namedVoters, w.anonVoters, w.othersQUpvotes)
	}
	return w
}

func TestDeletingAPersonWhoDidEverythingLeavesNoRowThatMentionsThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		w := doEverything(t, db, st)
		// The search finds the person everywhere before: it can fail.
		before := dbtest.Mentions(t, db, w.u.ID, everythingName, everythingDisplay)
		for _, table := range []string{"users", "sessions", "recovery_codes", "password_resets", "invites", "enrollments",
			"lesson_progress", "checklist_ticks", "intake_plans", "quiz_attempts", "cohort_members", "cohorts", "live_sessions",
			"live_attendance", "live_questions", "live_question_upvotes", "live_hands", "live_poll_voters",
			"live_poll_answers", "live_events", "session_plans", "audit_log"} {
			if !slices.ContainsFunc(before, func(s string) bool { return strings.HasPrefix(s, table+".") }) {
				t.Errorf("before deletion the search does not find the person in %s: %v", table, before)
			}
		}

		gone, err := st.DeleteUser(ctx, w.u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if left := dbtest.Mentions(t, db, w.u.ID, everythingName, everythingDisplay); len(left) > 0 {
			t.Fatalf("after deletion the database still mentions the person:\n%s", strings.Join(left, "\n"))
		}
		if _, err := st.UserByID(ctx, w.u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the account is still there: %v", err)
		}

		// What belongs to the session stays, without them.
		qs, err := st.Questions(ctx, w.session.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[int64]model.LiveQuestion{}
		for _, q := range qs {
			byID[q.ID] = q
		}
		if q, ok := byID[w.namedQ]; !ok || q.UserID != nil || !q.AuthorDeleted || q.Body != "How do I lock my phone?" {
			t.Errorf("their named question: %+v (present %v), want its text without author, marked deleted", q, ok)
		}
		if q, ok := byID[w.anonQ]; !ok || q.UserID != nil || q.AuthorDeleted {
			t.Errorf("their anonymous question: %+v (present %v), want it unchanged: anonymous, not marked", q, ok)
		}
		if q := byID[w.othersQ]; q.UserID == nil || *q.UserID != w.other.ID || q.Upvotes != w.othersQUpvotes {
			t.Errorf("another's question they upvoted: %+v, want its author and %d upvotes", q, w.othersQUpvotes)
		}
		counts, voters, err := st.PollCounts(ctx, nil, w.named.ID)
		if err != nil || voters != w.namedVoters || !mapsEqual(counts, w.namedCounts) {
			t.Errorf("named poll after: %v, %d voters (%v); want %v, %d", counts, voters, err, w.namedCounts, w.namedVoters)
		}
		counts, voters, err = st.PollCounts(ctx, nil, w.anon.ID)
		if err != nil || voters != w.anonVoters || !mapsEqual(counts, w.anonCounts) {
			t.Errorf("anonymous poll after: %v, %d voters (%v); want %v, %d", counts, voters, err, w.anonCounts, w.anonVoters)
		}
		answers, err := st.PollAnswers(ctx, nil, w.namedText.ID)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, a := range answers {
			texts = append(texts, a.Body)
			if a.Body == "worried" && a.UserID != nil {
				t.Errorf("their named answer kept its writer: %+v", a)
			}
		}
		if slices.Sort(texts); !slices.Equal(texts, []string{"ready", "worried"}) {
			t.Errorf("named answers after: %v", texts)
		}
		if answers, err := st.PollAnswers(ctx, nil, w.anonText.ID); err != nil || len(answers) != 3 {
			t.Errorf("anonymous answers after: %d (%v), want 3", len(answers), err)
		}
		var leases []string
		if err := db.NewSelect().Table("live_instances").Column("id").Order("id").Scan(ctx, &leases); err != nil || !slices.Equal(leases, []string{"instance-a"}) {
			t.Errorf("leases after: %v (%v), want the instance's only, not their visit", leases, err)
		}
		if a, err := st.Attendance(ctx, w.session.ID); err != nil || len(a) != 1 || a[0].UserID != w.other.ID {
			t.Errorf("attendance after: %+v (%v), want the other learner's only", a, err)
		}
		// The live service is told what to show the running session's room.
		if !slices.Contains(gone.LiveSessions, w.session.ID) ||
			!slices.Contains(gone.Questions, store.LiveQuestionRef{SessionID: w.session.ID, QuestionID: w.namedQ}) || len(gone.Questions) != 1 {
			t.Errorf("DeleteUser reported %+v, want the running session and their one named question", gone)
		}
		// The audit log keeps the actions, by and to a deleted user.
		entries, _, err := st.AuditEntries(ctx, store.AuditFilter{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		names := store.AuditNames{Deleted: "(deleted)"}
		var seen []string
		for _, e := range entries {
			seen = append(seen, store.AuditActorName(&e, names)+" "+e.Action+" "+store.AuditTargetName(&e, names))
		}
		slices.Sort(seen)
		if want := []string{"(deleted) cohort.create Own cohort", "(deleted) cohort.trainer_add coach", "coach user.role (deleted)"}; !slices.Equal(seen, want) {
			t.Errorf("audit log after: %q, want %q", seen, want)
		}
		// Everyone else is as they were.
		for _, u := range []*model.User{w.other, w.coach} {
			if _, err := st.UserByID(ctx, u.ID); err != nil {
				t.Errorf("%s: %v", u.Username, err)
			}
		}
		if cohorts, _, err := st.CohortsOf(ctx, w.coach.ID, false); err != nil || len(cohorts) != 3 {
			t.Errorf("the coach's cohorts after: %d (%v), want 3", len(cohorts), err)
		}
		if _, err := st.DeleteUser(ctx, w.u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleting again: %v, want ErrNotFound", err)
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestTheDataExportHoldsEveryKindOfRowAboutThePerson checks the document's shape against a
// golden list of its keys, and that every list holds what the person did.
func TestTheDataExportHoldsEveryKindOfRowAboutThePerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		w := doEverything(t, db, st)
		data, err := st.ExportUser(ctx, w.u.ID)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(data)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		got := strings.Join(keyPaths("", doc), "\n") + "\n"
		want, err := os.ReadFile("testdata/user_data_keys.golden")
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("the export's keys changed (update testdata/user_data_keys.golden and the format version if a meaning changed):\n%s", got)
		}
		for key, v := range doc {
			if list, ok := v.([]any); ok && len(list) == 0 {
				t.Errorf("%s is empty for a person who did everything", key)
			}
		}
		acc := data.Account
		if acc.ID != w.u.ID || acc.Username != everythingName || acc.DisplayName != everythingDisplay || !acc.TwoFactorEnabled ||
			acc.RecoveryCodesUnused != 1 || acc.RecoveryCodesUsed != 1 || acc.Role != model.RoleTrainer {
			t.Errorf("account: %+v", acc)
		}
		if len(data.LiveQuestions) != 1 || data.LiveQuestions[0].Body != "How do I lock my phone?" {
			t.Errorf("questions: %+v, want the named one only", data.LiveQuestions)
		}
		choices := 0
		for _, v := range data.LiveVotes {
			if v.Anonymous && v.Choice != nil {
				t.Errorf("vote %+v: a choice in an anonymous poll", v)
			}
			if v.Choice != nil {
				choices++
			}
		}
		if len(data.LiveVotes) != 4 || choices != 1 {
			t.Errorf("votes: %+v, want 4, with the named poll's choice", data.LiveVotes)
		}
		if len(data.LiveTextAnswers) != 1 || data.LiveTextAnswers[0].Body != "worried" {
			t.Errorf("text answers: %+v, want the named one only", data.LiveTextAnswers)
		}
		if len(data.IntakePlans) != 1 || string(data.IntakePlans[0].Answers) != `{"worries":["accounts"]}` || data.IntakePlans[0].Version != 1 {
			t.Errorf("intake plans: %+v", data.IntakePlans)
		}
		if len(data.QuizAttempts) != 1 || string(data.QuizAttempts[0].Answers) != `{"q1":["a"]}` {
			t.Errorf("quiz attempts: %+v", data.QuizAttempts)
		}
		for _, secret := range []string{"JBSWY3DPEHPK3PXP", "code-hash", "reset-hash", "token-hash", "invite-hash", "$argon2id"} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("the export holds the secret %q", secret)
			}
		}
		if _, err := st.ExportUser(ctx, 424242); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("exporting a missing account: %v", err)
		}
	})
}

var rawJSON = map[string]bool{".quiz_attempts[].answers": true, ".intake_plans[].answers": true, ".live_votes[].options": true, ".session_plans[].steps[].options": true}

// keyPaths lists an object's keys as paths (a list's elements under "[]"), sorted, with
// their union over a list's elements.
func keyPaths(prefix string, v any) []string {
	seen := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, sub := range x {
				p := prefix + "." + k
				seen[p] = true
				if !rawJSON[p] { // their content is the course's or the plan's, not the document's
					walk(p, sub)
				}
			}
		case []any:
			for _, sub := range x {
				walk(prefix+"[]", sub)
			}
		}
	}
	walk(prefix, v)
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func TestDeletionRefusesTheLastAdministratorAndACohortsOnlyTrainer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		admin := createUser(t, st, "only-admin")
		if err := st.SetRole(ctx, admin.ID, model.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		if _, err := st.DeleteUser(ctx, admin.ID); !errors.Is(err, store.ErrLastAdmin) {
			t.Fatalf("deleting the only administrator: %v, want ErrLastAdmin", err)
		}
		trainer := createUser(t, st, "lone-trainer")
		co := &model.Cohort{CourseID: "sample", Name: "Lone", Lang: "en"}
		if err := st.CreateCohort(ctx, co, trainer.ID); err != nil {
			t.Fatal(err)
		}
		sole, err := st.SoleTrainerCohorts(ctx, trainer.ID)
		if err != nil || len(sole) != 1 || sole[0].ID != co.ID {
			t.Fatalf("SoleTrainerCohorts: %+v, %v", sole, err)
		}
		if _, err := st.DeleteUser(ctx, trainer.ID); !errors.Is(err, store.ErrSoleTrainer) {
			t.Fatalf("deleting a cohort's only trainer: %v, want ErrSoleTrainer", err)
		}
		if _, err := st.UserByID(ctx, trainer.ID); err != nil {
			t.Fatalf("a refused deletion deleted: %v", err)
		}
		// With a second trainer, or a second administrator, it goes ahead.
		if err := st.AddCohortTrainer(ctx, co.ID, admin.ID); err != nil {
			t.Fatal(err)
		}
		if sole, _ := st.SoleTrainerCohorts(ctx, trainer.ID); len(sole) != 0 {
			t.Fatalf("still the only trainer of %+v", sole)
		}
		if _, err := st.DeleteUser(ctx, trainer.ID); err != nil {
			t.Fatal(err)
		}
		second := createUser(t, st, "second-admin")
		if err := st.SetRole(ctx, second.ID, model.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		if err := st.AddCohortTrainer(ctx, co.ID, second.ID); err != nil {
			t.Fatal(err)
		}
		// Two administrators deleting each other at the same moment: one is left.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, u := range []*model.User{admin, second} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = st.DeleteUser(ctx, u.ID)
			}()
		}
		wg.Wait()
		okCount := 0
		for _, err := range errs {
			switch {
			case err == nil:
				okCount++
			case !errors.Is(err, store.ErrLastAdmin):
				t.Fatalf("concurrent deletion: %v", err)
			}
		}
		n, err := db.NewSelect().Model((*model.User)(nil)).Where("role = ?", model.RoleAdmin).Count(ctx)
		if okCount != 1 || err != nil || n != 1 {
			t.Fatalf("%d deletions went through, %d administrators left (%v); want 1 and 1", okCount, n, err)
		}
	})
}

func TestVoteBatchesSkipAnAccountDeletedMeanwhile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		trainer := createUser(t, st, "batch-trainer")
		voters := []*model.User{createUser(t, st, "v1"), createUser(t, st, "v2"), createUser(t, st, "v3"), createUser(t, st, "leaver")}
		named := openPoll(t, db, st, trainer, false)
		anonymous := openPoll(t, db, st, trainer, true)
		text := textPoll(t, db, st, trainer, false, 1)
		leaver := voters[3]
		if _, err := st.DeleteUser(ctx, leaver.ID); err != nil {
			t.Fatal(err)
		}
		var batch, texts []store.Vote
		anon := map[int64]string{}
		for _, u := range voters {
			batch = append(batch, store.Vote{SessionID: named.SessionID, PollID: named.ID, UserID: u.ID, Choice: "a"})
			texts = append(texts, store.Vote{SessionID: text.SessionID, PollID: text.ID, UserID: u.ID, Choice: "word"})
			anon[u.ID] = "b"
		}
		errs, err := st.CastVotes(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range errs[:3] {
			if e != nil {
				t.Errorf("vote %d of a batch with a deleted voter: %v", i, e)
			}
		}
		if errs[3] == nil {
			t.Error("the deleted account's vote was recorded")
		}
		if _, voters, _ := st.PollCounts(ctx, nil, named.ID); voters != 3 {
			t.Errorf("named poll: %d voters, want 3", voters)
		}
		if _, err := st.CastTextAnswers(ctx, texts); err != nil {
			t.Fatalf("a text batch with a deleted writer: %v", err)
		}
		var got store.AnonymousBatch
		err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			got, err = st.RecordAnonymousVotes(ctx, tx, anonymous.SessionID, anonymous.ID, anon)
			return err
		})
		if err != nil || got.Recorded != 3 {
			t.Fatalf("an anonymous batch held with a deleted voter: %+v, %v; want 3 recorded", got, err)
		}
	})
}

// TestOnSQLiteADeletedPersonsNamesLeaveTheFilesToo reads the database's files byte by byte:
// deleted rows must not linger in free space or in the write-ahead log (secure_delete and a
// checkpoint). PostgreSQL keeps dead tuples until vacuum (docs/SECURITY.md).
func TestOnSQLiteADeletedPersonsNamesLeaveTheFilesToo(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t, "sqlite")
	st := store.New(db, nil)
	w := doEverything(t, db, st)
	dir, err := database.SQLiteDir(ctx, db)
	if err != nil || dir == "" {
		t.Fatalf("data directory: %q, %v", dir, err)
	}
	scan := func() []string {
		var found []string
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{everythingName, everythingDisplay, "How do I lock"} {
				if bytes.Contains(b, []byte(name)) {
					found = append(found, filepath.Base(f)+": "+name)
				}
			}
		}
		return found
	}
	if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	if found := scan(); len(found) < 3 {
		t.Fatalf("before deletion the files hold %v: the scan cannot fail", found)
	}
	if _, err := st.DeleteUser(ctx, w.u.ID); err != nil {
		t.Fatal(err)
	}
	for _, f := range scan() {
		if !strings.HasSuffix(f, "How do I lock") { // the question stays, by design
			t.Errorf("after deletion %s", f)
		}
	}
}
