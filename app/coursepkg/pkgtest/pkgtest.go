// Package pkgtest builds course packages for tests, the malicious ones included, with the
// archive/zip writer: no binary fixture hides what it holds.
package pkgtest

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/coursepkg"
)

// Entry is one archive entry. Mode, when set, is stored as Unix attributes (a symlink).
type Entry struct {
	Name   string
	Body   []byte
	Mode   fs.FileMode
	Stored bool // no compression
}

// Zip writes entries as an archive, in order.
func Zip(t testing.TB, entries ...Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.Name, Method: zip.Deflate}
		if e.Stored {
			h.Method = zip.Store
		}
		if e.Mode != 0 {
			h.SetMode(e.Mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.Body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Course is a minimal valid course folder, id, whose one lesson l says body.
func Course(id, version, body string) map[string][]byte {
	return map[string][]byte{
		"course.yaml": []byte("id: " + id + "\nversion: \"" + version + "\"\ndefault_language: en\nlevel: beginner\nminutes: 5\nlicence: CC-BY-SA-4.0\n" +
			"title: {en: Course " + id + "}\nsummary: {en: S}\nmodules:\n  - id: m\n    title: {en: M}\n    lessons: [l]\n"),
		"m/l/en.md": []byte("---\ntitle: Lesson of " + id + "\n---\n" + body + "\n"),
	}
}

// Package packs a course folder's files under root.
func Package(t testing.TB, root string, files map[string][]byte) []byte {
	t.Helper()
	b, err := coursepkg.Write(root, files)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// With is a valid course package with extra entries appended.
func With(t testing.TB, id string, extra ...Entry) []byte {
	t.Helper()
	var entries []Entry
	for name, body := range Course(id, "1", "Fine.") {
		entries = append(entries, Entry{Name: id + "/" + name, Body: body})
	}
	return Zip(t, append(entries, extra...)...)
}

// Malicious is one refused package per kind of attack, named by the refusal's code.
func Malicious(t testing.TB) []struct {
	Code string
	Data []byte
} {
	t.Helper()
	zeros := make([]byte, 6<<20) // compresses about a thousandfold
	big := bytes.Repeat([]byte("abcdefghij"), 900<<10)
	return []struct {
		Code string
		Data []byte
	}{
		{coursepkg.CodeTraversal, With(t, "evil", Entry{Name: "evil/../../etc/cron.d/x", Body: []byte("x")})},
		{coursepkg.CodeAbsolute, With(t, "evil", Entry{Name: "/etc/passwd", Body: []byte("x")})},
		{coursepkg.CodeAbsolute, With(t, "evil", Entry{Name: "C:/Windows/x.md", Body: []byte("x")})},
		{coursepkg.CodeSymlink, With(t, "evil", Entry{Name: "evil/m/l/fr.md", Body: []byte("/etc/passwd"), Mode: fs.ModeSymlink | 0o777})},
		{coursepkg.CodeDuplicate, With(t, "evil", Entry{Name: "evil/course.yaml", Body: []byte("id: evil\n")})},
		{coursepkg.CodeDuplicate, With(t, "evil", Entry{Name: "evil/COURSE.yaml", Body: []byte("id: evil\n")})},
		// "é" as one code point, then as e and a combining accent: one name after NFC.
		{coursepkg.CodeDuplicate, With(t, "evil", Entry{Name: "evil/m/caf\u00e9.png", Body: []byte("a")}, Entry{Name: "evil/m/cafe\u0301.png", Body: []byte("b")})},
		{coursepkg.CodeRatio, With(t, "evil", Entry{Name: "evil/m/bomb.txt", Body: zeros})},
		{coursepkg.CodeFileTooBig, With(t, "evil", Entry{Name: "evil/m/big.png", Body: big, Stored: true})},
		{coursepkg.CodeTooMany, manyEntries(t)},
		{coursepkg.CodeNotUTF8, With(t, "evil", Entry{Name: "evil/m/l/fr.md", Body: []byte("---\ntitle: caf\xe9\n---\n")})},
		{coursepkg.CodeTopLevel, With(t, "evil", Entry{Name: "other/course.yaml", Body: []byte("id: other\n")})},
		{coursepkg.CodeTopLevel, With(t, "evil", Entry{Name: "README.md", Body: []byte("hi")})},
		{coursepkg.CodeNotZip, []byte("PK\x03\x04 this is not really an archive")},
	}
}

func manyEntries(t testing.TB) []byte {
	var extra []Entry
	for i := range coursepkg.DefaultLimits.MaxEntries {
		extra = append(extra, Entry{Name: "evil/m/f" + strings.Repeat("x", i%5) + string(rune('a'+i%26)) + "/" + strconv.Itoa(i) + ".png", Body: []byte{1}})
	}
	return With(t, "evil", extra...)
}

// Snapshot lists every file under dir with its content, to compare before and after.
func Snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			out[p+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
