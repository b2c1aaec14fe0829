package auth

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestDefaultIgnorableMatchesUnicodesList compares the derivation with the list Unicode
// publishes for the version Go's tables are at, over every code point.
func TestDefaultIgnorableMatchesUnicodesList(t *testing.T) {
	const file = "testdata/DerivedCoreProperties-15.0.0-Default_Ignorable_Code_Point.txt"
	if unicode.Version != "15.0.0" {
		t.Fatalf("Go's Unicode tables are at %s: replace %s with that version's extract", unicode.Version, file)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[rune]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		field, _, ok := strings.Cut(line, ";")
		if !ok {
			continue
		}
		lo, hi, isRange := strings.Cut(strings.TrimSpace(field), "..")
		if !isRange {
			hi = lo
		}
		a, err1 := strconv.ParseUint(lo, 16, 32)
		b, err2 := strconv.ParseUint(hi, 16, 32)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad line %q", sc.Text())
		}
		for r := rune(a); r <= rune(b); r++ {
			want[r] = true
		}
	}
	if len(want) < 4000 {
		t.Fatalf("read %d code points from %s: the extract is incomplete", len(want), file)
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got := isDefaultIgnorable(r); got != want[r] {
			t.Errorf("isDefaultIgnorable(%U) = %v, Unicode says %v", r, got, want[r])
		}
	}
}
