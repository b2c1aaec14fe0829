package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// Keys of instance settings changed from the admin pages.
const (
	SettingRegistration = "registration"
	// SettingFirstAidContacts is the operator's free text of local contacts shown on the
	// digital first-aid page.
	SettingFirstAidContacts = "first_aid_contacts"
)

// Setting returns the stored value of key, or fallback when none is stored.
func (s *Store) Setting(ctx context.Context, key, fallback string) (string, error) {
	st := new(model.Setting)
	err := s.db.NewSelect().Model(st).Where("key = ?", key).Scan(ctx)
	if err != nil {
		if notFound(err) == ErrNotFound {
			return fallback, nil
		}
		return fallback, err
	}
	return st.Value, nil
}

// SetSetting stores value under key, replacing any earlier value.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	_, err := s.db.NewInsert().Model(&model.Setting{Key: key, Value: value, UpdatedAt: s.Now()}).
		On("CONFLICT (key) DO UPDATE").
		Set("value = EXCLUDED.value").Set("updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	return err
}

// settingInstanceSecret holds random bytes shared by every instance on this database, from
// which keys are derived when the operator configured no secret key of their own.
const settingInstanceSecret = "instance_secret"

// InstanceSecret returns the instance's 32-byte random secret, creating it on first use.
// Instances starting together race to insert it; the first insert wins and every instance
// reads that one back, so all of them behind a load balancer derive the same keys.
func (s *Store) InstanceSecret(ctx context.Context) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	_, err := s.db.NewInsert().Model(&model.Setting{Key: settingInstanceSecret, Value: base64.RawStdEncoding.EncodeToString(fresh), UpdatedAt: s.Now()}).
		On("CONFLICT (key) DO NOTHING").
		Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("store instance secret: %w", err)
	}
	v, err := s.Setting(ctx, settingInstanceSecret, "")
	if err != nil {
		return nil, fmt.Errorf("read instance secret: %w", err)
	}
	key, err := base64.RawStdEncoding.DecodeString(v)
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("setting %q is not 32 base64 bytes", settingInstanceSecret)
	}
	return key, nil
}

// Settings returns the stored values of keys in one query; a key with no value is absent.
func (s *Store) Settings(ctx context.Context, keys ...string) (map[string]string, error) {
	var rows []model.Setting
	if err := s.db.NewSelect().Model(&rows).Where("key IN (?)", bun.List(keys)).Scan(ctx); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.Key] = r.Value
	}
	return out, nil
}
