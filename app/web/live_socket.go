package web

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/websocket"
)

// liveSocket upgrades to a websocket after the session cookie, cohort membership and Origin
// have been checked; the live service takes over the connection.
func (s *Server) liveSocket(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	if m.Session.EndedAt != nil {
		return fiber.NewError(fiber.StatusGone, "error_live_ended")
	}
	// A trainer's presenter view watches without being a person in the room (no
	// attendance, not counted); a participant asking for it is counted all the same.
	m.Watcher = m.Trainer && c.Query("watch") == "1"
	if s.draining.Load() {
		return s.refuseDraining(c)
	}
	// An instance that does not yet hear the other instances' events would leave this
	// participant behind; the console retries with back-off.
	t := time.NewTimer(10 * time.Second)
	defer t.Stop()
	select {
	case <-s.live.Ready():
	case <-t.C:
		return fiber.ErrServiceUnavailable
	}
	if !s.live.Listening() { // the listening connection is down: other instances' events would be missed
		return fiber.ErrServiceUnavailable
	}
	// A reconnecting console gives the last number it has and is sent what it missed; a
	// malformed or missing one gets a snapshot.
	since := int64(max(c.QueryInt("since"), 0))
	r := s.handshakeRequest(c)
	// Refusals the upgrader would make, made here while the request is still fiber's: they
	// get a normal error page, and the log and metrics their real status.
	if !websocket.IsWebSocketUpgrade(r) {
		return fiber.ErrUpgradeRequired
	}
	if !s.upgrader.CheckOrigin(r) {
		return fiber.ErrForbidden
	}
	// fasthttp hands the connection over once this handler returns. Its hijack handler only
	// starts the live connection's goroutine and returns: fasthttp then releases this
	// request's context and (KeepHijackedConns) leaves the connection open, instead of
	// holding both for the whole session, about 10 KB per participant.
	// Checked again under drainMu, which Shutdown holds while it starts draining: a
	// connection is either handed over before, and closed with the rest, or refused.
	s.drainMu.RLock()
	defer s.drainMu.RUnlock()
	if s.draining.Load() {
		return s.refuseDraining(c)
	}
	c.Context().HijackSetNoResponse(true)
	c.Context().Hijack(func(hijacked net.Conn) {
		conn := hijacked
		// Reading the socket itself skips fasthttp's 4 KiB read buffer, which a websocket
		// client leaves empty: it sends nothing before the handshake's answer (gorilla would
		// refuse one that did).
		if u, ok := hijacked.(interface{ UnsafeConn() net.Conn }); ok {
			conn = u.UnsafeConn()
		}
		if s.liveCtx.Err() != nil {
			// Shutdown began between this handler's check and the hand-over.
			_ = conn.SetWriteDeadline(time.Now().Add(time.Second))
			_, _ = conn.Write([]byte("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"))
			_ = conn.Close()
			return
		}
		go s.serveLive(s.liveCtx, conn, r, m, since)
	})
	return nil
}

// refuseDraining answers a live connection attempt on an instance that is shutting down:
// 503 with Retry-After, which the console treats as any failed attempt (it backs off and
// tries again, reaching another instance behind a load balancer).
func (s *Server) refuseDraining(c *fiber.Ctx) error {
	c.Set(fiber.HeaderRetryAfter, "5")
	c.Set(fiber.HeaderConnection, "close")
	return c.Status(fiber.StatusServiceUnavailable).SendString("shutting down")
}

// handshakeRequest is the upgrade request as gorilla's Upgrader reads it, its URL set to
// this site's origin for the Origin check. Everything is copied: fiber's strings point into
// fasthttp's buffers, which are reused for other requests once the connection is handed over.
func (s *Server) handshakeRequest(c *fiber.Ctx) *http.Request {
	h := http.Header{}
	for k, v := range c.Request().Header.All() {
		h.Add(string(k), string(v))
	}
	return &http.Request{
		Method: strings.Clone(c.Method()), URL: s.siteOrigin(c), Host: string(c.Request().Host()), Header: h,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}
}

// siteOrigin is this site's own origin as a URL carrying the request's path: the configured
// public URL's scheme and host when set, else the request's Host header with the scheme it
// was served over (TLS here, or X-Forwarded-Proto from a trusted proxy). A browser cannot
// forge either header on a cross-site page's behalf, so comparing Origin with it is sound;
// behind a TLS proxy that says nothing, set CAIRN_BASE_URL.
func (s *Server) siteOrigin(c *fiber.Ctx) *url.URL {
	u := &url.URL{Path: strings.Clone(c.Path())}
	if base, err := url.Parse(s.cfg.BaseURL); err == nil && base.Host != "" {
		u.Scheme, u.Host = base.Scheme, base.Host
		return u
	}
	u.Scheme, u.Host = strings.Clone(c.Protocol()), string(c.Request().Host())
	return u
}
