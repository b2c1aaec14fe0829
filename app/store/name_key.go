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

	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/model"
)

// NameKey is the form a shown name is searched and sorted in: compatibility-decomposed,
// stripped of combining marks (accents, Arabic short vowels and the hamza and madda over
// alef), case-folded, with the Arabic-script letters people type for one another folded to
// one (freetext.FoldLookAlikes: ة and ه, ى and ي, Arabic ي ك and Persian ی ک, tatweel
// dropped) and recomposed. The search query goes through the same function, so a name
// stored with harakat is found typed without them, and the other way round. Neither
// database can do this alike (SQLite's lower() folds ASCII only), so it is stored; when
// this function changes, a migration clears the stored keys and BackfillNameKeys
// recomputes them at start.
func NameKey(name string) string {
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), cases.Fold())
	out, _, err := transform.String(t, strings.TrimSpace(name))
	if err != nil {
		out = strings.ToLower(strings.TrimSpace(name))
	}
	return norm.NFC.String(freetext.FoldLookAlikes(out))
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
