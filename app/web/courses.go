package web

import (
	"io/fs"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/intake"
	"github.com/cairn-lms/cairn/app/locale"
)

// catalog is the published course catalog; it is swapped whole on reload.
func (s *Server) catalog() *course.Catalog { return s.courses.Load() }

// ReloadCourses reads the course folders again and publishes the result; broken courses are
// left out and logged, the others keep being served. It returns the problems found.
func (s *Server) ReloadCourses() []course.Problem {
	cat, problems := course.Load(s.coursesFS, s.coursesLabel, s.courseOptions())
	for _, p := range problems {
		if p.Warning {
			s.log.Debug("course content", "problem", p.String())
		} else {
			s.log.Warn("course content", "problem", p.String())
		}
	}
	s.courses.Store(cat)
	s.log.Info("courses loaded", "published", len(cat.All()), "from", s.coursesLabel)
	// The risk intake names lessons of these courses, so it is read (and checked) with them.
	in, ps := intake.Load(s.coursesFS, s.coursesLabel, cat, nil)
	for _, p := range ps {
		if p.Warning {
			s.log.Debug("risk intake", "problem", p.String())
		} else {
			s.log.Warn("risk intake", "problem", p.String())
		}
	}
	s.intake.Store(in)
	if in != nil {
		s.log.Info("risk intake loaded", "version", in.Version, "questions", len(in.Questions), "rules", len(in.Rules))
	}
	return append(problems, ps...)
}

// courseOptions are the words the Markdown renderer puts in content, in the content's
// language: callout headings and the name of the box a table scrolls in.
func (s *Server) courseOptions() course.Options {
	return course.Options{
		CalloutLabel: func(lang, kind string) string { return s.localizerFor(lang).T("callout_" + kind) },
		TableLabel:   func(lang string) string { return s.localizerFor(lang).T("lesson_table_label") },
	}
}

// localizerFor is the interface language lang, or the default one when it is not shipped:
// words that go inside content written in lang.
func (s *Server) localizerFor(lang string) *locale.Localizer {
	if l, ok := s.locales.Lookup(lang); ok {
		return l
	}
	return s.locales.Default()
}

// CoursesSource names where courses come from: a folder on disk or the embedded set.
type CoursesSource struct {
	FS    fs.FS
	Label string
}
