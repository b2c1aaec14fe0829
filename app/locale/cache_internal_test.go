package locale

import (
	"strconv"
	"testing"

	"github.com/cairn-lms/cairn/i18n"
)

// An id can come from a request (the flash cookie did): 20,000 distinct ids must not grow
// any language's cache, and an unknown id still shows as itself.
func TestUnknownMessageIDsAndLanguagesDoNotGrowTheCache(t *testing.T) {
	b, err := Load(i18n.Files, "en")
	if err != nil {
		t.Fatal(err)
	}
	before := map[string]int{}
	for tag, l := range b.localizers {
		before[tag] = len(l.plain)
		if before[tag] != len(b.ids) || before[tag] == 0 {
			t.Fatalf("%s caches %d messages, the catalogue has %d", tag, before[tag], len(b.ids))
		}
	}
	for i := range 20000 {
		id := "flash_" + strconv.Itoa(i)
		for _, l := range b.localizers {
			if got := l.T(id); got != id {
				t.Fatalf("unknown id %q translated as %q", id, got)
			}
		}
		if b.Has(id) {
			t.Fatalf("Has(%q) for an id not in the catalogue", id)
		}
	}
	for tag, l := range b.localizers {
		if len(l.plain) != before[tag] {
			t.Fatalf("%s cache grew from %d to %d entries", tag, before[tag], len(l.plain))
		}
	}
	// Languages asked for by ?lang= or Accept-Language are looked up, never stored.
	languages := len(b.localizers)
	for i := range 20000 {
		tag := "x-" + strconv.Itoa(i)
		if l := b.Negotiate(tag, tag+",zz;q=0.5"); l != b.Default() {
			t.Fatalf("unknown language %q gave %s", tag, l.Lang.Tag)
		}
	}
	if len(b.localizers) != languages {
		t.Fatalf("localizers grew from %d to %d", languages, len(b.localizers))
	}
	if !b.Has("flash_signed_out") || b.Default().T("flash_signed_out") != "You are signed out." {
		t.Fatal("a catalogue message is not known or not translated")
	}
}
