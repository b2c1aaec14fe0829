package course_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cairn-lms/cairn/app/course"
)

// q is one question of a quality fixture: its quiz.yaml entry and its texts by language.
type q struct {
	spec  string
	texts map[string]string
}

// x is a text of n characters.
func x(n int) string { return strings.Repeat("x", n) }

// choice is a single (one right option) or multiple question whose options have the given
// lengths in English.
func choice(id string, right, wrong []int) q {
	typ := "multiple"
	if len(right) == 1 {
		typ = "single"
	}
	spec := fmt.Sprintf("  - id: %s\n    type: %s\n    options:\n", id, typ)
	text := fmt.Sprintf("%s:\n  stem: Which?\n  options:\n", id)
	for i, n := range right {
		spec += fmt.Sprintf("      - {id: r%d, correct: true}\n", i)
		text += fmt.Sprintf("    r%d: %s\n", i, x(n))
	}
	for i, n := range wrong {
		spec += fmt.Sprintf("      - {id: w%d}\n", i)
		text += fmt.Sprintf("    w%d: %s\n", i, x(n))
	}
	return q{spec, map[string]string{"en": text}}
}

func trueFalse(id string, answer bool, stems map[string]string) q {
	texts := map[string]string{}
	for lang, stem := range stems {
		texts[lang] = fmt.Sprintf("%s:\n  stem: %q\n", id, stem)
	}
	return q{fmt.Sprintf("  - id: %s\n    type: true_false\n    answer: %v\n", id, answer), texts}
}

func tf(id string, answer bool) q {
	return trueFalse(id, answer, map[string]string{"en": "A statement."})
}

// qualityWarnings loads a course whose one quiz has the questions, and returns its problems.
func qualityWarnings(t *testing.T, qs ...q) []string {
	t.Helper()
	fsys := courseFS("l")
	fsys["c/course.yaml"].Data = []byte(strings.Replace(string(fsys["c/course.yaml"].Data), "lessons: [l]", "lessons: [l]\n    quiz: true", 1))
	spec := "pass_mark: 50\nquestions:\n"
	texts := map[string]string{}
	for _, one := range qs {
		spec += one.spec
		for lang, text := range one.texts {
			texts[lang] += text
		}
	}
	fsys["c/m/quiz.yaml"] = &fstest.MapFile{Data: []byte(spec)}
	for lang, text := range texts {
		if lang != "en" {
			// A current translation, so only quality warnings are left to count.
			text += "_translated_from: " + course.Revision([]byte(texts["en"])) + "\n"
		}
		fsys["c/m/quiz."+lang+".yaml"] = &fstest.MapFile{Data: []byte(text)}
	}
	_, ps := course.Load(fsys, "", course.Options{})
	var out []string
	for _, p := range ps {
		if !p.Warning {
			t.Fatalf("fixture has an error: %s", p)
		}
		out = append(out, p.String())
	}
	slices.Sort(out)
	return out
}

func expectWarnings(t *testing.T, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d warnings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Fatalf("warning %d:\n%s\nwant prefix\n%s", i, got[i], want[i])
		}
	}
}

func TestQualityLongestCorrectSingleOption(t *testing.T) {
	// 13 > 1.25 × 10 warns; 12.5 would be the limit, so 12 does not, nor does exactly 1.25 ×.
	expectWarnings(t, qualityWarnings(t, choice("long", []int{13}, []int{10, 8})),
		`c/m/quiz.en.yaml:2: warning: question "long": the correct option (13 characters) is more than 1.25 × as long as the longest wrong one (10)`)
	expectWarnings(t, qualityWarnings(t, choice("fine", []int{12}, []int{10, 3})))
	expectWarnings(t, qualityWarnings(t, choice("limit", []int{5}, []int{4, 4})))

	// Every language is checked on its own: a translation can add the cue.
	es := choice("es-long", []int{10}, []int{10})
	es.texts["es"] = "es-long:\n  stem: ¿Cuál?\n  options: {r0: " + x(20) + ", w0: " + x(10) + "}\n"
	expectWarnings(t, qualityWarnings(t, es),
		`c/m/quiz.es.yaml:2: warning: question "es-long": the correct option (20 characters)`)
}

func TestQualityCorrectOptionLongestInMostSingleQuestions(t *testing.T) {
	// Longest in 2 of 3, each within 1.25 ×: only the per-quiz warning.
	expectWarnings(t, qualityWarnings(t,
		choice("a", []int{11}, []int{10, 9}), choice("b", []int{11}, []int{10}), choice("c", []int{9}, []int{10})),
		`c/m/quiz.en.yaml: warning: in 2 of 3 single-choice questions the correct option is the longest`)
	// Longest in 1 of 3 (a tie is not "strictly longest"), and longest in 2 of only 2.
	expectWarnings(t, qualityWarnings(t,
		choice("a", []int{11}, []int{10}), choice("b", []int{10}, []int{10}), choice("c", []int{9}, []int{10})))
	expectWarnings(t, qualityWarnings(t, choice("a", []int{11}, []int{10}), choice("b", []int{11}, []int{10})))
}

func TestQualityLongerCorrectOptionsInMultipleQuestions(t *testing.T) {
	// mean 10 against mean 7 warns; against 8 it is exactly 1.25 × and does not.
	expectWarnings(t, qualityWarnings(t, choice("m", []int{12, 8}, []int{7, 7})),
		`c/m/quiz.en.yaml:2: warning: question "m": the correct options average 10 characters, more than 1.25 × the wrong ones (7)`)
	expectWarnings(t, qualityWarnings(t, choice("m", []int{12, 8}, []int{6, 10})))
}

func TestQualityTrueFalseBalance(t *testing.T) {
	expectWarnings(t, qualityWarnings(t, tf("a", true), tf("b", true), tf("c", true)),
		`c/m/quiz.yaml: warning: the 3 true/false questions are 3 true and 0 false`)
	expectWarnings(t, qualityWarnings(t, tf("a", false), tf("b", false), tf("c", false), tf("d", false), tf("e", false), tf("f", true), tf("g", true)),
		`c/m/quiz.yaml: warning: the 7 true/false questions are 2 true and 5 false`)
	// A difference of one; exactly two thirds; fewer than three questions.
	expectWarnings(t, qualityWarnings(t, tf("a", true), tf("b", true), tf("c", false)))
	expectWarnings(t, qualityWarnings(t, tf("a", true), tf("b", true), tf("c", true), tf("d", true), tf("e", false), tf("f", false)))
	expectWarnings(t, qualityWarnings(t, tf("a", true), tf("b", true)))
}

func TestQualityAbsoluteWordsInFalseStatements(t *testing.T) {
	for _, tc := range []struct {
		lang, stem string
		answer     bool
		word       string // "" for no warning
	}{
		{"en", "You should never reuse a password.", false, "never"},
		{"en", "NOBODY can read Signal messages.", false, "nobody"},
		{"en", "A VPN guarantees anonymity.", false, "guarantees"},
		{"en", "You should never reuse a password.", true, ""},
		{"en", "Nevertheless, a VPN hides the sites you visit from your provider.", false, ""},
		{"en", "Everyday phones can be searched at borders.", false, ""},
		{"es", "Solo los periodistas necesitan cifrado.", false, "solo"},
		{"es", "Una VPN te hace totalmente anónima.", false, "totalmente"},
		{"es", "Ningún servicio guarda metadatos.", false, "ningún"},
		{"fr", "Tout le monde peut lire vos messages Signal.", false, "tout"},
		{"fr", "Un VPN vous rend complètement anonyme.", false, "complètement"},
		{"fr", "Toutefois un VPN cache les sites visités.", false, ""},
		{"ar", "التشفير يحمي دائماً كل شيء.", false, "دائما"},
		{"ar", "لا أحد يستطيع قراءة الرسائل.", false, "لا أحد"},
		{"ar", "كلمات المرور القوية تساعد.", false, ""},
		{"fa", "رمزگذاری سرتاسری همیشه از فراداده\u200cها هم محافظت می\u200cکند.", false, "همیشه"},
		{"fa", "هیچ\u200cکس نمی\u200cتواند پیام\u200cهای Signal را بخواند.", false, "هیچ\u200cکس"},
		{"fa", "هیچکس نمی\u200cتواند پیام\u200cهای Signal را بخواند.", false, "هیچکس"},
		{"fa", "هيچ\u200cكس نمی\u200cتواند پیام\u200cهای Signal را بخواند.", false, "هیچ\u200cکس"}, // Arabic yeh and kaf
		{"fa", "هیچ\u200cکدام از این برنامه\u200cها فراداده نگه نمی\u200cدارند.", false, "هیچ"},
		{"fa", "همهٔ پیام\u200cها رمزگذاری می\u200cشوند.", false, "همه"},
		{"fa", "فقط روزنامه\u200cنگاران به رمزگذاری نیاز دارند.", false, "فقط"},
		{"fa", "یک VPN شما را کاملا ناشناس می\u200cکند.", false, "کاملاً"},
		{"fa", "یک VPN ناشناس ماندن را تضمین می\u200cکند.", false, "تضمین"},
		{"fa", "رمزگذاری سرتاسری همیشه محتوای پیام را پنهان می\u200cکند.", true, ""},
		{"fa", "همسایه\u200cها به\u200cتنهایی نمی\u200cتوانند گوشی را باز کنند.", false, ""},
		{"fa", "تهدیدی با احتمال کم را می\u200cتوان با خیال راحت از برنامه کنار گذاشت.", false, ""},
	} {
		t.Run(tc.lang+" "+tc.stem, func(t *testing.T) {
			stems := map[string]string{"en": "A statement.", tc.lang: tc.stem}
			got := qualityWarnings(t, trueFalse("s", tc.answer, stems))
			if tc.word == "" {
				expectWarnings(t, got)
				return
			}
			expectWarnings(t, got, fmt.Sprintf(`c/m/quiz.%s.yaml:2: warning: question "s": the statement is false and says %q`, tc.lang, tc.word))
		})
	}
}

func TestQualitySameMultipleShapeAcrossTheCourse(t *testing.T) {
	expectWarnings(t, qualityWarnings(t,
		choice("a", []int{5, 5}, []int{5, 5}), choice("b", []int{5, 5}, []int{5, 5}), choice("c", []int{5, 5}, []int{5, 5})),
		`c/course.yaml: warning: 3 of the course's 3 multiple-answer questions have 2 correct of 4 options`)
	// Varied shapes, and only two multiple questions.
	expectWarnings(t, qualityWarnings(t,
		choice("a", []int{5, 5}, []int{5, 5}), choice("b", []int{5, 5}, []int{5, 5}), choice("c", []int{5, 5, 5}, []int{5, 5, 5})))
	expectWarnings(t, qualityWarnings(t, choice("a", []int{5, 5}, []int{5, 5}), choice("b", []int{5, 5}, []int{5, 5})))
}
