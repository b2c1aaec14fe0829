package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// VisitPrefix starts the id of a person's visit lease (a participant following a session
// without JavaScript, app/live/visit.go); a serving instance's id never starts with it.
const VisitPrefix = "v"

// RenewLease extends a serving instance's lease to lease from now, creating it if there is
// none. It reports whether the instance still held one: false the first time, and after a
// lease that ran out was swept (SweepLeases), its attendance rows closed.
func (s *Store) RenewLease(ctx context.Context, instance string, lease time.Duration) (held bool, err error) {
	now := s.Now()
	res, err := s.db.NewUpdate().Model((*model.LiveInstance)(nil)).
		Set("renewed_at = ?", now).Set("lease_until = ?", now.Add(lease)).Where("id = ?", instance).Exec(ctx)
	if err != nil {
		return false, err
	}
	if affectedOne(res) {
		return true, nil
	}
	_, err = s.db.NewInsert().Model(&model.LiveInstance{ID: instance, RenewedAt: now, LeaseUntil: now.Add(lease)}).Exec(ctx)
	return false, err
}

// SweepLeases closes the open attendance of every instance whose lease has run out (it was
// killed, crashed or lost the database), as of its last renewal: the last moment it is
// known to have been serving. It returns the sessions whose attendance changed.
func (s *Store) SweepLeases(ctx context.Context) ([]int64, error) {
	now := s.Now()
	var expired []model.LiveInstance
	if err := s.db.NewSelect().Model(&expired).Where("lease_until < ?", now).Scan(ctx); err != nil {
		return nil, err
	}
	var sessions []int64
	for _, inst := range expired {
		err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			// Only if still expired: an instance that renewed meanwhile keeps its rows, and
			// of two instances sweeping at once one does the work.
			res, err := tx.NewDelete().Model((*model.LiveInstance)(nil)).
				Where("id = ?", inst.ID).Where("lease_until < ?", now).Exec(ctx)
			if err != nil || !affectedOne(res) {
				return err
			}
			var ids []int64
			if err := tx.NewSelect().Model((*model.LiveAttendance)(nil)).Distinct().Column("session_id").
				Where("instance_id = ?", inst.ID).Where("left_at IS NULL").Scan(ctx, &ids); err != nil {
				return err
			}
			// A row opened after the last renewal ends where it began.
			if _, err := tx.NewUpdate().Model((*model.LiveAttendance)(nil)).
				Set("left_at = CASE WHEN joined_at > ? THEN joined_at ELSE ? END", inst.RenewedAt, inst.RenewedAt).
				Where("instance_id = ?", inst.ID).Where("left_at IS NULL").Exec(ctx); err != nil {
				return err
			}
			sessions = append(sessions, ids...)
			return nil
		})
		if err != nil {
			return sessions, err
		}
	}
	return sessions, nil
}

// RenewVisit keeps a person who follows a session without a live connection (the page's
// refreshes, without JavaScript) present: holder is a lease of their own, renewed like an
// instance's, that holds one attendance row. The first renewal, and the first after the
// lease ran out and was swept (SweepLeases closed the row at the last renewal), opens a new
// row and reports joined. A renewal never shortens the lease.
func (s *Store) RenewVisit(ctx context.Context, holder string, sessionID, userID int64, lease time.Duration) (joined bool, err error) {
	now := s.Now()
	until := now.Add(lease)
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		joined = false // a retried transaction starts again
		res, err := tx.NewUpdate().Model((*model.LiveInstance)(nil)).Set("renewed_at = ?", now).
			Set("lease_until = CASE WHEN lease_until > ? THEN lease_until ELSE ? END", until, until).
			Where("id = ?", holder).Exec(ctx)
		if err != nil || affectedOne(res) {
			return err
		}
		// Two requests of the same person at once: one opens the row.
		res, err = tx.NewInsert().Model(&model.LiveInstance{ID: holder, RenewedAt: now, LeaseUntil: until}).
			On("CONFLICT DO NOTHING").Exec(ctx)
		if err != nil || !affectedOne(res) {
			return err
		}
		_, err = tx.NewInsert().Model(&model.LiveAttendance{SessionID: sessionID, UserID: userID, JoinedAt: now, InstanceID: &holder}).Exec(ctx)
		joined = err == nil
		return err
	})
	return joined, err
}
