package locale

import (
	"strconv"
	"time"
)

// Dates are written the way each language writes them, with the month's name, from the
// messages date_time, date_day and month_1 … month_12. An ISO timestamp such as
// "2026-05-01 15:04 UTC" is three left-to-right runs (date, time, zone) that the
// bidirectional algorithm lays out right to left inside an Arabic sentence, so it read
// "UTC 15:04 2026-05-01"; "1 مايو 2026، الساعة 15:04" reads in order in any direction.
// Times are in UTC, as everywhere on the site, and the messages say so. The result is in the
// language's digits (Persian digits in fa, numbers.go).

// Date writes t (a moment) as a date and time in UTC.
func (l *Localizer) Date(t time.Time) string {
	t = t.UTC()
	return l.Digits(l.T("date_time", "Day", t.Day(), "Month", l.month(t.Month()), "Year", strconv.Itoa(t.Year()), "Time", t.Format("15:04")))
}

// Day writes the calendar day of t, without a time.
func (l *Localizer) Day(t time.Time) string {
	return l.Digits(l.T("date_day", "Day", t.Day(), "Month", l.month(t.Month()), "Year", strconv.Itoa(t.Year())))
}

// DayOf writes a day given as "2006-01-02" (a date field); anything else is returned as it
// is.
func (l *Localizer) DayOf(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return l.Day(t)
}

func (l *Localizer) month(m time.Month) string { return l.T("month_" + strconv.Itoa(int(m))) }
