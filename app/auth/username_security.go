package auth

import (
	"sort"
	"unicode"

	"github.com/mtibben/confusables"
)

// The identifier rules of Unicode Technical Standard #39 ("Unicode Security Mechanisms")
// that keep one username from passing for another. Versions, pinned:
//   - character properties (Default_Ignorable_Code_Point's parts, Script, Nd): Go's
//     unicode package, Unicode 15.0.0 in Go 1.26; see unicode.Version;
//   - confusables (the skeleton): github.com/mtibben/confusables at the version go.mod
//     pins, generated from confusables.txt of UTS #39 version 13.0.0.
// Upgrading either changes skeletons: see docs/SECURITY.md ("Names and free text") for the steps.

// isDefaultIgnorable reports the derived property Default_Ignorable_Code_Point, computed as
// DerivedCoreProperties.txt defines it (its test compares it with Unicode's own list). Such
// characters are invisible, so "al\u034Fice" or "alice\uFE0F" would look like "alice".
func isDefaultIgnorable(r rune) bool {
	switch {
	case unicode.Is(unicode.White_Space, r),
		r >= 0xFFF9 && r <= 0xFFFB,   // interlinear annotation controls
		r >= 0x13430 && r <= 0x13440, // Egyptian hieroglyph format controls
		unicode.Is(unicode.Prepended_Concatenation_Mark, r):
		return false
	}
	return unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) ||
		unicode.Is(unicode.Cf, r) ||
		unicode.Is(unicode.Variation_Selector, r)
}

// scriptNames lists the Script property values in a fixed order, so finding a rune's
// script does not depend on map iteration.
var scriptNames = func() []string {
	names := make([]string, 0, len(unicode.Scripts))
	for name := range unicode.Scripts {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}()

func scriptOf(r rune) string {
	for _, name := range scriptNames {
		if unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	return "Unknown"
}

// highlyRestrictive are the script mixes UTS #39 §5.2 allows beyond a single script: the
// ways Japanese, Chinese and Korean are written, each with Latin.
var highlyRestrictive = []map[string]bool{
	{"Latin": true, "Han": true, "Hiragana": true, "Katakana": true},
	{"Latin": true, "Han": true, "Bopomofo": true},
	{"Latin": true, "Han": true, "Hangul": true},
}

// singleScript tells whether s is written in one script (Common and Inherited characters,
// such as ASCII digits, "_" and combining marks, go with any) or in one of the mixes above.
// "аlice" with a Cyrillic "а" mixes Cyrillic and Latin and is refused.
func singleScript(s string) bool {
	scripts := map[string]bool{}
	for _, r := range s {
		switch sc := scriptOf(r); sc {
		case "Common", "Inherited":
		default:
			scripts[sc] = true
		}
	}
	if len(scripts) <= 1 {
		return true
	}
	for _, allowed := range highlyRestrictive {
		covered := true
		for sc := range scripts {
			covered = covered && allowed[sc]
		}
		if covered {
			return true
		}
	}
	return false
}

// digitZero returns the zero of r's numbering system. Unicode guarantees that decimal
// digits (Nd) come in contiguous runs of ten, zero first, so a run's start and r's offset
// in it are enough.
func digitZero(r rune) (rune, bool) {
	for _, rg := range unicode.Nd.R16 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi && rg.Stride == 1 {
			return lo + (r-lo)/10*10, true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi && rg.Stride == 1 {
			return lo + (r-lo)/10*10, true
		}
	}
	return 0, false
}

// oneNumberingSystem tells whether every digit of s comes from the same set of ten, so
// "user1٢" (ASCII 1, Arabic-Indic ٢) is refused while "user12" and "محمد١٢" are not.
func oneNumberingSystem(s string) bool {
	var zero rune = -1
	for _, r := range s {
		z, ok := digitZero(r)
		if !ok {
			continue
		}
		if zero >= 0 && z != zero {
			return false
		}
		zero = z
	}
	return true
}

// skeleton is UTS #39's skeleton of a username key, made blind to case: two names look
// alike when their skeletons are equal ("paypa1" and "paypal", "adrnin" and "admin"). The
// confusables table maps to either case ("0" to "O", "ο" to "o"), and usernames ignore case,
// so the skeleton is case-folded and mapped once more: "r00t" then matches "root". It is
// for comparing only, never for showing.
func skeleton(key string) string {
	return confusables.Skeleton(folder.String(confusables.Skeleton(key)))
}

// UsernameSkeleton returns the skeleton of a username as typed: the form the database keeps
// unique, so no two accounts can look alike.
func UsernameSkeleton(name string) string { return skeleton(UsernameKey(name)) }

var reservedSkeletons = func() map[string]bool {
	m := make(map[string]bool, len(reservedUsernames))
	for name := range reservedUsernames {
		m[skeleton(name)] = true
	}
	return m
}()
