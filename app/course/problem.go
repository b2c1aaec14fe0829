package course

import (
	"fmt"
	"regexp"
	"strconv"
)

// Problem is one thing wrong with course content, located as precisely as possible.
type Problem struct {
	File    string // path as given to the loader, e.g. courses/x/course.yaml
	Line    int    // 1-based; 0 when the problem concerns the file or folder as a whole
	Warning bool   // a warning does not stop the course from being published
	// Note marks information rather than something to fix (a translation awaiting its second
	// reader). A note is also a Warning, so code that tells errors from the rest keeps
	// treating it as harmless; shipped courses may carry notes, not warnings.
	Note bool
	Msg  string
}

func (p Problem) String() string {
	kind := "error"
	switch {
	case p.Note:
		kind = "note"
	case p.Warning:
		kind = "warning"
	}
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, kind, p.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", p.File, kind, p.Msg)
}

// problems collects Problems while a course loads.
type problems []Problem

func (ps *problems) errorf(file string, line int, format string, a ...any) {
	*ps = append(*ps, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, a...)})
}

func (ps *problems) warnf(file string, line int, format string, a ...any) {
	*ps = append(*ps, Problem{File: file, Line: line, Warning: true, Msg: fmt.Sprintf(format, a...)})
}

func (ps *problems) notef(file string, line int, format string, a ...any) {
	*ps = append(*ps, Problem{File: file, Line: line, Warning: true, Note: true, Msg: fmt.Sprintf(format, a...)})
}

func (ps problems) hasErrors() bool {
	for _, p := range ps {
		if !p.Warning {
			return true
		}
	}
	return false
}

var yamlLineRE = regexp.MustCompile(`line (\d+):\s*(.*)`)

// yamlError turns a yaml.v3 error into located problems (one per reported line).
func (ps *problems) yamlError(file string, lineOffset int, err error) {
	matches := yamlLineRE.FindAllStringSubmatch(err.Error(), -1)
	if len(matches) == 0 {
		ps.errorf(file, 0, "%v", err)
		return
	}
	for _, m := range matches {
		n, _ := strconv.Atoi(m[1])
		ps.errorf(file, n+lineOffset, "%s", m[2])
	}
}
