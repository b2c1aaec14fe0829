package web_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/cairn-lms/cairn/app/database/dbtest"
)

// BenchmarkLessonPageSignedIn measures one lesson request through the whole stack (HTTP,
// middleware, session lookup, progress query, template) on SQLite. The end-to-end figure on
// PostgreSQL with wrk is in docs/BENCHMARKS.md.
func BenchmarkLessonPageSignedIn(b *testing.B) {
	t := &testing.T{}
	ts := startServer(t, dbtest.Open(b, "sqlite"), testConfig())
	br := ts.browser(t)
	br.signUp("benchmarker")
	client := br.client
	url := ts.URL + "/courses/sample/lessons/first-steps"
	b.ResetTimer()
	for b.Loop() {
		resp, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatal(resp.StatusCode)
		}
	}
}
