package store

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// CreateInvite stores an invite (by the hash of its code).
func (s *Store) CreateInvite(ctx context.Context, inv *model.Invite) error {
	inv.CreatedAt = s.Now()
	_, err := s.db.NewInsert().Model(inv).Exec(ctx)
	return err
}

// ListInvites returns invites, newest first.
func (s *Store) ListInvites(ctx context.Context) ([]model.Invite, error) {
	var invites []model.Invite
	err := s.db.NewSelect().Model(&invites).Order("id DESC").Limit(200).Scan(ctx)
	return invites, err
}

// InviteUsable tells whether a code would admit someone now, without spending it.
func (s *Store) InviteUsable(ctx context.Context, codeHash string) (bool, error) {
	inv := new(model.Invite)
	err := s.db.NewSelect().Model(inv).Where("code_hash = ?", codeHash).Scan(ctx)
	if err != nil {
		if notFound(err) == ErrNotFound {
			return false, nil
		}
		return false, err
	}
	return inv.Usable(s.Now()), nil
}

// RevokeInvite stops an invite from admitting anyone else.
func (s *Store) RevokeInvite(ctx context.Context, id int64) error {
	res, err := s.db.NewUpdate().Model((*model.Invite)(nil)).
		Set("revoked_at = ?", s.Now()).Where("id = ?", id).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return err
	}
	if !affectedOne(res) {
		return ErrNotFound
	}
	return nil
}

// invitesCreatedBy lists the invitations a user created, for the data export.
func invitesCreatedBy(ctx context.Context, db bun.IDB, userID int64) ([]InvitationData, error) {
	var out []InvitationData
	err := db.NewSelect().Model((*model.Invite)(nil)).Column("note", "max_uses", "uses", "created_at", "expires_at", "revoked_at").
		Where("created_by = ?", userID).Order("id").Scan(ctx, &out)
	return out, err
}
