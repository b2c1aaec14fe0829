package cli_test

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/signing"
	"github.com/cairn-lms/cairn/app/store"
)

// flipByte changes one byte in the middle of a file.
func flipByte(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestExportOfflineWritesACopyThatMinisignAndVerifyAccept(t *testing.T) {
	root, _ := copySample(t)
	data := t.TempDir()
	vars := map[string]string{"CAIRN_DATA_DIR": data, "CAIRN_COURSES_DIR": root}
	out := filepath.Join(t.TempDir(), "sample.zip")
	// Flags after the course, as people type them.
	code, stdout, stderr := run(t, vars, "", "courses", "export", "--offline", "sample", "--lang", "ar", "--lang", "en", "--to", out)
	if code != 0 {
		t.Fatalf("export --offline: %d %s%s", code, stdout, stderr)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	zr.Close()
	all := strings.Join(names, "\n")
	for _, want := range []string{"/index.html", "/en/index.html", "/ar/index.html", "/en/lesson-first-steps.html", "/ar/quiz-basics.html", "/quiz.js"} {
		if !strings.Contains(all, want) {
			t.Errorf("the copy lacks %s:\n%s", want, all)
		}
	}
	_, pub := signing.KeyPaths(data)
	if !strings.Contains(stdout, "minisign -Vm "+out+" -p "+pub) {
		t.Errorf("the command does not say how to check the copy:\n%s", stdout)
	}

	// Checked by the minisign command a partner would use…
	if minisign, err := exec.LookPath("minisign"); err == nil {
		if b, err := exec.Command(minisign, "-Vm", out, "-p", pub).CombinedOutput(); err != nil {
			t.Fatalf("minisign: %v\n%s", err, b)
		} else if !strings.Contains(string(b), "course:sample") || !strings.Contains(string(b), "languages:en,ar") {
			t.Errorf("minisign shows no manifest:\n%s", b)
		}
	} else if os.Getenv("CAIRN_TEST_REQUIRE_MINISIGN") == "1" {
		t.Fatal("the minisign command is required (apt-get install minisign) but not found")
	}
	// …and by cairn courses verify, with the instance's key or a given one.
	code, stdout, stderr = run(t, vars, "", "courses", "verify", out)
	if code != 0 || !strings.Contains(stdout, "good signature") || !strings.Contains(stdout, "course sample") {
		t.Fatalf("verify: %d %s%s", code, stdout, stderr)
	}
	code, _, stderr = run(t, map[string]string{"CAIRN_DATA_DIR": t.TempDir()}, "", "courses", "verify", out, "--pubkey", pub)
	if code != 0 {
		t.Fatalf("verify --pubkey FILE on another machine: %d %s", code, stderr)
	}

	flipByte(t, out)
	code, _, stderr = run(t, vars, "", "courses", "verify", out)
	if code != 1 || !strings.Contains(stderr, "does not match") {
		t.Errorf("verify after one byte changed: %d %s", code, stderr)
	}
	if minisign, err := exec.LookPath("minisign"); err == nil {
		if b, err := exec.Command(minisign, "-Vm", out, "-p", pub).CombinedOutput(); err == nil {
			t.Errorf("minisign accepted a copy with one byte changed:\n%s", b)
		}
	}
}

func TestVerifyTrustsThePartnersKeysTheAdminsAdded(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		if code, _, stderr := run(t, vars, "", "migrate"); code != 0 {
			t.Fatalf("migrate: %s", stderr)
		}
		partner, err := signing.LoadOrCreateKey(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		pkg := filepath.Join(t.TempDir(), "package.zip")
		if err := os.WriteFile(pkg, []byte("PK a course package"), 0o600); err != nil {
			t.Fatal(err)
		}
		f, _ := os.Open(pkg)
		sig, err := signing.SignPackage(partner, f, "sample", "2", []string{"en"}, time.Now())
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(pkg+".minisig", sig, 0o600); err != nil {
			t.Fatal(err)
		}
		// An instance that has not signed anything yet and trusts nobody: nothing to check with.
		code, _, stderr := run(t, vars, "", "courses", "verify", pkg)
		if code != 1 || !strings.Contains(stderr, "--pubkey") {
			t.Fatalf("verify with no key: %d %s", code, stderr)
		}
		// The instance's own key alone does not make a stranger's package good.
		if _, err := signing.LoadOrCreateKey(vars["CAIRN_DATA_DIR"]); err != nil {
			t.Fatal(err)
		}
		code, _, stderr = run(t, vars, "", "courses", "verify", pkg)
		if code != 1 || !strings.Contains(stderr, "not trusted") || !strings.Contains(stderr, partner.Public.ID()) {
			t.Fatalf("verify of an untrusted partner's package: %d %s", code, stderr)
		}
		cfg, _, err := config.Load("test", nil, func(k string) string { return vars[k] }, io.Discard, nil)
		if err != nil {
			t.Fatal(err)
		}
		db, err := database.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		err = store.New(db, nil).AddTrustedKey(context.Background(), store.TrustedKey{ID: partner.Public.ID(), Label: "Partner in Tunis", Key: partner.Public.String()})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := run(t, vars, "", "courses", "verify", pkg)
		if code != 0 || !strings.Contains(stdout, "by Partner in Tunis") || !strings.Contains(stdout, "cairn-course-package: course sample, version 2") {
			t.Fatalf("verify of a trusted partner's package: %d %s%s", code, stdout, stderr)
		}
	})
}
