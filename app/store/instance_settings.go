package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/model"
)

// Keys of the instance's identity and languages. The name and the description have one
// row per language: InstanceSettingKey(SettingInstanceName, "ar") is "instance_name.ar".
const (
	SettingInstanceName = "instance_name"
	// SettingDiscreetMode is "on" when the whole instance shows a neutral name and titles.
	SettingDiscreetMode        = "discreet_mode"
	SettingInstanceDescription = "instance_description"
	// SettingDefaultLanguage is the tag of the language readers get when nothing they ask
	// for is offered; SettingOfferedLanguages the offered tags, comma-separated.
	SettingDefaultLanguage  = "default_language"
	SettingOfferedLanguages = "offered_languages"
)

// InstanceSettingKey is the key of a per-language setting.
func InstanceSettingKey(base, lang string) string { return base + "." + lang }

// Settings returns the stored values of keys; a key with no row is absent from the map.
func (s *Store) Settings(ctx context.Context, keys []string) (map[string]string, error) {
	var rows []model.Setting
	if err := s.db.NewSelect().Model(&rows).Where("key IN (?)", bun.List(keys)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.Key] = r.Value
	}
	return out, nil
}

// SetInstanceSettings stores values in one transaction, deleting the keys whose value is
// empty, and tells every instance sharing the database (SettingsChannel).
func (s *Store) SetInstanceSettings(ctx context.Context, values map[string]string) error {
	return s.changeInstance(ctx, func(ctx context.Context, tx bun.Tx) error {
		now := s.Now()
		for k, v := range values {
			var err error
			if v == "" {
				_, err = tx.NewDelete().Model((*model.Setting)(nil)).Where("key = ?", k).Exec(ctx)
			} else {
				_, err = tx.NewInsert().Model(&model.Setting{Key: k, Value: v, UpdatedAt: now}).
					On("CONFLICT (key) DO UPDATE").
					Set("value = EXCLUDED.value").Set("updated_at = EXCLUDED.updated_at").
					Exec(ctx)
			}
			if err != nil {
				return fmt.Errorf("store setting %s: %w", k, err)
			}
		}
		return nil
	})
}

// LogoVersion returns the version (ETag) and size of the stored logo without its bytes;
// an empty version when there is none.
func (s *Store) LogoVersion(ctx context.Context) (etag string, width, height int, err error) {
	l := new(model.InstanceLogo)
	err = s.db.NewSelect().Model(l).Column("etag", "width", "height").Where("id = 1").Scan(ctx)
	if notFound(err) == ErrNotFound {
		return "", 0, 0, nil
	}
	if err != nil {
		return "", 0, 0, fmt.Errorf("read logo version: %w", err)
	}
	return l.ETag, l.Width, l.Height, nil
}

// Logo returns the stored logo, or ErrNotFound.
func (s *Store) Logo(ctx context.Context) (*model.InstanceLogo, error) {
	l := new(model.InstanceLogo)
	if err := s.db.NewSelect().Model(l).Where("id = 1").Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return l, nil
}

// SetLogo replaces the logo and tells every instance.
func (s *Store) SetLogo(ctx context.Context, l *model.InstanceLogo) error {
	l.ID, l.UpdatedAt = 1, s.Now()
	return s.changeInstance(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewInsert().Model(l).
			On("CONFLICT (id) DO UPDATE").
			Set("png = EXCLUDED.png").Set("etag = EXCLUDED.etag").
			Set("width = EXCLUDED.width").Set("height = EXCLUDED.height").
			Set("updated_at = EXCLUDED.updated_at").
			Exec(ctx)
		return err
	})
}

// DeleteLogo removes the logo, if any, and tells every instance.
func (s *Store) DeleteLogo(ctx context.Context) error {
	return s.changeInstance(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewDelete().Model((*model.InstanceLogo)(nil)).Where("id = 1").Exec(ctx)
		return err
	})
}

// SettingsChannel is the PostgreSQL NOTIFY channel on which a change of the instance
// settings is announced, so that every instance drops its cached copy (one per schema, like
// LiveChannel). The notification carries nothing: listeners read the settings again.
func (s *Store) SettingsChannel(ctx context.Context) (string, error) {
	return database.ChannelName(ctx, s.db, "cairn_settings")
}

// changeInstance runs fn and the notification in one transaction: listeners are told only
// once the change is committed, so what they read again is the new value.
func (s *Store) changeInstance(ctx context.Context, fn func(context.Context, bun.Tx) error) error {
	channel, err := s.SettingsChannel(ctx)
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := fn(ctx, tx); err != nil {
			return err
		}
		_, err := database.Notify(ctx, tx, channel, nil)
		return err
	})
}
