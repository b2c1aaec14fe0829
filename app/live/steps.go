package live

import (
	"context"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/store"
)

func (s *Service) step(ctx context.Context, m Member, crs *course.Course, in Inbound) error {
	l := crs.Lesson(in.Lesson)
	in.Section = freetext.Clean(in.Section)
	if l == nil || utf8.RuneCountInString(in.Section) > 200 {
		return refuse("unknown_lesson")
	}
	return s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (map[string]any, error) {
		if err := store.SetStep(ctx, tx, m.Session.ID, l.ID, in.Section); err != nil {
			return nil, err
		}
		return map[string]any{"type": "step", "step": stepView(crs, l.ID, in.Section, m.Cohort.Lang)}, nil
	})
}

func stepView(crs *course.Course, lessonID, section, lang string) map[string]any {
	l := crs.Lesson(lessonID)
	if l == nil {
		return nil
	}
	v, _ := l.Version(lang)
	href := "/courses/" + crs.ID + "/lessons/" + l.ID
	if section != "" {
		href += "#" + section
	}
	return map[string]any{"lesson": l.ID, "section": section, "title": v.Title, "href": href}
}

func (s *Service) end(ctx context.Context, m Member) error {
	return s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (map[string]any, error) {
		if err := s.Store.EndSession(ctx, tx, m.Session.ID); err != nil {
			return nil, err
		}
		return map[string]any{"type": "ended", "summary": "/live/" + itoa(m.Session.ID) + "/summary"}, nil
	})
}
