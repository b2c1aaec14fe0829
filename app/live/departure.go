package live

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/store"
)

// UserDeleted shows the rooms of running sessions what deleting an account changed
// (store.DeleteUser): each of its named questions again, now by "a deleted user" (a
// numbered event, so the shared snapshot is rebuilt too), and the trainers' view (raised
// hands, answers by name, presence) afresh on every instance. It closes the account's
// connections on every instance (closeEverywhere). Failures are logged, not returned: the
// account is deleted whatever its rooms are told.
func (s *Service) UserDeleted(ctx context.Context, userID int64, gone *store.DeletedUser) {
	s.closeEverywhere(ctx, userID)
	if gone == nil {
		return
	}
	for _, ref := range gone.Questions {
		err := s.change(ctx, ref.SessionID, func(ctx context.Context, tx bun.Tx, _ int64) (numbered, error) {
			q, err := s.Store.QuestionIn(ctx, tx, ref.SessionID, ref.QuestionID)
			if err != nil {
				return nil, err
			}
			return &QuestionMsg{Type: TypeQuestion, Question: questionView(q, authorOf(q))}, nil
		})
		var refused *ClientError // the session ended meanwhile: nobody to show
		if err != nil && !errors.As(err, &refused) && !errors.Is(err, store.ErrNotFound) {
			s.Log.Warn("live: show a deleted account's question", "session", ref.SessionID, "err", err)
		}
	}
	for _, id := range gone.LiveSessions {
		if err := s.refreshEveryTrainer(ctx, id); err != nil {
			s.Log.Warn("live: refresh trainers after a deletion", "session", id, "err", err)
		}
	}
}

// refreshEveryTrainer has every instance send the session's trainers their unnumbered
// state afresh (presence, hands, tally).
func (s *Service) refreshEveryTrainer(ctx context.Context, sessionID int64) error {
	if !database.IsPostgres(s.Store.DB()) {
		s.refreshTrainers(ctx, sessionID)
		return nil
	}
	return s.publish(ctx, s.Store.DB(), Event{Session: sessionID, Audience: ToTrainers, Refresh: true})
}

// UserSignedOut closes the account's connections on every instance once its sign-in
// sessions are gone (the account was disabled): a socket opened while signed in would
// otherwise stay open.
func (s *Service) UserSignedOut(ctx context.Context, userID int64) {
	s.closeEverywhere(ctx, userID)
}

// closeEverywhere closes the account's connections to this instance at once and, on
// PostgreSQL, has every other instance close its own: a socket stays open after its sign-in
// is gone, and what it sent meanwhile would still count.
func (s *Service) closeEverywhere(ctx context.Context, userID int64) {
	s.Hub.closeUser(userID)
	if err := s.publish(ctx, s.Store.DB(), Event{SignOut: userID}); err != nil {
		s.Log.Warn("live: tell the other instances to close an account's connections", "err", err)
	}
}
