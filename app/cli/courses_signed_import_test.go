package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/coursepkg"
	"github.com/cairn-lms/cairn/app/signing"
)

// A partner exports a signed package; this instance imports it only once the partner's key
// is trusted, never after a byte changed, and never under another course's signature.
func TestASignedPackageFromAPartnerImportsOnlyWhenItsKeyIsTrusted(t *testing.T) {
	databases(t, func(t *testing.T, vars map[string]string) {
		dir := t.TempDir()
		// The partner: its own data directory and SQLite database, the sample course.
		partner := map[string]string{}
		for k, v := range vars {
			if k != "CAIRN_DATABASE_URL" {
				partner[k] = v
			}
		}
		partner["CAIRN_DATA_DIR"] = filepath.Join(dir, "partner-data")
		partner["CAIRN_COURSES_DIR"] = filepath.Join(dir, "partner-courses")
		if err := os.CopyFS(filepath.Join(partner["CAIRN_COURSES_DIR"], "sample"), os.DirFS("../course/testdata/valid/sample")); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "out")
		code, stdout, stderr := run(t, partner, "", "courses", "export", "--zip", "--sign", "--to", out, "sample")
		if code != 0 || !strings.Contains(stdout, "signed it") {
			t.Fatalf("signed export: %d %s %s", code, stdout, stderr)
		}
		pkg := filepath.Join(out, "sample.zip")

		if code, _, stderr := run(t, vars, "", "migrate"); code != 0 {
			t.Fatalf("migrate: %s", stderr)
		}
		list := func() string {
			_, out, _ := run(t, vars, "", "courses", "list")
			return out
		}
		// Not trusted yet: refused, nothing stored.
		code, _, stderr = run(t, vars, "", "courses", "import", pkg)
		if code != 1 || !strings.Contains(stderr, "not trusted") || !strings.Contains(list(), "0 package(s)") {
			t.Fatalf("import signed by a stranger: %d %s", code, stderr)
		}
		// The admin trusts the partner's key, as an operator would, with the command.
		_, pub := signing.KeyPaths(partner["CAIRN_DATA_DIR"])
		if code, stdout, stderr := run(t, vars, "", "keys", "trust", pub, "--label", "Partner in Tunis"); code != 0 {
			t.Fatalf("keys trust: %d %s %s", code, stdout, stderr)
		}

		// The same course changed after signing (one lesson edited): refused.
		edited := filepath.Join(dir, "edited", "sample")
		if err := os.CopyFS(edited, os.DirFS("../course/testdata/valid/sample")); err != nil {
			t.Fatal(err)
		}
		yaml := filepath.Join(edited, "course.yaml")
		y, err := os.ReadFile(yaml)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(yaml, append(y, []byte("# edited after signing\n")...), 0o644); err != nil {
			t.Fatal(err)
		}
		repacked, err := coursepkg.FromFS(os.DirFS(edited), "sample")
		if err != nil {
			t.Fatal(err)
		}
		changed := filepath.Join(dir, "changed.zip")
		if err := os.WriteFile(changed, repacked, 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr = run(t, vars, "", "courses", "import", changed, "--sig", pkg+".minisig")
		if code != 1 || !strings.Contains(stderr, "signature refused") || !strings.Contains(list(), "0 package(s)") {
			t.Fatalf("import of a changed package: %d %s", code, stderr)
		}
		data, err := os.ReadFile(pkg)
		if err != nil {
			t.Fatal(err)
		}
		// An unsigned package when a signature is required: refused.
		unsigned := filepath.Join(dir, "unsigned.zip")
		if err := os.WriteFile(unsigned, data, 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr = run(t, vars, "", "courses", "import", "--require-signature", unsigned)
		if code != 1 || !strings.Contains(stderr, "not signed") {
			t.Fatalf("unsigned import with --require-signature: %d %s", code, stderr)
		}

		// Trusted and intact: imported, and it says by whom.
		code, stdout, stderr = run(t, vars, "", "courses", "import", "--require-signature", pkg)
		if code != 0 || !strings.Contains(stdout, "signature good, by Partner in Tunis") || !strings.Contains(stdout, "imported sample") {
			t.Fatalf("import of a trusted partner's package: %d %s %s", code, stdout, stderr)
		}
	})
}
