package locale

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// How numbers and dates are written for a reader. Everything the interface shows as a
// number goes through here: the values filled into messages ({{.Count}}, {{.N}}, {{.Percent}}
// …, see T and N) and the numbers, times and dates templates print ({{.Num x}},
// {{.Digits s}}, {{.Date t}}, {{.DayOf "2026-03-31"}}). What a machine reads stays in ASCII
// digits: form values, URLs, ids, codes, CSV and JSON never pass through these functions,
// and neither does a course's own text.

// digitZero is the zero of the digits a language's interface shows numbers in, for the
// languages whose interfaces do not use ASCII digits: Persian interfaces write ۰۱۲۳۴۵۶۷۸۹
// (the "arabext" numbering system of CLDR). Arabic is not here: its interface keeps the
// digits 0–9, as many Arabic sites do and as it did before.
var digitZero = map[string]rune{"fa": '۰'}

// decimalSeparator is the mark between the whole and the decimal part, where it is not ".".
var decimalSeparator = map[string]string{"fa": "٫"}

// dateStyle says how a language writes a moment: its month names (Gregorian calendar, the
// format forms of CLDR) and the order of the parts. A language without one keeps the
// numeric form every language had so far, "2026-11-23 12:00 UTC".
type dateStyle struct {
	months [12]string
	// layout has the verbs %[1]d day, %[2]s month, %[3]d year, %[4]s hours and minutes.
	layout string
}

// dateStyles: Persian in the Gregorian calendar with the Iranian month names of CLDR
// (ژانویه … دسامبر, in the form with ezafe that a date uses: «۲۳ نوامبر ۲۰۲۶»). The Solar
// Hijri calendar would be more familiar in Iran and Afghanistan, but neither the standard
// library nor golang.org/x/text converts to it, and the two countries name its months
// differently (فروردین or حمل …); docs/architecture.md says more.
var dateStyles = map[string]*dateStyle{
	"fa": {
		months: [12]string{"ژانویهٔ", "فوریهٔ", "مارس", "آوریل", "مهٔ", "ژوئن", "ژوئیهٔ", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"},
		layout: "%[1]d %[2]s %[3]d، %[4]s UTC",
	},
}

// Digits returns s with its ASCII digits written in the language's own digits (Persian
// digits in fa) and everything else unchanged; in a language that uses ASCII digits, s
// itself. For text the code makes of numbers ("12:05"), never for what a person typed.
func (l *Localizer) Digits(s string) string {
	if l.zero == 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return l.zero + (r - '0')
		}
		return r
	}, s)
}

// DigitSet is the language's ten digits, zero first, for the scripts that write numbers in
// the page (<html data-digits>); "" where the digits are 0–9.
func (l *Localizer) DigitSet() string {
	if l.zero == 0 {
		return ""
	}
	return l.Digits("0123456789")
}

// Num writes a number for reading: any integer or floating-point value (a float with the
// digits it needs and the language's decimal separator), or a string of digits the code
// made. Other values are written with fmt, unchanged.
func (l *Localizer) Num(v any) string {
	s, ok := numberText(v)
	if !ok {
		return fmt.Sprint(v)
	}
	if sep, ok := decimalSeparator[l.Lang.Tag]; ok && l.zero != 0 {
		s = strings.Replace(s, ".", sep, 1)
	}
	return l.Digits(s)
}

// Date writes a moment in UTC for reading, in the language's style.
func (l *Localizer) Date(t time.Time) string {
	t = t.UTC()
	st := dateStyles[l.Lang.Tag]
	if st == nil {
		return t.Format("2006-01-02 15:04 UTC")
	}
	return l.Digits(fmt.Sprintf(st.layout, t.Day(), st.months[t.Month()-1], t.Year(), t.Format("15:04")))
}

// DayOf writes a calendar date kept as text, "2026-03-31" (a cohort's start), for reading;
// a string that is not such a date is returned as it is.
func (l *Localizer) DayOf(s string) string {
	if dateStyles[l.Lang.Tag] == nil {
		return s
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	st := dateStyles[l.Lang.Tag]
	return l.Digits(fmt.Sprintf("%d %s %d", d.Day(), st.months[d.Month()-1], d.Year()))
}

// numberText is v in ASCII digits if v is a number, or a string made of digits (and the
// separators of times, ranges and decimals).
func numberText(v any) (string, bool) {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x), true
	case int8:
		return strconv.FormatInt(int64(x), 10), true
	case int16:
		return strconv.FormatInt(int64(x), 10), true
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case uint:
		return strconv.FormatUint(uint64(x), 10), true
	case uint8:
		return strconv.FormatUint(uint64(x), 10), true
	case uint16:
		return strconv.FormatUint(uint64(x), 10), true
	case uint32:
		return strconv.FormatUint(uint64(x), 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case string:
		return x, true
	}
	return "", false
}

// localData returns data with every number in it written for reading (Num), for a message
// to show; data itself is not changed. Strings are left alone: they are names, titles and
// codes people typed, or text the caller has already written for the reader.
func (l *Localizer) localData(data map[string]any) map[string]any {
	if l.zero == 0 || len(data) == 0 {
		return data
	}
	out := make(map[string]any, len(data))
	for k, v := range data {
		if _, isString := v.(string); !isString {
			if _, ok := numberText(v); ok {
				v = l.Num(v)
			}
		}
		out[k] = v
	}
	return out
}
