package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/cli"
	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/migrations"
)

// run executes one cairn command in-process with the given environment and stdin.
func run(t *testing.T, vars map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Main(args, cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return vars[k] },
	})
	return code, out.String(), errOut.String()
}

// databases gives each subtest the environment of a fresh instance on one database.
func databases(t *testing.T, fn func(t *testing.T, vars map[string]string)) {
	for _, kind := range dbtest.Kinds {
		t.Run(kind, func(t *testing.T) {
			vars := map[string]string{
				"CAIRN_DATA_DIR":      t.TempDir(),
				"CAIRN_ARGON2_MEMORY": "1024",
				"CAIRN_ARGON2_TIME":   "1",
				"CAIRN_LOG_LEVEL":     "warn",
			}
			if kind == "postgres" {
				url := dbtest.PostgresURL(t)
				schema := dbtest.NewSchemaName()
				admin, err := database.OpenPostgres(context.Background(), url)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() {
					_, _ = admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
					_ = admin.Close()
				})
				sep := "?"
				if strings.Contains(url, "?") {
					sep = "&"
				}
				vars["CAIRN_DATABASE_URL"] = url + sep + "search_path=" + schema
			}
			fn(t, vars)
		})
	}
}

func TestUsersCommands(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		code, out, errOut := run(t, vars, "a sturdy admin passphrase\n", "users", "create", "--username", "Rootless", "--role", "admin", "--password-stdin")
		if code != 0 {
			t.Fatalf("create: exit %d: %s", code, errOut)
		}
		if !strings.Contains(out, `created admin "Rootless"`) || strings.Count(out, "\n  ") != 10 {
			t.Fatalf("create output lacks the account or its 10 recovery codes:\n%s", out)
		}
		code, _, errOut = run(t, vars, "a sturdy admin passphrase\n", "users", "create", "--username", "ROOTLESS", "--role", "learner", "--password-stdin")
		if code != 1 || !strings.Contains(errOut, "taken") {
			t.Fatalf("duplicate: exit %d: %s", code, errOut)
		}
		code, _, errOut = run(t, vars, "a sturdy admin passphrase\n", "users", "create", "--username", "R00tless", "--role", "learner", "--password-stdin")
		if code != 1 || !strings.Contains(errOut, "looks like another account") {
			t.Fatalf("look-alike: exit %d: %s", code, errOut)
		}
		code, _, errOut = run(t, vars, "a sturdy admin passphrase\n", "users", "create", "--username", "\u0430dmin", "--role", "admin", "--password-stdin")
		if code != 1 || !strings.Contains(errOut, "one script") {
			t.Fatalf("Cyrillic a in admin: exit %d: %s", code, errOut)
		}
		code, _, errOut = run(t, vars, "password123\n", "users", "create", "--username", "weakling", "--role", "learner", "--password-stdin")
		if code != 1 || !strings.Contains(errOut, "common") {
			t.Fatalf("weak password: exit %d: %s", code, errOut)
		}
		code, _, errOut = run(t, vars, "", "users", "create", "--username", "x1y2z3", "--role", "king", "--password-stdin")
		if code != 2 || !strings.Contains(errOut, "--role") {
			t.Fatalf("bad role: exit %d: %s", code, errOut)
		}
		code, _, errOut = run(t, vars, "", "users", "set-role", "--username", "rootless", "--role", "trainer")
		if code != 1 || !strings.Contains(errOut, "last enabled administrator") {
			t.Fatalf("demoting the only administrator: exit %d: %s", code, errOut)
		}
		if code, _, errOut = run(t, vars, "another sturdy admin passphrase\n", "users", "create", "--username", "deputy", "--role", "admin", "--password-stdin"); code != 0 {
			t.Fatalf("second admin: exit %d: %s", code, errOut)
		}
		code, out, _ = run(t, vars, "", "users", "set-role", "--username", "rootless", "--role", "trainer")
		if code != 0 || !strings.Contains(out, "is now trainer") {
			t.Fatalf("set-role: %d %s", code, out)
		}
		code, out, _ = run(t, vars, "", "users", "list")
		if code != 0 || !regexp.MustCompile(`\tRootless\ttrainer\t`).MatchString(out) {
			t.Fatalf("list: %d %q", code, out)
		}
		code, out, _ = run(t, vars, "", "users", "reset", "--username", "rootless")
		if code != 0 || !regexp.MustCompile(`(?m)^/reset\?token=[A-Za-z0-9_-]{43}$`).MatchString(out) || !strings.Contains(out, "CAIRN_BASE_URL") {
			t.Fatalf("reset without a public URL: %d %s", code, out)
		}
		vars["CAIRN_BASE_URL"] = "https://learn.example.org"
		code, out, _ = run(t, vars, "", "users", "reset", "--username", "rootless")
		if code != 0 || !regexp.MustCompile(`https://learn\.example\.org/reset\?token=[A-Za-z0-9_-]{43}`).MatchString(out) {
			t.Fatalf("reset: %d %s", code, out)
		}
		code, _, errOut = run(t, vars, "", "users", "reset", "--username", "ghost")
		if code != 1 || !strings.Contains(errOut, "no account") {
			t.Fatalf("reset unknown: %d %s", code, errOut)
		}
	})
}

func TestMigrateStatusDownUp(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		code, out, _ := run(t, vars, "", "migrate", "status")
		if code != 0 || !strings.Contains(out, "pending  0001_accounts") {
			t.Fatalf("status on a fresh database: %d %s", code, out)
		}
		if code, out, _ = run(t, vars, "", "migrate"); code != 0 || !strings.Contains(out, "applied 0001_accounts") || !strings.Contains(out, "applied 0002_learning") {
			t.Fatalf("up: %d %s", code, out)
		}
		if code, out, _ = run(t, vars, "", "migrate", "status"); code != 0 || !strings.Contains(out, "schema is up to date") {
			t.Fatalf("status after up: %d %s", code, out)
		}
		// The latest migration is rolled back and applied again (named from the embedded set,
		// so adding a migration does not break this test).
		set, err := migrations.Set()
		if err != nil {
			t.Fatal(err)
		}
		all := set.Sorted()
		last := all[len(all)-1].String()
		if code, out, _ = run(t, vars, "", "migrate", "down"); code != 0 || !strings.Contains(out, "rolled back "+last) {
			t.Fatalf("down: %d %s (want %s rolled back)", code, out, last)
		}
		if code, out, _ = run(t, vars, "", "migrate"); code != 0 || !strings.Contains(out, "applied "+last) {
			t.Fatalf("up again after down: %d %s", code, out)
		}
		if code, _, errOut := run(t, vars, "", "migrate", "sideways"); code != 2 || !strings.Contains(errOut, "unknown action") {
			t.Fatalf("bad action: %d %s", code, errOut)
		}
	})
}

// Accounts older than migration 0007 get their skeleton when the migrations run, so a
// look-alike of an old name is refused like that of a new one.
func TestMigrateGivesExistingAccountsTheirSkeleton(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		if code, _, errOut := run(t, vars, "a long enough passphrase\n", "users", "create", "--username", "paypal", "--role", "learner", "--password-stdin"); code != 0 {
			t.Fatalf("create: %s", errOut)
		}
		// Roll back, one migration at a time, to before 0007 (later ones come off first).
		for rolledBack := ""; !strings.Contains(rolledBack, "rolled back 0007_username_skeletons"); {
			code, out, _ := run(t, vars, "", "migrate", "down")
			if code != 0 || !strings.Contains(out, "rolled back ") {
				t.Fatalf("down: %d %s", code, out)
			}
			rolledBack = out
		}
		if code, out, _ := run(t, vars, "", "migrate"); code != 0 || !strings.Contains(out, "applied 0007_username_skeletons") {
			t.Fatalf("up: %d %s", code, out)
		}
		code, _, errOut := run(t, vars, "a long enough passphrase\n", "users", "create", "--username", "paypa1", "--role", "learner", "--password-stdin")
		if code != 1 || !strings.Contains(errOut, "looks like another account") {
			t.Fatalf("look-alike of an account made before 0007: exit %d: %s", code, errOut)
		}
	})
}

func TestConfigPrintsRedactedSettings(t *testing.T) {
	vars := map[string]string{"CAIRN_DATABASE_URL": "postgres://u:topsecret@db/cairn"}
	code, out, _ := run(t, vars, "", "config", "--addr", "0.0.0.0:80")
	if code != 0 || strings.Contains(out, "topsecret") || !strings.Contains(out, "CAIRN_ADDR=0.0.0.0:80") {
		t.Fatalf("config: %d\n%s", code, out)
	}
	if code, _, _ := run(t, nil, "", "no-such-command"); code != 2 {
		t.Fatal("unknown command should exit 2")
	}
	if code, out, _ := run(t, nil, "", "version"); code != 0 || !strings.HasPrefix(out, "cairn ") {
		t.Fatalf("version: %d %s", code, out)
	}
}

// buildBinary compiles cmd/cairn once for the tests that run the real process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cairn")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/cairn-lms/cairn/cmd/cairn")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func environ(vars map[string]string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return env
}

// startServe runs `cairn serve` in dir and returns its address once it announces itself,
// which it does when it is ready. The process is killed when the test ends.
func startServe(t *testing.T, bin, dir string, vars map[string]string) (string, *exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Dir = dir
	cmd.Env = environ(vars)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &bytes.Buffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("no start-up line: %v\n%s", err, stderr.String())
	}
	m := regexp.MustCompile(`^Cairn is serving on (http://127\.0\.0\.1:\d+)\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("start-up line %q", line)
	}
	return m[1], cmd, stderr
}

func TestServeStartsWithZeroConfigurationAndStopsGracefully(t *testing.T) {
	bin := buildBinary(t)
	databases(t, func(t *testing.T, vars map[string]string) {
		dir := t.TempDir()
		delete(vars, "CAIRN_DATA_DIR") // the default ./cairn-data, relative to the working directory
		vars["CAIRN_ADDR"] = "127.0.0.1:0"
		vars["CAIRN_LOG_LEVEL"] = "info"
		base, cmd, stderr := startServe(t, bin, dir, vars)
		for _, path := range []string{"/healthz", "/readyz", "/", "/signup"} {
			resp, err := http.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", path, resp.StatusCode)
			}
		}
		if _, ok := vars["CAIRN_DATABASE_URL"]; !ok {
			if _, err := os.Stat(filepath.Join(dir, "cairn-data", "cairn.db")); err != nil {
				t.Fatalf("SQLite database not created under ./cairn-data: %v", err)
			}
		}

		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
			}
		case <-time.After(20 * time.Second):
			t.Fatal("server did not stop within 20s of SIGTERM")
		}
		if !strings.Contains(stderr.String(), "msg=stopped") {
			t.Fatalf("no clean stop logged:\n%s", stderr.String())
		}
	})
}

func TestServeRefusesASchemaNewerThanItKnows(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		if code, _, errOut := run(t, vars, "", "migrate"); code != 0 {
			t.Fatal(errOut)
		}
		db := openFromVars(t, vars)
		if _, err := db.ExecContext(context.Background(), "INSERT INTO bun_migrations (name, group_id, migrated_at) VALUES ('9999', 9, ?)", time.Now().UTC().Format("2006-01-02 15:04:05-07:00")); err != nil {
			t.Fatal(err)
		}
		_ = db.Close()
		vars["CAIRN_ADDR"] = "127.0.0.1:0"
		code, _, errOut := run(t, vars, "", "serve")
		if code != 1 || !strings.Contains(errOut, "newer than this version of Cairn") || !strings.Contains(errOut, "9999") {
			t.Fatalf("serve on a newer schema: exit %d: %s", code, errOut)
		}
	})
}

func openFromVars(t *testing.T, vars map[string]string) *bun.DB {
	t.Helper()
	cfg, _, err := config.Load("test", nil, func(k string) string { return vars[k] }, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := database.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestCoursesCheckAndImport(t *testing.T) {
	code, out, _ := run(t, nil, "", "courses", "check", "../course/testdata/broken")
	if code != 1 || !strings.Contains(out, "bad-quiz/m1/quiz.yaml:3: error: question \"q1\": unknown type \"essay\"") || !strings.Contains(out, "0 course(s) ready to publish") {
		t.Fatalf("check broken: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, nil, "", "courses", "check", "../course/testdata/valid/sample")
	if code != 0 || !strings.Contains(out, "0 error(s)") {
		t.Fatalf("check valid: exit %d\n%s", code, out)
	}
	dir := t.TempDir()
	vars := map[string]string{"CAIRN_COURSES_DIR": dir}
	if code, out, errOut := run(t, vars, "", "courses", "import", "../course/testdata/valid/sample"); code != 0 || !strings.Contains(out, "imported sample version 1.0.0") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "sample", "basics", "first-steps", "square.png")); err != nil {
		t.Fatalf("import did not copy the course: %v", err)
	}
	if code, _, errOut := run(t, vars, "", "courses", "import", "../course/testdata/valid/sample"); code != 1 || !strings.Contains(errOut, "--replace") {
		t.Fatalf("second import without --replace: %d %s", code, errOut)
	}
	if code, _, _ := run(t, vars, "", "courses", "import", "--replace", "../course/testdata/valid/sample"); code != 0 {
		t.Fatal("import --replace failed")
	}
	if code, _, _ := run(t, vars, "", "courses", "import", "../course/testdata/broken/bad-quiz"); code != 1 {
		t.Fatal("importing a broken course must fail")
	}
	if _, err := os.Stat(filepath.Join(dir, "bad-quiz")); err == nil {
		t.Fatal("a broken course was copied")
	}
}

func TestCoursesExportWritesTheShippedCoursesAsCheckableFolders(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"CAIRN_COURSES_DIR": dir}
	code, out, errOut := run(t, vars, "", "courses", "export")
	if code != 0 {
		t.Fatalf("export: %d %s %s", code, out, errOut)
	}
	entries, err := os.ReadDir(dir)
	folders := 0
	for _, e := range entries {
		if e.IsDir() {
			folders++
		}
	}
	if err != nil || folders < 5 {
		t.Fatalf("exported %d folders (%v); want every shipped course", folders, err)
	}
	// The risk intake comes along: it names the courses' lessons.
	if _, err := os.Stat(filepath.Join(dir, "intake.yaml")); err != nil || !strings.Contains(out, "exported the risk intake") {
		t.Fatalf("the risk intake was not exported (%v):\n%s", err, out)
	}
	code, out, _ = run(t, nil, "", "courses", "check", dir)
	if code != 0 || !strings.Contains(out, "0 error(s)") || !strings.Contains(out, fmt.Sprintf("%d course(s) ready to publish", folders)) {
		t.Fatalf("the exported courses do not pass the checker: exit %d\n%s", code, out)
	}

	lesson := filepath.Join(dir, "account-security", "course.yaml")
	if err := os.WriteFile(lesson, []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, vars, "", "courses", "export", "account-security"); code != 1 || !strings.Contains(errOut, "--replace") {
		t.Fatalf("export over an existing folder without --replace: %d %s", code, errOut)
	}
	if b, _ := os.ReadFile(lesson); string(b) != "edited" {
		t.Fatal("a refused export overwrote an edited course")
	}
	other := t.TempDir()
	if code, out, errOut := run(t, nil, "", "courses", "export", "--to", other, "--replace", "account-security"); code != 0 || !strings.Contains(out, "exported account-security") {
		t.Fatalf("export of one course with --to: %d %s %s", code, out, errOut)
	}
	if got, _ := os.ReadDir(other); len(got) != 1 {
		t.Fatalf("exporting one course wrote %d folders", len(got))
	}
	if code, _, errOut := run(t, vars, "", "courses", "export", "no-such-course"); code != 1 || !strings.Contains(errOut, "no course \"no-such-course\"") {
		t.Fatalf("unknown course: %d %s", code, errOut)
	}
}

func TestBackupCopiesSQLiteWhileOpenAndPointsPostgresToPgDump(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		if code, _, errOut := run(t, vars, "a long enough passphrase\n", "users", "create", "--username", "kept", "--role", "trainer", "--password-stdin"); code != 0 {
			t.Fatal(errOut)
		}
		target := filepath.Join(t.TempDir(), "copy.db")
		if _, pg := vars["CAIRN_DATABASE_URL"]; pg {
			if code, _, errOut := run(t, vars, "", "backup", target); code != 1 || !strings.Contains(errOut, "pg_dump --format=custom") {
				t.Fatalf("backup on PostgreSQL: exit %d, %q", code, errOut)
			}
			// pg_restore --clean would keep tables a later migration added: the hint says
			// to restore into an empty database.
			if code, _, errOut := run(t, vars, "", "restore", target); code != 1 || !strings.Contains(errOut, "pg_restore") || !strings.Contains(errOut, "empty database") {
				t.Fatalf("restore on PostgreSQL: exit %d, %q", code, errOut)
			}
			return
		}
		// A server is writing while the copy is taken: the copy holds what was committed.
		db := openFromVars(t, vars)
		defer db.Close()
		tx, err := db.BeginTx(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(context.Background(), "UPDATE users SET role = 'admin'"); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := run(t, vars, "", "backup", target)
		_ = tx.Rollback()
		if code != 0 || !strings.Contains(out, "wrote a consistent copy") {
			t.Fatalf("backup: exit %d %s %s", code, out, errOut)
		}
		// The copy holds password hashes: only its owner may read it, whatever the umask,
		// and nothing else is left beside it.
		if info, err := os.Stat(target); err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("backup file mode %v (%v), want 0600", info.Mode().Perm(), err)
		}
		if left, _ := os.ReadDir(filepath.Dir(target)); len(left) != 1 {
			t.Fatalf("backup left %d files in its folder", len(left))
		}
		if code, _, errOut := run(t, vars, "", "backup", target); code != 1 || !strings.Contains(errOut, "already exists") {
			t.Fatalf("backup over an existing file: exit %d %s", code, errOut)
		}
		// The copy is a working database: serve it from a new data directory.
		restored := t.TempDir()
		data, err := os.ReadFile(target)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(restored, "cairn.db"), data, 0o600); err != nil {
			t.Fatal(err)
		}
		restoredVars := map[string]string{"CAIRN_DATA_DIR": restored, "CAIRN_LOG_LEVEL": "warn"}
		code, out, errOut = run(t, restoredVars, "", "users", "list")
		if code != 0 || !strings.Contains(out, "kept\ttrainer") {
			t.Fatalf("users in the restored copy: exit %d %q %s", code, out, errOut)
		}
	})
}

func TestDisableTwoFactorForOnePersonOrEveryEncryptedSecret(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		for _, name := range []string{"lostphone", "lostkey1", "lostkey2", "untouched"} {
			if code, _, errOut := run(t, vars, "a long enough passphrase\n", "users", "create", "--username", name, "--role", "learner", "--password-stdin"); code != 0 {
				t.Fatal(errOut)
			}
		}
		db := openFromVars(t, vars)
		defer db.Close()
		set := func(name, secret string) {
			if _, err := db.ExecContext(context.Background(), "UPDATE users SET totp_secret = ? WHERE username = ?", secret, name); err != nil {
				t.Fatal(err)
			}
		}
		set("lostphone", "JBSWY3DPEHPK3PXP")
		set("lostkey1", "v1:sealed-with-a-lost-key")
		set("lostkey2", "v1:sealed-with-a-lost-key-too")
		set("untouched", "KRSXG5CTMVRXEZLU")
		secret := func(name string) string {
			var v string
			if err := db.NewSelect().Table("users").Column("totp_secret").Where("username = ?", name).Scan(context.Background(), &v); err != nil {
				t.Fatal(err)
			}
			return v
		}

		if code, out, errOut := run(t, vars, "", "users", "disable-2fa", "--username", "lostphone"); code != 0 || !strings.Contains(out, "off for 1 account") {
			t.Fatalf("disable-2fa --username: %d %s %s", code, out, errOut)
		}
		if code, out, errOut := run(t, vars, "", "users", "disable-2fa", "--all-encrypted"); code != 0 || !strings.Contains(out, "off for 2 account") {
			t.Fatalf("disable-2fa --all-encrypted: %d %s %s", code, out, errOut)
		}
		for name, want := range map[string]string{"lostphone": "", "lostkey1": "", "lostkey2": "", "untouched": "KRSXG5CTMVRXEZLU"} {
			if got := secret(name); got != want {
				t.Errorf("%s: secret %q, want %q", name, got, want)
			}
		}
	})
}

func TestMetricsAreServedApartWithRoutePatternsOnly(t *testing.T) {
	bin := buildBinary(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = environ(map[string]string{"CAIRN_DATA_DIR": t.TempDir(), "CAIRN_ADDR": "127.0.0.1:0", "CAIRN_METRICS_ADDR": "127.0.0.1:0", "CAIRN_LOG_LEVEL": "warn"})
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	out := bufio.NewReader(stdout)
	var site, metricsURL string
	for site == "" || metricsURL == "" {
		line, err := out.ReadString('\n')
		if err != nil {
			t.Fatalf("start-up lines: %v", err)
		}
		if m := regexp.MustCompile(`^Cairn is serving on (\S+)`).FindStringSubmatch(line); m != nil {
			site = m[1]
		}
		if m := regexp.MustCompile(`^Metrics: (\S+)`).FindStringSubmatch(line); m != nil {
			metricsURL = m[1]
		}
	}
	get := func(u string) (int, string) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get(site + "/courses/no-such-course?secret=token"); code != http.StatusNotFound {
		t.Fatalf("unknown course: %d", code)
	}
	if code, _ := get(site + "/metrics"); code != http.StatusNotFound {
		t.Fatal("metrics must not be on the public listener")
	}
	code, body := get(metricsURL)
	if code != http.StatusOK {
		t.Fatalf("metrics: %d", code)
	}
	for _, want := range []string{`cairn_http_requests_total{method="GET",route="/courses/:course",status="404"} 1`, "cairn_live_connections 0", "go_goroutines", `go_sql_max_open_connections{db_name="cairn"}`} {
		if !strings.Contains(body, want) {
			t.Fatalf("metrics lack %q:\n%s", want, body)
		}
	}
	for _, leak := range []string{"127.0.0.1", "no-such-course", "token"} {
		if strings.Contains(body, leak) {
			t.Fatalf("metrics carry %q", leak)
		}
	}
	if code, _ := get(strings.TrimSuffix(metricsURL, "/metrics") + "/debug/pprof/"); code != http.StatusNotFound {
		t.Fatal("the profiler is reachable on the metrics port")
	}
}

// TestCoursesCheckChecksTheRiskIntake: the intake beside the courses is checked with them,
// its problems at their lines, an error failing the check.
func TestCoursesCheckChecksTheRiskIntake(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../course/testdata/valid")); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, nil, "", "courses", "check", dir)
	if code != 0 || strings.Contains(out, "intake.yaml") {
		t.Fatalf("check with the test intake: exit %d\n%s", code, out)
	}
	file := filepath.Join(dir, "intake.yaml")
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(raw), "lesson: sample/second-steps", "lesson: sample/third-steps", 1)
	if err := os.WriteFile(file, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, nil, "", "courses", "check", dir)
	want := filepath.Clean(dir) + `/intake.yaml:55: error: rule "group": course "sample" has no lesson "third-steps"`
	if code != 1 || !strings.Contains(out, want) {
		t.Fatalf("check with a broken intake: exit %d, want 1 and %q\n%s", code, want, out)
	}
}
