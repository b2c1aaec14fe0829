package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/cohort"
	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

type cohortQuizData struct {
	Cohort *model.Cohort
	Quiz   cohort.QuizStats
	Bands  []string
	// FellBack: a question (or the title) is not in the reader's language.
	FellBack bool
}

// Dir is the writing direction of a language, for text in another language than the page's.
func (cohortQuizData) Dir(tag string) string { return locale.Dir(tag) }

// showCohortQuiz is one quiz of a cohort for its trainers: the score distribution and the
// questions, hardest first, from every learner's latest attempt.
func (s *Server) showCohortQuiz(c *fiber.Ctx) error {
	co, err := s.cohortAsTrainer(c)
	if err != nil {
		return err
	}
	crs := s.cohortCourse(co)
	if crs == nil {
		return fiber.ErrNotFound
	}
	m := crs.Module(c.Params("module"))
	if m == nil || m.Quiz == nil {
		return fiber.ErrNotFound
	}
	stats, err := s.quizStats(c, co, crs, m.ID)
	if err != nil {
		return err
	}
	if len(stats) != 1 {
		return fiber.ErrNotFound
	}
	d := cohortQuizData{Cohort: co, Quiz: stats[0], Bands: bandLabels(c)}
	reader := lang(c)
	d.FellBack = d.Quiz.TitleLang != reader
	for _, q := range d.Quiz.Questions {
		d.FellBack = d.FellBack || q.Lang != reader
	}
	return s.renderTitled(c, fiber.StatusOK, "cohort_quiz", state(c).loc.T("cohort_quiz_heading", "Module", d.Quiz.Title), d)
}

// quizStats puts together the statistics of one quiz: the score distribution counted by
// the database and each question's share of right answers in the learners' latest
// attempts, streamed and re-graded.
func (s *Server) quizStats(c *fiber.Ctx, co *model.Cohort, crs *course.Course, quizID string) ([]cohort.QuizStats, error) {
	ctx := c.UserContext()
	bands, err := s.store.CohortScoreBands(ctx, co.ID, crs.ID, quizID, cohort.BandWidth, cohort.Bands)
	if err != nil {
		return nil, err
	}
	counts := make([]cohort.BandCount, len(bands))
	for i, b := range bands {
		counts[i] = cohort.BandCount{QuizID: b.QuizID, Band: b.Band, Learners: b.Learners}
	}
	tally := cohort.NewDifficulty(crs)
	if err := s.store.EachLatestAttempt(ctx, co.ID, crs.ID, quizID, func(a store.LatestAnswers) error {
		tally.Add(a.QuizID, a.Lang, a.Answers)
		return nil
	}); err != nil {
		return nil, err
	}
	for _, st := range cohort.Quizzes(crs, counts, tally, lang(c)) {
		if st.Module.ID == quizID {
			return []cohort.QuizStats{st}, nil
		}
	}
	return nil, nil
}
