package loadtest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Connections that fail in different ways (a refused handshake, a closed port) are reported,
// not turned into a crash: a proxy with too few connections gives both kinds in one run.
func TestRunReportsDialFailuresOfDifferentKinds(t *testing.T) {
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusForbidden)
	}))
	defer refusing.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()

	f := &Fixture{TrainerToken: "t", Participants: []string{"p0", "p1"}, SessionID: 1, Lessons: []string{"l"}}
	var logged []string
	log := func(format string, a ...any) { logged = append(logged, fmt.Sprintf(format, a...)) }
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := Run(ctx, f, Options{URLs: []string{refusing.URL, closed}, DialWorkers: 1}, log)
	if err == nil || !strings.Contains(err.Error(), "trainer connection") {
		t.Fatalf("Run: got %v, want the trainer's connection to fail", err)
	}
	if res.Connected != 0 {
		t.Fatalf("connected %d, want 0", res.Connected)
	}
	if !strings.Contains(strings.Join(logged, "\n"), "some connections failed") {
		t.Fatalf("the failures were not reported; log: %q", logged)
	}
}
