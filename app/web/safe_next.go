package web

import (
	"net/url"
	"strings"
)

// nextFallback is where a sign-in goes when the requested destination is refused.
const nextFallback = "/account"

// nextBase stands for this site when a destination is resolved; any other host in the
// result means the destination leads elsewhere.
var nextBase = &url.URL{Scheme: "https", Host: "cairn.invalid", Path: "/"}

// safeNext keeps a post-sign-in destination on this site. A browser does not read a
// Location the way a naive check does: it follows the WHATWG URL parser, which drops tabs
// and newlines anywhere, trims control characters and spaces at both ends and reads "\" as
// "/" in the path, so "/\t/evil.example" or "/\\evil.example" lead to another host. The
// destination is normalised the same way first, then resolved against a stand-in base and
// accepted only when it stays there; what comes back is the normalised path and query, so
// the browser is never given the raw text.
func safeNext(raw string) string {
	s := strings.TrimFunc(raw, func(r rune) bool { return r <= 0x20 })
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	// For an http(s) base, "\" is a path separator up to the query; in the query and
	// fragment it stays a character.
	end := strings.IndexAny(s, "?#")
	if end < 0 {
		end = len(s)
	}
	s = strings.ReplaceAll(s[:end], `\`, "/") + s[end:]
	// Only a path-absolute reference can stay on this site whatever the parser: no scheme
	// ("https:x", "javascript:"), no authority ("//host"), nothing relative to the page.
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return nextFallback
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return nextFallback
		}
	}
	ref, err := url.Parse(s)
	if err != nil || ref.Scheme != "" || ref.Host != "" || ref.User != nil || ref.Opaque != "" {
		return nextFallback
	}
	u := nextBase.ResolveReference(ref)
	if u.Scheme != nextBase.Scheme || u.Host != nextBase.Host || u.User != nil {
		return nextFallback
	}
	// Removing dot segments can leave "//host" at the start ("/.//evil.example"), which
	// alone would be read as another host.
	path := u.EscapedPath()
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return nextFallback
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return path
}

func nextQuery(next string) string { return "?next=" + url.QueryEscape(next) }
