package live

import (
	"context"
	"errors"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

func (s *Service) ask(ctx context.Context, m Member, in Inbound) error {
	body := freetext.Clean(in.Body)
	if body == "" || utf8.RuneCountInString(body) > 500 {
		return refuse("bad_question")
	}
	return s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (numbered, error) {
		q := &model.LiveQuestion{SessionID: m.Session.ID, Body: body}
		if !in.Anonymous {
			uid := m.UserID
			q.UserID = &uid
		}
		if err := s.Store.AddQuestion(ctx, tx, q); err != nil {
			return nil, err
		}
		author := ""
		if !in.Anonymous {
			author = m.Name
		}
		return &QuestionMsg{Type: TypeQuestion, Question: questionView(q, author)}, nil
	})
}

func questionView(q *model.LiveQuestion, author string) QuestionView {
	return QuestionView{ID: q.ID, Body: q.Body, Author: author, AuthorDeleted: q.AuthorDeleted, Upvotes: q.Upvotes, Answered: q.Answered, Hidden: q.Hidden}
}

func authorOf(q *model.LiveQuestion) string {
	if q.UserID == nil || q.User == nil {
		return ""
	}
	return q.User.Name()
}

func (s *Service) question(ctx context.Context, m Member, in Inbound) error {
	return s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (numbered, error) {
		var q *model.LiveQuestion
		var err error
		switch in.Type {
		case MsgUpvote:
			var added bool
			q, added, err = s.Store.UpvoteQuestion(ctx, tx, m.Session.ID, in.Question, m.UserID)
			if err == nil && !added {
				return nil, refuse("already_upvoted")
			}
		case MsgAnswered:
			yes := true
			q, err = s.Store.MarkQuestion(ctx, tx, m.Session.ID, in.Question, &yes, nil)
		case MsgHide:
			yes := true
			q, err = s.Store.MarkQuestion(ctx, tx, m.Session.ID, in.Question, nil, &yes)
		}
		if errors.Is(err, store.ErrNotFound) {
			return nil, refuse("unknown_question")
		}
		if err != nil {
			return nil, err
		}
		return &QuestionMsg{Type: TypeQuestion, Question: questionView(q, authorOf(q))}, nil
	})
}
