package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/database/dbtest"
)

// adminBrowser signs up an account, makes it an admin and signs it in.
// postFile submits a multipart form with one file, as the logo form does.
func (b *browser) postFile(path, field, filename string, data []byte) page {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if err := w.WriteField("csrf_token", b.csrf()); err != nil {
		b.t.Fatal(err)
	}
	fw, err := w.CreateFormFile(field, filename)
	if err != nil {
		b.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	if err := w.Close(); err != nil {
		b.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, b.ts.URL+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{R: uint8(7 * x), G: 120, B: uint8(5 * y), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func nameForm(values map[string]string) url.Values {
	f := url.Values{}
	for k, v := range values {
		f.Set(k, v)
	}
	return f
}

var titleRE = regexp.MustCompile(`<title>([^<]*)</title>`)

func title(t *testing.T, p page) string {
	t.Helper()
	m := titleRE.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no title on %s", p.URL)
	}
	return m[1]
}

func TestTheInstanceNameAndDescriptionAreShownPerLanguageWithFallbacks(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := adminBrowser(t, ts, "root-admin")
		p := admin.post("/admin/instance", nameForm(map[string]string{
			"name_en":        "  Safe\tHaven \u202eLab  ",
			"name_ar":        "الملاذ الآمن",
			"description_en": "Training <script>alert(1)</script> for\nreporters",
		}))
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Settings saved")

		visitor := ts.browser(t)
		home := visitor.get("/?lang=en")
		if got := title(t, home); got != "Welcome · Safe Haven Lab" {
			t.Errorf("English title %q", got)
		}
		mustContain(t, home, `<h1 lang="en" dir="ltr">Safe Haven Lab</h1>`,
			`<p class="lead" lang="en" dir="ltr">Training &lt;script&gt;alert(1)&lt;/script&gt; for reporters</p>`)
		if strings.Contains(home.Body, "<script>alert") || strings.Contains(home.Body, "\u202e") {
			t.Error("the description or name reached the page unescaped or with its override")
		}
		ar := visitor.get("/?lang=ar")
		mustContain(t, ar, `<h1 lang="ar" dir="rtl">الملاذ الآمن</h1>`)
		// No Arabic description: the default language's, marked as English.
		mustContain(t, ar, `<p class="lead" lang="en" dir="ltr">Training`)
		if got := title(t, ar); !strings.HasSuffix(got, " · الملاذ الآمن") {
			t.Errorf("Arabic title %q", got)
		}
		// French has neither: the default language's name, in the header too.
		fr := visitor.get("/courses?lang=fr")
		mustContain(t, fr, `<span lang="en" dir="ltr">Safe Haven Lab</span></a>`)

		// Emptying every field brings back the built-in name and introduction.
		mustStatus(t, admin.post("/admin/instance", url.Values{}), http.StatusOK)
		home = visitor.get("/?lang=en")
		if got := title(t, home); got != "Welcome · Cairn" {
			t.Errorf("title after clearing %q", got)
		}
		mustContain(t, home, "Digital security training, at your pace")
	})
}

func TestATooLongNameIsRefusedInTheAdminsLanguageAndNothingIsLost(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := adminBrowser(t, ts, "root-admin")
		long := strings.Repeat("م", 61)
		p := admin.post("/admin/instance?lang=ar", nameForm(map[string]string{"name_ar": long, "name_en": "Kept", "description_fr": "Formation"}))
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "طويل جدًا", `value="`+long+`"`, `value="Kept"`, ">Formation</textarea>", `aria-invalid="true"`)
		if got := title(t, ts.browser(t).get("/?lang=en")); got != "Welcome · Cairn" {
			t.Errorf("a refused form changed the name: %q", got)
		}
		p = admin.post("/admin/instance?lang=en", nameForm(map[string]string{"description_es": strings.Repeat("x", 241)}))
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "The description in \u2068Español\u2069 is too long (characters allowed: 240).")
	})
}

var switcherRE = regexp.MustCompile(`<li><a href="[^"]*" lang="([a-z]+)" hreflang`)

func switcher(p page) []string {
	var out []string
	for _, m := range switcherRE.FindAllStringSubmatch(p.Body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestOnlyOfferedLanguagesAreNegotiatedAndListed(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := adminBrowser(t, ts, "root-admin")
		visitor := ts.browser(t)
		if got := switcher(visitor.get("/")); len(got) != 5 {
			t.Fatalf("a fresh instance offers %v, want the five shipped languages", got)
		}
		p := admin.post("/admin/languages", url.Values{"offered": {"en", "ar"}, "default_language": {"ar"}})
		mustStatus(t, p, http.StatusOK)

		visitor = ts.browser(t)
		visitor.header.Set("Accept-Language", "fr-FR,fr;q=0.9")
		home := visitor.get("/")
		mustContain(t, home, `<html lang="ar" dir="rtl"`)
		if got := strings.Join(switcher(home), ","); got != "ar,en" {
			t.Errorf("switcher lists %s, want ar,en", got)
		}
		// Asking for a language that is shipped but not offered changes nothing, nor is it
		// remembered.
		mustContain(t, visitor.get("/?lang=fr"), `<html lang="ar" dir="rtl"`)
		if c := visitor.cookie("cairn_lang"); c != "" {
			t.Errorf("the refused language was remembered: %q", c)
		}
		mustContain(t, visitor.get("/?lang=en"), `<html lang="en" dir="ltr"`)
		mustContain(t, visitor.get("/courses"), `<html lang="en" dir="ltr"`)
		// A cookie saying fr, from before French was withdrawn.
		old := ts.browser(t)
		old.setCookie("cairn_lang", "fr")
		mustContain(t, old.get("/"), `<html lang="ar" dir="rtl"`)

		// The form shows what is stored.
		page := admin.get("/admin?lang=en")
		mustContain(t, page, `id="offer-ar" name="offered" value="ar" checked`, `id="offer-en" name="offered" value="en" checked`,
			`id="offer-fr" name="offered" value="fr">`, `<option value="ar" lang="ar" selected>`)

		// Refusals, in the admin's language, keeping the choices made.
		p = admin.post("/admin/languages?lang=en", url.Values{"offered": {"en", "es"}, "default_language": {"fa"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "The default language must be one of the offered languages.", `value="es" checked`)
		p = admin.post("/admin/languages?lang=en", url.Values{"default_language": {"en"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "Offer at least one language.")
		p = admin.post("/admin/languages?lang=en", url.Values{"offered": {"en", "de"}, "default_language": {"en"}})
		mustStatus(t, p, http.StatusBadRequest)
		mustContain(t, p, "This language is not one of those Cairn ships.")
		if got := strings.Join(switcher(ts.browser(t).get("/")), ","); got != "ar,en" {
			t.Errorf("a refused form changed the offer: %s", got)
		}

		// One language only: no switcher at all.
		mustStatus(t, admin.post("/admin/languages", url.Values{"offered": {"es"}, "default_language": {"es"}}), http.StatusOK)
		home = ts.browser(t).get("/")
		mustContain(t, home, `<html lang="es" dir="ltr"`)
		if strings.Contains(home.Body, `class="languages"`) {
			t.Error("a one-language instance shows a language switcher")
		}
	})
}

var logoImgRE = regexp.MustCompile(`<img class="brand-logo" src="(/logo/[0-9a-f]{64})" width="(\d+)" height="(\d+)" alt="([^"]*)"`)

func TestALogoIsReEncodedServedWithItsVersionAndRemovable(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := adminBrowser(t, ts, "root-admin")
		mustStatus(t, admin.post("/admin/instance", url.Values{"name_en": {"Safe Haven"}}), http.StatusOK)
		p := admin.postFile("/admin/logo", "logo", "logo.png", testPNG(t, 1024, 256))
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Logo saved.")

		visitor := ts.browser(t)
		home := visitor.get("/?lang=en")
		m := logoImgRE.FindStringSubmatch(home.Body)
		if m == nil {
			t.Fatalf("no logo in the header:\n%s", home.Body)
		}
		if m[2] != "512" || m[3] != "128" || m[4] != "Safe Haven" {
			t.Errorf("logo %s×%s alt %q, want 512×128 alt Safe Haven", m[2], m[3], m[4])
		}
		logoURL := m[1]
		img := visitor.get(logoURL)
		mustStatus(t, img, http.StatusOK)
		if ct := img.Header.Get("Content-Type"); ct != "image/png" {
			t.Errorf("Content-Type %q", ct)
		}
		etag := img.Header.Get("ETag")
		if etag != `"`+strings.TrimPrefix(logoURL, "/logo/")+`"` {
			t.Errorf("ETag %q for %s", etag, logoURL)
		}
		if cc := img.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("Cache-Control %q", cc)
		}
		if img.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Error("the logo is served without nosniff")
		}
		cfg, err := png.DecodeConfig(strings.NewReader(img.Body))
		if err != nil || cfg.Width != 512 || cfg.Height != 128 {
			t.Fatalf("served logo %v %v", cfg, err)
		}
		req, _ := http.NewRequest(http.MethodGet, ts.URL+logoURL, nil)
		req.Header.Set("If-None-Match", etag)
		if again := visitor.do(req); again.Status != http.StatusNotModified || again.Body != "" {
			t.Errorf("a revalidation got %d with %d bytes", again.Status, len(again.Body))
		}
		mustStatus(t, visitor.get("/logo/"+strings.Repeat("0", 64)), http.StatusNotFound)
		mustStatus(t, visitor.get("/logo/..%2Fadmin"), http.StatusNotFound)

		// Refused uploads say why, in the admin's language, and keep the logo.
		var g bytes.Buffer
		if err := gif.Encode(&g, image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White}), nil); err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string][]byte{
			"a GIF":  g.Bytes(),
			"an SVG": []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`),
			"HTML":   []byte(`<!doctype html><script>alert(1)</script>`),
		} {
			p := admin.postFile("/admin/logo?lang=en", "logo", "logo.png", data)
			if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "This file is not a PNG or JPEG image.") {
				t.Errorf("%s named logo.png: status %d", name, p.Status)
			}
		}
		p = admin.postFile("/admin/logo?lang=ar", "logo", "logo.png", g.Bytes())
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "هذا الملف ليس صورة PNG أو JPEG.")
		p = admin.postFile("/admin/logo?lang=en", "logo", "", nil)
		mustStatus(t, p, http.StatusUnprocessableEntity)
		mustContain(t, p, "Choose a PNG or JPEG file to upload.")
		if logoImgRE.FindStringSubmatch(visitor.get("/").Body)[1] != logoURL {
			t.Error("a refused upload changed the logo")
		}

		p = admin.post("/admin/logo/remove", url.Values{})
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "Logo removed.")
		if strings.Contains(visitor.get("/").Body, "brand-logo") {
			t.Error("the header still shows a removed logo")
		}
		mustStatus(t, visitor.get(logoURL), http.StatusNotFound)
	})
}

// TestAnotherInstancesChangeIsSeenAtOnce runs two servers on one PostgreSQL database, each
// with its own connections, as behind a load balancer: a change made on one reaches the
// other by NOTIFY, well before the cached copy would expire on its own (a minute).
func TestAnotherInstancesChangeIsSeenAtOnce(t *testing.T) {
	db := dbtest.Open(t, "postgres")
	var schema string
	if err := db.NewRaw("SELECT current_schema()").Scan(context.Background(), &schema); err != nil {
		t.Fatal(err)
	}
	other, err := database.OpenPostgres(context.Background(), dbtest.PostgresURL(t), database.WithSearchPath(schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	cfg := testConfig()
	a, b := startServer(t, db, cfg), startServer(t, other, cfg)
	<-b.Srv.SettingsReady()
	visitor := b.browser(t)
	if got := title(t, visitor.get("/?lang=en")); got != "Welcome · Cairn" {
		t.Fatalf("title %q before the change", got)
	}
	admin := adminBrowser(t, a, "root-admin")
	mustStatus(t, admin.post("/admin/instance", url.Values{"name_en": {"Safe Haven"}}), http.StatusOK)
	mustStatus(t, admin.post("/admin/languages", url.Values{"offered": {"en", "ar"}, "default_language": {"en"}}), http.StatusOK)
	mustStatus(t, admin.postFile("/admin/logo", "logo", "logo.png", testPNG(t, 40, 40)), http.StatusOK)

	waitFor(t, 10*time.Second, "the other instance shows the new name, languages and logo", func() bool {
		p := visitor.get("/?lang=en")
		return title(t, p) == "Welcome · Safe Haven" && strings.Join(switcher(p), ",") == "ar,en" && logoImgRE.MatchString(p.Body)
	})
	logoURL := logoImgRE.FindStringSubmatch(visitor.get("/").Body)[1]
	mustStatus(t, visitor.get(logoURL), http.StatusOK)

	mustStatus(t, admin.post("/admin/logo/remove", url.Values{}), http.StatusOK)
	waitFor(t, 10*time.Second, "the other instance drops the removed logo", func() bool {
		return !strings.Contains(visitor.get("/").Body, "brand-logo")
	})
	mustStatus(t, visitor.get(logoURL), http.StatusNotFound)
}

// waitFor polls cond until it holds, failing the test at the deadline.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: not yet %s", limit, what)
		}
		time.Sleep(5 * time.Millisecond) // polling with a deadline
	}
}

// TestTheLogoUploadRefusesForgedMultipartForms: the CSRF route test sends URL-encoded
// forms; the logo form is multipart, read by another path of the CSRF check.
func TestTheLogoUploadRefusesForgedMultipartForms(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := adminBrowser(t, ts, "root-admin")
		send := func(token string, header map[string]string) page {
			var body bytes.Buffer
			w := multipart.NewWriter(&body)
			if token != "" {
				_ = w.WriteField("csrf_token", token)
			}
			fw, _ := w.CreateFormFile("logo", "logo.png")
			_, _ = fw.Write(testPNG(t, 8, 8))
			_ = w.Close()
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/admin/logo", &body)
			req.Header.Set("Content-Type", w.FormDataContentType())
			for k, v := range header {
				req.Header.Set(k, v)
			}
			p, _ := admin.doNoFollow(req)
			return p
		}
		right := admin.csrf()
		for name, p := range map[string]page{
			"no token":        send("", nil),
			"a wrong token":   send(strings.Repeat("A", len(right)), nil),
			"a cross-site":    send(right, map[string]string{"Sec-Fetch-Site": "cross-site"}),
			"another's token": send(ts.browser(t).csrf(), nil),
		} {
			if p.Status != http.StatusForbidden || !strings.Contains(p.Body, csrfRefusal) {
				t.Errorf("%s: status %d", name, p.Status)
			}
		}
		if n := countRows(t, ts.DB, "instance_logo"); n != 0 {
			t.Fatalf("a forged form stored a logo")
		}
		if p := send(right, nil); p.Status != http.StatusSeeOther {
			t.Fatalf("the real form: status %d", p.Status)
		}
	})
}

// TestPagesKeepTheLastKnownSettingsWhenTheDatabaseStopsAnswering: the first-aid page must
// help during an outage, so reading the settings cannot be what fails it.
func TestPagesKeepTheLastKnownSettingsWhenTheDatabaseStopsAnswering(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		admin := adminBrowser(t, ts, "root-admin")
		mustStatus(t, admin.post("/admin/instance", url.Values{"name_en": {"Safe Haven"}}), http.StatusOK)
		visitor := ts.browser(t)
		if got := title(t, visitor.get("/first-aid?lang=en")); !strings.HasSuffix(got, " · Safe Haven") {
			t.Fatalf("title %q", got)
		}
		// A change drops the cached copy; the database goes away before it is read again.
		if p, _ := admin.postNoFollow("/admin/instance", url.Values{"name_en": {"Renamed"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("rename: status %d", p.Status)
		}
		if err := ts.DB.Close(); err != nil {
			t.Fatal(err)
		}
		p := visitor.get("/first-aid?lang=en")
		mustStatus(t, p, http.StatusOK)
		if got := title(t, p); !strings.HasSuffix(got, " · Safe Haven") {
			t.Errorf("during the outage the title is %q, want the last known name", got)
		}
	})
}
