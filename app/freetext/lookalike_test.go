package freetext

import "testing"

func TestFoldLookAlikesFoldsWhatArabicScriptKeyboardsTypeForOneAnother(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"Arabic yeh to Persian yeh", "علي", "علی"},
		{"alef maqsura to Persian yeh", "مصطفى", "مصطفی"},
		{"Arabic kaf to keheh", "كريم", "کریم"},
		{"taa marbuta to heh", "فاطمة", "فاطمه"},
		{"alef with hamza above, below, madda, wasla", "أإآٱ", "اااا"},
		{"tatweel dropped", "عـــلی", "علی"},
		{"Arabic-Indic and Persian digits", "٢٠٢٦ ۱۴۰۵", "2026 1405"},
		{"harakat are left to the caller", "مُحَمَّد", "مُحَمَّد"},
		{"Latin untouched", "Émile", "Émile"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := FoldLookAlikes(tc.in); got != tc.want {
				t.Fatalf("FoldLookAlikes(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
