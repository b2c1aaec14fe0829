package adminsetting_test

import (
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/adminsetting"
)

func TestTheRulesAcceptWhatTheAdminPageAcceptsAndNothingElse(t *testing.T) {
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"https://www.wikipedia.org/", true}, {"http://weather.example/today", true},
		{"javascript:alert(1)", false}, {"/account", false}, {"https://user:pw@example.org/", false},
		{"https://exa mple.org/", false}, {"https://example.org/" + strings.Repeat("a", 500), false}, {"", false},
	} {
		if got := adminsetting.ValidQuickExitURL(c.url); got != c.ok {
			t.Errorf("ValidQuickExitURL(%q) = %v", c.url, got)
		}
	}
	for mode, ok := range map[string]bool{"open": true, "invite": true, "closed": true, "Open": false, "": false} {
		if adminsetting.ValidRegistration(mode) != ok {
			t.Errorf("ValidRegistration(%q) != %v", mode, ok)
		}
	}
	for mode, ok := range map[string]bool{"public": true, "members": true, "private": false} {
		if adminsetting.ValidContentAccess(mode) != ok {
			t.Errorf("ValidContentAccess(%q) != %v", mode, ok)
		}
	}
	if got := adminsetting.CleanLine(" a\u202e\tb\n c "); got != "a b c" {
		t.Errorf("CleanLine = %q", got)
	}
	if got := adminsetting.CleanContacts("\n a \r\nb\x07\tc  \n\n"); got != "a\nb c" {
		t.Errorf("CleanContacts = %q", got)
	}
	if !adminsetting.ContactsFit(strings.Repeat("x\n", 11)+"x") || adminsetting.ContactsFit(strings.Repeat("x\n", 12)+"x") ||
		adminsetting.ContactsFit(strings.Repeat("x", adminsetting.MaxFirstAidContacts+1)) {
		t.Error("ContactsFit does not hold the limits")
	}
	for label, ok := range map[string]bool{" Partner ": true, "": false, " \u202e ": false, "a\nb": false, strings.Repeat("é", 81): false, strings.Repeat("é", 80): true} {
		if _, got := adminsetting.CleanKeyLabel(label); got != ok {
			t.Errorf("CleanKeyLabel(%q) ok = %v", label, got)
		}
	}
}
