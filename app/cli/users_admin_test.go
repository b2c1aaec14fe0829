package cli_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

func TestUsersListFiltersAndDisableEnable(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		ctx := context.Background()
		for _, u := range [][2]string{{"chief", "admin"}, {"Élodie", "learner"}, {"sleepy", "learner"}, {"coach", "trainer"}} {
			if code, _, errOut := run(t, vars, "a long enough passphrase\n", "users", "create", "--username", u[0], "--role", u[1], "--password-stdin"); code != 0 {
				t.Fatalf("create %s: %s", u[0], errOut)
			}
		}
		db := openFromVars(t, vars)
		defer db.Close()
		st := store.New(db, nil)
		// sleepy last used the instance 400 days ago.
		if _, err := db.NewUpdate().Model((*model.User)(nil)).Set("active_on = ?", model.ActiveDay(st.Now().AddDate(0, 0, -400))).
			Where("username_key = ?", auth.UsernameKey("sleepy")).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		names := func(args ...string) []string {
			t.Helper()
			code, out, errOut := run(t, vars, "", append([]string{"users", "list"}, args...)...)
			if code != 0 {
				t.Fatalf("list %v: exit %d: %s", args, code, errOut)
			}
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				if f := strings.Split(line, "\t"); len(f) > 1 {
					got = append(got, f[1])
				}
			}
			return got
		}
		same := func(got []string, want ...string) bool { return strings.Join(got, ",") == strings.Join(want, ",") }
		if got := names("--search", "ELOD"); !same(got, "Élodie") {
			t.Fatalf("search ELOD: %v", got)
		}
		if got := names("--role", "trainer"); !same(got, "coach") {
			t.Fatalf("trainers: %v", got)
		}
		if got := names("--inactive-days", "365"); !same(got, "sleepy") {
			t.Fatalf("inactive for a year: %v", got)
		}
		if code, _, errOut := run(t, vars, "", "users", "list", "--role", "king"); code != 2 || !strings.Contains(errOut, "--role") {
			t.Fatalf("a bad role: exit %d: %s", code, errOut)
		}

		// The account named after the action, a flag after it.
		if code, out, errOut := run(t, vars, "", "users", "disable", "sleepy", "--log-level", "warn"); code != 0 || !strings.Contains(out, `"sleepy" is disabled`) {
			t.Fatalf("disable: exit %d: %s %s", code, out, errOut)
		}
		if got := names("--disabled"); !same(got, "sleepy") {
			t.Fatalf("disabled accounts: %v", got)
		}
		if code, out, _ := run(t, vars, "", "users", "list"); !strings.Contains(out, "\tsleepy\tlearner disabled\t") {
			t.Fatalf("the full list does not mark sleepy disabled: %d %q", code, out)
		}
		if code, _, errOut := run(t, vars, "", "users", "disable", "chief"); code != 1 || !strings.Contains(errOut, "last enabled administrator") {
			t.Fatalf("disabling the only administrator: exit %d: %s", code, errOut)
		}
		if code, _, errOut := run(t, vars, "", "users", "disable", "nobody-here"); code != 1 || !strings.Contains(errOut, "no account") {
			t.Fatalf("disabling nobody: exit %d: %s", code, errOut)
		}
		if code, _, errOut := run(t, vars, "", "users", "disable", "sleepy", "--username", "coach"); code != 2 || !strings.Contains(errOut, "named twice") {
			t.Fatalf("two names: exit %d: %s", code, errOut)
		}
		if code, out, errOut := run(t, vars, "", "users", "enable", "--username", "sleepy"); code != 0 || !strings.Contains(out, "enabled") {
			t.Fatalf("enable: exit %d: %s %s", code, out, errOut)
		}
		if got := names("--disabled"); len(got) != 0 {
			t.Fatalf("disabled accounts after enabling: %v", got)
		}
		u, err := st.UserByUsernameKey(ctx, "sleepy")
		if err != nil || u.Disabled() {
			t.Fatalf("sleepy after enabling: %+v %v", u, err)
		}
	})
}
