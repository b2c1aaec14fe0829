package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/model"
)

// Cohort errors callers branch on.
var (
	ErrCohortFull    = errors.New("cohort is full")
	ErrJoinCodeWrong = errors.New("join code unknown or revoked")
	ErrAlreadyMember = errors.New("already a member")
)

// CreateCohort stores a cohort and makes its creator its first trainer.
func (s *Store) CreateCohort(ctx context.Context, c *model.Cohort, trainerID int64) error {
	c.CreatedAt = s.Now()
	c.CreatedBy = &trainerID
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			return fmt.Errorf("insert cohort: %w", err)
		}
		_, err := tx.NewInsert().Model(&model.CohortMember{CohortID: c.ID, UserID: trainerID, Role: model.CohortTrainer, JoinedAt: c.CreatedAt}).Exec(ctx)
		return err
	})
}

// Cohort loads one cohort.
func (s *Store) Cohort(ctx context.Context, id int64) (*model.Cohort, error) {
	c := new(model.Cohort)
	err := s.db.NewSelect().Model(c).Where("id = ?", id).Scan(ctx)
	return c, notFound(err)
}

// CohortByCode finds the cohort a join code opens.
func (s *Store) CohortByCode(ctx context.Context, code string) (*model.Cohort, error) {
	c := new(model.Cohort)
	err := s.db.NewSelect().Model(c).Where("join_code = ?", code).Scan(ctx)
	if errors.Is(notFound(err), ErrNotFound) {
		return nil, ErrJoinCodeWrong
	}
	return c, err
}

// CohortsOf lists the cohorts a user belongs to, with their role in each; allForAdmin lists
// every cohort (as trainer) for administrators.
func (s *Store) CohortsOf(ctx context.Context, userID int64, allForAdmin bool) ([]model.Cohort, map[int64]string, error) {
	var members []model.CohortMember
	if err := s.db.NewSelect().Model(&members).Where("user_id = ?", userID).Scan(ctx); err != nil {
		return nil, nil, err
	}
	roles := map[int64]string{}
	ids := []int64{}
	for _, m := range members {
		roles[m.CohortID] = m.Role
		ids = append(ids, m.CohortID)
	}
	var cohorts []model.Cohort
	q := s.db.NewSelect().Model(&cohorts).Order("id DESC")
	if !allForAdmin {
		if len(ids) == 0 {
			return nil, roles, nil
		}
		q = q.Where("id IN (?)", bun.List(ids))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, nil, err
	}
	return cohorts, roles, nil
}

// CohortRole returns the user's role in the cohort, or "" when they are not a member.
func (s *Store) CohortRole(ctx context.Context, cohortID, userID int64) (string, error) {
	var role string
	err := s.db.NewSelect().Model((*model.CohortMember)(nil)).Column("role").
		Where("cohort_id = ?", cohortID).Where("user_id = ?", userID).Scan(ctx, &role)
	if errors.Is(notFound(err), ErrNotFound) {
		return "", nil
	}
	return role, err
}

// CohortMembers lists members with their accounts, trainers first.
func (s *Store) CohortMembers(ctx context.Context, cohortID int64) ([]model.CohortMember, error) {
	var members []model.CohortMember
	err := s.db.NewSelect().Model(&members).Relation("User").
		Where("cohort_member.cohort_id = ?", cohortID).
		Order("cohort_member.role DESC", "cohort_member.joined_at ASC").Scan(ctx)
	return members, err
}

// CohortMember returns one member of a cohort with their account, or ErrNotFound when the
// user is not in it.
func (s *Store) CohortMember(ctx context.Context, cohortID, userID int64) (*model.CohortMember, error) {
	m := new(model.CohortMember)
	err := s.db.NewSelect().Model(m).Relation("User").
		Where("cohort_member.cohort_id = ?", cohortID).Where("cohort_member.user_id = ?", userID).Scan(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	return m, nil
}

// JoinCohort adds a learner, respecting the seat limit even when many join at once.
func (s *Store) JoinCohort(ctx context.Context, cohortID, userID int64, seatLimit int) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := database.LockForUpdate(ctx, tx, "cohorts", cohortID); err != nil {
			return err
		}
		if seatLimit > 0 {
			n, err := tx.NewSelect().Model((*model.CohortMember)(nil)).
				Where("cohort_id = ?", cohortID).Where("role = ?", model.CohortLearner).Count(ctx)
			if err != nil {
				return err
			}
			if n >= int64(seatLimit) {
				return ErrCohortFull
			}
		}
		_, err := tx.NewInsert().Model(&model.CohortMember{CohortID: cohortID, UserID: userID, Role: model.CohortLearner, JoinedAt: s.Now()}).Exec(ctx)
		if database.IsUniqueViolation(err) {
			return ErrAlreadyMember
		}
		return err
	})
}

// AddCohortTrainer makes a user a co-trainer (promoting them if they were a learner).
func (s *Store) AddCohortTrainer(ctx context.Context, cohortID, userID int64) error {
	_, err := s.db.NewInsert().Model(&model.CohortMember{CohortID: cohortID, UserID: userID, Role: model.CohortTrainer, JoinedAt: s.Now()}).
		On("CONFLICT (cohort_id, user_id) DO UPDATE").Set("role = EXCLUDED.role").Exec(ctx)
	return err
}

// RemoveCohortMember takes someone out of a cohort.
func (s *Store) RemoveCohortMember(ctx context.Context, cohortID, userID int64) error {
	res, err := s.db.NewDelete().Model((*model.CohortMember)(nil)).
		Where("cohort_id = ?", cohortID).Where("user_id = ?", userID).Exec(ctx)
	if err != nil {
		return err
	}
	if !affectedOne(res) {
		return ErrNotFound
	}
	return nil
}

// SetJoinCode replaces (or, with nil, revokes) a cohort's join code.
func (s *Store) SetJoinCode(ctx context.Context, cohortID int64, code *string) error {
	_, err := s.db.NewUpdate().Model((*model.Cohort)(nil)).Set("join_code = ?", code).Where("id = ?", cohortID).Exec(ctx)
	return err
}

// cohortMembershipsOf lists the cohorts a user is in, for the data export.
func cohortMembershipsOf(ctx context.Context, db bun.IDB, userID int64) ([]CohortMemberData, error) {
	var out []CohortMemberData
	err := db.NewSelect().TableExpr("cohort_members AS m").Join("JOIN cohorts AS c ON c.id = m.cohort_id").
		ColumnExpr("m.cohort_id, c.name, c.course_id, m.role, m.joined_at").
		Where("m.user_id = ?", userID).OrderExpr("m.joined_at, m.cohort_id").Scan(ctx, &out)
	return out, err
}

// cohortsCreatedBy lists the cohorts a user created, for the data export.
func cohortsCreatedBy(ctx context.Context, db bun.IDB, userID int64) ([]CreatedData, error) {
	var out []CreatedData
	err := db.NewSelect().Model((*model.Cohort)(nil)).Column("id", "name", "created_at").
		Where("created_by = ?", userID).Order("id").Scan(ctx, &out)
	return out, err
}
