package web

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/cohort"
	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// cohortAccess loads the cohort in the URL and the viewer's role in it: "trainer" for its
// trainers and for admins, "learner" for its learners. Anyone else gets a 404, so a cohort's
// existence is not revealed to people outside it.
func (s *Server) cohortAccess(c *fiber.Ctx) (*model.Cohort, string, error) {
	id, err := c.ParamsInt("cohort")
	if err != nil {
		return nil, "", fiber.ErrNotFound
	}
	co, err := s.store.Cohort(c.UserContext(), int64(id))
	if err != nil {
		return nil, "", err
	}
	u := state(c).user
	role, err := s.store.CohortRole(c.UserContext(), co.ID, u.ID)
	if err != nil {
		return nil, "", err
	}
	if u.HasRole(model.RoleAdmin) {
		role = model.CohortTrainer
	}
	if role == "" {
		return nil, "", fiber.ErrNotFound
	}
	return co, role, nil
}

// trainerOnly refuses learners.
func (s *Server) cohortAsTrainer(c *fiber.Ctx) (*model.Cohort, error) {
	co, role, err := s.cohortAccess(c)
	if err != nil {
		return nil, err
	}
	if role != model.CohortTrainer {
		return nil, fiber.ErrForbidden
	}
	return co, nil
}

func (s *Server) cohortCourse(co *model.Cohort) *course.Course {
	return s.catalog().Course(co.CourseID)
}

// newJoinCode returns a code to share with learners, in its normalised (stored) form.
func newJoinCode() string { return auth.NormalizeCode(auth.NewCode(10)) }

func formatJoinCode(code string) string {
	if len(code) <= 5 {
		return code
	}
	return code[:5] + "-" + code[5:]
}

// inactiveDefault is how long without activity marks a learner as quiet, unless ?days= says.
const inactiveDefault = 7

// learnerTable is the dashboard's learner table: the filter, the order and the page, read
// from the query string (plain GET links and a GET form: nothing needs JavaScript) and
// written back into the links that change one of them.
type learnerTable struct {
	path      string
	Days      int
	Search    string
	OnlyQuiet bool
	// HideDisabled leaves out the learners whose accounts are disabled (?active=1).
	HideDisabled bool
	Sort         store.LearnerSort
	Desc         bool
	Page         int
	Pages        int
	From, To     int // the positions shown, from 1; 0 when none
	Matching     int // learners the search and the quiet choice keep
}

// Columns the table sorts by, as ?sort= says them.
var learnerSorts = map[string]store.LearnerSort{
	"name": store.SortByName, "progress": store.SortByProgress, "activity": store.SortByActivity,
}

func readLearnerTable(c *fiber.Ctx, cohortID int64) learnerTable {
	t := learnerTable{path: "/cohorts/" + strconv.FormatInt(cohortID, 10), Days: inactiveDefault, Sort: store.SortByName, Page: 1}
	if n, err := strconv.Atoi(c.Query("days")); err == nil && n > 0 && n <= 365 {
		t.Days = n
	}
	t.Search = strings.TrimSpace(c.Query("q"))
	if utf8.RuneCountInString(t.Search) > 100 {
		t.Search = string([]rune(t.Search)[:100])
	}
	t.Search = strings.Clone(t.Search)
	t.OnlyQuiet = c.Query("quiet") == "1"
	t.HideDisabled = c.Query("active") == "1"
	if s, ok := learnerSorts[c.Query("sort")]; ok {
		t.Sort = s
	}
	t.Desc = c.Query("order") == "desc"
	if n, err := strconv.Atoi(c.Query("page")); err == nil && n > 1 {
		t.Page = n
	}
	return t
}

// paginate fits the page to the number of matching learners (a page past the end shows
// the last one).
func (t *learnerTable) paginate(matching int) {
	t.Matching = matching
	t.Pages = max(1, (matching+learnersPerPage-1)/learnersPerPage)
	t.Page = min(t.Page, t.Pages)
}

// shown records how many learners the page holds.
func (t *learnerTable) shown(n int) {
	if n == 0 {
		t.From, t.To = 0, 0
		return
	}
	t.From = (t.Page-1)*learnersPerPage + 1
	t.To = t.From + n - 1
}

// url is the table with its choices changed by change; defaults are left out of the link.
func (t learnerTable) url(change func(*learnerTable)) string {
	n := t
	change(&n)
	q := url.Values{}
	if n.Search != "" {
		q.Set("q", n.Search)
	}
	if n.Days != inactiveDefault {
		q.Set("days", strconv.Itoa(n.Days))
	}
	if n.OnlyQuiet {
		q.Set("quiet", "1")
	}
	if n.HideDisabled {
		q.Set("active", "1")
	}
	if n.Sort != store.SortByName {
		q.Set("sort", string(n.Sort))
	}
	if n.Desc {
		q.Set("order", "desc")
	}
	if n.Page > 1 {
		q.Set("page", strconv.Itoa(n.Page))
	}
	if len(q) == 0 {
		return n.path
	}
	return n.path + "?" + q.Encode()
}

// SortURL sorts by a column, from page 1: ascending first, the other way when it is the
// column already sorted by.
func (t learnerTable) SortURL(col string) string {
	return t.url(func(n *learnerTable) {
		sort := learnerSorts[col]
		n.Desc = n.Sort == sort && !n.Desc
		n.Sort, n.Page = sort, 1
	})
}

// AriaSort is the aria-sort value of a column: how the table is sorted by it, if it is.
func (t learnerTable) AriaSort(col string) string {
	switch {
	case learnerSorts[col] != t.Sort:
		return ""
	case t.Desc:
		return "descending"
	}
	return "ascending"
}

// PageURL is page n of the table as it is.
func (t learnerTable) PageURL(n int) string {
	return t.url(func(c *learnerTable) { c.Page = n })
}

// ClearURL shows every learner again, in the same order.
func (t learnerTable) ClearURL() string {
	return t.url(func(c *learnerTable) { c.Search, c.OnlyQuiet, c.HideDisabled, c.Page = "", false, false, 1 })
}

// Filtered tells whether the search, the quiet or the disabled choice hides learners.
func (t learnerTable) Filtered() bool { return t.Search != "" || t.OnlyQuiet || t.HideDisabled }

// SortName is the ?sort= value of the current order.
func (t learnerTable) SortName() string { return string(t.Sort) }

// Prev and Next are the neighbouring page numbers.
func (t learnerTable) Prev() int { return t.Page - 1 }

// Next is the page after this one.
func (t learnerTable) Next() int { return t.Page + 1 }

// bandLabels are the score bands' ranges as the reader's language writes them.
func bandLabels(c *fiber.Ctx) []string {
	loc := state(c).loc
	labels := make([]string, cohort.Bands)
	for i := range labels {
		from, to := cohort.BandRange(i)
		labels[i] = loc.T("cohort_band", "From", from, "To", to)
	}
	return labels
}
