package web

import (
	"io/fs"

	"github.com/cairn-lms/cairn/app/course"
)

// catalog is the published course catalog; it is swapped whole on reload.
func (s *Server) catalog() *course.Catalog { return s.courses.Load() }

// ReloadCourses reads the course folders again and publishes the result; broken courses are
// left out and logged, the others keep being served. It returns the problems found.
func (s *Server) ReloadCourses() []course.Problem {
	cat, problems := course.Load(s.coursesFS, s.coursesLabel, course.Options{CalloutLabel: s.calloutLabel})
	for _, p := range problems {
		if p.Warning {
			s.log.Debug("course content", "problem", p.String())
		} else {
			s.log.Warn("course content", "problem", p.String())
		}
	}
	s.courses.Store(cat)
	s.log.Info("courses loaded", "published", len(cat.All()), "from", s.coursesLabel)
	return problems
}

func (s *Server) calloutLabel(lang, kind string) string {
	l, ok := s.locales.Lookup(lang)
	if !ok {
		l = s.locales.Default()
	}
	return l.T("callout_" + kind)
}

// CoursesSource names where courses come from: a folder on disk or the embedded set.
type CoursesSource struct {
	FS    fs.FS
	Label string
}
