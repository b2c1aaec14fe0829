package course

// Standing is where a learner stands in a course.
type Standing struct {
	LessonsDone, Lessons   int
	QuizzesPassed, Quizzes int
	Percent                int
	Complete               bool
	Next                   *Lesson // first lesson not yet completed, in course order; nil when all are
}

// StandingOf computes a learner's standing from the lesson ids they completed and the quizzes
// they passed. Only the course's current lessons count: progress on a removed lesson is
// ignored, and a new lesson makes a completed course incomplete again.
func (c *Course) StandingOf(doneLessons, passedQuizzes map[string]bool) Standing {
	s := Standing{Lessons: len(c.Lessons)}
	for _, l := range c.Lessons {
		if doneLessons[l.ID] {
			s.LessonsDone++
		} else if s.Next == nil {
			s.Next = l
		}
	}
	for _, m := range c.Quizzes() {
		s.Quizzes++
		if passedQuizzes[m.ID] {
			s.QuizzesPassed++
		}
	}
	total := s.Lessons + s.Quizzes
	if total > 0 {
		s.Percent = (s.LessonsDone + s.QuizzesPassed) * 100 / total
	}
	s.Complete = s.LessonsDone == s.Lessons && s.QuizzesPassed == s.Quizzes
	return s
}
