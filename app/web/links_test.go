package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// forgedHost sends every request with another Host header, as a client (or a proxy that
// passes Host through) can.
type forgedHost struct {
	host string
	rt   http.RoundTripper
}

func (f forgedHost) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Host = f.host
	return f.rt.RoundTrip(r)
}

// sentLinks signs in an admin who is also a trainer, and collects the pages that show an
// invitation link, a password reset link and a cohort's join link, all requested with the
// Host header set to host.
func sentLinks(t *testing.T, ts *testServer, host string) []page {
	ts.browser(t).signUp("forgetful")
	admin := ts.browser(t)
	admin.signUp("warden")
	makeAdmin(t, ts, "warden")
	admin.signIn("warden", strongPassword)
	admin.client.Transport = forgedHost{host: host, rt: http.DefaultTransport}

	invite := admin.post("/admin/invites", url.Values{"max_uses": {"1"}, "days": {"7"}})
	mustStatus(t, invite, http.StatusCreated)
	var id int64
	if err := ts.DB.NewSelect().Table("users").Column("id").Where("username_key = ?", "forgetful").Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	reset := admin.post("/admin/users/"+strconvI(id)+"/reset-link", nil)
	mustStatus(t, reset, http.StatusCreated)
	cohortPath, _ := newCohort(t, admin, "0")
	join := admin.get(cohortPath)
	mustStatus(t, join, http.StatusOK)
	return []page{invite, reset, join}
}

var sentLinkRE = regexp.MustCompile(`<code dir="ltr" class="wrap">([^<]*)</code>`)

func TestLinksToSendNeverComeFromTheRequestHost(t *testing.T) {
	const forged = "evil.example"
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		for _, p := range sentLinks(t, ts, forged) {
			if strings.Contains(p.Body, forged) {
				t.Fatalf("page %s shows the forged host:\n%s", p.URL, p.Body)
			}
			m := sentLinkRE.FindStringSubmatch(p.Body)
			if m == nil || !strings.HasPrefix(m[1], "/") {
				t.Fatalf("page %s shows no link as a path: %v", p.URL, m)
			}
			mustContain(t, p, "CAIRN_BASE_URL")
		}
	})

	cfg := testConfig()
	cfg.BaseURL = "http://learn.example.org/"
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		for _, p := range sentLinks(t, ts, forged) {
			if strings.Contains(p.Body, forged) {
				t.Fatalf("page %s shows the forged host:\n%s", p.URL, p.Body)
			}
			m := sentLinkRE.FindStringSubmatch(p.Body)
			if m == nil || !strings.HasPrefix(m[1], "http://learn.example.org/") || strings.HasPrefix(m[1], "http://learn.example.org//") {
				t.Fatalf("page %s does not link from the base URL: %v", p.URL, m)
			}
			if strings.Contains(p.Body, "CAIRN_BASE_URL") {
				t.Fatalf("page %s asks for a base URL that is set", p.URL)
			}
		}
	})
}
