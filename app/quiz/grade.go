package quiz

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/cairn-lms/cairn/app/freetext"
)

// Answers are what a learner submitted: question id → chosen option ids (single, multiple),
// "true"/"false" (true_false), the typed text (short), or option ids in the learner's order
// (ordering).
type Answers map[string][]string

// Problems with a submission as a whole; grading refuses these rather than scoring them.
var (
	ErrUnknownQuestion = errors.New("answer for a question that is not in this quiz")
	ErrUnknownOption   = errors.New("answer names an option that the question does not have")
	ErrMalformed       = errors.New("answer does not fit the question type")
)

// MissingError lists questions left unanswered.
type MissingError struct{ IDs []string }

func (e *MissingError) Error() string { return "unanswered: " + strings.Join(e.IDs, ", ") }

// QuestionResult is the outcome of one question.
type QuestionResult struct {
	ID      string
	Correct bool
	Given   []string // as submitted (normalised for short answers)
}

// Result is a graded attempt.
type Result struct {
	Questions []QuestionResult
	Score     int // questions right
	Max       int
	Percent   int
	Passed    bool
}

// MaxShortAnswer bounds a typed answer, in characters.
const MaxShortAnswer = 200

// Grade scores answers given in lang against the quiz. It refuses answers to unknown
// questions, unknown options and malformed answers (tampered forms), and unanswered
// questions, so that only a complete, well-formed submission is ever recorded.
func Grade(z *Quiz, lang, fallback string, a Answers) (Result, error) {
	for id := range a {
		if z.Question(id) == nil {
			return Result{}, fmt.Errorf("%w: %q", ErrUnknownQuestion, id)
		}
	}
	var missing []string
	res := Result{Max: len(z.Questions)}
	for _, q := range z.Questions {
		given := a[q.ID]
		if isBlank(given) {
			missing = append(missing, q.ID)
			continue
		}
		ok, norm, err := gradeOne(q, lang, fallback, given)
		if err != nil {
			return Result{}, fmt.Errorf("question %q: %w", q.ID, err)
		}
		if ok {
			res.Score++
		}
		res.Questions = append(res.Questions, QuestionResult{ID: q.ID, Correct: ok, Given: norm})
	}
	if len(missing) > 0 {
		return Result{}, &MissingError{IDs: missing}
	}
	if res.Max > 0 {
		res.Percent = res.Score * 100 / res.Max
	}
	res.Passed = res.Percent >= z.PassMark
	return res, nil
}

// GradeOne grades one answer to q as Grade does within a quiz, for a question asked on its
// own (live). A blank or malformed answer is an error, never a wrong answer.
func GradeOne(q *Question, lang, fallback string, given []string) (bool, error) {
	if isBlank(given) {
		return false, ErrMalformed
	}
	ok, _, err := gradeOne(q, lang, fallback, given)
	return ok, err
}

func isBlank(given []string) bool {
	for _, g := range given {
		if strings.TrimSpace(g) != "" {
			return false
		}
	}
	return true
}

func gradeOne(q *Question, lang, fallback string, given []string) (bool, []string, error) {
	switch q.Type {
	case Single:
		if len(given) != 1 {
			return false, nil, ErrMalformed
		}
		opt, err := option(q, given[0])
		if err != nil {
			return false, nil, err
		}
		return opt.Correct, given, nil
	case Multiple:
		seen, err := distinctOptions(q, given)
		if err != nil {
			return false, nil, err
		}
		for _, o := range q.Options {
			if o.Correct != seen[o.ID] {
				return false, sorted(given), nil
			}
		}
		return true, sorted(given), nil
	case TrueFalse:
		if len(given) != 1 || (given[0] != "true" && given[0] != "false") {
			return false, nil, ErrMalformed
		}
		return (given[0] == "true") == q.Answer, given, nil
	case Short:
		if len(given) != 1 || len([]rune(given[0])) > MaxShortAnswer {
			return false, nil, ErrMalformed
		}
		for _, l := range []string{lang, fallback} {
			if t := q.Texts[l]; t != nil && ShortMatches(q.Match, given[0], t.Accept) {
				return true, []string{given[0]}, nil
			}
		}
		return false, []string{given[0]}, nil
	case Ordering:
		if len(given) != len(q.Options) {
			return false, nil, ErrMalformed
		}
		if _, err := distinctOptions(q, given); err != nil {
			return false, nil, err
		}
		return isInOrder(q, given), given, nil
	}
	return false, nil, fmt.Errorf("unknown question type %q", q.Type)
}

// distinctOptions checks that every given id is an option of q, none twice.
func distinctOptions(q *Question, given []string) (map[string]bool, error) {
	seen := map[string]bool{}
	for _, id := range given {
		if _, err := option(q, id); err != nil {
			return nil, err
		}
		if seen[id] {
			return nil, ErrMalformed
		}
		seen[id] = true
	}
	return seen, nil
}

func option(q *Question, id string) (Option, error) {
	for _, o := range q.Options {
		if o.ID == id {
			return o, nil
		}
	}
	return Option{}, fmt.Errorf("%w: %q", ErrUnknownOption, id)
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

var folder = cases.Fold()

// NormalizeShort makes typed answers comparable: Unicode-normalised, case-folded, with
// punctuation and spacing ignored, and the look-alike letters and digits of Arabic script
// folded (freetext.FoldLookAlikes). Accents are kept: in many languages they change the word.
func NormalizeShort(s string) string {
	s = freetext.FoldLookAlikes(folder.String(norm.NFKC.String(s)))
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// NormalizeShortKeepSpaces folds case and form like NormalizeShort but keeps word breaks,
// for matching a search query against text.
func NormalizeShortKeepSpaces(s string) string {
	s = freetext.FoldLookAlikes(folder.String(norm.NFKC.String(s)))
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteRune(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}
