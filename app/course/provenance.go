package course

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// A translation records the revision of the default-language file it was made from, so a
// change to the source cannot leave it silently out of date: lessons and trainer notes in
// their front matter (translated_from), quiz texts in a reserved top-level key
// (_translated_from; question ids start with a letter, so the two cannot clash). The same
// places may say review: pending (_review in quiz texts) while no second reader has checked
// the translation.
const (
	keyTranslatedFrom     = "translated_from"
	keyReview             = "review"
	keyQuizTranslatedFrom = "_translated_from"
	keyQuizReview         = "_review"
	reviewPendingValue    = "pending"
)

// RevisionLength is the number of hex digits of a revision.
const RevisionLength = 12

var revisionRE = regexp.MustCompile(`^[0-9a-f]{12}$`)

// Revision names a version of a source file: the first 12 hex digits of the SHA-256 of its
// bytes, with CRLF line ends read as LF (so a checkout on Windows has the same revision).
func Revision(src []byte) string {
	sum := sha256.Sum256(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")))
	return hex.EncodeToString(sum[:])[:RevisionLength]
}

// Provenance is what the loader knows about a translation against its source text.
type Provenance struct {
	From string // the source revision the translation records; "" when it records none
	// Stale: the translation records a revision and the source has changed since, so the
	// translation may say something the source no longer says.
	Stale bool
	// ReviewPending: the translation says review: pending (no second reader has checked it).
	ReviewPending bool
}

// claim is what one file says about its provenance, with the lines it says it on (counted
// in the file).
type claim struct {
	from, review           string
	fromGiven, reviewGiven bool
	fromLine, reviewLine   int
}

// frontMatterClaim reads translated_from and review from front matter whose keys were
// recorded with their lines (counted from the opening ---, hence the +1).
func frontMatterClaim(from, review string, keys map[string]int) claim {
	c := claim{from: strings.TrimSpace(from), review: strings.TrimSpace(review)}
	c.fromLine, c.fromGiven = keys[keyTranslatedFrom]
	c.reviewLine, c.reviewGiven = keys[keyReview]
	c.fromLine++
	c.reviewLine++
	return c
}

// sourceLanguageNames name the usual default languages in problems ("the English has
// changed since"); any other is named by its tag.
var sourceLanguageNames = map[string]string{"en": "English", "es": "Spanish", "fr": "French", "ar": "Arabic", "fa": "Persian"}

func theSource(lang string) string {
	if n, ok := sourceLanguageNames[lang]; ok {
		return "the " + n
	}
	return "the " + lang + " text"
}

// provenance checks what a translation (file, in lang) claims against the current revision
// of its source (srcName, in the default language defLang), reporting what is missing or
// out of date. fromKey and reviewKey are the keys as the file spells them.
func (l *loader) provenance(file string, c claim, srcName, defLang, sourceRev, fromKey, reviewKey string) Provenance {
	p := Provenance{From: c.from}
	if c.reviewGiven {
		if c.review == reviewPendingValue {
			p.ReviewPending = true
			l.ps.notef(file, c.reviewLine, "translation not yet checked by a second reader (%s: %s); its pages say so until the key is removed", reviewKey, reviewPendingValue)
		} else {
			l.ps.errorf(file, c.reviewLine, "%s %q: the only value is %s; remove the key once a second reader has checked the translation", reviewKey, c.review, reviewPendingValue)
		}
	}
	switch {
	case c.from == "":
		at := 1
		if c.fromGiven {
			at = c.fromLine
		}
		l.ps.warnf(file, at, "no %s: record the revision of %s this translation was made from: check it against %s (now revision %s) and run \"cairn courses stamp\"", fromKey, srcName, srcName, sourceRev)
	case !revisionRE.MatchString(c.from):
		p.Stale = true
		l.ps.warnf(file, c.fromLine, "%s %q is not a revision (%d hex digits, as \"cairn courses stamp\" writes them): check the translation against %s (now revision %s) and run \"cairn courses stamp\"", fromKey, c.from, RevisionLength, srcName, sourceRev)
	case c.from != sourceRev:
		p.Stale = true
		l.ps.warnf(file, c.fromLine, "translated from revision %s of %s; %s has changed since (now %s): check the translation and run \"cairn courses stamp\"", c.from, srcName, theSource(defLang), sourceRev)
	}
	return p
}

// sourceClaim warns when a default-language file says what only translations say.
func (l *loader) sourceClaim(file string, c claim, fromKey, reviewKey string) {
	if c.fromGiven {
		l.ps.warnf(file, c.fromLine, "%s in the default language: this file is the source the translations record; remove the key", fromKey)
	}
	if c.reviewGiven {
		l.ps.warnf(file, c.reviewLine, "%s in the default language: the review marker is for translations; remove the key", reviewKey)
	}
}

// quizTexts is a quiz.<lang>.yaml file: the texts of each question by question id, and the
// reserved keys _translated_from and _review.
type quizTexts struct {
	texts map[string]*questionText
	claim claim
}

func (q *quizTexts) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: give the texts of each question under its id", n.Line)
	}
	q.texts = map[string]*questionText{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if strings.HasPrefix(k.Value, "_") {
			if v.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: %s: give one value", k.Line, k.Value)
			}
			switch k.Value {
			case keyQuizTranslatedFrom:
				q.claim.from, q.claim.fromGiven, q.claim.fromLine = strings.TrimSpace(v.Value), true, k.Line
			case keyQuizReview:
				q.claim.review, q.claim.reviewGiven, q.claim.reviewLine = strings.TrimSpace(v.Value), true, k.Line
			default:
				return fmt.Errorf("line %d: unknown reserved key %q (the reserved keys are %s and %s)", k.Line, k.Value, keyQuizTranslatedFrom, keyQuizReview)
			}
			continue
		}
		if _, dup := q.texts[k.Value]; dup {
			return fmt.Errorf("line %d: question %q has texts twice", k.Line, k.Value)
		}
		t := &questionText{}
		if err := v.Decode(t); err != nil {
			return err
		}
		if t.line == 0 { // an empty value: its problems go on the key's line
			t.line = k.Line
		}
		q.texts[k.Value] = t
	}
	return nil
}
