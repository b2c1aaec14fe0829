package store_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

func TestTheAuditLogFiltersAndPagesNewestFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		st := store.New(db, func() time.Time { return now })
		admin := createUser(t, st, "auditor")
		other := createUser(t, st, "someone")
		// 25 entries a day apart, alternating actions and actors.
		for i := range 25 {
			actor, action := store.UserActor(admin), store.AuditUserRole
			if i%2 == 1 {
				actor, action = store.CLIActor, store.AuditUserResetLink
			}
			if err := st.RecordAudit(ctx, actor, action, store.UserTarget(other), "n="+strconv.Itoa(i)); err != nil {
				t.Fatal(err)
			}
			now = now.Add(24 * time.Hour)
		}
		details := func(es []model.AuditEntry) []string {
			var out []string
			for _, e := range es {
				out = append(out, e.Detail)
			}
			return out
		}

		// Pages of 10 cover every entry once, newest first.
		var all []string
		f := store.AuditFilter{}
		for pages := 0; ; pages++ {
			page, more, err := st.AuditEntries(ctx, f, 10)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, details(page)...)
			if !more {
				if pages != 2 {
					t.Errorf("%d pages of 10 for 25 entries, want 3", pages+1)
				}
				break
			}
			f.Before = page[len(page)-1].ID
		}
		if len(all) != 25 || all[0] != "n=24" || all[24] != "n=0" {
			t.Fatalf("paging gave %v", all)
		}

		cases := []struct {
			name string
			f    store.AuditFilter
			want []string
		}{
			{"by action", store.AuditFilter{Action: store.AuditUserResetLink, From: day(2026, 12, 20)}, []string{"n=23", "n=21", "n=19"}},
			{"by account", store.AuditFilter{ActorID: &admin.ID, To: day(2026, 12, 5)}, []string{"n=2", "n=0"}},
			{"by the command line", store.AuditFilter{ActorKind: model.ActorCLI, To: day(2026, 12, 5)}, []string{"n=3", "n=1"}},
			{"by date range", store.AuditFilter{From: day(2026, 12, 3), To: day(2026, 12, 5)}, []string{"n=3", "n=2"}},
			{"nothing", store.AuditFilter{Action: store.AuditPlanCreate}, nil},
		}
		for _, c := range cases {
			var got []string
			if err := st.EachAuditEntry(ctx, c.f, 2, func(es []model.AuditEntry) error {
				got = append(got, details(es)...)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
		}

		// Retention: entries before the cutoff, counted then deleted alike.
		cutoff := day(2026, 12, 11)
		n, err := st.CountAuditBefore(ctx, cutoff)
		if err != nil || n != 10 {
			t.Fatalf("count before the cutoff: %d, %v; want 10", n, err)
		}
		if d, err := st.DeleteAuditBefore(ctx, cutoff); err != nil || d != n {
			t.Fatalf("deleted %d, %v; want %d", d, err, n)
		}
		if left := count(t, db, "audit_log"); left != 15 {
			t.Fatalf("%d entries left, want 15", left)
		}
	})
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestAuditCSVRowsCannotRunAsFormulas(t *testing.T) {
	id := int64(4)
	e := &model.AuditEntry{CreatedAt: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC), ActorKind: model.ActorUser, ActorID: &id,
		ActorName: "=HYPERLINK(\"x\")", Action: store.AuditCohortCreate, TargetKind: model.TargetCohort, TargetID: &id,
		TargetName: "@SUM(A1)", Detail: "-1+1"}
	row := store.AuditCSVRow(e, store.AuditNames{}, "+label")
	want := []string{"2026-12-01T09:30:00Z", "'=HYPERLINK(\"x\")", "cohort.create", "'+label", "cohort", "4", "'@SUM(A1)", "'-1+1"}
	if !slices.Equal(row, want) {
		t.Errorf("row %q, want %q", row, want)
	}
	for _, s := range []string{"\tx", "\rx"} {
		if got := store.CSVCell(s); !strings.HasPrefix(got, "'") {
			t.Errorf("CSVCell(%q) = %q, want it quoted", s, got)
		}
	}
	deleted := &model.AuditEntry{ActorKind: model.ActorUser, TargetKind: model.TargetUser}
	names := store.AuditNames{CLI: "command line", Server: "server", Deleted: "deleted user"}
	if a, tg := store.AuditActorName(deleted, names), store.AuditTargetName(deleted, names); a != "deleted user" || tg != "deleted user" {
		t.Errorf("a deleted actor and target read %q and %q", a, tg)
	}
}

func TestLongAuditTextIsCutNotRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		long := strings.Repeat("ش", 900)
		if err := st.RecordAudit(ctx, store.CLIActor, store.AuditSettingFirstAid, store.ThingTarget(model.TargetCohort, 1, long), long); err != nil {
			t.Fatal(err)
		}
		es, _, err := st.AuditEntries(ctx, store.AuditFilter{}, 1)
		if err != nil || len(es) != 1 {
			t.Fatal(es, err)
		}
		if n := len([]rune(es[0].Detail)); n != 500 {
			t.Errorf("detail kept %d characters, want 500", n)
		}
		if n := len([]rune(es[0].TargetName)); n != 300 {
			t.Errorf("target name kept %d characters, want 300", n)
		}
	})
}
