package cli_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/retention"
	"github.com/cairn-lms/cairn/app/store"
)

func TestPurgeCountsWithDryRunThenDeletesAndEveryUsersCommandIsAudited(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		ctx := context.Background()
		if code, _, errOut := run(t, vars, "", "purge"); code != 2 || !strings.Contains(errOut, "--dry-run") {
			t.Fatalf("purge without --dry-run or --yes: exit %d, %q", code, errOut)
		}
		for _, u := range []string{"keeper", "gone-soon"} {
			if code, _, errOut := run(t, vars, "a long enough passphrase\n", "users", "create", "--username", u, "--role", "learner", "--password-stdin"); code != 0 {
				t.Fatalf("create %s: %s", u, errOut)
			}
		}
		if code, _, errOut := run(t, vars, "", "users", "set-role", "--username", "keeper", "--role", "trainer"); code != 0 {
			t.Fatal(errOut)
		}
		db := openFromVars(t, vars)
		defer db.Close()
		st := store.New(db, nil)
		// An entry a year old, and a retention of 30 days for the audit log.
		if _, err := db.NewUpdate().Model((*model.AuditEntry)(nil)).Set("created_at = ?", st.Now().AddDate(-1, 0, 0)).
			Where("action = ?", store.AuditUserCreate).Where("target_name = ?", "gone-soon").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if err := retention.Save(ctx, st, retention.Policy{AttendanceDays: 90, AuditDays: 30}); err != nil {
			t.Fatal(err)
		}

		code, out, errOut := run(t, vars, "", "purge", "--dry-run")
		if code != 0 || !strings.Contains(out, "would delete") || !strings.Contains(out, "audit log entries         1") {
			t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
		}
		code, out, errOut = run(t, vars, "", "purge", "--yes")
		if code != 0 || !strings.Contains(out, "deleted:") || !strings.Contains(out, "audit log entries         1") {
			t.Fatalf("purge: exit %d\n%s%s", code, out, errOut)
		}
		entries, _, err := st.AuditEntries(ctx, store.AuditFilter{ActorKind: model.ActorCLI}, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Action+" "+e.TargetName+" "+e.Detail)
		}
		want := []string{
			"retention.purge  sessions=0 attendance=0 audit=1 accounts=0 kept=0",
			"user.role keeper from=learner to=trainer",
			"user.create keeper role=learner",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("the command line's audit entries:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
