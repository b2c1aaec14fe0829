package web

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// The instance settings (name, description, logo, languages) are read on every page, so each
// instance keeps them in memory and drops its copy when they change:
//   - a change made here drops it at once;
//   - a change made by another instance on the same PostgreSQL database arrives by NOTIFY
//     (store.SettingsChannel), sent in the transaction of the change;
//   - while the listening connection is down (and before it is first up) notifications may be
//     lost, so the copy is trusted for settingsUnheardTTL only, and dropped when it is up again;
//     so is a stand-in used while the database does not answer;
//   - in any case a copy is read again after settingsMaxAge: the safety net for a change that
//     told nobody (the command line writing to a SQLite file the server has open).
const (
	settingsMaxAge     = time.Minute
	settingsUnheardTTL = time.Second
	settingsReadLimit  = 2 * time.Second
)

// instanceSettings is one immutable reading of the settings, shared by requests.
type instanceSettings struct {
	offer *locale.Offer
	sites map[string]*siteView // per shipped language: what a reader in it sees
	// discreet: the admin turned discreet mode on for everyone (discreet.go).
	discreet bool
	// The logo's version (its ETag, empty without a logo) and size in pixels.
	logoETag              string
	logoWidth, logoHeight int

	gen      uint64    // settingsCache.gen when the reading started
	loadedAt time.Time // monotonic
	failed   bool      // the database did not answer: this is a stand-in, read again soon
}

// localText is a text with the language it is written in, which may not be the page's: the
// name an admin gave only in Arabic, shown on an English page, is marked lang="ar".
type localText struct {
	Text string
	Lang string
}

// siteView is the instance's identity as the pages of one language show it.
type siteView struct {
	Name localText
	// Custom tells whether an admin named the instance (the home page then shows the name
	// as its heading instead of the built-in one).
	Custom bool
	// Description is empty when no admin wrote one: the page shows the built-in lead.
	Description localText
	Logo        *logoRef
	// Discreet: the page shows a neutral name and title, no logo (discreet.go); Forced: the
	// instance chose it for everyone, so a reader cannot leave it.
	Discreet, Forced bool
}

// logoRef is what the header needs to show the logo.
type logoRef struct {
	URL           string
	Width, Height int
}

type settingsCache struct {
	cur       atomic.Pointer[instanceSettings]
	gen       atomic.Uint64 // advanced by every known change
	listening atomic.Bool   // notifications from other instances arrive now (PostgreSQL)
	pg        bool
	readyOnce sync.Once
	ready     chan struct{} // closed when notifications first arrive (at once on SQLite)
	mu        sync.Mutex    // one reading at a time
	logo      atomic.Pointer[model.InstanceLogo]
}

func newSettingsCache(db *bun.DB) *settingsCache {
	return &settingsCache{pg: database.IsPostgres(db), ready: make(chan struct{})}
}

// invalidate drops the cached reading: the next request reads the settings again.
func (c *settingsCache) invalidate() { c.gen.Add(1) }

func (c *settingsCache) fresh(is *instanceSettings) bool {
	if is == nil || is.gen != c.gen.Load() {
		return false
	}
	ttl := settingsMaxAge
	if is.failed || c.pg && !c.listening.Load() {
		ttl = settingsUnheardTTL
	}
	return time.Since(is.loadedAt) < ttl
}

// instance returns the settings, reading them when the cached copy is stale. It does not
// fail: when the database does not answer, pages are shown with the last reading, or with
// the built-in name and every shipped language, and it is tried again a moment later.
func (s *Server) instance(ctx context.Context) *instanceSettings {
	c := s.settings
	if is := c.cur.Load(); c.fresh(is) {
		return is
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.cur.Load()
	if c.fresh(old) {
		return old
	}
	gen := c.gen.Load()
	ctx, cancel := context.WithTimeout(ctx, settingsReadLimit)
	defer cancel()
	is, err := s.readInstanceSettings(ctx)
	if err != nil {
		s.log.Warn("instance settings unreadable; using the last known ones", "err", err)
		if old != nil {
			copied := *old
			is = &copied
		} else {
			is = s.newInstanceSettings(nil, "", 0, 0)
		}
		is.failed = true
	}
	is.gen, is.loadedAt = gen, time.Now()
	c.cur.Store(is)
	return is
}

// instanceSettingKeys are the rows readInstanceSettings asks for.
func (s *Server) instanceSettingKeys() []string {
	keys := []string{store.SettingDefaultLanguage, store.SettingOfferedLanguages, store.SettingDiscreetMode}
	for _, l := range s.locales.Languages() {
		keys = append(keys,
			store.InstanceSettingKey(store.SettingInstanceName, l.Tag),
			store.InstanceSettingKey(store.SettingInstanceDescription, l.Tag))
	}
	return keys
}

func (s *Server) readInstanceSettings(ctx context.Context) (*instanceSettings, error) {
	values, err := s.store.Settings(ctx, s.instanceSettingKeys())
	if err != nil {
		return nil, err
	}
	etag, w, h, err := s.store.LogoVersion(ctx)
	if err != nil {
		return nil, err
	}
	return s.newInstanceSettings(values, etag, w, h), nil
}

// newInstanceSettings makes a reading from stored values (nil: none stored, the built-in
// name and every shipped language).
func (s *Server) newInstanceSettings(values map[string]string, etag string, w, h int) *instanceSettings {
	is := &instanceSettings{offer: s.locales.All(), sites: map[string]*siteView{}, logoETag: etag, logoWidth: w, logoHeight: h,
		discreet: values[store.SettingDiscreetMode] == "on"}
	if offered := values[store.SettingOfferedLanguages]; offered != "" {
		o, err := s.locales.Offer(strings.Split(offered, ","), values[store.SettingDefaultLanguage])
		if err != nil {
			// A language stored by a newer version and since removed, say: better every
			// language than none.
			s.log.Warn("stored languages unusable; offering every shipped language", "err", err)
		} else {
			is.offer = o
		}
	}
	def := is.offer.Default().Lang.Tag
	var logo *logoRef
	if etag != "" {
		logo = &logoRef{URL: "/logo/" + etag, Width: w, Height: h}
	}
	pick := func(base, lang string) (localText, bool) {
		if v := values[store.InstanceSettingKey(base, lang)]; v != "" {
			return localText{Text: v, Lang: lang}, true
		}
		if v := values[store.InstanceSettingKey(base, def)]; v != "" {
			return localText{Text: v, Lang: def}, true
		}
		return localText{Lang: lang}, false
	}
	for _, l := range s.locales.Languages() {
		loc, _ := s.locales.Lookup(l.Tag)
		v := &siteView{Logo: logo}
		v.Name, v.Custom = pick(store.SettingInstanceName, l.Tag)
		if !v.Custom {
			v.Name.Text = loc.T("app_name")
		}
		v.Description, _ = pick(store.SettingInstanceDescription, l.Tag)
		is.sites[l.Tag] = v
	}
	return is
}

// site is the instance's identity for a reader of lang.
func (is *instanceSettings) site(lang string) *siteView {
	if v, ok := is.sites[lang]; ok {
		return v
	}
	return &siteView{Name: localText{Text: "Cairn", Lang: lang}}
}

// instanceSettingsChanged is called after this instance changed a setting.
func (s *Server) instanceSettingsChanged() { s.settings.invalidate() }

// SettingsReady is closed once this instance hears other instances' changes of the settings
// (at once on SQLite, where there is no other instance).
func (s *Server) SettingsReady() <-chan struct{} { return s.settings.ready }

// listenForSettings drops the cached settings whenever another instance changes them. It
// returns when ctx ends.
func (s *Server) listenForSettings(ctx context.Context, db *bun.DB) {
	c := s.settings
	markReady := func() { c.readyOnce.Do(func() { close(c.ready) }) }
	var channel string
	for {
		var err error
		if channel, err = s.store.SettingsChannel(ctx); err == nil {
			break
		}
		s.log.Warn("settings: channel name", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
	database.Listen(ctx, db, channel, func(string) { c.invalidate() },
		func() {
			c.listening.Store(true)
			c.invalidate() // anything sent while not listening was missed
			markReady()
		},
		func(err error) {
			c.listening.Store(false)
			s.log.Log(ctx, slog.LevelWarn, "settings: not listening to other instances; reconnecting", "err", err)
		})
}

// siteOf is the identity shown on this request's pages.
func (s *Server) siteOf(c *fiber.Ctx) *siteView {
	st := state(c)
	if st.inst == nil {
		st.inst = s.instance(c.UserContext())
	}
	if st.inst.discreet || s.cookie(c, discreetCookie) == "1" {
		return discreetSite(st.loc, st.inst.discreet)
	}
	return st.inst.site(st.loc.Lang.Tag)
}
