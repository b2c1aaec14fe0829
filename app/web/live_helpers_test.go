package web_test

import (
	"errors"
	"net/url"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
)

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func openPostgresForTest(t *testing.T) *bun.DB {
	t.Helper()
	return dbtest.Open(t, "postgres")
}

// copyCookies gives a browser the same cookies on another server (the same site behind a
// load balancer).
func copyCookies(t *testing.T, from, to *testServer, b *browser) {
	t.Helper()
	fu, _ := url.Parse(from.URL)
	tu, _ := url.Parse(to.URL)
	b.client.Jar.SetCookies(tu, b.client.Jar.Cookies(fu))
}
