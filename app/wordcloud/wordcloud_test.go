package wordcloud

import (
	"slices"
	"testing"
)

func TestKeyGroupsWhatPeopleTypeDifferentlyForTheSameAnswer(t *testing.T) {
	cases := []struct {
		name, lang string
		same       []string
	}{
		{"case, spaces and punctuation", "en", []string{"Fear", "fear!", "  FEAR  ", "«fear»", "fear…"}},
		{"a leading article", "en", []string{"the fear", "Fear", "a fear"}},
		{"French accents and elision", "fr", []string{"Sécurité", "securite", "la sécurité", "SÉCURITÉ !"}},
		{"French l' is an article", "fr", []string{"l'argent", "argent", "L’argent"}},
		{"Spanish accents and punctuation", "es", []string{"¡Pánico!", "panico", "el pánico"}},
		{"Arabic short vowels and tatweel", "ar", []string{"خَوْف", "خوف", "خــوف", "خوف؟"}},
		{"Arabic alef with hamza", "ar", []string{"أمان", "امان", "إمان", "آمان"}},
		{"Arabic teh marbuta and alef maksura", "ar", []string{"حماية", "حمايه"}},
		{"Arabic yeh and alef maksura", "ar", []string{"مستوى", "مستوي"}},
		{"full-width letters", "en", []string{"ｆｅａｒ", "fear"}},
		{"combining accents typed apart", "fr", []string{"e\u0301te\u0301", "été", "ete"}},
		{"bidirectional controls", "en", []string{"\u202Efear", "fear"}},
		{"inner punctuation is a space", "en", []string{"e-mail", "e mail", "E.mail"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := Key(tc.same[0], tc.lang)
			if want == "" {
				t.Fatalf("Key(%q) is empty", tc.same[0])
			}
			for _, s := range tc.same[1:] {
				if got := Key(s, tc.lang); got != want {
					t.Errorf("Key(%q, %s) = %q, want %q (as for %q)", s, tc.lang, got, want, tc.same[0])
				}
			}
		})
	}
}

func TestKeyKeepsApartWhatDiffers(t *testing.T) {
	cases := []struct{ lang, a, b string }{
		{"es", "año", "ano"},         // ñ is a letter of its own in Spanish
		{"en", "not sure", "sure"},   // answers are kept whole: "not" is no stop word
		{"en", "the", "a"},           // an answer of one word keeps it, article or not
		{"ar", "مسؤول", "مسول"},      // hamza on waw is kept: only alef's is folded
		{"ar", "الخوف", "خوف"},       // the Arabic article is not cut off
		{"fr", "les", "des"},         // a lone article is an answer
		{"en", "😱", "😀"},             // emoji are words
		{"en", "la peur", "peur"},    // articles are those of the session's language
		{"fr", "the fear", "fear"},   // likewise
		{"en", "fear 1", "fear 2"},   // digits count
		{"ar", "٣ كلمات", "٤ كلمات"}, // Arabic-Indic digits too
	}
	for _, tc := range cases {
		if ka, kb := Key(tc.a, tc.lang), Key(tc.b, tc.lang); ka == kb {
			t.Errorf("Key(%q) and Key(%q) in %s are both %q", tc.a, tc.b, tc.lang, ka)
		}
	}
	for _, s := range []string{"", "!!!", " … ", "\u202E", "?!؟"} {
		if k := Key(s, "en"); k != "" {
			t.Errorf("Key(%q) = %q, want empty: nothing to show", s, k)
		}
	}
	if got := Key("Café   Crème", "fr"); got != "cafe creme" {
		t.Errorf("Key = %q", got)
	}
}

func TestArticlesAreATinyListPerLanguage(t *testing.T) {
	for _, lang := range []string{"en", "es", "fr"} {
		if n := len(Articles(lang)); n == 0 || n > 10 {
			t.Errorf("%s has %d articles", lang, n)
		}
	}
	if len(Articles("ar")) != 0 {
		t.Error("Arabic must not lose a prefix that only looks like its article")
	}
	if !slices.Equal(Articles("fr-CA"), Articles("fr")) {
		t.Error("a regional tag should use its language's list")
	}
}

func TestSurfaceKeepsTheWritersCaseAndAccents(t *testing.T) {
	cases := map[string]string{
		"  ¡Pánico!  ":    "Pánico",
		"«Sécurité»":      "Sécurité",
		"no   idea...":    "no idea",
		"خوف؟":            "خوف",
		"😱!":              "😱",
		"e\u0301te\u0301": "été",
		"C++":             "C++",
	}
	for in, want := range cases {
		if got := Surface(in); got != want {
			t.Errorf("Surface(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBuildCountsGroupsShowsTheCommonestFormAndLeavesOutHiddenWords(t *testing.T) {
	answers := []string{"Fear", "fear", "fear!", "the fear", "Anxious", "anxious", "ok", "Ok", "OK", "ok.", "ok", "idiot", "!!!"}
	cloud := Build(answers, "en", map[string]bool{"idiot": true})
	got := map[string]Word{}
	for _, w := range cloud {
		got[w.Key] = w
	}
	if len(cloud) != 3 {
		t.Fatalf("cloud %+v: want fear, anxious and ok (hidden and empty left out)", cloud)
	}
	if w := got["fear"]; w.Count != 4 || w.Text != "fear" {
		t.Errorf("fear: %+v; want 4, shown as the commonest form \"fear\"", w)
	}
	if w := got["ok"]; w.Count != 5 || w.Text != "ok" || w.Size != Sizes {
		t.Errorf("ok: %+v; want 5 in the largest size", w)
	}
	if w := got["anxious"]; w.Count != 2 || w.Text != "anxious" {
		// A tie between forms goes to the one with fewer capitals.
		t.Errorf("anxious: %+v", w)
	}
	if w := Build([]string{"Signal", "SIGNAL"}, "en", nil); w[0].Text != "Signal" {
		t.Errorf("tie between capitalised forms: %+v", w)
	}
	// The most frequent stands in the middle.
	if cloud[len(cloud)/2].Key != "ok" {
		t.Errorf("order %v: the most frequent should be in the middle", cloud)
	}
	if Build(nil, "en", nil) != nil || Build([]string{"?"}, "en", nil) != nil {
		t.Error("no answers, no cloud")
	}
}

func TestBuildGroupsArabicAndAccentedAnswersAndKeepsAtMostMaxWords(t *testing.T) {
	cloud := Build([]string{"خَوْف", "خوف", "خوف", "أمان", "امان"}, "ar", nil)
	if len(cloud) != 2 || cloud[1].Text != "خوف" || cloud[1].Count != 3 || cloud[0].Count != 2 {
		t.Fatalf("Arabic cloud %+v", cloud)
	}
	var many []string
	for i := range MaxWords + 20 {
		many = append(many, string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	many = append(many, "zz", "zz")
	cloud = Build(many, "en", nil)
	if len(cloud) != MaxWords {
		t.Fatalf("%d words, want at most %d", len(cloud), MaxWords)
	}
	if !slices.ContainsFunc(cloud, func(w Word) bool { return w.Key == "zz" && w.Count == 2 }) {
		t.Error("the most frequent word was cut off")
	}
}

func TestSizeGrowsWithFrequencyOnALogScale(t *testing.T) {
	cases := []struct{ count, most, want int }{
		{1, 1, 3}, // all different: all the middle size
		{1, 2, 1},
		{2, 2, 5},
		{1, 100, 1},
		{10, 100, 3},
		{100, 100, 5},
		{50, 100, 4},
		{3, 100, 2},
		{0, 10, 1},
		{20, 10, 5},
	}
	for _, tc := range cases {
		if got := Size(tc.count, tc.most); got != tc.want {
			t.Errorf("Size(%d, %d) = %d, want %d", tc.count, tc.most, got, tc.want)
		}
	}
	for most := 1; most < 200; most++ {
		prev := 0
		for n := 1; n <= most; n++ {
			s := Size(n, most)
			if s < 1 || s > Sizes || s < prev {
				t.Fatalf("Size(%d, %d) = %d after %d", n, most, s, prev)
			}
			prev = s
		}
	}
}
