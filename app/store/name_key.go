package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/cairn-lms/cairn/app/model"
)

// NameKey is the form a shown name is searched and sorted in: compatibility-decomposed,
// stripped of combining marks (accents, Arabic short vowels), case-folded and recomposed.
// Neither database can do this alike (SQLite's lower() folds ASCII only), so it is stored.
func NameKey(name string) string {
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), cases.Fold(), norm.NFC)
	out, _, err := transform.String(t, strings.TrimSpace(name))
	if err != nil {
		return strings.ToLower(strings.TrimSpace(name))
	}
	// Tatweel stretches Arabic words for layout; it is never part of what one searches for.
	return strings.ReplaceAll(out, "\u0640", "")
}

// BackfillNameKeys computes the name key of every account that has none yet (made before
// the key existed), in batches. It returns how many it filled.
func (s *Store) BackfillNameKeys(ctx context.Context) (int, error) {
	filled := 0
	for {
		var users []model.User
		err := s.db.NewSelect().Model(&users).Column("id", "username", "display_name").
			Where("name_key IS NULL").Order("id ASC").Limit(500).Scan(ctx)
		if err != nil {
			return filled, fmt.Errorf("list accounts without a name key: %w", err)
		}
		if len(users) == 0 {
			return filled, nil
		}
		for _, u := range users {
			_, err := s.db.NewUpdate().Model((*model.User)(nil)).Set("name_key = ?", NameKey(u.Name())).
				Where("id = ?", u.ID).Exec(ctx)
			if err != nil {
				return filled, fmt.Errorf("set name key of account %d: %w", u.ID, err)
			}
			filled++
		}
	}
}
