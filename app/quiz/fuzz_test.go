package quiz_test

import (
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/quiz"
)

// FuzzGrade feeds arbitrary answers to the grader: it must never panic, and whatever it
// accepts must be scored within bounds.
func FuzzGrade(f *testing.F) {
	f.Add("single=a;multi=a,b;tf=false;short=tor;order=x,y,z")
	f.Add("single=b,c;other=1")
	f.Add("order=z,,y;tf=true;short=" + strings.Repeat("ñ", 300))
	f.Fuzz(func(t *testing.T, raw string) {
		a := quiz.Answers{}
		for _, part := range strings.Split(raw, ";") {
			k, v, _ := strings.Cut(part, "=")
			a[k] = strings.Split(v, ",")
		}
		res, err := quiz.Grade(sampleQuiz(), "es", "en", a)
		if err != nil {
			return
		}
		if res.Score < 0 || res.Score > res.Max || res.Percent < 0 || res.Percent > 100 || len(res.Questions) != res.Max {
			t.Fatalf("out of bounds: %+v", res)
		}
	})
}

// FuzzNormalizeDomain: never a panic, and a host it returns is already in its own normal
// form, so an accepted answer and a typed one that reduce to the same host compare equal.
func FuzzNormalizeDomain(f *testing.F) {
	f.Add("https://WWW.Example-Bank.com./login?x")
	f.Add("user@bücher.example:80#x")
	f.Add(`\\x..:`)
	f.Fuzz(func(t *testing.T, s string) {
		h, ok := quiz.NormalizeDomain(s)
		if !ok {
			return
		}
		if again, ok := quiz.NormalizeDomain(h); !ok || again != h {
			t.Fatalf("%q → %q → %q, %v", s, h, again, ok)
		}
	})
}
