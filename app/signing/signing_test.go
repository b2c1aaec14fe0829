package signing_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/signing"
)

// minisignCommand returns the path of the minisign command, skipping the test when it is
// missing unless CAIRN_TEST_REQUIRE_MINISIGN=1 (CI) makes that a failure.
func minisignCommand(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("minisign")
	if err != nil {
		if os.Getenv("CAIRN_TEST_REQUIRE_MINISIGN") == "1" {
			t.Fatal("the minisign command is required (apt-get install minisign) but not found")
		}
		t.Skip("minisign command not installed (apt-get install minisign)")
	}
	return p
}

func TestTheInstanceKeyIsCreatedOnceWithOwnerOnlyPermissions(t *testing.T) {
	data := t.TempDir()
	if _, err := signing.LoadKey(data); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a fresh data directory has a key: %v", err)
	}
	// The server and a command may both need the key first: they must agree on it.
	keys := make([]*signing.Key, 6)
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() { defer wg.Done(); keys[i], errs[i] = signing.LoadOrCreateKey(data) }()
	}
	wg.Wait()
	for i := range keys {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if keys[i].Public.ID() != keys[0].Public.ID() {
			t.Fatalf("two keys made at once: %s and %s", keys[0].Public.ID(), keys[i].Public.ID())
		}
	}
	secret, public := signing.KeyPaths(data)
	for path, want := range map[string]os.FileMode{filepath.Dir(secret): 0o700, secret: 0o600} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s has mode %04o, want %04o", path, info.Mode().Perm(), want)
		}
	}
	pub, err := os.ReadFile(public)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pub, keys[0].Public.File()) {
		t.Errorf("public key file %q is not the key's %q", pub, keys[0].Public.File())
	}
	again, err := signing.LoadOrCreateKey(data)
	if err != nil || again.Public.ID() != keys[0].Public.ID() {
		t.Fatalf("loading again gave another key: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(secret)); len(entries) != 2 {
		t.Errorf("key folder holds %d files, want the two keys (a temporary file was left?)", len(entries))
	}
	// A secret key others can read is refused.
	if err := os.Chmod(secret, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := signing.LoadKey(data); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a world-readable key was accepted: %v", err)
	}
}

func TestMinisignVerifiesOurSignatureAndRefusesOneChangedByte(t *testing.T) {
	minisign := minisignCommand(t)
	dir := t.TempDir()
	key, err := signing.LoadOrCreateKey(filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "course.zip")
	content := bytes.Repeat([]byte("offline course bytes\n"), 5000)
	if err := os.WriteFile(file, content, 0o600); err != nil {
		t.Fatal(err)
	}
	m := signing.Manifest{Kind: signing.KindOfflineBundle, Course: "phishing", Version: "1.2", Languages: []string{"en", "ar"},
		Date: time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)}
	sig, err := signing.Sign(key, bytes.NewReader(content), m.Comment())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file+".minisig", sig, 0o600); err != nil {
		t.Fatal(err)
	}
	_, pubFile := signing.KeyPaths(filepath.Join(dir, "data"))

	out, err := exec.Command(minisign, "-Vm", file, "-p", pubFile).CombinedOutput()
	if err != nil {
		t.Fatalf("minisign refused our signature: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Trusted comment: "+m.Comment()) {
		t.Errorf("minisign did not show the manifest:\n%s", out)
	}
	// The key given on the command line, as a partner would paste it.
	if out, err := exec.Command(minisign, "-Vm", file, "-P", key.Public.String()).CombinedOutput(); err != nil {
		t.Fatalf("minisign -P refused our signature: %v\n%s", err, out)
	}

	content[len(content)/2] ^= 1
	if err := os.WriteFile(file, content, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(minisign, "-Vm", file, "-p", pubFile).CombinedOutput(); err == nil {
		t.Fatalf("minisign accepted a file with one byte changed:\n%s", out)
	}
}

func TestMinisignSignaturesAreVerifiedHere(t *testing.T) {
	minisign := minisignCommand(t)
	dir := t.TempDir()
	// A partner instance that signs with the minisign command itself.
	sec, pub := filepath.Join(dir, "partner.key"), filepath.Join(dir, "partner.pub")
	if out, err := exec.Command(minisign, "-G", "-W", "-s", sec, "-p", pub).CombinedOutput(); err != nil {
		t.Fatalf("minisign -G: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "package.zip")
	if err := os.WriteFile(file, []byte("a course package"), 0o600); err != nil {
		t.Fatal(err)
	}
	comment := signing.Manifest{Kind: signing.KindCoursePackage, Course: "phishing", Version: "3", Date: time.Now()}.Comment()
	if out, err := exec.Command(minisign, "-S", "-s", sec, "-m", file, "-t", comment).CombinedOutput(); err != nil {
		t.Fatalf("minisign -S: %v\n%s", err, out)
	}
	pubText, err := os.ReadFile(pub)
	if err != nil {
		t.Fatal(err)
	}
	partner, err := signing.ParsePublicKey(string(pubText))
	if err != nil {
		t.Fatal(err)
	}
	sig, err := os.ReadFile(file + ".minisig")
	if err != nil {
		t.Fatal(err)
	}
	keys := []signing.PublicKey{{Label: "partner", Key: partner}}
	v, m, err := signing.VerifyPackage(strings.NewReader("a course package"), sig, keys)
	if err != nil {
		t.Fatal(err)
	}
	if v.Key.Label != "partner" || m.Course != "phishing" || m.Version != "3" {
		t.Errorf("verified %+v %+v", v, m)
	}
	if _, _, err := signing.VerifyPackage(strings.NewReader("a course packagE"), sig, keys); !errors.Is(err, signing.ErrBadSignature) {
		t.Errorf("a changed package: %v, want ErrBadSignature", err)
	}
}

func TestVerifyTellsAStrangersKeyFromAChangedFile(t *testing.T) {
	ours, err := signing.LoadOrCreateKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := signing.LoadOrCreateKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	file := []byte("PK a course package")
	sig, err := signing.SignPackage(stranger, bytes.NewReader(file), "phishing", "2 beta", []string{"en", "fa"}, now)
	if err != nil {
		t.Fatal(err)
	}
	trusted := []signing.PublicKey{ours.Public}
	_, _, err = signing.VerifyPackage(bytes.NewReader(file), sig, trusted)
	if !errors.Is(err, signing.ErrUnknownKey) || !strings.Contains(err.Error(), stranger.Public.ID()) {
		t.Fatalf("a stranger's signature: %v, want ErrUnknownKey naming %s", err, stranger.Public.ID())
	}
	trusted = append(trusted, signing.PublicKey{Label: "Partner NGO", Key: stranger.Public.Key})
	v, m, err := signing.VerifyPackage(bytes.NewReader(file), sig, trusted)
	if err != nil {
		t.Fatal(err)
	}
	want := signing.Manifest{Kind: signing.KindCoursePackage, Course: "phishing", Version: "2_beta", Languages: []string{"en", "fa"}, Date: now}
	if v.Key.Label != "Partner NGO" || m.Comment() != want.Comment() {
		t.Errorf("verified %q by %q, want %q by Partner NGO", m.Comment(), v.Key.Label, want.Comment())
	}
	// A good signature of a package is not one of an offline bundle.
	if _, _, err := signing.VerifyBundle(bytes.NewReader(file), sig, trusted); !errors.Is(err, signing.ErrWrongKind) {
		t.Errorf("package signature as a bundle's: %v, want ErrWrongKind", err)
	}
	// The trusted comment is signed too.
	forged := bytes.Replace(sig, []byte("course:phishing"), []byte("course:phishinG"), 1)
	if _, err := signing.Verify(bytes.NewReader(file), forged, trusted); !errors.Is(err, signing.ErrBadSignature) {
		t.Errorf("a changed trusted comment: %v, want ErrBadSignature", err)
	}
	if _, err := signing.Verify(bytes.NewReader(file), []byte("not a signature"), trusted); !errors.Is(err, signing.ErrBadSignature) {
		t.Errorf("garbage signature: %v, want ErrBadSignature", err)
	}
}

func TestParsePublicKeyTakesTheLineOrTheFile(t *testing.T) {
	k, err := signing.LoadOrCreateKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{k.Public.String(), string(k.Public.File()), "  " + strings.ReplaceAll(string(k.Public.File()), "\n", "\r\n")} {
		got, err := signing.ParsePublicKey(text)
		if err != nil || !got.Equal(k.Public.Key) {
			t.Errorf("ParsePublicKey(%q) = %v, %v", text, got, err)
		}
	}
	for _, bad := range []string{"", "hello", "RWQ" + strings.Repeat("A", 10), "a\nb\nc", "first line\n" + k.Public.String()} {
		if _, err := signing.ParsePublicKey(bad); err == nil {
			t.Errorf("ParsePublicKey(%q) accepted", bad)
		}
	}
}
