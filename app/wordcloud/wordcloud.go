// Package wordcloud turns the short answers a room types to an open question ("one word for
// how you feel about phishing") into a word cloud: answers that mean the same are grouped
// under one key, each group is shown once in the form most people typed, sized by how many
// gave it. It draws nothing: a size is one of a few classes the page styles, so the cloud is
// plain HTML text (no SVG, no image: Tor Browser's safest level shows it, and Arabic is
// shaped by the browser).
//
// An answer is kept whole, not split into words: "not sure" must not count as "sure".
package wordcloud

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/cairn-lms/cairn/app/freetext"
)

// MaxWords bounds the entries of a cloud: the most frequent, the rest left out (a cloud of
// hundreds of words is read by nobody, and the page must stay small on a phone).
const MaxWords = 60

// Sizes is the number of size classes, 1 (given least) to Sizes (given most).
const Sizes = 5

// Word is one entry of a cloud.
type Word struct {
	Text  string // the answer as most of its group typed it
	Key   string // what the group has in common (Key)
	Count int    // how many answers are in the group
	Size  int    // 1 … Sizes
}

// articles are the leading words dropped from an answer of several words, per language:
// only articles, so that "the fear" and "fear" are one entry. A tiny list on purpose: a
// longer one (pronouns, "not", "very") would change what people said. Arabic has none here:
// its article is a prefix (ال), and cutting it off would also cut words that only start like
// it. docs/live-protocol.md lists them.
var articles = map[string][]string{
	"en": {"a", "an", "the"},
	"es": {"el", "la", "los", "las", "un", "una", "unos", "unas"},
	"fr": {"le", "la", "les", "l", "un", "une", "des", "du"},
}

// Articles returns the leading words Key drops for lang (for documentation and tests).
func Articles(lang string) []string { return slices.Clone(articles[baseLang(lang)]) }

func baseLang(lang string) string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	return base
}

// arabicLetters folds the Arabic spellings that people type interchangeably, as search
// engines do (Lucene's ArabicNormalizer): alef with hamza or madda, and wasla, to bare alef;
// alef maksura to yeh; teh marbuta to heh; the tatweel (a stretching stroke) removed.
var arabicLetters = strings.NewReplacer(
	"\u0623", "\u0627", "\u0625", "\u0627", "\u0622", "\u0627", "\u0671", "\u0627",
	"\u0649", "\u064A",
	"\u0629", "\u0647",
	"\u0640", "",
)

// Key is what answers that mean the same have in common, in a session whose language is
// lang: case folded; Latin accents dropped (people on phones and foreign keyboards type
// "securite" for "sécurité"), except the tilde of Spanish ñ, a letter of its own there;
// Arabic short vowels and tatweel dropped and letter variants folded (arabicLetters);
// punctuation, spaces and symbols other than emoji between words reduced to one space; a
// leading article dropped when a word follows it. An answer with nothing left (only
// punctuation) has the empty key and no place in the cloud.
func Key(answer, lang string) string {
	lang = baseLang(lang)
	s := norm.NFKC.String(freetext.StripBidiControls(answer))
	s = arabicLetters.Replace(s)
	s = cases.Fold().String(s)
	var b strings.Builder
	var base rune
	for _, r := range norm.NFD.String(s) {
		switch {
		case r >= '\u0300' && r <= '\u036F': // combining accents of Latin, Greek and Cyrillic letters
			if lang == "es" && r == '\u0303' && base == 'n' {
				b.WriteRune(r)
			}
			continue
		case (r >= '\u064B' && r <= '\u0652') || r == '\u0670': // Arabic short vowels, shadda, sukun, dagger alef
			continue
		}
		if !unicode.Is(unicode.Mn, r) {
			base = r
		}
		b.WriteRune(r)
	}
	tokens := strings.FieldsFunc(norm.NFC.String(b.String()), func(r rune) bool { return !wordRune(r) })
	for len(tokens) > 1 && slices.Contains(articles[lang], tokens[0]) {
		tokens = tokens[1:]
	}
	return strings.Join(tokens, " ")
}

// wordRune tells whether r belongs to a word: letters, digits, marks, and the symbols emoji
// are made of (with their joiners).
func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) ||
		unicode.In(r, unicode.So, unicode.Sk) || r == '\u200C' || r == '\u200D'
}

// Surface is an answer as it is shown: surrounding punctuation and spaces trimmed, runs of
// spaces made one, in NFC. Case, accents and symbols ("C++") are the writer's.
func Surface(answer string) string {
	s := strings.Join(strings.Fields(norm.NFC.String(freetext.Clean(answer))), " ")
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r)
	})
}

// Build makes the cloud of answers given in a session whose language is lang, leaving out
// the keys in hidden (words the trainer hid). The words come in the order they are to be
// shown: the most frequent in the middle, less frequent ones alternately after and before
// it, so the eye starts at the centre; each word carries its count, so the order needs no
// explaining to a screen reader.
func Build(answers []string, lang string, hidden map[string]bool) []Word {
	type group struct {
		key      string
		count    int
		surfaces map[string]int
	}
	groups := map[string]*group{}
	for _, a := range answers {
		k := Key(a, lang)
		if k == "" || hidden[k] {
			continue
		}
		g := groups[k]
		if g == nil {
			g = &group{key: k, surfaces: map[string]int{}}
			groups[k] = g
		}
		g.count++
		if s := Surface(a); s != "" {
			g.surfaces[s]++
		}
	}
	ranked := make([]Word, 0, len(groups))
	for _, g := range groups {
		w := Word{Key: g.key, Count: g.count, Text: g.key}
		best := 0
		for s, n := range g.surfaces {
			if n > best || (n == best && preferred(s, w.Text)) {
				w.Text, best = s, n
			}
		}
		ranked = append(ranked, w)
	}
	slices.SortFunc(ranked, func(a, b Word) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key)) })
	if len(ranked) > MaxWords {
		ranked = ranked[:MaxWords]
	}
	if len(ranked) == 0 {
		return nil
	}
	most := ranked[0].Count
	for i := range ranked {
		ranked[i].Size = Size(ranked[i].Count, most)
	}
	// Middle out: 0 in the centre, 1 before it, 2 after it, 3 before 1, …
	var before, after []Word
	for i, w := range ranked {
		if i%2 == 0 {
			after = append(after, w)
		} else {
			before = append(before, w)
		}
	}
	slices.Reverse(before)
	return append(before, after...)
}

// preferred tells which of two forms typed equally often to show: the one with fewer
// capitals ("scared" rather than "Scared", a capital being most often the start of a
// sentence), then the first in code-point order, so that the choice is stable.
func preferred(a, b string) bool {
	upper := func(s string) int {
		n := 0
		for _, r := range s {
			if unicode.IsUpper(r) {
				n++
			}
		}
		return n
	}
	return cmp.Or(cmp.Compare(upper(a), upper(b)), strings.Compare(a, b)) < 0
}

// Size is the size class of a word given count times when the most frequent was given most
// times: logarithmic, since a few very common answers would otherwise shrink every other to
// the smallest class. Given once is the smallest and given most the largest; when every
// answer is different, all are the middle size.
func Size(count, most int) int {
	if most <= 1 {
		return (Sizes + 1) / 2
	}
	count = min(max(count, 1), most)
	return 1 + int(math.Round(float64(Sizes-1)*math.Log(float64(count))/math.Log(float64(most))))
}
