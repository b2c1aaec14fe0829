package live

import (
	crand "crypto/rand"
	"encoding/json"
	"math/rand/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/quiz"
)

// A quiz question asked live shows its options (or an ordering's items) in an order drawn
// afresh for each poll, every order equally likely, and names them by position: "a" is
// whatever comes first this time. The author's ids (often "correct-answer" or listed right
// answer first) stay on the server, in the poll's option_keys, for grading and the reveal.

// newRand returns a generator seeded from the operating system, so nobody can predict a
// poll's order: the default of Service.Rand.
func newRand() *rand.Rand {
	var seed [32]byte
	_, _ = crand.Read(seed[:]) // crypto/rand never fails on supported platforms
	return rand.New(rand.NewChaCha8(seed))
}

func (s *Service) rand() *rand.Rand {
	if s.Rand != nil {
		return s.Rand()
	}
	return newRand()
}

// positionID names the option at position i of a poll: "a", "b", … as ad-hoc polls do.
func positionID(i int) string { return string(rune('a' + i)) }

// shuffledOptions returns q's options as a poll shows them, in an order drawn from r
// (Fisher–Yates: every permutation equally likely), and the author's ids in that order.
func shuffledOptions(q *quiz.Question, text func(id string) string, r *rand.Rand) ([]OptionView, []string) {
	perm := r.Perm(len(q.Options))
	opts := make([]OptionView, len(perm))
	keys := make([]string, len(perm))
	for i, k := range perm {
		id := q.Options[k].ID
		opts[i], keys[i] = OptionView{ID: positionID(i), Text: text(id)}, id
	}
	return opts, keys
}

// optionKeys maps a poll's option ids to the author's. A quiz poll opened before option
// keys existed shows the author's ids, which then map to themselves.
func optionKeys(p *model.LivePoll) map[string]string {
	var opts []OptionView
	_ = json.Unmarshal([]byte(p.Options), &opts)
	var keys []string
	if p.OptionKeys != "" {
		_ = json.Unmarshal([]byte(p.OptionKeys), &keys)
	}
	out := make(map[string]string, len(opts))
	for i, o := range opts {
		out[o.ID] = o.ID
		if i < len(keys) {
			out[o.ID] = keys[i]
		}
	}
	return out
}
