package web

import (
	"context"
	"io/fs"
	"time"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/coursepkg"
	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/intake"
	"github.com/cairn-lms/cairn/app/locale"
)

// catalog is the published course catalog; it is swapped whole on reload.
func (s *Server) catalog() *course.Catalog { return s.courses.Load() }

// packagedCourses maps the id of each course served from a database package to its row.
func (s *Server) packagedCourses() map[string]int64 {
	if m := s.packaged.Load(); m != nil {
		return *m
	}
	return nil
}

// ReloadCourses reads the course folders and the published course packages again and
// publishes the result; broken courses are left out and logged, the others keep being
// served. A published package wins over a folder (or shipped) course of the same id: an
// admin who imports and publishes a course means that version to be served. It returns
// the problems found in the folders.
func (s *Server) ReloadCourses() []course.Problem {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	cat, problems := course.Load(s.coursesFS, s.coursesLabel, s.courseOptions())
	for _, p := range problems {
		if p.Warning {
			s.log.Debug("course content", "problem", p.String())
		} else {
			s.log.Warn("course content", "problem", p.String())
		}
	}
	s.folderCourses = cat
	return append(problems, s.mergePackagesLocked()...)
}

// reloadPackages rebuilds the catalogue from the folder courses already loaded and the
// published packages read again: what a change of packages needs, without rendering every
// folder course again (seconds for the shipped curriculum).
func (s *Server) reloadPackages() {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	s.mergePackagesLocked()
}

func (s *Server) mergePackagesLocked() []course.Problem {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sig, sigErr := s.store.PublishedSignature(ctx)
	pkgs, err := s.store.PublishedPackages(ctx)
	if err == nil {
		err = sigErr
	}
	byID := map[string]*course.Course{}
	for _, c := range s.folderCourses.All() {
		byID[c.ID] = c
	}
	packaged := map[string]int64{}
	if err != nil {
		// Serve the folders meanwhile; the periodic check tries again (the signature stays
		// unknown, so it differs from the next one read).
		s.log.Warn("course packages not loaded", "err", err)
		sig = ""
	}
	for _, p := range pkgs {
		checked, ps, err := coursepkg.Check(p.Package, coursepkg.DefaultLimits, s.courseOptions())
		if err != nil || checked == nil || checked.Course.ID != p.CourseID {
			// Checked at import, so only a change of the checker's rules gets here.
			s.log.Warn("course package not served", "course", p.CourseID, "version", p.Version, "err", err, "problems", len(ps))
			continue
		}
		byID[p.CourseID] = checked.Course
		packaged[p.CourseID] = p.ID
	}
	all := make([]*course.Course, 0, len(byID))
	for _, c := range byID {
		all = append(all, c)
	}
	s.courses.Store(course.NewCatalog(all))
	s.packaged.Store(&packaged)
	s.coursesSig = sig
	s.log.Info("courses loaded", "published", len(all), "from", s.coursesLabel, "packages", len(packaged))
	problems := s.loadIntakeLocked()
	close(s.coursesReloaded)
	s.coursesReloaded = make(chan struct{})
	return problems
}

// loadIntakeLocked reads (and checks) the risk intake against the catalogue just published:
// it names lessons of these courses, packaged ones included.
func (s *Server) loadIntakeLocked() []course.Problem {
	in, ps := intake.Load(s.coursesFS, s.coursesLabel, s.courses.Load(), nil)
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
	return ps
}

// CoursesReloaded is closed at the next reload of the catalogue (tests wait on it).
func (s *Server) CoursesReloaded() <-chan struct{} {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	return s.coursesReloaded
}

// reloadIfChanged reloads when the published packages differ from those served.
func (s *Server) reloadIfChanged(ctx context.Context) {
	sig, err := s.store.PublishedSignature(ctx)
	if err != nil {
		s.log.Warn("course packages: check", "err", err)
		return
	}
	s.reloadMu.Lock()
	same := sig == s.coursesSig
	s.reloadMu.Unlock()
	if !same {
		s.reloadPackages()
	}
}

// watchCourses keeps this instance's catalogue in step with the published packages: on
// PostgreSQL each change is notified to every instance (store.coursesChanged); a check
// every CoursesCheckInterval catches what a lost notification (or, on SQLite, the command
// line in another process) changed. It returns when ctx ends.
func (s *Server) watchCourses(ctx context.Context) {
	go func() {
		t := time.NewTicker(s.cfg.CoursesCheckInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.reloadIfChanged(ctx)
			}
		}
	}()
	if !database.IsPostgres(s.store.DB()) {
		return
	}
	var channel string
	for {
		var err error
		if channel, err = s.store.CoursesChannel(ctx); err == nil {
			break
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
	database.Listen(ctx, s.store.DB(), channel,
		func(string) { s.reloadIfChanged(ctx) },
		func() { s.reloadIfChanged(ctx) }, // (re)connected: catch up on what was missed
		func(err error) { s.log.Warn("courses: not listening to other instances; reconnecting", "err", err) })
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
