package cohort

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/cairn-lms/cairn/app/course"
)

// CSV writes the learner table row by row as rows arrive, so that an export of any size
// holds one chunk of learners at a time. Cells that a spreadsheet would run as a formula are
// prefixed with a quote, so a display name cannot attack the trainer's spreadsheet.
type CSV struct {
	w       *csv.Writer
	quizzes []*course.Module
	status  func(disabled bool) string
}

// NewCSV writes the header line: the given headers, then one column per quiz. The rows
// hold the learner's name, lessons done, lessons in all, progress and last activity day,
// then their account's status as status says it (the last of the given headers is its
// title), then the best score of each quiz.
func NewCSV(w io.Writer, c *course.Course, headers []string, status func(disabled bool) string) (*CSV, error) {
	out := &CSV{w: csv.NewWriter(w), quizzes: c.Quizzes(), status: status}
	head := make([]string, 0, len(headers)+len(out.quizzes))
	for _, h := range headers {
		head = append(head, safeCell(h))
	}
	for _, m := range out.quizzes {
		head = append(head, "quiz:"+m.ID)
	}
	return out, out.w.Write(head)
}

// Write adds learners.
func (out *CSV) Write(rows ...LearnerRow) error {
	for _, r := range rows {
		rec := []string{safeCell(r.Name), strconv.Itoa(r.Standing.LessonsDone), strconv.Itoa(r.Standing.Lessons),
			strconv.Itoa(r.Standing.Percent), r.Day(), safeCell(out.status(r.Disabled))}
		for _, m := range out.quizzes {
			if p, ok := r.BestPercent[m.ID]; ok {
				rec = append(rec, strconv.Itoa(p))
			} else {
				rec = append(rec, "")
			}
		}
		if err := out.w.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// Flush sends what is buffered on to the writer.
func (out *CSV) Flush() error {
	out.w.Flush()
	return out.w.Error()
}

func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
