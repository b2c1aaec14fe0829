package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"testing"
)

// postMultipart sends fields as multipart/form-data, as a form with a file input would.
func (b *browser) postMultipart(path string, fields url.Values) page {
	b.t.Helper()
	return b.sendMultipart(path, fields)
}

// sendMultipart posts fields and files as multipart/form-data, exactly as given (no token
// added: the CSRF tests send forms without one).
func (b *browser) sendMultipart(path string, fields url.Values, files ...formFile) page {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				b.t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile(f.field, f.name)
		if err != nil {
			b.t.Fatal(err)
		}
		_, _ = fw.Write(f.data)
	}
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

// displayName reads the stored display name of username.
func displayName(t *testing.T, ts *testServer, username string) string {
	t.Helper()
	var name string
	if err := ts.DB.NewSelect().Table("users").Column("display_name").Where("username = ?", username).Scan(context.Background(), &name); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestCSRFTokenComesFromTheBodyOfThisSessionAndThisOriginOnly(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		alice := ts.browser(t)
		alice.signUp("alice")
		token := alice.csrf()
		form := url.Values{"display_name": {"Forged"}}

		// The right token in the query string: a link or a GET form could carry it.
		mustStatus(t, alice.postRaw("/account/profile?csrf_token="+url.QueryEscape(token), form.Encode()), http.StatusForbidden)
		// Missing.
		mustStatus(t, alice.postRaw("/account/profile", form.Encode()), http.StatusForbidden)
		// Another session's token.
		bob := ts.browser(t)
		bob.signUp("bob")
		form.Set("csrf_token", bob.csrf())
		mustStatus(t, alice.post("/account/profile", form), http.StatusForbidden)
		// The right token from a sibling subdomain or another site.
		form.Set("csrf_token", token)
		for _, site := range []string{"same-site", "cross-site"} {
			alice.header.Set("Sec-Fetch-Site", site)
			mustStatus(t, alice.post("/account/profile", form), http.StatusForbidden)
		}
		if got := displayName(t, ts, "alice"); got != "" {
			t.Fatalf("a refused form changed the profile to %q", got)
		}

		alice.header.Set("Sec-Fetch-Site", "same-origin")
		form.Set("display_name", "Alice")
		p := alice.post("/account/profile", form)
		mustStatus(t, p, http.StatusOK)
		if got := displayName(t, ts, "alice"); got != "Alice" {
			t.Fatalf("the right token did not save the profile: %q", got)
		}

		// A multipart form (one with a file input) carries the token in its body as well.
		mustStatus(t, alice.postMultipart("/account/profile?csrf_token="+url.QueryEscape(token), url.Values{"display_name": {"Forged"}}), http.StatusForbidden)
		mustStatus(t, alice.postMultipart("/account/profile", url.Values{"display_name": {"Alice M"}, "csrf_token": {token}}), http.StatusOK)
		if got := displayName(t, ts, "alice"); got != "Alice M" {
			t.Fatalf("a multipart form with the right token did not save the profile: %q", got)
		}
	})
}

func TestCSRFTokenChangesAtSignInAndTheFirstPageCarriesTheNewOne(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		setup := ts.browser(t)
		setup.signUp("carol")

		carol := ts.browser(t)
		before := carol.csrf() // the sign-in form's token, before any session
		// Another visitor's pre-session token does not sign this one in.
		stranger := ts.browser(t)
		mustStatus(t, carol.post("/login", url.Values{"username": {"carol"}, "password": {strongPassword}, "csrf_token": {stranger.csrf()}}), http.StatusForbidden)

		p := carol.post("/login", url.Values{"username": {"carol"}, "password": {strongPassword}, "csrf_token": {before}})
		mustStatus(t, p, http.StatusOK)
		m := csrfRE.FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatalf("the page after sign-in has no token:\n%s", p.Body)
		}
		after := m[1]
		if after == before {
			t.Fatal("the token did not change at sign-in")
		}
		form := url.Values{"display_name": {"Planted"}, "csrf_token": {before}}
		mustStatus(t, carol.post("/account/profile", form), http.StatusForbidden)
		if got := displayName(t, ts, "carol"); got != "" {
			t.Fatalf("a token from before sign-in changed the profile to %q", got)
		}
		form = url.Values{"display_name": {"Carol"}, "csrf_token": {after}}
		mustStatus(t, carol.post("/account/profile", form), http.StatusOK)
		if got := displayName(t, ts, "carol"); got != "Carol" {
			t.Fatalf("the token shown after sign-in did not work: %q", got)
		}
	})
}
