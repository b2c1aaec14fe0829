package web

import (
	"strconv"

	"github.com/cairn-lms/cairn/app/quiz"
)

// carryOver moves what was filled in under one attempt's order to another's: the form
// names options by position, and positions differ between attempts. Used when a refused key
// is replaced, so nothing typed or chosen is lost.
func carryOver(z *quiz.Quiz, from, to string, raw map[string][]string, ranks map[string]map[int]int) (map[string][]string, map[string]map[int]int) {
	newPos := map[string]map[string]int{}
	for _, p := range z.Present(to) {
		newPos[p.ID] = map[string]int{}
		for i, id := range p.OptionIDs {
			newPos[p.ID][id] = i
		}
	}
	raw2, ranks2 := map[string][]string{}, map[string]map[int]int{}
	for _, p := range z.Present(from) {
		switch p.Type {
		case quiz.Single, quiz.Multiple:
			for _, v := range raw[p.ID] {
				if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < len(p.OptionIDs) {
					raw2[p.ID] = append(raw2[p.ID], strconv.Itoa(newPos[p.ID][p.OptionIDs[n]]))
				}
			}
		case quiz.Ordering:
			for pos, rank := range ranks[p.ID] {
				if ranks2[p.ID] == nil {
					ranks2[p.ID] = map[int]int{}
				}
				ranks2[p.ID][newPos[p.ID][p.OptionIDs[pos]]] = rank
			}
		default:
			if v, ok := raw[p.ID]; ok {
				raw2[p.ID] = v
			}
		}
	}
	return raw2, ranks2
}
