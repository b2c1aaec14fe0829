package web

import (
	"context"

	"github.com/cairn-lms/cairn/app/adminsetting"
	"github.com/cairn-lms/cairn/app/logo"
	"github.com/cairn-lms/cairn/app/store"
)

// Limits of the instance's name and description, in characters: the name shares the
// header of a 360-pixel screen with the menu, the description is one paragraph.
const (
	maxInstanceName        = adminsetting.MaxInstanceName
	maxInstanceDescription = adminsetting.MaxInstanceDescription
)

// instanceForm is the admin page's section on the instance's identity and languages
// (partials/admin_instance.html): the stored values, or the values sent when refused.
type instanceForm struct {
	Languages      []instanceLanguage
	NameMax        int
	DescriptionMax int
	LanguagesError string
	Logo           *logoRef
	LogoError      string
	LogoMaxKB      int
	LogoMaxSide    int
}

// instanceLanguage is one shipped language's row of the form.
type instanceLanguage struct {
	Tag, Name, Dir   string // the language, named in itself
	InstanceName     string
	Description      string
	NameError        string
	DescriptionError string
	Offered, Default bool
}

// instanceFormData reads the stored settings, not the cache: an admin sees what is stored.
func (s *Server) instanceFormData(ctx context.Context) (*instanceForm, error) {
	values, err := s.store.Settings(ctx, s.instanceSettingKeys())
	if err != nil {
		return nil, err
	}
	etag, w, h, err := s.store.LogoVersion(ctx)
	if err != nil {
		return nil, err
	}
	is := s.newInstanceSettings(values, etag, w, h)
	f := &instanceForm{NameMax: maxInstanceName, DescriptionMax: maxInstanceDescription,
		LogoMaxKB: logo.MaxBytes >> 10, LogoMaxSide: logo.MaxSide}
	if etag != "" {
		f.Logo = &logoRef{URL: "/logo/" + etag, Width: w, Height: h}
	}
	for _, l := range s.locales.Languages() {
		f.Languages = append(f.Languages, instanceLanguage{
			Tag: l.Tag, Name: l.Name, Dir: l.Dir,
			InstanceName: values[store.InstanceSettingKey(store.SettingInstanceName, l.Tag)],
			Description:  values[store.InstanceSettingKey(store.SettingInstanceDescription, l.Tag)],
			Offered:      is.offer.Offers(l.Tag),
			Default:      is.offer.Default().Lang.Tag == l.Tag,
		})
	}
	return f, nil
}
