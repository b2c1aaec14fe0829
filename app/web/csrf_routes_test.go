package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// csrfRefusal is the start of the English message every refused form gets.
const csrfRefusal = "This form has expired or did not come from this site"

// TestEveryPostRouteRefusesFormsWithoutTheRightToken tries every POST route the router has,
// as a visitor the route admits, with each way a forged or replayed form could arrive.
// Each must be refused with the CSRF message; the same form with the right token must not.
func TestEveryPostRouteRefusesFormsWithoutTheRightToken(t *testing.T) {
	cfg := testConfig()
	cfg.AuthRateLimit = 10000
	cfg.SignupRateLimit = 10000
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		rules := authzRules()
		f := newAuthzFixture(t, ts)
		stranger := ts.browser(t)
		stranger.get("/login")
		for _, route := range routerRoutes(ts) {
			method, _, _ := strings.Cut(route, " ")
			if method != http.MethodPost {
				continue
			}
			rule, ok := rules[route]
			if !ok {
				t.Fatalf("%s has no entry in the authorisation matrix", route)
			}
			v := admittedVisitor(rule)
			b := f.visitors[v]
			path := rule.path(f)
			right := b.csrf()
			if right == "" {
				t.Fatalf("%s as %s: the visitor has no CSRF token", route, visitorNames[v])
			}
			attacks := []struct {
				name   string
				query  string
				form   url.Values
				header map[string]string
			}{
				{name: "no token", form: url.Values{}},
				{name: "a made-up token", form: url.Values{"csrf_token": {strings.Repeat("A", len(right))}}},
				{name: "another visitor's token", form: url.Values{"csrf_token": {stranger.csrf()}}},
				{name: "the token in the query string only", query: "?csrf_token=" + url.QueryEscape(right), form: url.Values{}},
				{name: "a cross-site request", form: url.Values{"csrf_token": {right}}, header: map[string]string{"Sec-Fetch-Site": "cross-site"}},
				{name: "a same-site request", form: url.Values{"csrf_token": {right}}, header: map[string]string{"Sec-Fetch-Site": "same-site"}},
			}
			for _, a := range attacks {
				req, err := http.NewRequest(http.MethodPost, ts.URL+path+a.query, strings.NewReader(a.form.Encode()))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				for k, val := range a.header {
					req.Header.Set(k, val)
				}
				p, _ := b.doNoFollow(req)
				if p.Status != http.StatusForbidden || !strings.Contains(p.Body, csrfRefusal) {
					t.Errorf("%s as %s with %s: status %d, want 403 with the CSRF message", route, visitorNames[v], a.name, p.Status)
				}
			}
			// The control: the same visitor's form with the right token gets past the check.
			p, _ := b.postNoFollow(path, url.Values{})
			if p.Status == http.StatusForbidden || strings.Contains(p.Body, csrfRefusal) {
				t.Errorf("%s as %s with the right token: status %d, refused like a forgery", route, visitorNames[v], p.Status)
			}
			f.resignIn(t)
			if fn := restore[route]; fn != nil {
				fn(t, f)
			}
		}
	})
}

// admittedVisitor is the most privileged visitor the matrix lets use a route.
func admittedVisitor(rule routeRule) visitor {
	for _, v := range []visitor{administrator, cohortTrainer, cohortLearner, anonymous} {
		if rule.want[v] == allowed {
			return v
		}
	}
	return anonymous
}
