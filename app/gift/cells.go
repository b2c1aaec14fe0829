package gift

import "strings"

// cell is one character of a question, with where it came from. GIFT's control characters
// (~ = # { } :) mean nothing when escaped with a backslash, so the parser looks only at
// unescaped ones; keeping the line of every character lets each answer and problem point at
// the line it is on, and keeping \n apart from the file's own line ends lets the converter
// tell a line break the author asked for from the wrapping of a long line.
type cell struct {
	r     rune
	esc   bool // written with a backslash (\~ \= \# \{ \} \: \\ \n): never a control character
	blank bool // one of the "_____" Moodle puts where a missing-word answer was
	line  int
}

type cells []cell

// decodeLine reads one line of a GIFT file into cells, resolving Moodle's escapes: \\ is a
// backslash, \~ \= \# \{ \} \: are the characters themselves, \n is a line break. Any other
// backslash stays as written (Moodle leaves it too).
func decodeLine(s string, line int) cells {
	rs := []rune(s)
	out := make(cells, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '\\' && i+1 < len(rs) {
			switch next := rs[i+1]; next {
			case '\\', ':', '#', '=', '{', '}', '~':
				out = append(out, cell{r: next, esc: true, line: line})
				i++
				continue
			case 'n':
				out = append(out, cell{r: '\n', esc: true, line: line})
				i++
				continue
			}
		}
		out = append(out, cell{r: r, line: line})
	}
	return out
}

// is tells whether c is the character r, unescaped (a control character where r is one).
func (c cell) is(r rune) bool { return c.r == r && !c.esc && !c.blank }

// phpSpace is what PHP's trim() removes, which Moodle applies everywhere: not the Unicode
// spaces Go's TrimSpace also removes (a no-break space at the edge of an answer stays).
const phpSpace = " \t\n\r\x00\x0B"

func (c cell) space() bool { return !c.blank && strings.ContainsRune(phpSpace, c.r) }

// trim removes surrounding white space, line breaks written as \n included (Moodle trims
// texts after resolving escapes).
func (cs cells) trim() cells {
	i, j := 0, len(cs)
	for i < j && cs[i].space() {
		i++
	}
	for j > i && cs[j-1].space() {
		j--
	}
	return cs[i:j]
}

// index returns the position of the first unescaped r at or after from, or -1.
func (cs cells) index(r rune, from int) int {
	for i := max(from, 0); i < len(cs); i++ {
		if cs[i].is(r) {
			return i
		}
	}
	return -1
}

// indexSeq returns the position of the first run of unescaped characters spelling seq, or
// -1.
func (cs cells) indexSeq(seq string, from int) int {
	rs := []rune(seq)
	for i := max(from, 0); i+len(rs) <= len(cs); i++ {
		if cs.hasSeqAt(i, rs) {
			return i
		}
	}
	return -1
}

// lastIndexSeq is indexSeq from the end (PHP's strrpos).
func (cs cells) lastIndexSeq(seq string) int {
	rs := []rune(seq)
	for i := len(cs) - len(rs); i >= 0; i-- {
		if cs.hasSeqAt(i, rs) {
			return i
		}
	}
	return -1
}

func (cs cells) hasSeqAt(i int, rs []rune) bool {
	for k, r := range rs {
		if !cs[i+k].is(r) {
			return false
		}
	}
	return true
}

func (cs cells) hasPrefix(seq string) bool {
	rs := []rune(seq)
	return len(cs) >= len(rs) && cs.hasSeqAt(0, rs)
}

// String is the text as Moodle reads it: escapes resolved.
func (cs cells) String() string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteRune(c.r)
	}
	return b.String()
}

// lineOf returns the line of the first cell, or fallback for no cells.
func (cs cells) lineOf(fallback int) int {
	if len(cs) > 0 {
		return cs[0].line
	}
	return fallback
}

// split cuts cs before every unescaped character of seps; each part starts with the
// separator that began it (none for the first part).
func (cs cells) split(seps string) []cells {
	var parts []cells
	start := 0
	for i, c := range cs {
		if !c.esc && !c.blank && strings.ContainsRune(seps, c.r) {
			parts = append(parts, cs[start:i])
			start = i
		}
	}
	return append(parts, cs[start:])
}

// splitN cuts cs at unescaped sep into at most n parts (any number for n < 0), dropping
// the separators (PHP's explode with a limit).
func (cs cells) splitN(sep rune, n int) []cells {
	var parts []cells
	start := 0
	for i := 0; i < len(cs) && (n < 0 || len(parts) < n-1); i++ {
		if cs[i].is(sep) {
			parts = append(parts, cs[start:i])
			start = i + 1
		}
	}
	return append(parts, cs[start:])
}

func concat(parts ...cells) cells {
	var out cells
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
