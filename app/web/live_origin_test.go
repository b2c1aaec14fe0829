package web_test

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// dialWithOrigin opens the live socket of path with b's cookies and the given Origin, and
// returns the handshake's status.
func dialWithOrigin(t *testing.T, b *browser, path, origin string) int {
	t.Helper()
	u, _ := url.Parse(b.ts.URL)
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	var cookies []string
	for _, c := range b.client.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	h.Set("Cookie", strings.Join(cookies, "; "))
	conn, resp, err := websocket.DefaultDialer.Dial("ws://"+u.Host+path+"/ws", h)
	if err == nil {
		_ = conn.Close()
	}
	if resp == nil {
		t.Fatalf("dial with Origin %q: %v", origin, err)
	}
	return resp.StatusCode
}

func TestLiveSocketOriginMustMatchSchemeHostAndPort(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		u, _ := url.Parse(ts.URL)
		_, port, _ := net.SplitHostPort(u.Host)
		refused := []string{
			"",
			"null",
			"https://" + u.Host,             // same host and port, other scheme
			"http://" + u.Hostname() + ":1", // other port
			"http://localhost:" + port,      // other host
			"https://evil.example",
			"ws://" + u.Host,
		}
		for _, origin := range refused {
			if got := dialWithOrigin(t, f.learner, f.session, origin); got != http.StatusForbidden {
				t.Errorf("Origin %q: status %d, want 403", origin, got)
			}
		}
		for _, origin := range []string{ts.URL, "HTTP://" + u.Host} {
			if got := dialWithOrigin(t, f.learner, f.session, origin); got != http.StatusSwitchingProtocols {
				t.Errorf("Origin %q (this site): status %d, want 101", origin, got)
			}
		}
	})

	// With a public URL configured, that is the origin: an https page is not the http site.
	cfg := testConfig()
	cfg.BaseURL = "http://learn.example.org"
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		f := newLiveFixture(t, ts)
		for _, origin := range []string{"https://learn.example.org", "http://learn.example.org:8080", "http://other.example.org"} {
			if got := dialWithOrigin(t, f.learner, f.session, origin); got != http.StatusForbidden {
				t.Errorf("Origin %q: status %d, want 403", origin, got)
			}
		}
		for _, origin := range []string{"http://learn.example.org", "http://LEARN.example.org:80"} {
			if got := dialWithOrigin(t, f.learner, f.session, origin); got != http.StatusSwitchingProtocols {
				t.Errorf("Origin %q (the public URL): status %d, want 101", origin, got)
			}
		}
	})
}
