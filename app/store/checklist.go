package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// Ticks are a learner's ticked checklist items: course id → lesson id → item ids. Ticks of
// items a lesson no longer has may be among them; callers count only the lesson's items.
type Ticks map[string]map[string]map[string]bool

// Lesson returns the ticked item ids of one lesson (nil-safe, never nil).
func (t Ticks) Lesson(courseID, lessonID string) map[string]bool {
	if items := t[courseID][lessonID]; items != nil {
		return items
	}
	return map[string]bool{}
}

func (t Ticks) add(courseID, lessonID, itemID string) {
	if t[courseID] == nil {
		t[courseID] = map[string]map[string]bool{}
	}
	if t[courseID][lessonID] == nil {
		t[courseID][lessonID] = map[string]bool{}
	}
	t[courseID][lessonID][itemID] = true
}

// SetChecklistTicks makes ticked the whole set of ticked items of one lesson: items left
// out are unticked, and ticks of items the lesson no longer has are dropped with them. The
// caller passes only ids of the lesson's current items. Sending the same form twice leaves
// the same rows. Like a completed lesson, it counts as activity in the course.
func (s *Store) SetChecklistTicks(ctx context.Context, userID int64, courseID, lessonID string, ticked []string) error {
	now := s.Now()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := touchEnrollment(ctx, tx, userID, courseID, now); err != nil {
			return err
		}
		del := tx.NewDelete().Model((*model.ChecklistTick)(nil)).
			Where("user_id = ?", userID).Where("course_id = ?", courseID).Where("lesson_id = ?", lessonID)
		if len(ticked) > 0 {
			del = del.Where("item_id NOT IN (?)", bun.List(ticked))
		}
		if _, err := del.Exec(ctx); err != nil {
			return fmt.Errorf("untick checklist items: %w", err)
		}
		if len(ticked) == 0 {
			return nil
		}
		rows := make([]model.ChecklistTick, len(ticked))
		for i, id := range ticked {
			rows[i] = model.ChecklistTick{UserID: userID, CourseID: courseID, LessonID: lessonID, ItemID: id}
		}
		if _, err := tx.NewInsert().Model(&rows).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
			return fmt.Errorf("tick checklist items: %w", err)
		}
		return nil
	})
}

// ChecklistTicks returns a learner's ticks in the given courses, or in every course when
// none is given.
func (s *Store) ChecklistTicks(ctx context.Context, userID int64, courseIDs ...string) (Ticks, error) {
	var rows []model.ChecklistTick
	q := s.db.NewSelect().Model(&rows).Column("course_id", "lesson_id", "item_id").Where("user_id = ?", userID)
	if len(courseIDs) > 0 {
		q = q.Where("course_id IN (?)", bun.List(courseIDs))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("read checklist ticks: %w", err)
	}
	t := Ticks{}
	for _, r := range rows {
		t.add(r.CourseID, r.LessonID, r.ItemID)
	}
	return t, nil
}

// CompletedLessonsAndTicks is CompletedLessons plus the ticked items of one lesson, in one
// query: a lesson page with a checklist costs no more round trips than one without.
func (s *Store) CompletedLessonsAndTicks(ctx context.Context, userID int64, courseID, lessonID string) (done, ticked map[string]bool, err error) {
	var rows []struct {
		LessonID string `bun:"lesson_id"`
		ItemID   string `bun:"item_id"`
	}
	// Item ids are never empty (courses/README.md), so '' marks a completed lesson.
	err = s.db.NewRaw(`SELECT lesson_id, '' AS item_id FROM lesson_progress WHERE user_id = ? AND course_id = ?
UNION ALL
SELECT lesson_id, item_id FROM checklist_ticks WHERE user_id = ? AND course_id = ? AND lesson_id = ?`,
		userID, courseID, userID, courseID, lessonID).Scan(ctx, &rows)
	if err != nil {
		return nil, nil, fmt.Errorf("read lesson progress and ticks: %w", err)
	}
	done, ticked = map[string]bool{}, map[string]bool{}
	for _, r := range rows {
		if r.ItemID == "" {
			done[r.LessonID] = true
		} else {
			ticked[r.ItemID] = true
		}
	}
	return done, ticked, nil
}

// checklistTicksOf lists a user's ticked checklist items, for the data export.
func checklistTicksOf(ctx context.Context, db bun.IDB, userID int64) ([]ChecklistTickData, error) {
	var out []ChecklistTickData
	err := db.NewSelect().Model((*model.ChecklistTick)(nil)).Column("course_id", "lesson_id", "item_id").
		Where("user_id = ?", userID).Order("course_id", "lesson_id", "item_id").Scan(ctx, &out)
	return out, err
}
