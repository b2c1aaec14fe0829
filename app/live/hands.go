package live

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/store"
)

func (s *Service) hand(ctx context.Context, m Member, in Inbound) error {
	_, err := s.Store.LiveChange(ctx, m.Session.ID, false, func(ctx context.Context, tx bun.Tx, _ int64) error {
		return s.Store.SetHand(ctx, tx, m.Session.ID, m.UserID, in.Raised)
	})
	if errors.Is(err, store.ErrSessionClosed) {
		return refuse("session_ended")
	}
	if err != nil {
		return err
	}
	return s.sendHands(ctx, m.Session.ID)
}

func (s *Service) sendHands(ctx context.Context, sessionID int64) error {
	names, err := s.handNames(ctx, sessionID)
	if err != nil {
		return err
	}
	return s.toTrainers(ctx, sessionID, HandsMsg{Type: TypeHands, Names: names})
}

// handNames lists whose hand is raised, first raised first.
func (s *Service) handNames(ctx context.Context, sessionID int64) ([]string, error) {
	hands, err := s.Store.Hands(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	names := []string{}
	for _, h := range hands {
		if h.User != nil {
			names = append(names, h.User.Name())
		}
	}
	return names, nil
}
