package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// SaveIntakePlan keeps a learner's answers to the risk intake (given to its version), in
// place of any they saved before. The day is kept, not the time.
func (s *Store) SaveIntakePlan(ctx context.Context, userID int64, version int, answers string) error {
	p := &model.IntakePlan{UserID: userID, Version: version, Answers: answers, SavedOn: s.Now().Truncate(24 * time.Hour)}
	_, err := s.db.NewInsert().Model(p).
		On("CONFLICT (user_id) DO UPDATE").
		Set("version = EXCLUDED.version").Set("answers = EXCLUDED.answers").Set("saved_on = EXCLUDED.saved_on").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("save intake plan: %w", err)
	}
	return nil
}

// IntakePlan returns a learner's saved answers, or ErrNotFound.
func (s *Store) IntakePlan(ctx context.Context, userID int64) (*model.IntakePlan, error) {
	p := new(model.IntakePlan)
	if err := s.db.NewSelect().Model(p).Where("user_id = ?", userID).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return p, nil
}

// DeleteIntakePlan forgets a learner's saved answers; it tells whether there were any.
func (s *Store) DeleteIntakePlan(ctx context.Context, userID int64) (bool, error) {
	res, err := s.db.NewDelete().Model((*model.IntakePlan)(nil)).Where("user_id = ?", userID).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("delete intake plan: %w", err)
	}
	return affectedOne(res), nil
}

// IntakePlanData is the saved answers to the risk intake, for the data export.
type IntakePlanData struct {
	Version int     `json:"intake_version"`
	Answers RawJSON `json:"answers"`  // question id → answer ids
	SavedOn string  `json:"saved_on"` // the UTC day, as 2006-01-02
}

// intakePlanOf is the person's saved intake answers, at most one.
func intakePlanOf(ctx context.Context, db bun.IDB, userID int64) ([]IntakePlanData, error) {
	var rows []model.IntakePlan
	if err := db.NewSelect().Model(&rows).Where("user_id = ?", userID).Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]IntakePlanData, 0, len(rows))
	for _, r := range rows {
		out = append(out, IntakePlanData{Version: r.Version, Answers: RawJSON(r.Answers), SavedOn: r.SavedOn.UTC().Format(time.DateOnly)})
	}
	return out, nil
}
