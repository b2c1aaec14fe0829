package live

import (
	"context"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

func (s *Service) step(ctx context.Context, m Member, crs *course.Course, in Inbound) error {
	if in.Lesson == "" && in.Kind != "" {
		return s.textStep(ctx, m, in)
	}
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

// maxStepText bounds a text step: a prompt read from a phone, not a lesson.
const maxStepText = 300

// textStep shows everyone a text instead of a lesson: a discussion prompt, or a break (with
// its length, and an optional text such as "Lunch").
func (s *Service) textStep(ctx context.Context, m Member, in Inbound) error {
	text := freetext.Clean(in.Text)
	n := utf8.RuneCountInString(text)
	minutes := in.Minutes
	switch in.Kind {
	case model.PlanDiscussion:
		if n == 0 {
			return refuse("bad_step")
		}
		minutes = 0
	case model.PlanBreak:
	default:
		return refuse("bad_step")
	}
	if n > maxStepText || minutes < 0 || minutes > 600 {
		return refuse("bad_step")
	}
	return s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (numbered, error) {
		if err := store.SetTextStep(ctx, tx, m.Session.ID, in.Kind, text, minutes); err != nil {
			return nil, err
		}
		return &StepMsg{Type: TypeStep, Step: textStepView(in.Kind, text, minutes)}, nil
	})
}

func textStepView(kind, text string, minutes int) *StepView {
	return &StepView{Kind: kind, Text: text, Minutes: minutes}
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
		s.auditEnd(ctx, m)
	}
	return err
}

// auditEnd records in the audit log that the member ended the session, from the console's
// form or its script alike. A failure is logged: the session has ended all the same.
func (s *Service) auditEnd(ctx context.Context, m Member) {
	u, err := s.Store.UserByID(ctx, m.UserID)
	if err == nil {
		err = s.Store.RecordAudit(ctx, store.UserActor(u), store.AuditLiveEnd,
			store.ThingTarget(model.TargetLiveSession, m.Session.ID, m.Session.Title), "")
	}
	if err != nil && s.Log != nil {
		s.Log.Error("record audit entry", "action", store.AuditLiveEnd, "err", err)
	}
}
