package web

import (
	"net/url"
	"testing"
)

// TestSafeNextKeepsEveryDestinationOnThisSite runs a corpus of hostile and ordinary
// destinations. Hostile ones are those a browser's URL parser (WHATWG) would take to
// another host or scheme; each must fall back. Ordinary ones come back normalised.
func TestSafeNextKeepsEveryDestinationOnThisSite(t *testing.T) {
	hostile := []string{
		"",
		"//evil.example",
		"//evil.example/x",
		"///evil.example",
		"https://evil.example/",
		"http:evil.example",
		"https:evil.example",
		"HTTPS://evil.example",
		"javascript:alert(1)",
		" javascript:alert(1)",
		"data:text/html,<script>alert(1)</script>",
		`\\evil.example`,
		`/\evil.example`,
		`\/evil.example`,
		"/\t/evil.example",
		"\t//evil.example",
		"/\n/evil.example",
		"/\r\n/evil.example",
		" //evil.example",
		"\x00//evil.example",
		"\x1f/\\evil.example",
		"/\t\\evil.example",
		"/.//evil.example",
		"/./\\evil.example",
		"evil.example",
		"account",
		"./account",
		"?next=//evil.example",
		"#/evil.example",
		"/account\x00",
		"/account\x7f",
		"//user@evil.example",
		"/\\/evil.example",
	}
	// The query value as the router hands it over is decoded once: "/%09%5Cevil.example"
	// arrives as "/\t\evil.example".
	for _, enc := range []string{"/%09%5Cevil.example", "/%09/evil.example", "%2F%2Fevil.example", "/%5C%5Cevil.example", "/%0A/evil.example"} {
		dec, err := url.QueryUnescape(enc)
		if err != nil {
			t.Fatal(err)
		}
		hostile = append(hostile, dec)
	}
	for _, raw := range hostile {
		if got := safeNext(raw); got != nextFallback {
			t.Errorf("safeNext(%q) = %q, want the fallback %q", raw, got, nextFallback)
		}
	}

	good := map[string]string{
		"/account":                "/account",
		"/account/sessions":       "/account/sessions",
		"/courses/basics?lang=fr": "/courses/basics?lang=fr",
		" /account ":              "/account",
		"/acc\tount":              "/account",
		"/courses/a/../b":         "/courses/b",
		"/courses\\basics":        "/courses/basics",
		"/join?code=ab\\cd":       "/join?code=ab\\cd",
		"/cohorts/3#members":      "/cohorts/3",
		"/%2F%2Fevil.example":     "/%2F%2Fevil.example", // a path on this site: the browser does not decode %2F
		"/%5Cevil.example":        "/%5Cevil.example",
		"/live/7/plain?x=1&y=2":   "/live/7/plain?x=1&y=2",
		"/learning":               "/learning",
		"/courses/a b":            "/courses/a%20b",
		"/courses/é":              "/courses/%C3%A9",
		"/./account":              "/account",
	}
	for raw, want := range good {
		if got := safeNext(raw); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", raw, got, want)
		}
	}

	// Whatever is accepted must also stay on this site when a browser resolves it: a
	// second pass of the same normalisation changes nothing.
	for raw := range good {
		once := safeNext(raw)
		if twice := safeNext(once); twice != once {
			t.Errorf("safeNext is not stable on %q: %q then %q", raw, once, twice)
		}
	}
}
