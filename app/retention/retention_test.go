package retention_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/retention"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

// world builds, on a clock that moves, one of each kind of old and fresh record.
func world(t *testing.T, db *bun.DB) (*store.Store, *time.Time, map[string]*model.User) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	st := store.New(db, func() time.Time { return now })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	users := map[string]*model.User{}
	// Made on 1 January, then never used again: an admin, a learner, a lone trainer, a
	// trainer with a co-trainer.
	users["old-admin"] = storetest.Account(t, st, "old-admin", model.RoleAdmin)
	users["old-learner"] = storetest.Account(t, st, "old-learner", model.RoleLearner)
	users["lone-trainer"] = storetest.Account(t, st, "lone-trainer", model.RoleTrainer)
	users["paired-trainer"] = storetest.Account(t, st, "paired-trainer", model.RoleTrainer)
	ls := storetest.RunningSession(t, st, users["lone-trainer"])
	paired := &model.Cohort{CourseID: "c", Name: "paired", Lang: "en"}
	must(st.CreateCohort(ctx, paired, users["paired-trainer"].ID))
	users["fresh-trainer"] = storetest.Account(t, st, "fresh-trainer", model.RoleTrainer)
	must(st.AddCohortTrainer(ctx, paired.ID, users["fresh-trainer"].ID))
	// Old attendance, an old audit entry, a session that expired.
	_, err := st.JoinAttendance(ctx, ls.ID, users["old-learner"].ID, "i")
	must(err)
	must(st.RecordAudit(ctx, store.UserActor(users["old-admin"]), store.AuditUserRole, store.UserTarget(users["old-learner"]), ""))
	must(st.CreateSession(ctx, &model.Session{TokenHash: "old", UserID: users["old-learner"].ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}))

	// Two hundred days later: fresh records of each kind.
	now = now.AddDate(0, 0, 200)
	users["fresh-learner"] = storetest.Account(t, st, "fresh-learner", model.RoleLearner)
	must(st.MarkActive(ctx, users["fresh-trainer"].ID, model.ActiveDay(now)))
	_, err = st.JoinAttendance(ctx, ls.ID, users["fresh-learner"].ID, "i")
	must(err)
	must(st.RecordAudit(ctx, store.CLIActor, store.AuditUserCreate, store.UserTarget(users["fresh-learner"]), ""))
	must(st.CreateSession(ctx, &model.Session{TokenHash: "new", UserID: users["fresh-learner"].ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}))
	return st, &now, users
}

func TestADryRunCountsWhatThePurgeThenDeletes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st, _, users := world(t, db)
		p := retention.Policy{AttendanceDays: 90, AuditDays: 90, InactiveDays: 100, WarningDays: 30}
		o := retention.Options{Idle: 7 * 24 * time.Hour, DryRun: true}
		dry, err := retention.Purge(ctx, st, p, o)
		if err != nil {
			t.Fatal(err)
		}
		want := retention.Counts{Sessions: 1, Attendance: 1, Audit: 1, Accounts: 2, Kept: 1}
		if dry != want {
			t.Fatalf("dry run: %+v, want %+v", dry, want)
		}
		// A dry run deletes nothing, and does not record itself.
		if again, err := retention.Purge(ctx, st, p, o); err != nil || again != dry {
			t.Fatalf("a second dry run: %+v (%v), want the same %+v", again, err, dry)
		}

		o.DryRun, o.Actor = false, store.CLIActor
		var deleted []int64
		o.Deleted = func(id int64, _ *store.DeletedUser) { deleted = append(deleted, id) }
		real, err := retention.Purge(ctx, st, p, o)
		if err != nil {
			t.Fatal(err)
		}
		if real != dry {
			t.Fatalf("the purge deleted %+v, the dry run counted %+v", real, dry)
		}
		for name, u := range users {
			_, err := st.UserByID(ctx, u.ID)
			gone := errors.Is(err, store.ErrNotFound)
			wantGone := name == "old-learner" || name == "paired-trainer"
			if gone != wantGone {
				t.Errorf("%s: deleted %v, want %v (%v)", name, gone, wantGone, err)
			}
		}
		if len(deleted) != 2 {
			t.Errorf("told of %d deleted accounts, want 2", len(deleted))
		}
		// Nothing is left to purge, and the purge recorded its counts (only them).
		if after, err := retention.Purge(ctx, st, p, retention.Options{Idle: o.Idle, DryRun: true}); err != nil || after != (retention.Counts{Kept: 1}) {
			t.Errorf("after the purge a dry run counts %+v (%v), want only the kept trainer", after, err)
		}
		es, _, err := st.AuditEntries(ctx, store.AuditFilter{Action: store.AuditRetentionPurge}, 5)
		if err != nil || len(es) != 1 || es[0].Detail != real.Detail() || es[0].ActorKind != model.ActorCLI || es[0].TargetKind != "" {
			t.Fatalf("the purge's audit entry: %+v (%v)", es, err)
		}
	})
}

func TestEverythingIsKeptWhenThePeriodsAreZero(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st, _, _ := world(t, db)
		c, err := retention.Purge(ctx, st, retention.Policy{}, retention.Options{Idle: 7 * 24 * time.Hour, DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if c != (retention.Counts{Sessions: 1}) {
			t.Errorf("with every period 0: %+v, want only the expired session", c)
		}
	})
}

func TestOnlyOneInstanceClaimsADaysPurge(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		day := time.Date(2026, 5, 1, 3, 0, 0, 0, time.UTC)
		const instances = 6
		won := make(chan bool, instances)
		for range instances {
			go func() {
				ok, err := retention.Due(ctx, store.New(db, nil), day)
				if err != nil {
					t.Error(err)
				}
				won <- ok
			}()
		}
		winners := 0
		for range instances {
			if <-won {
				winners++
			}
		}
		if winners != 1 {
			t.Fatalf("%d instances claimed the day, want 1", winners)
		}
		st := store.New(db, nil)
		if ok, _ := retention.Due(ctx, st, day.Add(20*time.Hour)); ok {
			t.Error("the same day was claimed twice")
		}
		if ok, err := retention.Due(ctx, st, day.AddDate(0, 0, 1)); err != nil || !ok {
			t.Errorf("the next day was not claimed: %v", err)
		}
	})
}

func TestTheWarningComesWithinItsPeriodBeforeDeletion(t *testing.T) {
	p := retention.Policy{InactiveDays: 100, WarningDays: 30}
	used := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	u := &model.User{Role: model.RoleLearner, ActiveOn: used}
	deletion := time.Date(2026, 4, 21, 0, 0, 0, 0, time.UTC) // 10 January + 101 days
	for _, c := range []struct {
		today time.Time
		warn  bool
	}{
		{deletion.AddDate(0, 0, -31), false},
		{deletion.AddDate(0, 0, -30), true},
		{deletion.AddDate(0, 0, -1).Add(23 * time.Hour), true},
	} {
		day, ok := p.Warning(u, c.today)
		if ok != c.warn || (ok && !day.Equal(deletion)) {
			t.Errorf("on %s: warned %v for %s, want %v for %s", c.today, ok, day, c.warn, deletion)
		}
	}
	if _, ok := p.Warning(&model.User{Role: model.RoleAdmin, ActiveOn: used}, deletion.AddDate(0, 0, -1)); ok {
		t.Error("an administrator is warned, but is never deleted")
	}
	if _, ok := (retention.Policy{WarningDays: 30}).Warning(u, deletion.AddDate(0, 0, -1)); ok {
		t.Error("warned while account deletion is off")
	}
	// The purge of the deletion day is the first to find the account unused for too long.
	cutoff := model.ActiveDay(deletion).AddDate(0, 0, -p.InactiveDays)
	if !used.Before(cutoff) || used.Before(cutoff.AddDate(0, 0, -1)) {
		t.Errorf("the deletion day %s does not match the purge's cutoff %s", deletion, cutoff)
	}
}

func TestPoliciesOutOfBoundsAreRefused(t *testing.T) {
	for _, p := range []retention.Policy{
		{AttendanceDays: -1}, {AuditDays: retention.MaxDays + 1}, {InactiveDays: 30, WarningDays: 30},
	} {
		if err := p.Validate(); !errors.Is(err, retention.ErrInvalid) {
			t.Errorf("%+v: %v, want ErrInvalid", p, err)
		}
	}
	if err := (retention.Policy{AttendanceDays: 90, AuditDays: 365, InactiveDays: 365, WarningDays: 30}).Validate(); err != nil {
		t.Error(err)
	}
}

func TestAStoredPolicyIsReadBackAndMissingPeriodsComeFromTheDefaults(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		def := retention.Defaults(48 * time.Hour)
		if got, err := retention.Load(ctx, st, def); err != nil || got != (retention.Policy{AttendanceDays: 2, AuditDays: 365, WarningDays: 30}) {
			t.Fatalf("nothing stored: %+v (%v)", got, err)
		}
		if err := st.SetSetting(ctx, retention.SettingAuditDays, "not a number"); err != nil {
			t.Fatal(err)
		}
		if err := st.SetSetting(ctx, retention.SettingInactiveDays, "400"); err != nil {
			t.Fatal(err)
		}
		if got, err := retention.Load(ctx, st, def); err != nil || got != (retention.Policy{AttendanceDays: 2, AuditDays: 365, InactiveDays: 400, WarningDays: 30}) {
			t.Fatalf("partly stored: %+v (%v)", got, err)
		}
		want := retention.Policy{AttendanceDays: 10, AuditDays: 20, InactiveDays: 30, WarningDays: 5}
		if err := retention.Save(ctx, st, want); err != nil {
			t.Fatal(err)
		}
		if got, err := retention.Load(ctx, st, def); err != nil || got != want {
			t.Fatalf("saved %+v, read %+v (%v)", want, got, err)
		}
		if err := retention.Save(ctx, st, retention.Policy{InactiveDays: 5, WarningDays: 5}); !errors.Is(err, retention.ErrInvalid) {
			t.Fatalf("an invalid policy was saved: %v", err)
		}
	})
}

// A vote guard row left by a vote that raced its author's deletion goes with the next
// purge, whatever the periods; a dry run leaves it.
func TestThePurgeSweepsVoteGuardsOfDeletedAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st, _, users := world(t, db)
		ls := storetest.RunningSession(t, st, users["fresh-trainer"])
		p := &model.LivePoll{SessionID: ls.ID, Kind: model.PollKindPoll, Prompt: "?", Options: `[{"id":"a"}]`}
		if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return st.OpenPoll(ctx, tx, p) }); err != nil {
			t.Fatal(err)
		}
		voter := storetest.Account(t, st, "raced", model.RoleLearner)
		if out, err := st.CastVotes(ctx, []store.Vote{{SessionID: ls.ID, PollID: p.ID, UserID: voter.ID, Choice: "a"}}); err != nil || out[0] != nil {
			t.Fatalf("vote: %v, %v", out, err)
		}
		if _, err := db.NewDelete().Model((*model.User)(nil)).Where("id = ?", voter.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		o := retention.Options{Idle: 7 * 24 * time.Hour, DryRun: true}
		if _, err := retention.Purge(ctx, st, retention.Policy{}, o); err != nil {
			t.Fatal(err)
		}
		if voted, _, err := st.HasVoted(ctx, p.ID, voter.ID); err != nil || !voted {
			t.Fatalf("a dry run deleted the row (voted=%v, %v)", voted, err)
		}
		o.DryRun, o.Actor = false, store.CLIActor
		if _, err := retention.Purge(ctx, st, retention.Policy{}, o); err != nil {
			t.Fatal(err)
		}
		if voted, _, err := st.HasVoted(ctx, p.ID, voter.ID); err != nil || voted {
			t.Fatalf("the purge left the deleted account's row (voted=%v, %v)", voted, err)
		}
	})
}
