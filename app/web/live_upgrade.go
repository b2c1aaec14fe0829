package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cairn-lms/cairn/app/live"
	"github.com/gorilla/websocket"
)

// newUpgrader returns the websocket upgrader, built once per server: only pages of this site may open a connection,
// which stops cross-site websocket hijacking with the learner's cookies. The handshake
// request's URL carries the site's own origin (scheme and host, set by the web layer from
// the configured public URL or from the request as served); Origin must be exactly that
// origin: same scheme, host and port. An http:// page must not drive an https:// site, nor
// a page on another port of the same host.
func newUpgrader() *websocket.Upgrader {
	return &websocket.Upgrader{
		// A client's messages are small (a vote is under 200 bytes; the largest allowed is
		// live.MaxMessage, read through in pieces): 512 bytes read nearly all of them in
		// one call, and every connection keeps this buffer for as long as it is open.
		ReadBufferSize:  512,
		WriteBufferSize: 1024,
		// Write buffers are shared between connections: a buffer is held only while a
		// message is written, so thousands of idle participants do not each keep one.
		WriteBufferPool: &sync.Pool{},
		CheckOrigin: func(r *http.Request) bool {
			want, ok := sameOrigin(r.URL.Scheme + "://" + r.URL.Host)
			if !ok || r.URL.Host == "" {
				return false
			}
			got, ok := sameOrigin(r.Header.Get("Origin"))
			return ok && got == want
		},
	}
}

// sameOrigin returns the serialised origin of raw (scheme://host[:port], lower case, the
// scheme's default port left out), and whether raw is an http(s) origin at all.
func sameOrigin(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	switch {
	case scheme == "http" && (port == "" || port == "80"), scheme == "https" && (port == "" || port == "443"):
		port = ""
	case scheme != "http" && scheme != "https":
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host, true
}

// serveLive completes the websocket handshake of r on a connection the HTTP server has
// handed over, then lets the live service serve the member on it until it ends; ctx ends it
// early (shutdown). A handshake the upgrader refuses (missing headers, another site's
// Origin) is answered with its status and the connection closed.
func (s *Server) serveLive(ctx context.Context, conn net.Conn, r *http.Request, m live.Member, since int64) {
	w := &handedOver{conn: conn, header: http.Header{}}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		if w.status != 0 && !w.wrote {
			_, _ = w.Write(nil)
		}
		_ = conn.Close()
		return
	}
	// ctx itself, not a context per connection: Serve already ties the connection to
	// it, and 10,000 derived contexts cost megabytes for nothing.
	s.live.Serve(ctx, ws, m, since)
}

// handshakeWait bounds the write of a refused handshake's answer.
const handshakeWait = 10 * time.Second

// handedOver is the http.ResponseWriter gorilla's Upgrader asks for, over a connection that
// the HTTP server has already given up: the upgrade takes it through Hijack, and a refusal
// (http.Error: WriteHeader, then one Write) goes out as a minimal HTTP/1.1 response.
type handedOver struct {
	conn     net.Conn
	header   http.Header
	status   int
	wrote    bool
	hijacked bool
}

func (w *handedOver) Header() http.Header { return w.header }

func (w *handedOver) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *handedOver) Write(body []byte) (int, error) {
	if w.hijacked || w.wrote {
		return 0, http.ErrHijacked
	}
	w.wrote = true
	w.WriteHeader(http.StatusOK)
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", w.status, http.StatusText(w.status))
	w.header.Set("Content-Length", strconv.Itoa(len(body)))
	w.header.Set("Connection", "close")
	_ = w.header.Write(&b)
	b.WriteString("\r\n")
	b.Write(body)
	_ = w.conn.SetWriteDeadline(time.Now().Add(handshakeWait))
	if _, err := w.conn.Write(b.Bytes()); err != nil {
		return 0, err
	}
	return len(body), nil
}

// Hijack gives the upgrader the connection. Its buffers are tiny: gorilla reads and writes
// frames through its own, and writes only the 101 response through these.
func (w *handedOver) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.hijacked || w.wrote {
		return nil, nil, http.ErrHijacked
	}
	w.hijacked = true
	return w.conn, bufio.NewReadWriter(bufio.NewReaderSize(w.conn, 16), bufio.NewWriterSize(w.conn, 256)), nil
}
