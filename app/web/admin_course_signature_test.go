package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/coursepkg/pkgtest"
	"github.com/cairn-lms/cairn/app/signing"
)

// uploadSigned sends a package with its .minisig through the admin page's form.
func (b *browser) uploadSigned(name string, data, sig []byte) page {
	b.t.Helper()
	return b.postFiles("/admin/courses/import", nil, formFile{"package", name, data}, formFile{"signature", name + ".minisig", sig})
}

// An admin sends a partner's package with its signature through the web page, as
// `cairn courses import` takes one beside the file: it is imported only under a key this
// instance trusts, never after a byte changed, never under another course's signature, and
// each refusal says why and stores nothing.
func TestAPackageUploadedWithItsSignatureIsImportedOnlyUnderATrustedKey(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := adminBrowser(t, ts, "sig-admin")
		partner, err := signing.LoadOrCreateKey(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		v1 := pkgtest.Package(t, "demo", pkgtest.Course("demo", "1", "Version one."))
		sign := func(pkg []byte, course, version string) []byte {
			t.Helper()
			sig, err := signing.SignPackage(partner, bytes.NewReader(pkg), course, version, []string{"en"}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			return sig
		}
		good := sign(v1, "demo", "1")
		refused := func(p page, why string) {
			t.Helper()
			mustStatus(t, p, http.StatusUnprocessableEntity)
			mustContain(t, p, why, "Nothing was imported")
			if n := countRows(t, ts.DB, "course_packages"); n != 0 {
				t.Fatalf("%d packages stored after a refused signature", n)
			}
		}

		// A stranger's key: refused, and the page says where to trust it.
		refused(admin.uploadSigned("demo.zip", v1, good), "does not trust")

		mustStatus(t, admin.post("/admin/trusted-keys", url.Values{"label": {"Partner NGO"}, "key": {partner.Public.String()}}), http.StatusOK)

		// Trusted now, but the package changed after signing (another lesson text).
		changed := pkgtest.Package(t, "demo", pkgtest.Course("demo", "1", "Version one, edited."))
		refused(admin.uploadSigned("demo.zip", changed, good), "does not match this package")
		// Not a signature at all.
		refused(admin.uploadSigned("demo.zip", v1, []byte("untrusted comment: hello\nnot a signature\n")), "does not match this package")
		// A good signature of these bytes whose manifest names another version.
		refused(admin.uploadSigned("demo.zip", v1, sign(v1, "demo", "2")), "another package (\u2066demo\u2069 version \u20662\u2069)")

		// The right signature: imported, and the audit log says by which key.
		p := admin.uploadSigned("demo.zip", v1, good)
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "The signature is good and the package passed the checks")
		if n := countRows(t, ts.DB, "course_packages"); n != 1 {
			t.Fatalf("%d packages stored after a good signature, want 1", n)
		}
		if audit := admin.get("/admin/audit"); !strings.Contains(audit.Body, "signed_by="+partner.Public.ID()) {
			t.Fatalf("the audit log does not name the signing key %s", partner.Public.ID())
		}

		// Without a signature the upload works as before (signatures are optional on the page).
		p = admin.upload("demo.zip", pkgtest.Package(t, "demo", pkgtest.Course("demo", "2", "Version two.")), false)
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "stored as a draft")
	})
}
