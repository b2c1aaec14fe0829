// Package freetext cleans text that one person types for others to read (names, titles,
// questions, poll text) of the invisible controls that can disguise it.
package freetext

import "strings"

// isBidiControl tells whether r is one of the bidirectional embedding, override or isolate
// controls (U+202A–U+202E, U+2066–U+2069). Each changes how the text after it is laid out
// until its terminator or the end of the paragraph, so "\u202Enimda" reads as "admin" and a
// stray one can reverse the words around a name on the page.
//
// The implicit marks U+200E LRM, U+200F RLM and U+061C ALM are kept: they only give a
// direction to the neutral characters next to them (punctuation, digits between Arabic
// words), cannot reverse letters, and people writing Arabic or Hebrew need them.
func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// HasBidiControls tells whether s holds an embedding, override or isolate control.
func HasBidiControls(s string) bool { return strings.IndexFunc(s, isBidiControl) >= 0 }

// StripBidiControls returns s without its embedding, override and isolate controls.
func StripBidiControls(s string) string {
	if !HasBidiControls(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

// Clean strips bidirectional controls and surrounding white space: the form every free-text
// field is stored in.
func Clean(s string) string { return strings.TrimSpace(StripBidiControls(s)) }
