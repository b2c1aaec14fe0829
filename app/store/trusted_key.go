package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cairn-lms/cairn/app/model"
)

// Trusted keys are the minisign public keys of partner instances whose signed course
// packages this instance accepts. Each is a settings row of its own, keyed by its key id:
// adding one cannot overwrite another added at the same moment, and the same key cannot be
// added twice.
const trustedKeyPrefix = "trusted_key:"

// TrustedKey is one partner's public key.
type TrustedKey struct {
	ID      string    `json:"-"`     // the key id, as minisign prints it
	Label   string    `json:"label"` // the partner's name, as the admin wrote it
	Key     string    `json:"key"`   // the public key's base64 line
	AddedAt time.Time `json:"added_at"`
}

// ErrTrustedKeyExists: a key with this id is already trusted.
var ErrTrustedKeyExists = errors.New("a key with this id is already trusted")

// TrustedKeys lists the trusted keys, by key id.
func (s *Store) TrustedKeys(ctx context.Context) ([]TrustedKey, error) {
	var rows []model.Setting
	err := s.db.NewSelect().Model(&rows).Where(`key LIKE ? ESCAPE '\'`, strings.ReplaceAll(trustedKeyPrefix, "_", `\_`)+"%").Order("key").Scan(ctx)
	if err != nil {
		return nil, err
	}
	keys := make([]TrustedKey, 0, len(rows))
	for _, r := range rows {
		var k TrustedKey
		if err := json.Unmarshal([]byte(r.Value), &k); err != nil {
			return nil, fmt.Errorf("setting %s: %w", r.Key, err)
		}
		k.ID = strings.TrimPrefix(r.Key, trustedKeyPrefix)
		keys = append(keys, k)
	}
	return keys, nil
}

// AddTrustedKey stores k under its id; ErrTrustedKeyExists when that id is trusted already.
func (s *Store) AddTrustedKey(ctx context.Context, k TrustedKey) error {
	k.AddedAt = s.Now()
	value, err := json.Marshal(k)
	if err != nil {
		return err
	}
	res, err := s.db.NewInsert().Model(&model.Setting{Key: trustedKeyPrefix + k.ID, Value: string(value), UpdatedAt: k.AddedAt}).
		On("CONFLICT (key) DO NOTHING").
		Exec(ctx)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrTrustedKeyExists
	}
	return nil
}

// RemoveTrustedKey stops trusting the key with id; ErrNotFound when none has it.
func (s *Store) RemoveTrustedKey(ctx context.Context, id string) error {
	res, err := s.db.NewDelete().Model((*model.Setting)(nil)).Where("key = ?", trustedKeyPrefix+id).Exec(ctx)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}
