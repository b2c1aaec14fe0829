package live

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/websocket"
)

// Upgrader returns the websocket upgrader: only pages of this site may open a connection
// (Origin must be this host, or the configured public URL), which stops cross-site
// websocket hijacking with the learner's cookies.
func Upgrader(publicURL string) *websocket.Upgrader {
	allowed := ""
	if u, err := url.Parse(publicURL); err == nil && u.Host != "" {
		allowed = strings.ToLower(u.Host)
	}
	return &websocket.Upgrader{
		ReadBufferSize:  1024,
		WriteBufferSize: 1024,
		WriteBufferPool: &syncPool{},
		CheckOrigin: func(r *http.Request) bool {
			origin := r.Header.Get("Origin")
			if origin == "" {
				return false
			}
			u, err := url.Parse(origin)
			if err != nil {
				return false
			}
			host := strings.ToLower(u.Host)
			return host == strings.ToLower(r.Host) || (allowed != "" && host == allowed)
		},
	}
}

// ServeHTTP upgrades and serves one member's connection; ctx ends it (server shutdown).
func (s *Service) ServeHTTP(ctx context.Context, up *websocket.Upgrader, m Member) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return // the upgrader has answered with an error status
		}
		connCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		s.Serve(connCtx, conn, m)
	}
}
