package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/adminsetting"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

type adminData struct {
	Registration  string
	ContentAccess string
	Invites       []model.Invite
	NewInviteCode string
	NewInviteLink string
	Error         string
	// Local contacts of the first-aid page, as stored (or as sent, when refused).
	FirstAidContacts string
	FirstAidError    string
	FirstAidMax      int
	// The instance's name, description, logo and languages (admin_instance_form.go).
	Instance *instanceForm
	// Where quick exit leads (as stored, or as sent when refused).
	QuickExitURL    string
	QuickExitError  string
	Discreet        bool // discreet mode for everyone
	trustedKeysForm      // partners' signing keys (admin_trusted_keys.go)
	// The retention form (partials/admin_retention.html, admin_retention_update.go).
	Retention *retentionForm
}

func (s *Server) adminData(c *fiber.Ctx) (*adminData, error) {
	mode, err := s.registrationMode(c)
	if err != nil {
		return nil, err
	}
	invites, err := s.store.ListInvites(c.UserContext())
	if err != nil {
		return nil, err
	}
	access, err := s.store.Setting(c.UserContext(), settingContentAccess, accessPublic)
	if err != nil {
		return nil, err
	}
	contacts, err := s.store.Setting(c.UserContext(), store.SettingFirstAidContacts, "")
	if err != nil {
		return nil, err
	}
	exitURL, err := s.store.Setting(c.UserContext(), store.SettingQuickExitURL, defaultQuickExitURL)
	if err != nil {
		return nil, err
	}
	inst, err := s.instanceFormData(c.UserContext())
	if err != nil {
		return nil, err
	}
	keys, err := s.trustedKeysForm(c)
	if err != nil {
		return nil, err
	}
	ret, err := s.retentionForm(c)
	if err != nil {
		return nil, err
	}
	return &adminData{Registration: mode, ContentAccess: access, Invites: invites,
		FirstAidContacts: contacts, FirstAidMax: adminsetting.MaxFirstAidContacts, QuickExitURL: exitURL,
		Instance: inst, trustedKeysForm: keys, Retention: ret, Discreet: s.instance(c.UserContext()).discreet}, nil
}

func (s *Server) showAdmin(c *fiber.Ctx) error {
	d, err := s.adminData(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "admin", "admin_title", d)
}
