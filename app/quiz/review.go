package quiz

// When a part of an attempt's review is shown to the learner.
const (
	ShowAlways    = "always"
	ShowAfterPass = "after_pass" // once the learner has passed the quiz, in any attempt
	ShowNever     = "never"
)

// ShowWhens lists the values a review setting may take.
var ShowWhens = []string{ShowAlways, ShowAfterPass, ShowNever}

// Review says what a learner sees of each question after an attempt: whether it was right
// (Correctness), the right answer (Answers), and the feedback of what they chose with the
// question's explanation (Feedback). Explanations and feedback usually state the answer, so
// they go together with it.
type Review struct {
	Correctness string
	Answers     string
	Feedback    string
}

// DefaultReview is what a quiz shows unless it says otherwise: right or wrong always, the
// right answers and explanations once the learner has passed. Handing them out after a
// failed attempt would make the retake a copy of the review.
var DefaultReview = Review{Correctness: ShowAlways, Answers: ShowAfterPass, Feedback: ShowAfterPass}

// Visible is what the review of one question shows.
type Visible struct {
	Correctness, Answer, Feedback bool
}

// For returns what to show of a question answered right (or not) by a learner who has
// passed the quiz (or not). Before a pass, "after_pass" still shows the answer and the
// explanation of a question the learner got right and is told so: they already know that
// answer, and the explanation is worth reading.
func (r Review) For(passed, right bool) Visible {
	shows := func(when string) bool {
		return when == ShowAlways || (when == ShowAfterPass && passed)
	}
	v := Visible{Correctness: shows(r.Correctness)}
	known := v.Correctness && right
	v.Answer = shows(r.Answers) || (r.Answers == ShowAfterPass && known)
	v.Feedback = shows(r.Feedback) || (r.Feedback == ShowAfterPass && known)
	return v
}
