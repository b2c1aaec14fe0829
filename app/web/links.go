package web

import "strings"

// sendableLink is the link to path (which starts with "/") that a person hands on by chat,
// mail or paper: a reset link, an invitation, a cohort's join link. It is absolute only
// when the operator configured the public address. It is never built from the request's
// Host header, which the client chooses: a forged Host would put another site's address in
// a link the admin then sends out. Without CAIRN_BASE_URL the path alone is shown, with a
// note (Page.LinksNeedBaseURL) saying the address must be set.
func (s *Server) sendableLink(path string) string {
	if s.cfg.BaseURL == "" {
		return path
	}
	return strings.TrimRight(s.cfg.BaseURL, "/") + path
}
