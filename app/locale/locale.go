// Package locale loads the UI translations and chooses the reader's language: an explicit
// choice first, then the browser's Accept-Language, then the instance default.
package locale

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// rtlLanguages are written right to left.
var rtlLanguages = map[string]bool{"ar": true, "fa": true, "he": true, "ur": true, "ps": true, "ckb": true, "yi": true, "dv": true}

// Dir is the direction a language is written in, "rtl" or "ltr", for the dir attribute of
// content in that language (a course's text inside a page in another language).
func Dir(tag string) string {
	base, _, _ := strings.Cut(strings.ToLower(tag), "-")
	if rtlLanguages[base] {
		return "rtl"
	}
	return "ltr"
}

// Language is one shipped UI language.
type Language struct {
	Tag  string // BCP 47, e.g. "ar"
	Name string // its own name for itself, e.g. "العربية"
	Dir  string // "ltr" or "rtl"
}

// Bundle holds every language and a ready localizer for each.
type Bundle struct {
	bundle     *i18n.Bundle
	languages  []Language
	localizers map[string]*Localizer
	fallback   string
	ids        map[string]bool // every message id in any language's file
	all        *Offer          // every shipped language, the configured default first
}

// Load reads every active.<tag>.toml in fsys. defaultTag must be among them; it is used
// when nothing the reader asks for is available, and for ids missing in a language.
func Load(fsys fs.FS, defaultTag string) (*Bundle, error) {
	base, err := language.Parse(defaultTag)
	if err != nil {
		return nil, fmt.Errorf("default locale %q: %w", defaultTag, err)
	}
	b := &Bundle{bundle: i18n.NewBundle(base), localizers: map[string]*Localizer{}, fallback: strings.ToLower(base.String()), ids: map[string]bool{}}
	b.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	files, err := fs.Glob(fsys, "active.*.toml")
	if err != nil {
		return nil, err
	}
	var tags []language.Tag
	for _, f := range files {
		mf, err := b.bundle.LoadMessageFileFS(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", f, err)
		}
		for _, m := range mf.Messages {
			b.ids[m.ID] = true
		}
		tag := language.Make(strings.TrimSuffix(strings.TrimPrefix(path.Base(f), "active."), ".toml"))
		tags = append(tags, tag)
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i].String() < tags[j].String() })
	found := false
	for _, t := range tags {
		tag := t.String()
		found = found || strings.ToLower(tag) == b.fallback
		dir := "ltr"
		if rtlLanguages[tag] {
			dir = "rtl"
		}
		l := &Localizer{loc: i18n.NewLocalizer(b.bundle, tag, b.fallback), plain: make(map[string]string, len(b.ids)), zero: digitZero[tag]}
		for id := range b.ids {
			l.plain[id] = l.localize(&i18n.LocalizeConfig{MessageID: id})
		}
		l.Lang = Language{Tag: tag, Dir: dir}
		l.Lang.Name = l.T("language_name")
		b.localizers[strings.ToLower(tag)] = l
		b.languages = append(b.languages, l.Lang)
	}
	if !found {
		return nil, fmt.Errorf("default locale %q has no active.%s.toml", defaultTag, defaultTag)
	}
	var all []string
	for _, l := range b.languages {
		all = append(all, l.Tag)
	}
	if b.all, err = b.Offer(all, b.fallback); err != nil {
		return nil, err
	}
	return b, nil
}

// Has tells whether id is a message of the catalogue, so that an id coming from a request
// (a cookie, say) can be checked before it is used.
func (b *Bundle) Has(id string) bool { return b.ids[id] }

// Languages lists the shipped languages, sorted by tag.
func (b *Bundle) Languages() []Language { return b.languages }

// Default returns the localizer of the instance default language.
func (b *Bundle) Default() *Localizer { return b.localizers[b.fallback] }

// Lookup returns the localizer of exactly tag, if shipped.
func (b *Bundle) Lookup(tag string) (*Localizer, bool) {
	l, ok := b.localizers[strings.ToLower(strings.TrimSpace(tag))]
	return l, ok
}

// Dari, the Persian of Afghanistan, has a code of its own (prs) that some systems send
// ("prs-AF" on Windows); the matcher does not know it is Persian, so it is asked for fa-AF.
var (
	dari               = language.MustParseBase("prs")
	persianAfghanistan = language.MustParse("fa-AF")
)

// Negotiate picks among every shipped language: chosen (query parameter or saved cookie)
// when it is shipped, then the best match for the Accept-Language header, then the default.
func (b *Bundle) Negotiate(chosen, acceptLanguage string) *Localizer {
	return b.all.Negotiate(chosen, acceptLanguage)
}

// All is the offer of every shipped language with the configured default: what an instance
// offers until an administrator chooses otherwise.
func (b *Bundle) All() *Offer { return b.all }

// Localizer translates into one language.
type Localizer struct {
	Lang Language
	loc  *i18n.Localizer
	// plain holds the translation of every catalogue message used without data (most of a
	// page), made at load time and only read afterwards: an id that is not in the catalogue
	// is never added, so ids coming from requests cannot make it grow.
	plain map[string]string
	// zero is the zero of the digits numbers are shown in, 0 for ASCII digits (numbers.go).
	zero rune
}

// T translates id with optional template data given as key, value pairs. A missing id shows
// as the id itself, which tests catch. Numbers in the data are written for the reader in
// the language's digits (numbers.go); strings are filled in as they are.
func (l *Localizer) T(id string, kv ...any) string {
	if len(kv) == 0 {
		if s, ok := l.plain[id]; ok {
			return s
		}
		return l.localize(&i18n.LocalizeConfig{MessageID: id})
	}
	return l.localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: l.localData(pairs(kv))})
}

// N translates id in the plural form for count; {{.Count}} is available to the message.
// Numbers in the data are written for the reader (numbers.go); the form is chosen by count.
func (l *Localizer) N(id string, count int, kv ...any) string {
	data := pairs(kv)
	data["Count"] = count
	return l.localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: l.localData(data)})
}

// TOr translates id, or returns fallback when no language has id (a course's tag that
// the interface has no name for, say).
func (l *Localizer) TOr(id, fallback string) string {
	if s, ok := l.plain[id]; ok {
		return s
	}
	return fallback
}

// Message translates a Message problem.
func (l *Localizer) Message(m *Message) string {
	if m.Count != nil {
		return l.localize(&i18n.LocalizeConfig{MessageID: m.ID, TemplateData: l.localData(m.Data), PluralCount: *m.Count})
	}
	return l.localize(&i18n.LocalizeConfig{MessageID: m.ID, TemplateData: l.localData(m.Data)})
}

func (l *Localizer) localize(cfg *i18n.LocalizeConfig) string {
	s, err := l.loc.Localize(cfg)
	if s == "" && err != nil {
		return cfg.MessageID
	}
	return s
}

func pairs(kv []any) map[string]any {
	m := make(map[string]any, len(kv)/2+1)
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			m[k] = kv[i+1]
		}
	}
	return m
}
