package signing

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Kinds of signed files.
const (
	// KindOfflineBundle is a static offline copy of a course (HTML, CSS, images).
	KindOfflineBundle = "cairn-offline-bundle"
	// KindCoursePackage is a course folder in the course format, zipped, for another instance
	// to import.
	KindCoursePackage = "cairn-course-package"
)

// Manifest is what the trusted comment of a Cairn signature says about the file: which kind of
// file, which course, version and languages, and when it was signed. Being in the trusted
// comment, it is covered by the signature: renaming a bundle of one course after another, or
// passing an old version off as new, makes verification fail.
type Manifest struct {
	Kind      string
	Course    string
	Version   string
	Languages []string
	Date      time.Time
}

// unsafeValue is what may not appear in a manifest value: the comment is one line of
// space-separated name:value fields.
var unsafeValue = regexp.MustCompile(`[^A-Za-z0-9._+~-]`)

func clean(s string) string { return unsafeValue.ReplaceAllString(s, "_") }

// Comment is the manifest as a trusted comment, for example
// "kind:cairn-offline-bundle course:phishing version:1.2 languages:en,ar date:2026-12-07T08:21:34Z".
func (m Manifest) Comment() string {
	langs := make([]string, len(m.Languages))
	for i, l := range m.Languages {
		langs[i] = clean(l)
	}
	return fmt.Sprintf("kind:%s course:%s version:%s languages:%s date:%s",
		clean(m.Kind), clean(m.Course), clean(m.Version), strings.Join(langs, ","), m.Date.UTC().Format(time.RFC3339))
}

// ParseManifest reads a trusted comment written by Comment.
func ParseManifest(comment string) (Manifest, error) {
	var m Manifest
	seen := map[string]bool{}
	for _, field := range strings.Fields(comment) {
		name, value, ok := strings.Cut(field, ":")
		if !ok || seen[name] {
			return m, fmt.Errorf("trusted comment %q is not a Cairn manifest", comment)
		}
		seen[name] = true
		switch name {
		case "kind":
			m.Kind = value
		case "course":
			m.Course = value
		case "version":
			m.Version = value
		case "languages":
			if value != "" {
				m.Languages = strings.Split(value, ",")
			}
		case "date":
			t, err := time.Parse(time.RFC3339, value)
			if err != nil {
				return m, fmt.Errorf("trusted comment: date %q: %w", value, err)
			}
			m.Date = t
		}
	}
	if m.Kind == "" || m.Course == "" || m.Version == "" || m.Date.IsZero() {
		return m, fmt.Errorf("trusted comment %q is not a Cairn manifest", comment)
	}
	return m, nil
}

// SignPackage signs a course package (a zipped course folder, the format of cairn courses
// import) of course id and version in languages, dated now; it returns the content of the
// FILE.zip.minisig file to put next to the zip.
func SignPackage(key *Key, pkg io.Reader, course, version string, languages []string, now time.Time) ([]byte, error) {
	m := Manifest{Kind: KindCoursePackage, Course: course, Version: version, Languages: slices.Clone(languages), Date: now}
	return Sign(key, pkg, m.Comment())
}

// ErrWrongKind: a good signature, but of another kind of file (an offline bundle offered as
// a course package, say).
var ErrWrongKind = errors.New("the signature is for another kind of file")

// VerifyPackage checks that sig (the content of FILE.zip.minisig) is a signature of the
// course package pkg by one of keys (this instance's and the ones its admins trust, store.TrustedKeys),
// and returns who signed it and the signed manifest. An importer should then check that the
// package's course.yaml names the same course and version as the manifest: a good signature
// of another course's package is no reason to install this one.
//
// Errors wrap ErrUnknownKey (signed, but not by a trusted key), ErrBadSignature (changed
// after signing, or not a signature) or ErrWrongKind (a signature of something else).
func VerifyPackage(pkg io.Reader, sig []byte, keys []PublicKey) (Verified, Manifest, error) {
	return verifyKind(pkg, sig, keys, KindCoursePackage)
}

// ErrOtherCourse: a good signature of a package, but of another course or version than the
// one offered with it.
var ErrOtherCourse = errors.New("the signature is for another course or version")

// VerifyPackageOf is VerifyPackage followed by the importer's check: the signed manifest
// names course and version, the ones the package's course.yaml holds. Its errors wrap
// ErrUnknownKey, ErrBadSignature, ErrWrongKind or ErrOtherCourse; with ErrOtherCourse the
// returned manifest says what was signed.
func VerifyPackageOf(pkg io.Reader, sig []byte, keys []PublicKey, course, version string) (Verified, Manifest, error) {
	v, m, err := VerifyPackage(pkg, sig, keys)
	if err != nil {
		return v, m, err
	}
	if m.Course != course || m.Version != version {
		return v, m, fmt.Errorf("%w: it is for %s version %s, the package holds %s version %s", ErrOtherCourse, m.Course, m.Version, course, version)
	}
	return v, m, nil
}

// VerifyBundle is VerifyPackage for offline bundles.
func VerifyBundle(bundle io.Reader, sig []byte, keys []PublicKey) (Verified, Manifest, error) {
	return verifyKind(bundle, sig, keys, KindOfflineBundle)
}

func verifyKind(r io.Reader, sig []byte, keys []PublicKey, kind string) (Verified, Manifest, error) {
	v, err := Verify(r, sig, keys)
	if err != nil {
		return v, Manifest{}, err
	}
	m, err := ParseManifest(v.TrustedComment)
	if err != nil {
		return v, m, err
	}
	if m.Kind != kind {
		return v, m, fmt.Errorf("%w: %s, not %s", ErrWrongKind, m.Kind, kind)
	}
	return v, m, nil
}
