package locale_test

import (
	"testing"

	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/i18n"
)

func TestAnOfferNegotiatesOnlyAmongItsLanguages(t *testing.T) {
	b, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	o, err := b.Offer([]string{"EN", "ar"}, "ar")
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	for _, l := range o.Languages() {
		tags = append(tags, l.Tag)
	}
	if len(tags) != 2 || tags[0] != "ar" || tags[1] != "en" {
		t.Fatalf("offered %v, want [ar en]", tags)
	}
	cases := []struct{ chosen, accept, want string }{
		{"", "", "ar"},                 // nothing asked: the offer's default, not the bundle's
		{"fr", "", "ar"},               // shipped but not offered
		{"fa", "fa-IR,en;q=0.5", "en"}, // the next preference that is offered
		{"", "es-MX,es;q=0.9", "ar"},   // nothing offered matches
		{"en", "ar", "en"},
		{"", "en-GB", "en"},
		{"zz", "", "ar"},
	}
	for _, tc := range cases {
		if l := o.Negotiate(tc.chosen, tc.accept); l.Lang.Tag != tc.want {
			t.Errorf("Negotiate(%q, %q) = %s, want %s", tc.chosen, tc.accept, l.Lang.Tag, tc.want)
		}
	}
	if _, ok := o.Lookup("fr"); ok || !o.Offers("AR") || o.Offers("fr") {
		t.Error("Lookup/Offers disagree with the offer")
	}
	if o.Default().Lang.Tag != "ar" {
		t.Errorf("default %s", o.Default().Lang.Tag)
	}
}

func TestAnOfferMustIncludeItsDefaultAndOnlyShippedLanguages(t *testing.T) {
	b, err := locale.Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		tags []string
		def  string
	}{
		"nothing offered":        {nil, "en"},
		"default not offered":    {[]string{"ar", "fa"}, "en"},
		"a language not shipped": {[]string{"en", "de"}, "en"},
		"a default not shipped":  {[]string{"en"}, "de"},
		"an empty default":       {[]string{"en"}, ""},
	} {
		if _, err := b.Offer(tc.tags, tc.def); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if got := len(b.All().Languages()); got != len(b.Languages()) {
		t.Errorf("All offers %d languages of %d", got, len(b.Languages()))
	}
}
