package cli_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

func TestUsersExportAndDelete(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		ctx := context.Background()
		for _, u := range [][2]string{{"rootless", "admin"}, {"leaving", "learner"}, {"lone-coach", "trainer"}} {
			if code, _, errOut := run(t, vars, "a long enough passphrase\n", "users", "create", "--username", u[0], "--role", u[1], "--password-stdin"); code != 0 {
				t.Fatalf("create %s: %s", u[0], errOut)
			}
		}
		db := openFromVars(t, vars)
		defer db.Close()
		st := store.New(db, nil)
		coach, err := st.UserByUsernameKey(ctx, auth.UsernameKey("lone-coach"))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CreateCohort(ctx, &model.Cohort{CourseID: "sample", Name: "Lone cohort", Lang: "en"}, coach.ID); err != nil {
			t.Fatal(err)
		}

		// "leaving" asks a question by name in a running session.
		root, err := st.UserByUsernameKey(ctx, "rootless")
		if err != nil {
			t.Fatal(err)
		}
		leaving, err := st.UserByUsernameKey(ctx, "leaving")
		if err != nil {
			t.Fatal(err)
		}
		workshop := &model.Cohort{CourseID: "sample", Name: "Workshop", Lang: "en"}
		if err := st.CreateCohort(ctx, workshop, root.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.JoinCohort(ctx, workshop.ID, leaving.ID, 0); err != nil {
			t.Fatal(err)
		}
		live := &model.LiveSession{CohortID: workshop.ID, Title: "Now"}
		if err := st.CreateLiveSession(ctx, live, true); err != nil {
			t.Fatal(err)
		}
		if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return st.AddQuestion(ctx, tx, &model.LiveQuestion{SessionID: live.ID, UserID: &leaving.ID, Body: "Mine?"})
		}); err != nil {
			t.Fatal(err)
		}

		// Export: to standard output, or to a new file only its owner can read.
		code, out, errOut := run(t, vars, "", "users", "export", "--username", "Leaving")
		var doc store.UserData
		if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || doc.Format != store.UserDataFormat || doc.Account.Username != "leaving" {
			t.Fatalf("export: exit %d %s\n%s", code, errOut, out)
		}
		file := filepath.Join(t.TempDir(), "leaving.json")
		if code, out, errOut := run(t, vars, "", "users", "export", "--username", "leaving", "--out", file); code != 0 || !strings.Contains(out, "wrote the data") {
			t.Fatalf("export to a file: exit %d %s %s", code, out, errOut)
		}
		info, err := os.Stat(file)
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("the export file: %v, %v", info, err)
		}
		if b, _ := os.ReadFile(file); !strings.Contains(string(b), `"username": "leaving"`) {
			t.Fatalf("the export file holds %s", b)
		}
		if code, _, errOut := run(t, vars, "", "users", "export", "--username", "leaving", "--out", file); code != 1 || !strings.Contains(errOut, "never written over") {
			t.Fatalf("export over an existing file: exit %d %s", code, errOut)
		}

		// Delete: only with --yes; never the last administrator or a cohort's only trainer.
		if code, _, errOut := run(t, vars, "", "users", "delete", "--username", "leaving"); code != 2 || !strings.Contains(errOut, "--yes") {
			t.Fatalf("delete without --yes: exit %d %s", code, errOut)
		}
		if _, err := st.UserByUsernameKey(ctx, "leaving"); err != nil {
			t.Fatalf("deleted without --yes: %v", err)
		}
		if code, out, errOut := run(t, vars, "", "users", "delete", "--username", "leaving", "--yes"); code != 0 || !strings.Contains(out, `deleted the account "leaving"`) {
			t.Fatalf("delete: exit %d %s %s", code, out, errOut)
		}
		if _, err := st.UserByUsernameKey(ctx, "leaving"); err != store.ErrNotFound {
			t.Fatalf("the account is still there: %v", err)
		}
		// No server heard of it: the running session's number moved, so its rooms catch up.
		if after, err := st.LiveSession(ctx, live.ID); err != nil || after.Seq != live.Seq+1 {
			t.Fatalf("the running session's number: %+v (%v), want %d", after, err, live.Seq+1)
		}
		if code, _, errOut := run(t, vars, "", "users", "delete", "--username", "leaving", "--yes"); code != 1 || !strings.Contains(errOut, "no account") {
			t.Fatalf("delete again: exit %d %s", code, errOut)
		}
		if code, _, errOut := run(t, vars, "", "users", "delete", "--username", "rootless", "--yes"); code != 1 || !strings.Contains(errOut, "only administrator") {
			t.Fatalf("delete the only administrator: exit %d %s", code, errOut)
		}
		if code, _, errOut := run(t, vars, "", "users", "delete", "--username", "lone-coach", "--yes"); code != 1 || !strings.Contains(errOut, `only trainer of "Lone cohort"`) {
			t.Fatalf("delete a cohort's only trainer: exit %d %s", code, errOut)
		}
		if code, out, _ := run(t, vars, "", "users", "list"); code != 0 || !strings.Contains(out, "rootless") || !strings.Contains(out, "lone-coach") || strings.Contains(out, "\tleaving\t") {
			t.Fatalf("list after: %s", out)
		}
	})
}
