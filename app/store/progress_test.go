package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

func TestLessonCompletionIsRecordedOnceEvenWhenRepeatedConcurrently(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		u := createUser(t, st, "progressor")
		var wg sync.WaitGroup
		recorded := make(chan bool, 6)
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := st.CompleteLesson(ctx, u.ID, "course-a", "lesson-1")
				if err != nil {
					t.Error(err)
				}
				recorded <- ok
			}()
		}
		wg.Wait()
		close(recorded)
		n := 0
		for ok := range recorded {
			if ok {
				n++
			}
		}
		if n != 1 || count(t, db, "lesson_progress") != 1 || count(t, db, "enrollments") != 1 {
			t.Fatalf("recorded %d times; rows: progress %d, enrolments %d", n, count(t, db, "lesson_progress"), count(t, db, "enrollments"))
		}
		if _, err := st.CompleteLesson(ctx, u.ID, "course-a", "lesson-2"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CompleteLesson(ctx, u.ID, "course-b", "lesson-1"); err != nil {
			t.Fatal(err)
		}
		done, err := st.CompletedLessons(ctx, u.ID, "course-a")
		if err != nil || len(done) != 2 || !done["lesson-1"] || !done["lesson-2"] {
			t.Fatalf("CompletedLessons: %v, %v", done, err)
		}
		p, err := st.LearnerProgress(ctx, u.ID)
		if err != nil || len(p.Enrollments) != 2 || len(p.Lessons["course-b"]) != 1 {
			t.Fatalf("LearnerProgress: %+v, %v", p, err)
		}
	})
}

func TestQuizAttemptsAreIdempotentPerFormAndPrivate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		u := createUser(t, st, "quizzer")
		other := createUser(t, st, "nosy")
		attempt := func(key string, percent int, passed bool) *model.QuizAttempt {
			return &model.QuizAttempt{UserID: u.ID, CourseID: "c", QuizID: "m1", AttemptKey: key, CourseVersion: "1", Lang: "en",
				Score: percent / 10, MaxScore: 10, Percent: percent, Passed: passed, Answers: "{}"}
		}
		first, created, err := st.RecordQuizAttempt(ctx, attempt("k1", 40, false))
		if err != nil || !created {
			t.Fatalf("first attempt: %v %v", created, err)
		}
		again, created, err := st.RecordQuizAttempt(ctx, attempt("k1", 100, true))
		if err != nil || created || again.ID != first.ID || again.Percent != 40 {
			t.Fatalf("replayed form: created=%v id=%d percent=%d err=%v", created, again.ID, again.Percent, err)
		}
		if _, _, err := st.RecordQuizAttempt(ctx, attempt("k2", 80, true)); err != nil {
			t.Fatal(err)
		}
		list, err := st.QuizAttempts(ctx, u.ID, "c", "m1")
		if err != nil || len(list) != 2 || list[0].Percent != 80 {
			t.Fatalf("history: %+v %v", list, err)
		}
		p, err := st.LearnerProgress(ctx, u.ID, "c")
		if err != nil || p.BestPercent["c"]["m1"] != 80 || !p.Passed["c"]["m1"] {
			t.Fatalf("best: %+v %v", p, err)
		}
		if _, err := st.QuizAttempt(ctx, other.ID, first.ID); err != store.ErrNotFound {
			t.Fatalf("another learner read the attempt: %v", err)
		}
	})
}

func TestAttendanceIsDeletedAfterItsRetention(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		st := store.New(db, func() time.Time { return now })
		u := createUser(t, st, "attendee")
		ls := storetest.RunningSession(t, st, u)
		if _, err := st.JoinAttendance(ctx, ls.ID, u.ID, "test"); err != nil {
			t.Fatal(err)
		}
		if n, _ := st.DeleteOldAttendance(ctx, 48*time.Hour); n != 0 {
			t.Fatal("fresh attendance deleted")
		}
		now = now.Add(72 * time.Hour)
		if n, err := st.DeleteOldAttendance(ctx, 48*time.Hour); err != nil || n != 1 {
			t.Fatalf("old attendance: deleted %d, %v", n, err)
		}
	})
}
