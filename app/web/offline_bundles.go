package web

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/offline"
	"github.com/cairn-lms/cairn/app/signing"
)

// offlineBundles builds, signs and keeps the offline copies of courses (app/offline) in the
// data directory, one file per course and set of languages: a repeated download is a file
// read, not a build. A copy is rebuilt when the course it was made from is no longer the
// published one (a new version, or content reloaded with SIGHUP): it is remembered by the
// catalog's course itself, not by the version an author may forget to raise.
type offlineBundles struct {
	builder *offline.Builder
	dataDir string
	now     func() time.Time

	keyMu sync.Mutex // apart from mu: a course page asks for the key id while a copy builds
	key   *signing.Key

	mu    sync.Mutex                // one build at a time: builds are rare and use a core each
	built map[string]*offlineBundle // by course id and languages; bounded by the catalog
}

// offlineBundle is one built and signed copy.
type offlineBundle struct {
	from      *course.Course
	path      string // the zip, in the data directory
	name      string // the file name a download gets
	signature []byte // FILE.zip.minisig
}

func newOfflineBundles(b *offline.Builder, dataDir string, now func() time.Time) *offlineBundles {
	return &offlineBundles{builder: b, dataDir: dataDir, now: now, built: map[string]*offlineBundle{}}
}

// Key is the instance's signing key, made on first need (app/signing).
func (o *offlineBundles) Key() (*signing.Key, error) {
	o.keyMu.Lock()
	defer o.keyMu.Unlock()
	if o.key == nil {
		k, err := signing.LoadOrCreateKey(o.dataDir)
		if err != nil {
			return nil, fmt.Errorf("signing key: %w", err)
		}
		o.key = k
	}
	return o.key, nil
}

// Get returns the signed copy of c in langs (already checked with offline.Languages),
// building it if there is none of this course as published.
func (o *offlineBundles) Get(c *course.Course, langs []string) (*offlineBundle, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.getLocked(c, langs)
}

// Open is Get with the zip opened, under the same lock: the file sent is the one the
// signature is of, even if a rebuild replaces it meanwhile.
func (o *offlineBundles) Open(c *course.Course, langs []string) (*offlineBundle, *os.File, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	b, err := o.getLocked(c, langs)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.Open(b.path)
	if err != nil {
		delete(o.built, c.ID+"/"+strings.Join(langs, ","))
		return nil, nil, err
	}
	return b, f, nil
}

func (o *offlineBundles) getLocked(c *course.Course, langs []string) (*offlineBundle, error) {
	id := c.ID + "/" + strings.Join(langs, ",")
	if b := o.built[id]; b != nil && b.from == c {
		return b, nil
	}
	key, err := o.Key()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(o.dataDir, "offline")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	// Named without the version, so a new version replaces the old file.
	path := filepath.Join(dir, c.ID+"-"+strings.Join(langs, "-")+".zip")
	tmp, err := os.CreateTemp(dir, ".bundle-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	made := o.now().UTC().Truncate(time.Second)
	var buf bytes.Buffer
	if err := o.builder.Write(&buf, c, langs, made); err != nil {
		_ = tmp.Close()
		return nil, err
	}
	sig, err := signing.Sign(key, bytes.NewReader(buf.Bytes()), offline.Manifest(c, langs, made).Comment())
	if err != nil {
		_ = tmp.Close()
		return nil, err
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		_ = tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	// A download already reading the old file keeps reading it: a rename replaces the name.
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, err
	}
	b := &offlineBundle{from: c, path: path, name: offline.FileName(c, langs), signature: sig}
	o.built[id] = b
	return b, nil
}
