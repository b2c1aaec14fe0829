package locale

import (
	"fmt"
	"strconv"
	"strings"
)

// How numbers and dates are written for a reader. Everything the interface shows as a
// number goes through here: the values filled into messages ({{.Count}}, {{.N}}, {{.Percent}}
// …, see T and N) and the numbers, times and dates templates print ({{.Num x}},
// {{.Digits s}}, and {{.Date t}}, {{.DayOf "2026-03-31"}} of dates.go). What a machine reads stays in ASCII
// digits: form values, URLs, ids, codes, CSV and JSON never pass through these functions,
// and neither does a course's own text.

// digitZero is the zero of the digits a language's interface shows numbers in, for the
// languages whose interfaces do not use ASCII digits: Persian interfaces write ۰۱۲۳۴۵۶۷۸۹
// (the "arabext" numbering system of CLDR). Arabic is not here: its interface keeps the
// digits 0–9, as many Arabic sites do and as it did before.
var digitZero = map[string]rune{"fa": '۰'}

// decimalSeparator is the mark between the whole and the decimal part, where it is not ".".
var decimalSeparator = map[string]string{"fa": "٫"}

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
