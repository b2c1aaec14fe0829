package web_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestFlashCookieShowsOnlyFlashMessagesOfTheCatalogue(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.setCookie("cairn_flash", "flash_signed_out")
		p := b.get("/login")
		mustStatus(t, p, http.StatusOK)
		mustContain(t, p, "You are signed out.")
		if b.cookie("cairn_flash") != "" {
			t.Fatal("the flash cookie was not cleared once shown")
		}
		for _, id := range []string{"flash_made_up_by_a_client", "flash_12345", "error_csrf", "login_title_x"} {
			b.setCookie("cairn_flash", id)
			p := b.get("/login")
			mustStatus(t, p, http.StatusOK)
			if strings.Contains(p.Body, id) || strings.Contains(p.Body, "This form has expired") {
				t.Fatalf("flash cookie %q was shown:\n%s", id, p.Body)
			}
			if b.cookie("cairn_flash") != "" {
				t.Fatalf("flash cookie %q was not cleared", id)
			}
		}
	})
}
