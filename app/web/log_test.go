package web_test

import (
	"bytes"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func TestLogsHoldNoAddressesUserAgentsPasswordsOrTokens(t *testing.T) {
	for _, logIPs := range []bool{false, true} {
		name := "default"
		if logIPs {
			name = "operator opted in to IPs"
		}
		t.Run(name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *bun.DB) {
				logs := &syncBuffer{}
				cfg := testConfig()
				cfg.LogIPs = logIPs
				ts := startServerLogging(t, db, cfg, logs)
				b := ts.browser(t)
				b.header.Set("User-Agent", "DistinctiveAgent/9.9")
				codes := b.signUp("quietuser")
				token := b.cookie("cairn_session")
				b.post("/logout", nil)
				b.signIn("quietuser", strongPassword)
				ts.browser(t).post("/recover", url.Values{"username": {"quietuser"}, "code": {codes[0]}, "password": {"brand new phrase here"}, "password_confirm": {"brand new phrase here"}})
				b.get("/reset?token=secret-reset-token")

				out := logs.String()
				if !strings.Contains(out, "msg=request") || !strings.Contains(out, "route=/signup") {
					t.Fatalf("expected request log lines, got:\n%s", out)
				}
				forbidden := []string{"DistinctiveAgent", strongPassword, "brand new phrase", token, codes[0], "secret-reset-token", "quietuser"}
				if !logIPs {
					forbidden = append(forbidden, "127.0.0.1")
				}
				for _, f := range forbidden {
					if f != "" && strings.Contains(out, f) {
						t.Fatalf("log contains %q:\n%s", f, out)
					}
				}
				if logIPs && !strings.Contains(out, "ip=127.0.0.1") {
					t.Fatal("CAIRN_LOG_IPS=true but no IP logged")
				}
			})
		})
	}
}
