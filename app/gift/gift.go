// Package gift reads Moodle's GIFT question format and turns it into a Cairn quiz.
//
// Parse reads a GIFT file the way Moodle's own importer (question/format/gift) does —
// blank-line separated questions, // comment lines, ::titles::, $CATEGORY:, [format]
// prefixes, ~ = # #### answers and feedback, %weights%, true/false, short answer,
// matching, numerical, essay and description questions, missing-word blanks and the
// backslash escapes — and keeps the line of every question, answer and problem. Convert
// maps what Cairn can express (see courses/README.md, "Importing Moodle GIFT") and reports
// everything else by line; it never guesses. Neither depends on the rest of Cairn, and
// neither panics on any input.
package gift

import "fmt"

// Severity says how much a problem matters.
type Severity int

// Problems are errors (nothing is imported while there is one), warnings (something is
// dropped or changed, and the report says what) and notes (how a question was mapped).
const (
	Error Severity = iota
	Warning
	Note
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Note:
		return "note"
	default:
		return "error"
	}
}

// Problem is one thing found in a GIFT file, located at its line.
type Problem struct {
	File     string
	Line     int // 1-based; 0 when it concerns the whole file
	Severity Severity
	Msg      string
}

// String formats the problem like cairn courses check does: file:line: kind: message.
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Severity, p.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", p.File, p.Severity, p.Msg)
}

// HasErrors tells whether any of ps is an error.
func HasErrors(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// Count returns how many errors, warnings and notes ps holds.
func Count(ps []Problem) (errors, warnings, notes int) {
	for _, p := range ps {
		switch p.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		default:
			notes++
		}
	}
	return errors, warnings, notes
}

type problems struct {
	file string
	list []Problem
}

func (ps *problems) add(sev Severity, line int, format string, a ...any) {
	ps.list = append(ps.list, Problem{File: ps.file, Line: line, Severity: sev, Msg: fmt.Sprintf(format, a...)})
}

func (ps *problems) errorf(line int, format string, a ...any) { ps.add(Error, line, format, a...) }
func (ps *problems) warnf(line int, format string, a ...any)  { ps.add(Warning, line, format, a...) }
func (ps *problems) notef(line int, format string, a ...any)  { ps.add(Note, line, format, a...) }
