package quiz_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/cairn-lms/cairn/app/quiz"
)

func sampleQuiz() *quiz.Quiz {
	return &quiz.Quiz{ID: "m", PassMark: 60, Shuffle: true, Questions: []*quiz.Question{
		{ID: "single", Type: quiz.Single, Options: []quiz.Option{{ID: "a", Correct: true}, {ID: "b"}, {ID: "c"}}},
		{ID: "multi", Type: quiz.Multiple, Options: []quiz.Option{{ID: "a", Correct: true}, {ID: "b", Correct: true}, {ID: "c"}}},
		{ID: "tf", Type: quiz.TrueFalse, Answer: false},
		{ID: "short", Type: quiz.Short, Texts: map[string]*quiz.Text{
			"en": {Accept: []string{"Tor Browser", "tor"}},
			"es": {Accept: []string{"navegador Tor"}},
		}},
		{ID: "order", Type: quiz.Ordering, Options: []quiz.Option{{ID: "x"}, {ID: "y"}, {ID: "z"}}},
	}}
}

func allRight() quiz.Answers {
	return quiz.Answers{"single": {"a"}, "multi": {"b", "a"}, "tf": {"false"}, "short": {"tor browser"}, "order": {"x", "y", "z"}}
}

func TestGradeEachQuestionType(t *testing.T) {
	cases := []struct {
		question string
		given    []string
		lang     string
		correct  bool
	}{
		{"single", []string{"a"}, "en", true},
		{"single", []string{"b"}, "en", false},
		{"multi", []string{"a", "b"}, "en", true},
		{"multi", []string{"a"}, "en", false},
		{"multi", []string{"a", "b", "c"}, "en", false},
		{"tf", []string{"false"}, "en", true},
		{"tf", []string{"true"}, "en", false},
		{"short", []string{"Tor Browser"}, "en", true},
		{"short", []string{"  TOR-browser!! "}, "en", true},
		{"short", []string{"tor"}, "en", true},
		{"short", []string{"firefox"}, "en", false},
		{"short", []string{"Navegador Tor"}, "es", true},
		{"short", []string{"tor"}, "es", true}, // the default language's answers are accepted too
		{"short", []string{"navegador tor"}, "en", false},
		{"order", []string{"x", "y", "z"}, "en", true},
		{"order", []string{"y", "x", "z"}, "en", false},
	}
	for _, tc := range cases {
		a := allRight()
		a[tc.question] = tc.given
		res, err := quiz.Grade(sampleQuiz(), tc.lang, "en", a)
		if err != nil {
			t.Fatalf("%s %v: %v", tc.question, tc.given, err)
		}
		var got bool
		for _, q := range res.Questions {
			if q.ID == tc.question {
				got = q.Correct
			}
		}
		if got != tc.correct {
			t.Errorf("%s answered %v in %s: correct=%v, want %v", tc.question, tc.given, tc.lang, got, tc.correct)
		}
	}
}

func TestGradeScoresAgainstThePassMark(t *testing.T) {
	res, err := quiz.Grade(sampleQuiz(), "en", "en", allRight())
	if err != nil || res.Score != 5 || res.Percent != 100 || !res.Passed {
		t.Fatalf("all right: %+v %v", res, err)
	}
	a := allRight()
	a["single"], a["multi"] = []string{"b"}, []string{"c"}
	res, _ = quiz.Grade(sampleQuiz(), "en", "en", a)
	if res.Score != 3 || res.Percent != 60 || !res.Passed {
		t.Fatalf("3 of 5 with pass mark 60 should pass: %+v", res)
	}
	a["tf"] = []string{"true"}
	res, _ = quiz.Grade(sampleQuiz(), "en", "en", a)
	if res.Passed || res.Percent != 40 {
		t.Fatalf("2 of 5 should fail: %+v", res)
	}
}

func TestGradeRefusesTamperedAndIncompleteAnswers(t *testing.T) {
	cases := []struct {
		name   string
		change func(quiz.Answers)
		want   error
	}{
		{"unknown question", func(a quiz.Answers) { a["other-quiz-q"] = []string{"a"} }, quiz.ErrUnknownQuestion},
		{"unknown option", func(a quiz.Answers) { a["single"] = []string{"zzz"} }, quiz.ErrUnknownOption},
		{"two single answers", func(a quiz.Answers) { a["single"] = []string{"a", "b"} }, quiz.ErrMalformed},
		{"repeated multiple answer", func(a quiz.Answers) { a["multi"] = []string{"a", "a"} }, quiz.ErrMalformed},
		{"true/false forged", func(a quiz.Answers) { a["tf"] = []string{"yes"} }, quiz.ErrMalformed},
		{"ordering too short", func(a quiz.Answers) { a["order"] = []string{"x", "y"} }, quiz.ErrMalformed},
		{"ordering repeated", func(a quiz.Answers) { a["order"] = []string{"x", "x", "y"} }, quiz.ErrMalformed},
		{"ordering unknown", func(a quiz.Answers) { a["order"] = []string{"x", "y", "w"} }, quiz.ErrUnknownOption},
		{"short too long", func(a quiz.Answers) { a["short"] = []string{string(make([]rune, 201))} }, quiz.ErrMalformed},
	}
	for _, tc := range cases {
		a := allRight()
		tc.change(a)
		if _, err := quiz.Grade(sampleQuiz(), "en", "en", a); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	a := allRight()
	delete(a, "tf")
	a["short"] = []string{"   "}
	_, err := quiz.Grade(sampleQuiz(), "en", "en", a)
	var missing *quiz.MissingError
	if !errors.As(err, &missing) || !slices.Equal(missing.IDs, []string{"tf", "short"}) {
		t.Fatalf("missing answers: %v", err)
	}
}

func TestPresentIsStableWithinAnAttemptAndVariesAcrossAttempts(t *testing.T) {
	z := sampleQuiz()
	order := func(seed string) string {
		var s string
		for _, p := range z.Present(seed) {
			s += p.ID + ":" + join(p.OptionIDs) + " "
		}
		return s
	}
	first, again := order("attempt-1"), order("attempt-1")
	if first != again {
		t.Fatal("the same attempt must show the same order")
	}
	distinct := map[string]bool{}
	for _, seed := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		distinct[order(seed)] = true
	}
	if len(distinct) < 4 {
		t.Fatalf("only %d distinct orders in 8 attempts: not shuffled", len(distinct))
	}
	z.Shuffle = false
	for _, seed := range []string{"a", "b"} {
		if z.Present(seed)[0].ID != "single" {
			t.Fatal("shuffle: false keeps the question order")
		}
	}
}

// An ordering question shows every permutation of its items equally often, the right order
// included: a permutation shown never, or less often than the others, gives the answer away
// to a learner who reloads the page. Chi-square over all n! orders, with a bound a uniform
// shuffle exceeds with probability 1e-6 (the seeds are fixed, so the test is deterministic).
func TestPresentDrawsEveryOrderOfAnOrderingQuestionEquallyOften(t *testing.T) {
	for _, tc := range []struct {
		items []string
		bound float64 // chi-square, n!-1 degrees of freedom, p = 1e-6
	}{
		{[]string{"x", "y", "z"}, 35.9},
		{[]string{"w", "x", "y", "z"}, 70.6},
	} {
		q := &quiz.Question{ID: "order", Type: quiz.Ordering}
		for _, id := range tc.items {
			q.Options = append(q.Options, quiz.Option{ID: id})
		}
		z := &quiz.Quiz{ID: "m", Questions: []*quiz.Question{q}}
		perms := 1
		for i := 2; i <= len(tc.items); i++ {
			perms *= i
		}
		const perCell = 200
		counts := map[string]int{}
		for i := range perms * perCell {
			counts[join(z.Present(fmt.Sprintf("attempt-%d", i))[0].OptionIDs)]++
		}
		if len(counts) != perms {
			t.Fatalf("%d items: %d of %d orders ever shown: %v", len(tc.items), len(counts), perms, counts)
		}
		chi := 0.0
		for _, n := range counts {
			d := float64(n - perCell)
			chi += d * d / perCell
		}
		if chi > tc.bound {
			t.Errorf("%d items: chi-square %.1f > %.1f, orders not uniform: %v", len(tc.items), chi, tc.bound, counts)
		}
		if counts[join(tc.items)] == 0 {
			t.Errorf("%d items: the right order is never shown, so it can be found by elimination", len(tc.items))
		}
	}
}

func join(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ","
		}
		out += v
	}
	return out
}

func TestNormalizeShort(t *testing.T) {
	for in, want := range map[string]string{
		"  Tor Browser ": "torbrowser", "TOR-browser!": "torbrowser", "Ｔｏｒ": "tor",
		"Contraseña": "contraseña", "CONTRASEÑA": "contraseña", "": "",
		// Arabic script: the look-alikes keyboards type for one another are one letter.
		"كلمة المرور": "کلمهالمرور",
	} {
		if got := quiz.NormalizeShort(in); got != want {
			t.Errorf("NormalizeShort(%q) = %q, want %q", in, got, want)
		}
	}
	// Each pair is the same answer typed two ways; the last pairs must stay different.
	same := [][2]string{
		{"یک", "يك"},                         // Persian ی ک typed on an Arabic keyboard
		{"برنامهٔ", "برنامۀ"},                // ezafe with hamza, two encodings
		{"أمان", "امان"}, {"إيران", "ايران"}, // hamza on alef left off
		{"مستوى", "مستوي"},                 // alef maksura and yeh
		{"خطة", "خطه"},                     // taa marbuta written as heh
		{"كـلمة", "كلمة"},                  // tatweel
		{"۳ جا", "3 جا"}, {"٣ جا", "3 جا"}, // Persian and Arabic-Indic digits
	}
	for _, p := range same {
		if a, b := quiz.NormalizeShort(p[0]), quiz.NormalizeShort(p[1]); a != b {
			t.Errorf("NormalizeShort(%q) = %q and NormalizeShort(%q) = %q, want the same", p[0], a, p[1], b)
		}
	}
	for _, p := range [][2]string{{"sí", "si"}, {"élève", "eleve"}, {"کد", "کت"}} {
		if quiz.NormalizeShort(p[0]) == quiz.NormalizeShort(p[1]) {
			t.Errorf("NormalizeShort folds %q and %q together", p[0], p[1])
		}
	}
}
