package cohort

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/cairn-lms/cairn/app/course"
)

// WriteCSV exports the learner rows. Cells that a spreadsheet would run as a formula are
// prefixed with a quote, so a display name cannot attack the trainer's spreadsheet.
func WriteCSV(w io.Writer, c *course.Course, rows []LearnerRow, headers []string) error {
	cw := csv.NewWriter(w)
	head := append([]string{}, headers...)
	for _, m := range c.Quizzes() {
		head = append(head, "quiz:"+m.ID)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, r := range rows {
		last := ""
		if r.LastActivity != nil {
			last = r.LastActivity.UTC().Format("2006-01-02")
		}
		rec := []string{safeCell(r.Name), strconv.Itoa(r.Standing.LessonsDone), strconv.Itoa(r.Standing.Lessons),
			strconv.Itoa(r.Standing.Percent), last}
		for _, m := range c.Quizzes() {
			if p, ok := r.BestPercent[m.ID]; ok {
				rec = append(rec, strconv.Itoa(p))
			} else {
				rec = append(rec, "")
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
