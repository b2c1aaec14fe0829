package web_test

import (
	"archive/zip"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/signing"
	"github.com/cairn-lms/cairn/app/store"
)

var offlineKeyIDRE = regexp.MustCompile(`minisign key <code dir="ltr">([0-9A-F]+)</code>`)

func TestTheCoursePageOffersASignedOfflineCopyBuiltOnce(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		course := b.get("/courses/sample")
		m := offlineKeyIDRE.FindStringSubmatch(course.Body)
		if m == nil {
			t.Fatalf("the course page shows no signing key id:\n%s", course.Body)
		}
		for _, want := range []string{`<form method="get" action="/courses/sample/offline.zip">`, `formaction="/courses/sample/offline.zip.minisig"`,
			`name="lang" value="en" checked`, `href="/cairn.pub"`} {
			if !strings.Contains(course.Body, want) {
				t.Errorf("the course page lacks %s", want)
			}
		}
		pub := b.get("/cairn.pub")
		key, err := signing.ParsePublicKey(pub.Body)
		if err != nil || signing.KeyID(key.ID()) != m[1] {
			t.Fatalf("/cairn.pub is not the key %s the page names: %v (%q)", m[1], err, pub.Body)
		}
		keys := []signing.PublicKey{{Label: "instance", Key: key}}

		zipPage := b.get("/courses/sample/offline.zip?lang=en")
		if zipPage.Status != http.StatusOK || !strings.HasPrefix(zipPage.Body, "PK") {
			t.Fatalf("download: %d, %.40q", zipPage.Status, zipPage.Body)
		}
		if cd := zipPage.Header.Get("Content-Disposition"); !strings.Contains(cd, `sample-`) || !strings.Contains(cd, `-en-offline.zip"`) {
			t.Errorf("Content-Disposition %q", cd)
		}
		if enc := zipPage.Header.Get("Content-Encoding"); enc != "" {
			t.Errorf("the zip was compressed again (%s)", enc)
		}
		if _, err := zip.NewReader(strings.NewReader(zipPage.Body), int64(len(zipPage.Body))); err != nil {
			t.Fatalf("not a zip: %v", err)
		}
		sig := b.get("/courses/sample/offline.zip.minisig?lang=en")
		_, manifest, err := signing.VerifyBundle(strings.NewReader(zipPage.Body), []byte(sig.Body), keys)
		if err != nil {
			t.Fatalf("the signature does not verify: %v", err)
		}
		if manifest.Course != "sample" || strings.Join(manifest.Languages, ",") != "en" || !manifest.Date.Equal(ts.Clock.Now().Truncate(time.Second)) {
			t.Errorf("manifest %+v", manifest)
		}
		changed := []byte(zipPage.Body)
		changed[len(changed)/2] ^= 0x20
		if _, _, err := signing.VerifyBundle(strings.NewReader(string(changed)), []byte(sig.Body), keys); err == nil {
			t.Error("a copy with one byte changed verified")
		}

		// Later downloads are the same file: not built again (its signed date would move).
		ts.Clock.Advance(time.Hour)
		again := b.get("/courses/sample/offline.zip?lang=en")
		sigAgain := b.get("/courses/sample/offline.zip.minisig?lang=en")
		if again.Body != zipPage.Body || sigAgain.Body != sig.Body {
			t.Error("a second download built the copy again")
		}
		// Courses reloaded (SIGHUP): the next download is built from them, signed anew.
		ts.Srv.ReloadCourses()
		rebuilt := b.get("/courses/sample/offline.zip.minisig?lang=en")
		if _, m, err := signing.VerifyBundle(strings.NewReader(b.get("/courses/sample/offline.zip?lang=en").Body), []byte(rebuilt.Body), keys); err != nil || !m.Date.Equal(ts.Clock.Now().Truncate(time.Second)) {
			t.Errorf("after a reload: %v, signed %v, want a copy made now (%v)", err, m.Date, ts.Clock.Now())
		}
		// Every language when none is ticked, and a language the course lacks is refused.
		all := b.get("/courses/sample/offline.zip.minisig")
		if !strings.Contains(all.Body, "languages:en,") {
			t.Errorf("no language chose %q, want every language of the course", all.Body)
		}
		bad := b.get("/courses/sample/offline.zip?lang=en&lang=xx")
		if bad.Status != http.StatusBadRequest || !strings.Contains(bad.Body, "not available in one of the languages") {
			t.Errorf("unknown language: %d", bad.Status)
		}
	})
}

func TestAdminsTrustPartnersKeysAndRemoveThem(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := ts.browser(t)
		admin.signUp("keeper")
		makeAdmin(t, ts, "keeper")
		admin.signIn("keeper", strongPassword)
		partner, err := signing.LoadOrCreateKey(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		p := admin.post("/admin/trusted-keys", url.Values{"label": {"Partner in Tunis"}, "key": {string(partner.Public.File())}})
		if p.Status != http.StatusOK || !strings.Contains(p.Body, "The key is now trusted.") || !strings.Contains(p.Body, partner.Public.ID()) {
			t.Fatalf("adding a key: %d\n%s", p.Status, p.Body)
		}
		refusals := []struct{ label, key, message string }{
			{"Again", partner.Public.String(), "already trusted"},
			{"Broken", "RWQ not a key", "not a minisign public key"},
			{"", partner.Public.String(), "short name"},
			{"Ourselves", ownKey(t, admin), "always trusted"},
		}
		for _, r := range refusals {
			p := admin.post("/admin/trusted-keys", url.Values{"label": {r.label}, "key": {r.key}})
			if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, r.message) {
				t.Errorf("adding %q: %d, want 422 saying %q", r.label, p.Status, r.message)
			}
			if r.label != "" && !strings.Contains(p.Body, r.label) {
				t.Errorf("adding %q: the form lost what was typed", r.label)
			}
		}
		keys, err := store.New(ts.DB, nil).TrustedKeys(t.Context())
		if err != nil || len(keys) != 1 || keys[0].Label != "Partner in Tunis" {
			t.Fatalf("trusted keys %+v %v", keys, err)
		}
		p = admin.post("/admin/trusted-keys/"+partner.Public.ID()+"/remove", url.Values{})
		if !strings.Contains(p.Body, "The key is no longer trusted.") || strings.Contains(p.Body, "<code dir=\"ltr\">"+partner.Public.ID()) {
			t.Fatalf("removing the key: %d", p.Status)
		}
	})
}

// ownKey reads the instance's public key as anyone can.
func ownKey(t *testing.T, b *browser) string {
	t.Helper()
	return b.get("/cairn.pub").Body
}
