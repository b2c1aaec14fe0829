package web

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// usersPageSize is how many accounts a page of the administrators' list shows.
const usersPageSize = 50

// usersSearchMax bounds the search text (a name is at most 64 characters).
const usersSearchMax = 100

// activityFilters are the last-activity choices of the list: a name in the query string,
// and how many days back it looks (negative: inactive for more than that many days).
var activityFilters = []struct {
	Value string
	Days  int
}{
	{"active7", 7}, {"active30", 30}, {"active90", 90},
	{"inactive30", -30}, {"inactive90", -90}, {"inactive365", -365},
}

// usersQuery is the list's filter as the query string carries it: bookmarkable, and sent
// by a plain GET form. Unknown values are ignored, as no form of ours sends them.
type usersQuery struct {
	Search, Role, Activity, Status string
	After, Before                  string // username keys: where a page starts or ends
}

func parseUsersQuery(c *fiber.Ctx) usersQuery {
	q := usersQuery{Search: strings.TrimSpace(c.Query("q")), After: c.Query("after"), Before: c.Query("before")}
	if utf8.RuneCountInString(q.Search) > usersSearchMax {
		q.Search = string([]rune(q.Search)[:usersSearchMax])
	}
	if model.RoleRank(c.Query("role")) > 0 {
		q.Role = c.Query("role")
	}
	for _, a := range activityFilters {
		if c.Query("activity") == a.Value {
			q.Activity = a.Value
		}
	}
	if s := c.Query("status"); s == store.UsersEnabled || s == store.UsersDisabled {
		q.Status = s
	}
	// Keys are short; anything longer is no key of ours.
	if len(q.After) > 256 || len(q.Before) > 256 {
		q.After, q.Before = "", ""
	}
	q.Search, q.After, q.Before = strings.Clone(q.Search), strings.Clone(q.After), strings.Clone(q.Before)
	q.Role, q.Activity, q.Status = strings.Clone(q.Role), strings.Clone(q.Activity), strings.Clone(q.Status)
	return q
}

// Filtered tells whether the query keeps fewer than every account.
func (q usersQuery) Filtered() bool {
	return q.Search != "" || q.Role != "" || q.Activity != "" || q.Status != ""
}

// values is the filter (without the page) as query parameters.
func (q usersQuery) values() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"q": q.Search, "role": q.Role, "activity": q.Activity, "status": q.Status} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

// URL is the list with this filter, on its first page.
func (q usersQuery) URL() string { return withQuery("/admin/users", q.values()) }

// PageURL is the list with this filter from the page key on (after) or up to it.
func (q usersQuery) PageURL(param, key string) string {
	v := q.values()
	v.Set(param, key)
	return withQuery("/admin/users", v)
}

// Here is the query string of the page shown (filter and position), for the forms on it
// to come back to the same page.
func (q usersQuery) Here() string {
	v := q.values()
	if q.After != "" {
		v.Set("after", q.After)
	} else if q.Before != "" {
		v.Set("before", q.Before)
	}
	return v.Encode()
}

// At is path followed by the query string of the page shown: a form or link on the page
// leads back to it afterwards.
func (q usersQuery) At(path string) string { return withQueryString(path, q.Here()) }

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// filter turns the query into the store's filter, days counted back from today (UTC).
func (q usersQuery) filter(s *Server) store.UserFilter {
	f := store.UserFilter{Search: q.Search, Role: q.Role, Status: q.Status}
	today := model.ActiveDay(s.now())
	for _, a := range activityFilters {
		switch {
		case a.Value != q.Activity:
		case a.Days > 0:
			// Today counts: "the last 7 days" are today and the six before.
			f.ActiveSince = today.AddDate(0, 0, 1-a.Days)
		default:
			f.InactiveBefore = today.AddDate(0, 0, a.Days)
		}
	}
	return f
}

type adminUsersData struct {
	Query      usersQuery
	Page       store.UserPage
	From, To   int
	Cap        int // where counting stops (store.UserCountCap)
	Roles      []string
	Activities []string
	Statuses   []string
	Self       int64
	ResetFor   string
	ResetLink  string
}

// Rows are the accounts of the page.
func (d adminUsersData) Rows() []model.User { return d.Page.Users }

// PrevURL and NextURL lead to the neighbouring pages ("" when there is none).
func (d adminUsersData) PrevURL() string {
	if !d.Page.Prev || len(d.Page.Users) == 0 {
		return ""
	}
	return d.Query.PageURL("before", d.Page.Users[0].UsernameKey)
}

func (d adminUsersData) NextURL() string {
	if !d.Page.Next || len(d.Page.Users) == 0 {
		return ""
	}
	return d.Query.PageURL("after", d.Page.Users[len(d.Page.Users)-1].UsernameKey)
}

// ActiveDay writes the day an account was last used, as DayOf reads it.
func (adminUsersData) ActiveDay(u model.User) string {
	if u.ActiveOn.IsZero() {
		return ""
	}
	return u.ActiveOn.UTC().Format("2006-01-02")
}

var allRoles = []string{model.RoleLearner, model.RoleTrainer, model.RoleAdmin}

func (s *Server) listUsers(c *fiber.Ctx) error {
	d, err := s.usersPage(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "admin_users", "admin_users_title", d)
}

// usersPage reads the page of the list the query string asks for.
func (s *Server) usersPage(c *fiber.Ctx) (*adminUsersData, error) {
	q := parseUsersQuery(c)
	f := q.filter(s)
	p, err := s.store.ListUsersPage(c.UserContext(), f, q.After, q.Before, usersPageSize)
	if err != nil {
		return nil, err
	}
	if len(p.Users) == 0 && (q.After != "" || q.Before != "") && (p.Total > 0 || p.TotalOver) {
		// The page's accounts went (deleted, or the bookmark is old): show the first page.
		q.After, q.Before = "", ""
		if p, err = s.store.ListUsersPage(c.UserContext(), f, "", "", usersPageSize); err != nil {
			return nil, err
		}
	}
	d := &adminUsersData{Query: q, Page: p, Roles: allRoles, Self: state(c).user.ID, Cap: store.UserCountCap,
		Statuses: []string{store.UsersEnabled, store.UsersDisabled}}
	for _, a := range activityFilters {
		d.Activities = append(d.Activities, a.Value)
	}
	if len(p.Users) > 0 {
		d.From, d.To = p.Before+1, p.Before+len(p.Users)
	}
	return d, nil
}

// backToUsers redirects to the list page the form was sent from (its filter and position
// travel in the form's action URL, rebuilt here from known parameters only).
func backToUsers(c *fiber.Ctx) error {
	return redirect(c, withQueryString("/admin/users", parseUsersQuery(c).Here()))
}
