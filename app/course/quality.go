package course

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/cairn-lms/cairn/app/quiz"
)

// Quiz-quality warnings: patterns that let a learner who does not know the answer guess it.
// Item-writing guidelines (Haladyna, Downing and Rodriguez, 2002) name a longer correct
// option and absolute words ("always", "never") as clues to the answer; a true/false quiz
// that is mostly "true", or multiple-answer questions that always have the same number of
// right options, reward a strategy instead of knowledge. The thresholds leave room for ordinary variation
// and catch the patterns an author falls into without noticing. Lengths are in characters
// (runes), checked in every language, since a translation can introduce a cue.

// longerRatio is how much longer (5/4 = 1.25 ×) right options may be before the length
// gives them away.
const longerNum, longerDen = 5, 4

// quizQuality checks one module's quiz in every language it has texts in. lines holds the
// line of each question's text, by language and question id.
func (l *loader) quizQuality(moduleID string, z *quiz.Quiz, lines map[string]map[string]int) {
	langs := make([]string, 0, len(lines))
	for lang := range lines {
		langs = append(langs, lang)
	}
	slices.Sort(langs)
	for _, lang := range langs {
		file := l.file(path.Join(moduleID, "quiz."+lang+".yaml"))
		for _, f := range quizCues(z, lang) {
			line := 0
			if f.question != "" {
				line = lines[lang][f.question]
			}
			l.ps.warnf(file, line, "%s", f.msg)
		}
	}
	if msg := trueFalseImbalance(z); msg != "" {
		l.ps.warnf(l.file(path.Join(moduleID, "quiz.yaml")), 0, "%s", msg)
	}
}

// courseQuality checks what only the course as a whole shows.
func (l *loader) courseQuality() {
	var zs []*quiz.Quiz
	for _, m := range l.c.Modules {
		if m.Quiz != nil {
			zs = append(zs, m.Quiz)
		}
	}
	if msg := multipleShapeRepeated(zs); msg != "" {
		l.ps.warnf(l.file("course.yaml"), 0, "%s", msg)
	}
}

// cue is one quality warning; question is "" when it concerns the whole quiz.
type cue struct{ question, msg string }

// quizCues returns the warnings of rules 1, 2, 3 and 5 for the texts in lang.
func quizCues(z *quiz.Quiz, lang string) []cue {
	var out []cue
	singles, longestRight := 0, 0
	for _, q := range z.Questions {
		t := q.Texts[lang]
		if t == nil {
			continue
		}
		switch q.Type {
		case quiz.Single:
			right, wrong, ok := optionLengths(q, t)
			if !ok || len(right) != 1 || len(wrong) == 0 {
				continue
			}
			singles++
			longestWrong := slices.Max(wrong)
			if right[0] > longestWrong {
				longestRight++
			}
			if right[0]*longerDen > longestWrong*longerNum {
				out = append(out, cue{q.ID, fmt.Sprintf(
					"question %q: the correct option (%d characters) is more than 1.25 × as long as the longest wrong one (%d): learners who guess pick the longest option; shorten it or make the wrong options as full",
					q.ID, right[0], longestWrong)})
			}
		case quiz.Multiple:
			right, wrong, ok := optionLengths(q, t)
			if !ok || len(right) == 0 || len(wrong) == 0 {
				continue
			}
			sr, sw := sum(right), sum(wrong)
			// mean(right) > 1.25 × mean(wrong), in integers.
			if sr*len(wrong)*longerDen > sw*len(right)*longerNum {
				out = append(out, cue{q.ID, fmt.Sprintf(
					"question %q: the correct options average %.0f characters, more than 1.25 × the wrong ones (%.0f): learners who guess pick the longer options; balance their lengths",
					q.ID, float64(sr)/float64(len(right)), float64(sw)/float64(len(wrong)))})
			}
		case quiz.TrueFalse:
			if q.Answer {
				continue
			}
			if w := absoluteWord(lang, t.Stem); w != "" {
				out = append(out, cue{q.ID, fmt.Sprintf(
					"question %q: the statement is false and says %q: absolute words give false statements away; state the specific misconception instead",
					q.ID, w)})
			}
		}
	}
	if singles >= 3 && longestRight*2 > singles {
		out = append(out, cue{"", fmt.Sprintf(
			"in %d of %d single-choice questions the correct option is the longest: learners who guess pick the longest option; make it the longest in at most half",
			longestRight, singles)})
	}
	return out
}

// optionLengths returns the lengths of the right and wrong options of q in t; ok is false
// when an option has no text in this language (the checker reports that on its own).
func optionLengths(q *quiz.Question, t *quiz.Text) (right, wrong []int, ok bool) {
	for _, o := range q.Options {
		s := strings.TrimSpace(t.Options[o.ID])
		if s == "" {
			return nil, nil, false
		}
		// The isolates around code spans (isolateLTR) are not characters a reader sees.
		n := utf8.RuneCountInString(s) - strings.Count(s, "\u2066") - strings.Count(s, "\u2069")
		if o.Correct {
			right = append(right, n)
		} else {
			wrong = append(wrong, n)
		}
	}
	return right, wrong, true
}

func sum(ns []int) int {
	s := 0
	for _, n := range ns {
		s += n
	}
	return s
}

// trueFalseImbalance is rule 4: in a quiz of three or more true/false questions, one answer
// clearly dominating (a difference of two or more, and more than two thirds).
func trueFalseImbalance(z *quiz.Quiz) string {
	yes, no := 0, 0
	for _, q := range z.Questions {
		if q.Type != quiz.TrueFalse {
			continue
		}
		if q.Answer {
			yes++
		} else {
			no++
		}
	}
	n := yes + no
	if n < 3 || max(yes-no, no-yes) < 2 || 3*max(yes, no) <= 2*n {
		return ""
	}
	return fmt.Sprintf("the %d true/false questions are %d true and %d false: a learner who always answers the same way scores well; keep them near half and half",
		n, yes, no)
}

// multipleShapeRepeated is rule 6: across a course with three or more multiple-answer
// questions, more than two thirds having the same number of right options out of the same
// number of options, so a learner learns to tick that many.
func multipleShapeRepeated(zs []*quiz.Quiz) string {
	type shape struct{ right, options int }
	count := map[shape]int{}
	n := 0
	for _, z := range zs {
		for _, q := range z.Questions {
			if q.Type != quiz.Multiple {
				continue
			}
			s := shape{options: len(q.Options)}
			for _, o := range q.Options {
				if o.Correct {
					s.right++
				}
			}
			count[s]++
			n++
		}
	}
	if n < 3 {
		return ""
	}
	for s, c := range count {
		if 3*c > 2*n {
			return fmt.Sprintf("%d of the course's %d multiple-answer questions have %d correct of %d options: learners learn to tick %d; vary it (2 of 4, 3 of 6, 1 of 4 …)",
				c, n, s.right, s.options, s.right)
		}
	}
	return ""
}

// absoluteWords are the words (and phrases) per language that make a statement sweeping,
// which rarely holds in security advice, so a false statement using one is easy to spot.
// A longer form comes before its first word, so the warning names what the stem says.
//
// Persian: the zero-width non-joiner is a word break here, so «هیچ» also finds «هیچ‌کدام»
// and «هیچ‌وقت» and «همه» finds «همهٔ» and «همه‌ی»; the forms written without it
// («هیچکس»، «هیچوقت») are listed. «هر» (every) is left out: «هر دو» (both) and «هرچند»
// (although) are everyday words; the phrases for everyone are listed instead.
var absoluteWords = map[string][]string{
	"en": {"always", "never", "all", "none", "only", "every", "everyone", "everything", "nobody", "nothing",
		"completely", "entirely", "totally", "impossible", "guarantee", "guaranteed", "guarantees"},
	"es": {"siempre", "nunca", "jamás", "todo", "todos", "toda", "todas", "ningún", "ninguno", "ninguna",
		"nadie", "nada", "solo", "sólo", "únicamente", "completamente", "totalmente", "imposible",
		"garantiza", "garantizado"},
	"fr": {"toujours", "jamais", "tout", "tous", "toute", "toutes", "aucun", "aucune", "rien", "seul",
		"seule", "seulement", "uniquement", "complètement", "totalement", "impossible", "garanti", "garantie"},
	"ar": {"دائما", "دائمًا", "أبدا", "أبدًا", "كل", "جميع", "مطلقا", "مطلقًا", "فقط", "مستحيل", "تماما", "تمامًا", "لا أحد"},
	"fa": {"همیشه", "هرگز", "هیچ\u200cکس", "هیچکس", "هیچ\u200cچیز", "هیچوقت", "هیچ", "همه\u200cچیز", "همه", "همگی",
		"هرکس", "هر کس", "هرکسی", "هر کسی", "تمامی", "تمام", "فقط", "تنها", "کاملاً", "تماماً", "مطلقاً",
		"ابداً", "غیرممکن", "ناممکن", "تضمینی", "تضمین"},
}

// absoluteWord returns the first absolute word or phrase of lang found in stem as whole
// words, or "". Case and diacritics are ignored on both sides, so "دائماً" and "دائمًا"
// (tanween before or after the alef), "کاملاً" and "کاملا", or "solo" and "sólo" match
// alike; so is the keyboard a Persian stem was typed on ("هيچ" with the Arabic yeh).
func absoluteWord(lang, stem string) string {
	words := matchWords(stem)
	for _, w := range absoluteWords[lang] {
		phrase := matchWords(w)
		for i := 0; i+len(phrase) <= len(words); i++ {
			if slices.Equal(words[i:i+len(phrase)], phrase) {
				return w
			}
		}
	}
	return ""
}

// matchWords splits s into lower-cased words without diacritics, with the Arabic yeh, alef
// maqsura and kaf read as the Persian yeh and keheh (what an Arabic keyboard types for
// them), on both sides of a comparison.
func matchWords(s string) []string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch r {
		case 'ي', 'ى':
			r = 'ی'
		case 'ك':
			r = 'ک'
		}
		switch {
		case unicode.Is(unicode.Mn, r) || r == 'ـ': // marks, and the Arabic tatweel
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Fields(b.String())
}
