package freetext

import "testing"

func TestStripBidiControlsRemovesEveryOverrideAndIsolateButKeepsMarks(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"RLO disguising a name", "\u202Enimda", "nimda"},
		{"every embedding and override", "a\u202Ab\u202Bc\u202Cd\u202De\u202Ef", "abcdef"},
		{"every isolate", "a\u2066b\u2067c\u2068d\u2069e", "abcde"},
		{"Arabic with RLM and ALM kept", "سؤال\u200F؟ ١٢\u061C٣", "سؤال\u200F؟ ١٢\u061C٣"},
		{"LRM kept", "abc\u200E", "abc\u200E"},
		{"plain text unchanged", "Cohort 2026 — Nairobi", "Cohort 2026 — Nairobi"},
		{"only controls", "\u202E\u2066", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := StripBidiControls(tc.in); got != tc.want {
				t.Fatalf("StripBidiControls(%+q) = %+q, want %+q", tc.in, got, tc.want)
			}
			if HasBidiControls(StripBidiControls(tc.in)) {
				t.Fatal("a control survived")
			}
		})
	}
	if got := Clean("  \u202E title \u2069 "); got != "title" {
		t.Fatalf("Clean = %+q, want %+q", got, "title")
	}
}
