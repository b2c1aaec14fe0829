// Package quiz holds question types, per-attempt ordering and grading. It is pure: no HTTP,
// no storage. Nothing here hands a correct answer to anything that renders a question.
package quiz

import (
	"crypto/sha256"
	"encoding/binary"
	"html/template"
	"math/rand/v2"
)

// Question types.
const (
	Single    = "single"
	Multiple  = "multiple"
	TrueFalse = "true_false"
	Short     = "short"
	Ordering  = "ordering"
)

// Types lists every known question type.
var Types = []string{Single, Multiple, TrueFalse, Short, Ordering}

// Quiz is a module's quiz: structure shared by every language, texts per language.
type Quiz struct {
	ID        string // the module id
	PassMark  int    // percent
	Shuffle   bool
	Review    Review // what a learner sees after an attempt
	Questions []*Question
}

// Question is one question; which fields matter depends on Type.
type Question struct {
	ID      string
	Type    string
	Options []Option // single, multiple: any order; ordering: the correct order
	Answer  bool     // true_false
	Match   string   // short: one of Matches; "" means MatchWords
	Texts   map[string]*Text
}

// Option is one choice; Correct matters for single and multiple.
type Option struct {
	ID      string
	Correct bool
}

// Text is what a question says in one language. Authors write stems, options, feedback and
// explanations in inline Markdown; the plain fields hold the text without its markup (for
// places that show text only), the HTML fields the same rendered and sanitised for pages.
type Text struct {
	Lang        string // the language it is written in
	Stem        string
	Options     map[string]string
	Feedback    map[string]string // by option id, or "true"/"false"
	Explanation string
	Accept      []string // short: accepted answers, as written (never Markdown)

	StemHTML        template.HTML
	OptionsHTML     map[string]template.HTML
	FeedbackHTML    map[string]template.HTML
	ExplanationHTML template.HTML
}

// Text returns the question's text in lang, or in fallback when lang has none.
func (q *Question) Text(lang, fallback string) *Text {
	if t, ok := q.Texts[lang]; ok {
		return t
	}
	return q.Texts[fallback]
}

// HasOptions tells whether the question is answered by choosing among options.
func (q *Question) HasOptions() bool {
	return q.Type == Single || q.Type == Multiple || q.Type == Ordering
}

// Question returns the question with id, or nil.
func (z *Quiz) Question(id string) *Question {
	for _, q := range z.Questions {
		if q.ID == id {
			return q
		}
	}
	return nil
}

// Presented is a question as one attempt shows it: options in the attempt's order.
type Presented struct {
	*Question
	OptionIDs []string
}

// Present returns the questions in the order of the attempt identified by seed: shuffled when
// the quiz says so, and with options always shuffled (a uniform Fisher–Yates shuffle, so every
// permutation is equally likely), so the order is random across attempts but stable within
// one (a reload or a failed submission shows the same order).
func (z *Quiz) Present(seed string) []Presented {
	rng := rngFor(z.ID, seed)
	qs := make([]*Question, len(z.Questions))
	copy(qs, z.Questions)
	if z.Shuffle {
		rng.Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })
	}
	out := make([]Presented, len(qs))
	for i, q := range qs {
		ids := make([]string, len(q.Options))
		for k, o := range q.Options {
			ids[k] = o.ID
		}
		if q.HasOptions() {
			// Every order equally likely, the right one included: an order that is never
			// shown, or shown less often than others, tells the answer to whoever reloads.
			r := rngFor(z.ID+"/"+q.ID, seed)
			r.Shuffle(len(ids), func(a, b int) { ids[a], ids[b] = ids[b], ids[a] })
		}
		out[i] = Presented{Question: q, OptionIDs: ids}
	}
	return out
}

func isInOrder(q *Question, ids []string) bool {
	for i, o := range q.Options {
		if ids[i] != o.ID {
			return false
		}
	}
	return true
}

func rngFor(scope, seed string) *rand.Rand {
	sum := sha256.Sum256([]byte(scope + "\x00" + seed))
	return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16])))
}
