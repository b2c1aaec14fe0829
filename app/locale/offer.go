package locale

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// Offer is the part of the shipped languages an instance offers its readers, with the one
// it falls back to. Negotiation only ever picks an offered language. An Offer is built once
// per change of the instance settings and only read afterwards, so requests share it.
type Offer struct {
	languages  []Language // offered, sorted by tag like Bundle.Languages
	localizers map[string]*Localizer
	matcher    language.Matcher
	matchOrder []string
	def        *Localizer
}

// Offer returns the offer of tags (shipped language tags, any case) with def as default.
// def must be one of tags; an empty or unknown tag is an error.
func (b *Bundle) Offer(tags []string, def string) (*Offer, error) {
	if len(tags) == 0 {
		return nil, fmt.Errorf("no language offered")
	}
	d, ok := b.Lookup(def)
	if !ok {
		return nil, fmt.Errorf("default language %q is not shipped", def)
	}
	want := map[string]bool{}
	for _, t := range tags {
		l, ok := b.Lookup(t)
		if !ok {
			return nil, fmt.Errorf("language %q is not shipped", t)
		}
		want[l.Lang.Tag] = true
	}
	if !want[d.Lang.Tag] {
		return nil, fmt.Errorf("default language %q is not offered", def)
	}
	o := &Offer{localizers: map[string]*Localizer{}, def: d}
	// The matcher prefers its first tag when nothing matches: put the default first.
	ordered := []language.Tag{language.Make(d.Lang.Tag)}
	o.matchOrder = []string{strings.ToLower(d.Lang.Tag)}
	for _, l := range b.languages {
		if !want[l.Tag] {
			continue
		}
		o.languages = append(o.languages, l)
		key := strings.ToLower(l.Tag)
		o.localizers[key] = b.localizers[key]
		if l.Tag != d.Lang.Tag {
			ordered = append(ordered, language.Make(l.Tag))
			o.matchOrder = append(o.matchOrder, key)
		}
	}
	o.matcher = language.NewMatcher(ordered)
	return o, nil
}

// Languages lists the offered languages, sorted by tag.
func (o *Offer) Languages() []Language { return o.languages }

// Default is the localizer of the offer's default language.
func (o *Offer) Default() *Localizer { return o.def }

// Lookup returns the localizer of exactly tag, if offered.
func (o *Offer) Lookup(tag string) (*Localizer, bool) {
	l, ok := o.localizers[strings.ToLower(strings.TrimSpace(tag))]
	return l, ok
}

// Offers tells whether tag is offered.
func (o *Offer) Offers(tag string) bool {
	_, ok := o.Lookup(tag)
	return ok
}

// Negotiate picks the language: chosen (query parameter or saved cookie) when it is
// offered, then the best offered match for the Accept-Language header, then the default.
func (o *Offer) Negotiate(chosen, acceptLanguage string) *Localizer {
	if l, ok := o.Lookup(chosen); ok {
		return l
	}
	if acceptLanguage != "" {
		if tags, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil && len(tags) > 0 {
			for i, t := range tags {
				if base, _ := t.Base(); base == dari {
					tags[i] = persianAfghanistan
				}
			}
			if _, idx, conf := o.matcher.Match(tags...); conf != language.No {
				return o.localizers[o.matchOrder[idx]]
			}
		}
	}
	return o.def
}
