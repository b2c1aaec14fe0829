package freetext

import (
	"html/template"
	"net/url"
	"regexp"
	"strings"
)

// linkRE finds what Linkify turns into links: web addresses, email addresses and phone
// numbers written in international form (+ and digits, spaces, dots, dashes, brackets).
// The digits of a phone number may be Western, Persian (۰–۹) or Arabic-Indic (٠–٩), as a
// Persian or Arabic keyboard types them.
var linkRE = regexp.MustCompile(`https?://[^\s<>"]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|\+[0-9۰-۹٠-٩][0-9۰-۹٠-٩ .()-]{5,}[0-9۰-۹٠-٩]`)

// trailing is punctuation that ends a sentence rather than an address.
const trailing = `.,;:!?'")]}»،؛؟`

// Linkify renders plain text that one person typed for others to read (an operator's list
// of local contacts): every character is escaped, paragraphs are separated by blank lines,
// other line breaks are kept, and web and email addresses and international phone numbers
// become links. Each paragraph takes the direction of its own first letter. No markup the
// author typed survives.
func Linkify(s string) template.HTML {
	s = strings.ReplaceAll(StripBidiControls(s), "\r\n", "\n")
	var b strings.Builder
	for _, para := range strings.Split(s, "\n\n") {
		para = strings.Trim(para, "\n")
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.WriteString(`<p dir="auto">`)
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			linkifyLine(&b, line)
		}
		b.WriteString("</p>\n")
	}
	return template.HTML(b.String()) //nolint:gosec // every piece of input is escaped above
}

func linkifyLine(b *strings.Builder, line string) {
	last := 0
	for _, m := range linkRE.FindAllStringIndex(line, -1) {
		start, end := m[0], m[1]
		if start < last {
			continue
		}
		text := strings.TrimRight(line[start:end], trailing)
		href := linkTarget(text)
		if href == "" {
			continue
		}
		b.WriteString(template.HTMLEscapeString(line[last:start]))
		// dir="ltr" isolates the address, so an address inside Arabic text reads left to right.
		b.WriteString(`<a href="` + template.HTMLEscapeString(href) + `" dir="ltr" rel="noreferrer">`)
		b.WriteString(template.HTMLEscapeString(text))
		b.WriteString("</a>")
		last = start + len(text)
	}
	b.WriteString(template.HTMLEscapeString(line[last:]))
}

// linkTarget returns the href for a found address, or "" when it is not one after all.
func linkTarget(text string) string {
	switch {
	case strings.HasPrefix(text, "http://"), strings.HasPrefix(text, "https://"):
		u, err := url.Parse(text)
		if err != nil || u.Host == "" {
			return ""
		}
		return u.String()
	case strings.HasPrefix(text, "+"):
		digits := strings.Map(asciiDigit, text)
		if len(digits) < 7 || len(digits) > 15 { // E.164 numbers have at most 15 digits
			return ""
		}
		return "tel:+" + digits
	case strings.Contains(text, "@"):
		return "mailto:" + text
	}
	return ""
}

// asciiDigit returns the Western digit for a Western, Persian or Arabic-Indic digit (a tel:
// link is dialled in Western digits), and -1, dropping it, for anything else.
func asciiDigit(r rune) rune {
	switch {
	case r >= '0' && r <= '9':
		return r
	case r >= '۰' && r <= '۹':
		return '0' + r - '۰'
	case r >= '٠' && r <= '٩':
		return '0' + r - '٠'
	}
	return -1
}
