package web

import "testing"

func TestASitePageFallsBackToTheDefaultLanguageThenTheSource(t *testing.T) {
	pages := sitePages{"en": {Lang: "en"}, "es": {Lang: "es"}}
	for _, tc := range []struct {
		lang, defaultLang, want string
		fellBack                bool
	}{
		{"es", "en", "es", false},
		{"fa", "es", "es", true}, // the instance's default language
		{"fa", "fr", "en", true}, // neither: the source
		{"en", "es", "en", false},
	} {
		got, fellBack := pages.pick(tc.lang, tc.defaultLang)
		if got.Lang != tc.want || fellBack != tc.fellBack {
			t.Errorf("pick(%q, default %q) = %s, fell back %v; want %s, %v", tc.lang, tc.defaultLang, got.Lang, fellBack, tc.want, tc.fellBack)
		}
	}
}
