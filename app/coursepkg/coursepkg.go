// Package coursepkg reads and writes course packages: a .zip of one course folder in the
// format of courses/README.md. Reading is where the care is: a package comes from whoever
// an admin trusted with a file, so nothing in it is believed before it is checked (names,
// kinds of entry, sizes actually decompressed, text encodings), and a refused package
// leaves nothing behind: the checks run in memory, before anything is stored.
package coursepkg

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/cairn-lms/cairn/app/course"
)

// Limits bound what a package may hold once decompressed.
type Limits struct {
	MaxEntries    int   // entries in the archive, folders included
	MaxFileBytes  int64 // one file, decompressed
	MaxTotalBytes int64 // every file, decompressed
	MaxRatio      int64 // decompressed size / compressed size of one file
}

// DefaultLimits are generous for a course (the shipped ones are well under a megabyte) and
// small for a server.
var DefaultLimits = Limits{MaxEntries: 2000, MaxFileBytes: 8 << 20, MaxTotalBytes: 64 << 20, MaxRatio: 200}

// Codes of refusals; the web page says each in the reader's language (i18n key
// "coursepkg_<code>").
const (
	CodeNotZip       = "not_zip"
	CodeEmpty        = "empty"
	CodeTooMany      = "too_many_entries"
	CodeBadName      = "bad_name"
	CodeTraversal    = "traversal"
	CodeAbsolute     = "absolute"
	CodeSymlink      = "symlink"
	CodeSpecial      = "special_file"
	CodeDuplicate    = "duplicate"
	CodeFileTooBig   = "file_too_big"
	CodeTotalTooBig  = "total_too_big"
	CodeRatio        = "ratio"
	CodeNotUTF8      = "not_utf8"
	CodeTopLevel     = "top_level"
	CodeNoCourseFile = "no_course_yaml"
	CodeCorrupt      = "corrupt"
	CodeEncrypted    = "encrypted"
)

// Error is a refused package: Code says why, Name which entry (when one is to blame).
type Error struct {
	Code  string
	Name  string
	Other string // the entry Name clashes with (duplicates)
	Limit int64  // the limit exceeded, when one was
}

func (e *Error) Error() string {
	msg := map[string]string{
		CodeNotZip:       "the file is not a zip archive",
		CodeEmpty:        "the archive holds no files",
		CodeTooMany:      fmt.Sprintf("the archive has more than %d entries", e.Limit),
		CodeBadName:      "an entry's name is not valid UTF-8 or holds a control character or backslash",
		CodeTraversal:    "an entry's path leads out of the course folder (..)",
		CodeAbsolute:     "an entry's path is absolute",
		CodeSymlink:      "an entry is a symbolic link",
		CodeSpecial:      "an entry is neither a file nor a folder",
		CodeDuplicate:    fmt.Sprintf("two entries have the same name (or names that differ only by case or Unicode normalisation): %q", e.Other),
		CodeFileTooBig:   fmt.Sprintf("an entry is larger than %d bytes once decompressed", e.Limit),
		CodeTotalTooBig:  fmt.Sprintf("the files add up to more than %d bytes once decompressed", e.Limit),
		CodeRatio:        fmt.Sprintf("an entry decompresses to more than %d times its compressed size", e.Limit),
		CodeNotUTF8:      "a text file is not valid UTF-8",
		CodeTopLevel:     "the archive must hold exactly one course folder and nothing beside it",
		CodeNoCourseFile: "the course folder has no course.yaml",
		CodeCorrupt:      "an entry cannot be decompressed",
		CodeEncrypted:    "an entry is encrypted",
	}[e.Code]
	if e.Name != "" {
		return fmt.Sprintf("%s: %s", e.Name, msg)
	}
	return msg
}

func refuse(code, name string) *Error { return &Error{Code: code, Name: name} }

// Package is a checked course package: one folder, its files in memory.
type Package struct {
	Root  string            // the course folder's name (the course id, once loaded)
	Files map[string][]byte // slash paths relative to Root
}

// textExts are checked to be UTF-8: everything the course loader reads as text.
var textExts = map[string]bool{".md": true, ".yaml": true, ".yml": true, ".txt": true, ".gift": true, ".csv": true, ".svg": true}

// Read checks data as a course package and returns its files. Every refusal is an *Error.
func Read(data []byte, lim Limits) (*Package, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, refuse(CodeNotZip, "")
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, &Error{Code: CodeTooMany, Limit: int64(lim.MaxEntries)}
	}
	pkg := &Package{Files: map[string][]byte{}}
	seen := map[string]string{} // folded name → the name first seen
	fold := cases.Fold()
	var total int64
	roots := map[string]bool{}
	for _, f := range zr.File {
		name := f.Name
		if err := checkName(name); err != nil {
			return nil, err
		}
		mode := f.Mode()
		isDir := mode.IsDir() || strings.HasSuffix(name, "/")
		switch {
		case mode&fs.ModeSymlink != 0 || unixType(f) == 0o120000:
			return nil, refuse(CodeSymlink, name)
		case !isDir && (!mode.IsRegular() || unixType(f) != 0 && unixType(f) != 0o100000):
			return nil, refuse(CodeSpecial, name)
		}
		if f.Flags&0x1 != 0 {
			return nil, refuse(CodeEncrypted, name)
		}
		clean := strings.TrimSuffix(name, "/")
		if strings.HasPrefix(clean, "__MACOSX") || path.Base(clean) == ".DS_Store" {
			continue // what macOS's Finder adds to every archive it makes: not the course's
		}
		key := fold.String(norm.NFC.String(clean))
		if first, ok := seen[key]; ok {
			return nil, &Error{Code: CodeDuplicate, Name: name, Other: first}
		}
		seen[key] = name
		root, rel, _ := strings.Cut(clean, "/")
		roots[root] = true
		if len(roots) > 1 || (!isDir && rel == "") {
			return nil, refuse(CodeTopLevel, name)
		}
		pkg.Root = root
		if isDir {
			continue
		}
		if int64(f.UncompressedSize64) > lim.MaxFileBytes || f.UncompressedSize64 > 1<<62 {
			return nil, &Error{Code: CodeFileTooBig, Name: name, Limit: lim.MaxFileBytes}
		}
		body, err := readLimited(f, lim)
		if err != nil {
			return nil, err
		}
		total += int64(len(body))
		if total > lim.MaxTotalBytes {
			return nil, &Error{Code: CodeTotalTooBig, Name: name, Limit: lim.MaxTotalBytes}
		}
		if textExts[strings.ToLower(path.Ext(rel))] && !utf8.Valid(body) {
			return nil, refuse(CodeNotUTF8, name)
		}
		pkg.Files[rel] = body
	}
	if len(pkg.Files) == 0 {
		return nil, refuse(CodeEmpty, "")
	}
	if _, ok := pkg.Files["course.yaml"]; !ok {
		return nil, refuse(CodeNoCourseFile, pkg.Root)
	}
	return pkg, nil
}

// checkName refuses names that could land outside the folder they are extracted into, on
// any system: absolute (/x, C:x, \\host), climbing (..), or ambiguous (backslashes, which
// Windows tools treat as separators, and control characters).
func checkName(name string) error {
	if !utf8.ValidString(name) || name == "" {
		return refuse(CodeBadName, name)
	}
	if strings.HasPrefix(name, "/") || (len(name) >= 2 && name[1] == ':') {
		return refuse(CodeAbsolute, name)
	}
	for _, part := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		if part == ".." {
			return refuse(CodeTraversal, name)
		}
		if part == "" || part == "." {
			return refuse(CodeBadName, name)
		}
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return refuse(CodeBadName, name)
		}
	}
	return nil
}

// unixType is the file type bits the archive's Unix attributes claim (0 when made elsewhere).
func unixType(f *zip.File) uint32 {
	if f.CreatorVersion>>8 != 3 { // 3: Unix
		return 0
	}
	return (f.ExternalAttrs >> 16) & 0o170000
}

// readLimited decompresses f, believing neither its declared size nor its compressor: it
// stops as soon as the output passes the per-file limit or the ratio allowed.
func readLimited(f *zip.File, lim Limits) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, refuse(CodeCorrupt, f.Name)
	}
	defer rc.Close()
	maxOut := lim.MaxFileBytes
	if lim.MaxRatio > 0 {
		// Small files may be all zeros or spaces: allow a floor before the ratio counts.
		maxOut = min(maxOut, max(int64(f.CompressedSize64)*lim.MaxRatio, 64<<10))
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(rc, maxOut+1))
	if err != nil {
		return nil, refuse(CodeCorrupt, f.Name)
	}
	if n > maxOut {
		if n > lim.MaxFileBytes {
			return nil, &Error{Code: CodeFileTooBig, Name: f.Name, Limit: lim.MaxFileBytes}
		}
		return nil, &Error{Code: CodeRatio, Name: f.Name, Limit: lim.MaxRatio}
	}
	return buf.Bytes(), nil
}

// FS is the course folder as a file system (its root is the folder).
func (p *Package) FS() fs.FS {
	b, err := Write(p.Root, p.Files)
	if err != nil {
		panic(err) // writing to memory does not fail
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		panic(err)
	}
	sub, err := fs.Sub(zr, p.Root)
	if err != nil {
		panic(err)
	}
	return sub
}

// Canonical is the package rewritten from its checked files: what Cairn stores and exports,
// so nothing it serves carries what the checks left aside (extra attributes, comments).
func (p *Package) Canonical() []byte {
	b, err := Write(p.Root, p.Files)
	if err != nil {
		panic(err)
	}
	return b
}

// epoch dates every entry, so the same files always make the same bytes (and checksum).
var epoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// Write packs files (slash paths relative to the course folder) into a package whose one
// top-level folder is root, in name order.
func Write(root string, files map[string][]byte) ([]byte, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		h := &zip.FileHeader{Name: root + "/" + n, Method: zip.Deflate, Modified: epoch}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(files[n]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// FromFS packs the course folder at the root of fsys (a folder on disk, the shipped
// courses) into a package named root. Only regular files are taken; the result passes Read.
func FromFS(fsys fs.FS, root string) ([]byte, error) {
	files := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		files[p] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pack %s: %w", root, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("pack %s: %w", root, errors.New("no files"))
	}
	return Write(root, files)
}

// Checksum is the SHA-256 of a package's bytes, in hex.
func Checksum(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Checked is a package that passed both the archive checks and the course checks.
type Checked struct {
	Course    *course.Course
	Canonical []byte // the bytes to store (Package.Canonical)
	Checksum  string
}

// Check reads data as a package, then loads its course exactly as `cairn courses check`
// loads one course folder. A refused archive is an *Error (and no problems); a course with
// errors returns its problems (file:line, named from the folder) and a nil *Checked.
func Check(data []byte, lim Limits, opts course.Options) (*Checked, []course.Problem, error) {
	pkg, err := Read(data, lim)
	if err != nil {
		return nil, nil, err
	}
	c, problems := course.LoadOne(pkg.FS(), pkg.Root, pkg.Root, opts)
	if c == nil {
		return nil, problems, nil
	}
	canon := pkg.Canonical()
	return &Checked{Course: c, Canonical: canon, Checksum: Checksum(canon)}, problems, nil
}
