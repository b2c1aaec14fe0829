// Package webtest serves a web.Server on a loopback port for tests, as the handler tests and
// the browser tests both need.
package webtest

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/web"
)

// Serve starts srv on a free loopback port and returns its base URL once it hears live
// events (PostgreSQL LISTEN in place), as a load balancer waits for /readyz: tests start
// sending at once. The server stops when the test ends.
func Serve(t testing.TB, srv *web.Server) string {
	t.Helper()
	return ServeOn(t, srv, Listen(t))
}

// Listen opens a free loopback port, for a test that must know the server's address before
// it builds the server (a CAIRN_BASE_URL that live connections must come from).
func Listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// ServeOn is Serve on a listener from Listen.
func ServeOn(t testing.TB, srv *web.Server, ln net.Listener) string {
	t.Helper()
	go func() { _ = srv.App.Listener(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	select {
	case <-srv.LiveReady():
	case <-time.After(30 * time.Second):
		t.Fatal("the server's live-event listener did not start")
	}
	// Settings changed on another instance reach this one from here on (and the listener's
	// start-up queries are over before a test counts queries).
	select {
	case <-srv.SettingsReady():
	case <-time.After(30 * time.Second):
		t.Fatal("the server's settings listener did not start")
	}
	return "http://" + ln.Addr().String()
}
