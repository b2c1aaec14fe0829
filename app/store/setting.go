package store

import (
	"context"

	"github.com/cairn-lms/cairn/app/model"
)

// Keys of instance settings changed from the admin pages.
const SettingRegistration = "registration"

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

// SettingAttemptSecret holds the secret that signs quiz attempt keys when CAIRN_SECRET_KEY
// is not set: made by the first instance to start, shared by all through the database.
const SettingAttemptSecret = "quiz_attempt_secret"

// SettingOnce returns the value stored under key, storing value first when there is none.
// Instances starting together all get the value stored first.
func (s *Store) SettingOnce(ctx context.Context, key, value string) (string, error) {
	_, err := s.db.NewInsert().Model(&model.Setting{Key: key, Value: value, UpdatedAt: s.Now()}).
		On("CONFLICT (key) DO NOTHING").Exec(ctx)
	if err != nil {
		return "", err
	}
	st := new(model.Setting)
	if err := s.db.NewSelect().Model(st).Where("key = ?", key).Scan(ctx); err != nil {
		return "", err
	}
	return st.Value, nil
}
