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
	return s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (numbered, error) {
		if err := store.SetStep(ctx, tx, m.Session.ID, l.ID, in.Section); err != nil {
			return nil, err
		}
		return &StepMsg{Type: TypeStep, Step: stepView(crs, l.ID, in.Section, m.Cohort.Lang)}, nil
	})
}

func stepView(crs *course.Course, lessonID, section, lang string) *StepView {
	l := crs.Lesson(lessonID)
	if l == nil {
		return nil
	}
	v, _ := l.Version(lang)
	href := "/courses/" + crs.ID + "/lessons/" + l.ID
	out := &StepView{Lesson: l.ID, Section: section, Title: v.Title}
	if section != "" {
		href += "#" + section
		// A section the lesson no longer has (edited since) keeps its anchor, untitled.
		if h := v.Heading(section); h != nil {
			out.SectionTitle = h.Text
		}
	}
	out.Href = href
	return out
}

func (s *Service) end(ctx context.Context, m Member) error {
	err := s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (numbered, error) {
		if err := s.Store.EndSession(ctx, tx, m.Session.ID); err != nil {
			return nil, err
		}
		// Nobody can reconnect to an ended session: its kept events go now (the "ended"
		// event itself, kept after this, goes with the next prune).
		if err := s.Store.DeleteLiveEvents(ctx, tx, m.Session.ID); err != nil {
			return nil, err
		}
		return &EndedMsg{Type: TypeEnded, Summary: "/live/" + itoa(m.Session.ID) + "/summary"}, nil
	})
	if err == nil {
		s.polls.forgetSession(m.Session.ID)
	}
	return err
}
