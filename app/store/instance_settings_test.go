package store_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

func TestInstanceSettingsAreStoredTogetherAndAnEmptyValueRemovesOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		nameEN := store.InstanceSettingKey(store.SettingInstanceName, "en")
		nameAR := store.InstanceSettingKey(store.SettingInstanceName, "ar")
		if err := st.SetInstanceSettings(ctx, map[string]string{nameEN: "Safe Haven", nameAR: "الملاذ", store.SettingOfferedLanguages: "ar,en"}); err != nil {
			t.Fatal(err)
		}
		if err := st.SetInstanceSettings(ctx, map[string]string{nameEN: "Safe Haven Lab", nameAR: ""}); err != nil {
			t.Fatal(err)
		}
		got, err := st.Settings(ctx, []string{nameEN, nameAR, store.SettingOfferedLanguages, store.SettingDefaultLanguage})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{nameEN: "Safe Haven Lab", store.SettingOfferedLanguages: "ar,en"}
		if len(got) != len(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %q, want %q", k, got[k], v)
			}
		}
		// Other settings are neither read nor touched.
		if _, err := st.InstanceSecret(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Settings(ctx, []string{nameEN}); len(got) != 1 {
			t.Errorf("read %v", got)
		}
	})
}

func TestTheLogoIsReplacedAndRemoved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		if v, _, _, err := st.LogoVersion(ctx); err != nil || v != "" {
			t.Fatalf("a fresh instance has logo %q (%v)", v, err)
		}
		if _, err := st.Logo(ctx); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Logo without one: %v", err)
		}
		first := &model.InstanceLogo{PNG: []byte("\x89PNG first\x00\xff"), ETag: "aaaa", Width: 10, Height: 5}
		if err := st.SetLogo(ctx, first); err != nil {
			t.Fatal(err)
		}
		second := &model.InstanceLogo{PNG: []byte("\x89PNG second\x00\x01\xfe"), ETag: "bbbb", Width: 20, Height: 8}
		if err := st.SetLogo(ctx, second); err != nil {
			t.Fatal(err)
		}
		v, w, h, err := st.LogoVersion(ctx)
		if err != nil || v != "bbbb" || w != 20 || h != 8 {
			t.Fatalf("version %q %d×%d %v", v, w, h, err)
		}
		l, err := st.Logo(ctx)
		if err != nil || !bytes.Equal(l.PNG, second.PNG) {
			t.Fatalf("logo %v %v", l, err)
		}
		if n := count(t, db, "instance_logo"); n != 1 {
			t.Fatalf("%d logo rows", n)
		}
		if err := st.DeleteLogo(ctx); err != nil {
			t.Fatal(err)
		}
		if v, _, _, err := st.LogoVersion(ctx); err != nil || v != "" {
			t.Fatalf("after removal: %q %v", v, err)
		}
	})
}
