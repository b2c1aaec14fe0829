package live

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/quiz"
)

// The right option of a live question lands in each position equally often, and every
// order of an ordering's items is drawn equally often: chi-square with a bound a uniform
// shuffle exceeds with probability 1e-6 (the source is seeded, so the test is deterministic).
func TestLiveQuizOptionsAreShuffledUniformlyAndNamedByPosition(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	chi := func(counts map[string]int, cells, perCell int) float64 {
		x := 0.0
		for _, n := range counts {
			d := float64(n - perCell)
			x += d * d / float64(perCell)
		}
		return x + float64(cells-len(counts))*float64(perCell) // cells never drawn
	}
	text := func(id string) string { return "text of " + id }

	single := &quiz.Question{ID: "q", Type: quiz.Single, Options: []quiz.Option{{ID: "correct-one", Correct: true}, {ID: "b"}, {ID: "c"}, {ID: "d"}}}
	const perCell = 1000
	at := map[string]int{}
	for range 4 * perCell {
		opts, keys := shuffledOptions(single, text, r)
		for i, o := range opts {
			if o.ID != positionID(i) || o.Text != "text of "+keys[i] {
				t.Fatalf("option %d is %+v for the author's %q: want named by position", i, o, keys[i])
			}
			if keys[i] == "correct-one" {
				at[o.ID]++
			}
		}
	}
	if x := chi(at, 4, perCell); x > 30.7 { // 3 degrees of freedom
		t.Errorf("the right option's positions %v: chi-square %.1f > 30.7", at, x)
	}

	ordering := &quiz.Question{ID: "o", Type: quiz.Ordering, Options: []quiz.Option{{ID: "w"}, {ID: "x"}, {ID: "y"}, {ID: "z"}}}
	const perOrder = 200
	orders := map[string]int{}
	for range 24 * perOrder {
		_, keys := shuffledOptions(ordering, text, r)
		orders[strings.Join(keys, ",")]++
	}
	if x := chi(orders, 24, perOrder); x > 70.6 || orders["w,x,y,z"] == 0 { // 23 degrees of freedom
		t.Errorf("orders %v: chi-square %.1f > 70.6, or the right order never drawn", orders, x)
	}
}
