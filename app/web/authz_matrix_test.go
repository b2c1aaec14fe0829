package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/coursepkg"
	"github.com/cairn-lms/cairn/app/coursepkg/pkgtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// The authorisation matrix: every route the router knows, tried by six kinds of visitor,
// each with the outcome they must get. A route added without an entry here fails the test,
// so nobody can add a page and forget to decide who may use it.

type visitor int

const (
	anonymous     visitor = iota
	cohortLearner         // member of cohort A
	otherLearner          // member of cohort B only
	cohortTrainer         // trainer of cohort A
	otherTrainer          // trainer of cohort B only
	administrator         // admin, member of no cohort
	visitorCount
)

var visitorNames = [visitorCount]string{"anonymous", "learner", "learner-of-another-cohort", "cohort-trainer", "another-trainer", "admin"}

// outcome is what a visitor must get from a route.
type outcome int

const (
	allowed   outcome = iota // past every check: any answer but 403, 404, a sign-in redirect or a 5xx
	toLogin                  // 303 to /login
	forbidden                // 403
	notFound                 // 404: the thing is not theirs to know of
)

func (o outcome) String() string {
	return [...]string{"allowed", "to-login", "forbidden", "not-found"}[o]
}

// authzFixture is a small world: two cohorts of the sample course with a trainer and a
// learner each, a running and a scheduled live session in cohort A, a quiz attempt of A's
// learner, an invitation and a second session of A's learner.
type authzFixture struct {
	ts         *testServer
	visitors   [visitorCount]*browser
	names      [visitorCount]string
	cohortA    string // /cohorts/N
	sessionA   string // /live/N, running
	scheduled  string // /live/N, scheduled, not started
	attempt    string // path of cohort A learner's quiz attempt
	bystander  int64  // a second learner of cohort A, the one removed or re-roled
	inviteID   int64
	otherSess  int64  // another session of A's learner
	stylesheet string // the hashed URL of the style sheet
	plan       string // /plans/N, a private session plan of A's trainer
	planStep   string // /plans/N/steps/M, its one step
	logo       string // /logo/<version> of the logo the admin uploaded
	packageID  int64  // a draft course package
}

func newAuthzFixture(t *testing.T, ts *testServer) *authzFixture {
	t.Helper()
	ctx := context.Background()
	st := store.New(ts.DB, nil)
	f := &authzFixture{ts: ts, names: [visitorCount]string{"", "anna", "bruno", "coach-a", "coach-b", "root-admin"}}
	f.visitors[anonymous] = ts.browser(t)
	f.visitors[cohortTrainer] = ts.trainer(t, f.names[cohortTrainer])
	f.visitors[otherTrainer] = ts.trainer(t, f.names[otherTrainer])
	f.visitors[administrator] = ts.browser(t)
	f.visitors[administrator].signUp(f.names[administrator])
	makeAdmin(t, ts, f.names[administrator])
	f.visitors[administrator].signIn(f.names[administrator], strongPassword)

	var codeA, codeB string
	f.cohortA, codeA = newCohort(t, f.visitors[cohortTrainer], "0")
	_, codeB = newCohort(t, f.visitors[otherTrainer], "0")
	joinAs := func(name, code string) *browser {
		b := ts.browser(t)
		b.signUp(name)
		if p := b.post("/join", url.Values{"code": {code}}); !cohortURLRE.MatchString(p.URL) {
			t.Fatalf("%s joining with %s landed on %s (%d)", name, code, p.URL, p.Status)
		}
		return b
	}
	f.visitors[cohortLearner] = joinAs(f.names[cohortLearner], codeA)
	f.visitors[otherLearner] = joinAs(f.names[otherLearner], codeB)
	joinAs("bystander", codeA)
	by, err := st.UserByUsernameKey(ctx, auth.UsernameKey("bystander"))
	if err != nil {
		t.Fatal(err)
	}
	f.bystander = by.ID

	tr := f.visitors[cohortTrainer]
	p := tr.post(f.cohortA+"/live", url.Values{"title": {"Running"}, "when": {"now"}})
	if !liveURLRE.MatchString(p.URL) {
		t.Fatalf("starting a session led to %s (%d)", p.URL, p.Status)
	}
	f.sessionA = p.URL
	p = tr.post(f.cohortA+"/live", url.Values{"title": {"Later"}, "when": {"later"}, "scheduled_at": {"2026-12-24T10:00"}})
	sessions, err := st.LiveSessions(ctx, cohortIDOf(t, f.cohortA))
	if err != nil {
		t.Fatal(err)
	}
	for _, ls := range sessions {
		if ls.StartedAt == nil {
			f.scheduled = "/live/" + strconv.FormatInt(ls.ID, 10)
		}
	}
	if f.scheduled == "" {
		t.Fatalf("no scheduled session was created (%d %s)", p.Status, p.URL)
	}

	learner := f.visitors[cohortLearner]
	quiz := learner.get("/courses/sample/quizzes/basics")
	p = learner.post("/courses/sample/quizzes/basics", rightAnswers(t, quiz.Body))
	if !strings.Contains(p.URL, "/attempts/") {
		t.Fatalf("quiz submission landed on %s", p.URL)
	}
	f.attempt = p.URL

	adminUser, err := st.UserByUsernameKey(ctx, auth.UsernameKey(f.names[administrator]))
	if err != nil {
		t.Fatal(err)
	}
	inv := &model.Invite{CodeHash: auth.HashToken("matrix-invite"), MaxUses: 5, CreatedBy: &adminUser.ID,
		CreatedAt: ts.Clock.Now(), ExpiresAt: ts.Clock.Now().AddDate(0, 0, 7)}
	if err := st.CreateInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	f.inviteID = inv.ID
	if err := st.AddTrustedKey(ctx, store.TrustedKey{ID: matrixTrustedKey, Label: "Partner", Key: "RWQ"}); err != nil {
		t.Fatal(err)
	}

	second := ts.browser(t)
	second.signIn(f.names[cohortLearner], strongPassword)
	la, err := st.UserByUsernameKey(ctx, auth.UsernameKey(f.names[cohortLearner]))
	if err != nil {
		t.Fatal(err)
	}
	sess, err := st.ListUserSessions(ctx, la.ID)
	if err != nil || len(sess) < 2 {
		t.Fatalf("sessions of the learner: %v %v", sess, err)
	}
	for _, se := range sess {
		f.otherSess = max(f.otherSess, se.ID) // the newest: the second browser's
	}
	coach, err := st.UserByUsernameKey(ctx, auth.UsernameKey(f.names[cohortTrainer]))
	if err != nil {
		t.Fatal(err)
	}
	pl := &model.SessionPlan{OwnerID: coach.ID, CourseID: "sample", Lang: "en", Title: "Private plan"}
	if err := st.CreatePlan(ctx, pl, []model.PlanStep{{Kind: model.PlanBreak, Minutes: 10, Options: "[]"}}); err != nil {
		t.Fatal(err)
	}
	steps, err := st.PlanSteps(ctx, pl.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.plan = "/plans/" + strconv.FormatInt(pl.ID, 10)
	f.planStep = f.plan + "/steps/" + strconv.FormatInt(steps[0].ID, 10)
	cp := &model.CoursePackage{CourseID: "matrix", Version: "1", Package: pkgtest.Package(t, "matrix", pkgtest.Course("matrix", "1", "Hi."))}
	cp.Checksum = coursepkg.Checksum(cp.Package)
	if err := st.ImportPackage(ctx, cp); err != nil {
		t.Fatal(err)
	}
	f.packageID = cp.ID
	m := stylesheetRE.FindStringSubmatch(f.visitors[anonymous].get("/").Body)
	if m == nil {
		t.Fatal("no style sheet link on the home page")
	}
	f.stylesheet = m[1]
	if p := f.visitors[administrator].postFile("/admin/logo", "logo", "logo.png", testPNG(t, 16, 16)); p.Status != http.StatusOK {
		t.Fatalf("uploading the logo: status %d", p.Status)
	}
	lm := logoImgRE.FindStringSubmatch(f.visitors[anonymous].get("/").Body)
	if lm == nil {
		t.Fatal("no logo on the home page")
	}
	f.logo = lm[1]
	return f
}

// matrixTrustedKey is the id of a partner's key the fixture trusts, for the route removing it.
const matrixTrustedKey = "1234ABCD5678EF90"

var stylesheetRE = regexp.MustCompile(`<link rel="stylesheet" href="(/static/[^"]+)"`)

func cohortIDOf(t *testing.T, path string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(strings.TrimPrefix(path, "/cohorts/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// resignIn gives every signed-in visitor a live session again: some routes end it.
func (f *authzFixture) resignIn(t *testing.T) {
	t.Helper()
	for v := cohortLearner; v < visitorCount; v++ {
		f.visitors[v].signIn(f.names[v], strongPassword)
	}
}

// routeRule says where a route leads in the fixture and who may use it.
type routeRule struct {
	path func(f *authzFixture) string
	// want per visitor; destructive rules run last, in the order of the table.
	want [visitorCount]outcome
}

// restore puts the fixture back after a visitor's request to the named route, so that
// every visitor finds the same world.
var restore = map[string]func(t *testing.T, f *authzFixture){
	"POST /cohorts/:cohort/members/:user/remove": rejoinBystander,
	"POST /admin/users/:id/disable":              enableBystander,
}

func fixed(p string) func(*authzFixture) string { return func(*authzFixture) string { return p } }

var (
	everyone     = [visitorCount]outcome{allowed, allowed, allowed, allowed, allowed, allowed}
	signedIn     = [visitorCount]outcome{toLogin, allowed, allowed, allowed, allowed, allowed}
	trainers     = [visitorCount]outcome{toLogin, forbidden, forbidden, allowed, allowed, allowed}
	admins       = [visitorCount]outcome{toLogin, forbidden, forbidden, forbidden, forbidden, allowed}
	cohortPeople = [visitorCount]outcome{toLogin, allowed, notFound, allowed, notFound, allowed}
	cohortStaff  = [visitorCount]outcome{toLogin, forbidden, notFound, allowed, notFound, allowed}
	// Admins drive any live session, as its cohort's trainers do.
	liveMembers  = [visitorCount]outcome{toLogin, allowed, notFound, allowed, notFound, allowed}
	liveStaff    = [visitorCount]outcome{toLogin, forbidden, notFound, allowed, notFound, allowed}
	nothingYet   = [visitorCount]outcome{notFound, notFound, notFound, notFound, notFound, notFound}
	attemptOwner = [visitorCount]outcome{toLogin, allowed, notFound, notFound, notFound, notFound}
	// A private session plan: its owner only; other trainers and admins are not told it exists.
	planOwner = [visitorCount]outcome{toLogin, forbidden, forbidden, allowed, notFound, notFound}
)

// bystanderAdmin is an administrator's page about the bystander's account.
func bystanderAdmin(suffix string) func(*authzFixture) string {
	return func(f *authzFixture) string { return "/admin/users/" + strconv.FormatInt(f.bystander, 10) + suffix }
}

func authzRules() map[string]routeRule {
	cohort := func(suffix string) func(*authzFixture) string {
		return func(f *authzFixture) string { return f.cohortA + suffix }
	}
	live := func(suffix string) func(*authzFixture) string {
		return func(f *authzFixture) string { return f.sessionA + suffix }
	}
	return map[string]routeRule{
		"GET /healthz":     {fixed("/healthz"), everyone},
		"GET /readyz":      {fixed("/readyz"), everyone},
		"GET /static/*":    {func(f *authzFixture) string { return f.stylesheet }, everyone},
		"GET /favicon.ico": {fixed("/favicon.ico"), everyone},
		// The logo is on every page, the sign-in page too.
		"GET /logo/:version": {func(f *authzFixture) string { return f.logo }, everyone},
		"GET /":              {fixed("/"), everyone},
		"GET /first-aid":     {fixed("/first-aid"), everyone},
		"POST /discreet":     {fixed("/discreet"), everyone},
		"GET /device-traces": {fixed("/device-traces"), everyone},
		"GET /signup":        {fixed("/signup"), everyone},
		"POST /signup":       {fixed("/signup"), everyone},
		"GET /login":         {fixed("/login"), everyone},
		"POST /login":        {fixed("/login"), everyone},
		"GET /login/totp":    {fixed("/login/totp"), everyone},
		"POST /login/totp":   {fixed("/login/totp"), everyone},
		"POST /logout":       {fixed("/logout"), everyone},
		"GET /exit":          {fixed("/exit"), everyone},
		"GET /recover":       {fixed("/recover"), everyone},
		"POST /recover":      {fixed("/recover"), everyone},
		// Without a reset token there is nothing to reset.
		"GET /reset":  {fixed("/reset"), nothingYet},
		"POST /reset": {fixed("/reset"), nothingYet},

		"GET /account/":                        {fixed("/account/"), signedIn},
		"POST /account/profile":                {fixed("/account/profile"), signedIn},
		"GET /account/password":                {fixed("/account/password"), signedIn},
		"POST /account/password":               {fixed("/account/password"), signedIn},
		"GET /account/sessions":                {fixed("/account/sessions"), signedIn},
		"POST /account/sessions/revoke-others": {fixed("/account/sessions/revoke-others"), signedIn},
		"POST /account/sessions/revoke-all":    {fixed("/account/sessions/revoke-all"), signedIn},
		"POST /account/sessions/:id/revoke": {
			func(f *authzFixture) string {
				return "/account/sessions/" + strconv.FormatInt(f.otherSess, 10) + "/revoke"
			},
			[visitorCount]outcome{toLogin, allowed, notFound, notFound, notFound, notFound},
		},
		"GET /account/recovery-codes":  {fixed("/account/recovery-codes"), signedIn},
		"POST /account/recovery-codes": {fixed("/account/recovery-codes"), signedIn},
		"GET /account/2fa":             {fixed("/account/2fa"), signedIn},
		"POST /account/2fa/setup":      {fixed("/account/2fa/setup"), signedIn},
		// The QR code exists only while a set-up is in progress: a 404 for the signed in.
		"GET /account/2fa/qr.png":   {fixed("/account/2fa/qr.png"), [visitorCount]outcome{toLogin, notFound, notFound, notFound, notFound, notFound}},
		"POST /account/2fa/enable":  {fixed("/account/2fa/enable"), signedIn},
		"POST /account/2fa/disable": {fixed("/account/2fa/disable"), signedIn},
		// Data rights: everyone signed in, for themselves. A POST without the password is
		// refused with 401 (user_data_test.go tries the real thing).
		"GET /account/export":  {fixed("/account/export"), signedIn},
		"POST /account/export": {fixed("/account/export"), signedIn},
		"GET /account/delete":  {fixed("/account/delete"), signedIn},
		"POST /account/delete": {fixed("/account/delete"), signedIn},

		"GET /courses":                         {fixed("/courses"), everyone},
		"GET /courses/:course":                 {fixed("/courses/sample"), everyone},
		"GET /courses/:course/media/*":         {fixed("/courses/sample/media/basics/first-steps/square.png"), everyone},
		"GET /courses/:course/lessons/:lesson": {fixed("/courses/sample/lessons/first-steps"), everyone},
		// The signed offline copy is the course's public content, like its pages.
		"GET /courses/:course/offline.zip":                       {fixed("/courses/sample/offline.zip?lang=en"), everyone},
		"GET /courses/:course/offline.zip.minisig":               {fixed("/courses/sample/offline.zip.minisig?lang=en"), everyone},
		"GET /cairn.pub":                                         {fixed("/cairn.pub"), everyone},
		"POST /courses/:course/lessons/:lesson/complete":         {fixed("/courses/sample/lessons/first-steps/complete"), signedIn},
		"GET /courses/:course/quizzes/:module":                   {fixed("/courses/sample/quizzes/basics"), signedIn},
		"POST /courses/:course/quizzes/:module":                  {fixed("/courses/sample/quizzes/basics"), signedIn},
		"GET /courses/:course/quizzes/:module/attempts/:attempt": {func(f *authzFixture) string { return f.attempt }, attemptOwner},
		"GET /courses/:course/trainer-notes/:module":             {fixed("/courses/sample/trainer-notes/basics"), trainers},
		"POST /courses/:course/lessons/:lesson/checklist":        {fixed("/courses/sample/lessons/first-steps/checklist"), signedIn},
		"GET /learning": {fixed("/learning"), signedIn},
		// The personal learning plan: anyone may answer and read a plan; keeping one needs
		// an account (without one saved, /my-plan/saved leads back to the questions).
		"GET /my-plan":         {fixed("/my-plan"), everyone},
		"POST /my-plan":        {fixed("/my-plan"), everyone},
		"GET /my-plan/saved":   {fixed("/my-plan/saved"), signedIn},
		"POST /my-plan/save":   {fixed("/my-plan/save"), signedIn},
		"POST /my-plan/delete": {fixed("/my-plan/delete"), signedIn},

		"GET /cohorts":                         {fixed("/cohorts"), signedIn},
		"GET /cohorts/new":                     {fixed("/cohorts/new"), trainers},
		"POST /cohorts":                        {fixed("/cohorts"), trainers},
		"GET /cohorts/:cohort":                 {cohort(""), cohortPeople},
		"GET /cohorts/:cohort/export.csv":      {cohort("/export.csv"), cohortStaff},
		"GET /cohorts/:cohort/quizzes/:module": {cohort("/quizzes/basics"), cohortStaff},
		"POST /cohorts/:cohort/code":           {cohort("/code"), cohortStaff},
		"POST /cohorts/:cohort/code/revoke":    {cohort("/code/revoke"), cohortStaff},
		"POST /cohorts/:cohort/trainers":       {cohort("/trainers"), cohortStaff},
		"POST /cohorts/:cohort/live":           {cohort("/live"), cohortStaff},
		"GET /join":                            {fixed("/join"), signedIn},
		"POST /join":                           {fixed("/join"), signedIn},
		"GET /cohorts/:cohort/members/:user/remove": {
			func(f *authzFixture) string {
				return f.cohortA + "/members/" + strconv.FormatInt(f.bystander, 10) + "/remove"
			}, cohortStaff,
		},
		"POST /cohorts/:cohort/members/:user/remove": {
			func(f *authzFixture) string {
				return f.cohortA + "/members/" + strconv.FormatInt(f.bystander, 10) + "/remove"
			}, cohortStaff,
		},

		"POST /live/:session/start":  {func(f *authzFixture) string { return f.scheduled + "/start" }, liveStaff},
		"GET /live/:session":         {live(""), liveMembers},
		"GET /live/:session/ws":      {live("/ws"), liveMembers},
		"GET /live/:session/plain":   {live("/plain"), liveMembers},
		"GET /live/:session/frame":   {live("/frame"), liveMembers},
		"GET /live/:session/lesson":  {live("/lesson?lesson=first-steps"), liveMembers},
		"GET /live/:session/summary": {live("/summary"), liveMembers},
		"POST /live/:session/vote":   {live("/vote"), liveMembers},
		"POST /live/:session/ask":    {live("/ask"), liveMembers},
		"POST /live/:session/upvote": {live("/upvote"), liveMembers},
		// The console's forms and the presenter view: the cohort's trainers (and admins).
		"POST /live/:session/console/step":      {live("/console/step"), liveStaff},
		"POST /live/:session/console/poll":      {live("/console/poll"), liveStaff},
		"POST /live/:session/console/close":     {live("/console/close"), liveStaff},
		"POST /live/:session/console/reveal":    {live("/console/reveal"), liveStaff},
		"POST /live/:session/console/end":       {live("/console/end"), liveStaff},
		"POST /live/:session/console/answered":  {live("/console/answered"), liveStaff},
		"POST /live/:session/console/hide":      {live("/console/hide"), liveStaff},
		"POST /live/:session/console/hide-word": {live("/console/hide-word"), liveStaff},
		"GET /live/:session/present":            {live("/present"), liveStaff},
		// Without CAIRN_BASE_URL (as here) there is no link a phone could open, so no code
		// to draw, for anyone; learners are refused before that is even looked at.
		// live_present_test.go fetches it with the address set.
		"GET /live/:session/present/qr.png": {live("/present/qr.png"), [visitorCount]outcome{toLogin, forbidden, notFound, notFound, notFound, notFound}},

		// Session plans on the console, and the plan pages.
		"POST /live/:session/plan":      {live("/plan"), liveStaff},
		"POST /live/:session/plan/next": {live("/plan/next"), liveStaff},

		"GET /plans/":                          {fixed("/plans/"), trainers},
		"GET /plans/new":                       {fixed("/plans/new"), trainers},
		"POST /plans/":                         {fixed("/plans/"), trainers},
		"POST /plans/agenda":                   {fixed("/plans/agenda"), trainers},
		"GET /plans/:plan":                     {func(f *authzFixture) string { return f.plan }, planOwner},
		"POST /plans/:plan":                    {func(f *authzFixture) string { return f.plan }, planOwner},
		"GET /plans/:plan/print":               {func(f *authzFixture) string { return f.plan + "/print" }, planOwner},
		"POST /plans/:plan/duplicate":          {func(f *authzFixture) string { return f.plan + "/duplicate" }, planOwner},
		"GET /plans/:plan/delete":              {func(f *authzFixture) string { return f.plan + "/delete" }, planOwner},
		"POST /plans/:plan/delete":             {func(f *authzFixture) string { return f.plan + "/delete" }, planOwner},
		"POST /plans/:plan/steps":              {func(f *authzFixture) string { return f.plan + "/steps" }, planOwner},
		"GET /plans/:plan/steps/:step":         {func(f *authzFixture) string { return f.planStep }, planOwner},
		"POST /plans/:plan/steps/:step":        {func(f *authzFixture) string { return f.planStep }, planOwner},
		"POST /plans/:plan/steps/:step/move":   {func(f *authzFixture) string { return f.planStep + "/move" }, planOwner},
		"POST /plans/:plan/steps/:step/remove": {func(f *authzFixture) string { return f.planStep + "/remove" }, planOwner},
		"POST /live/:session/hand":             {live("/hand"), liveMembers},

		"GET /admin/":                         {fixed("/admin/"), admins},
		"POST /admin/registration":            {fixed("/admin/registration"), admins},
		"POST /admin/content-access":          {fixed("/admin/content-access"), admins},
		"POST /admin/first-aid":               {fixed("/admin/first-aid"), admins},
		"POST /admin/instance":                {fixed("/admin/instance"), admins},
		"POST /admin/logo":                    {fixed("/admin/logo"), admins},
		"POST /admin/logo/remove":             {fixed("/admin/logo/remove"), admins},
		"POST /admin/languages":               {fixed("/admin/languages"), admins},
		"POST /admin/quick-exit":              {fixed("/admin/quick-exit"), admins},
		"POST /admin/invites":                 {fixed("/admin/invites"), admins},
		"POST /admin/invites/:id/revoke":      {func(f *authzFixture) string { return "/admin/invites/" + strconv.FormatInt(f.inviteID, 10) + "/revoke" }, admins},
		"GET /admin/users":                    {fixed("/admin/users"), admins},
		"POST /admin/users/:id/role":          {func(f *authzFixture) string { return "/admin/users/" + strconv.FormatInt(f.bystander, 10) + "/role" }, admins},
		"POST /admin/trusted-keys":            {fixed("/admin/trusted-keys"), admins},
		"POST /admin/trusted-keys/:id/remove": {fixed("/admin/trusted-keys/" + matrixTrustedKey + "/remove"), admins},
		"POST /admin/users/:id/reset-link": {func(f *authzFixture) string {
			return "/admin/users/" + strconv.FormatInt(f.bystander, 10) + "/reset-link"
		}, admins},
		"GET /admin/users/:id/export":  {bystanderAdmin("/export"), admins},
		"POST /admin/users/:id/export": {bystanderAdmin("/export"), admins},
		"GET /admin/users/:id/delete":  {bystanderAdmin("/delete"), admins},
		"POST /admin/users/:id/delete": {bystanderAdmin("/delete"), admins},
		// Course packages: the fixture's draft package of a small course.
		"GET /admin/courses":                          {fixed("/admin/courses"), admins},
		"POST /admin/courses/import":                  {fixed("/admin/courses/import"), admins},
		"POST /admin/courses/packages/:id/publish":    {coursePackage("/publish"), admins},
		"POST /admin/courses/packages/:id/unpublish":  {coursePackage("/unpublish"), admins},
		"POST /admin/courses/packages/:id/archive":    {coursePackage("/archive"), admins},
		"GET /admin/courses/packages/:id/package.zip": {coursePackage("/package.zip"), admins},
		"GET /admin/courses/packages/:id":             {coursePackage(""), admins},
		"POST /admin/courses/packages/:id/gift":       {coursePackage("/gift"), admins},
		"GET /admin/courses/:course/export.zip":       {fixed("/admin/courses/sample/export.zip"), admins},
		"GET /admin/users/:id/disable":                {bystanderAdmin("/disable"), admins},
		"POST /admin/users/:id/disable":               {bystanderAdmin("/disable"), admins},
		"POST /admin/users/:id/enable":                {bystanderAdmin("/enable"), admins},
		"GET /admin/audit":                            {fixed("/admin/audit"), admins},
		"GET /admin/audit.csv":                        {fixed("/admin/audit.csv"), admins},
		"POST /admin/retention":                       {fixed("/admin/retention"), admins},
	}
}

// coursePackage is an administrator's action on the fixture's course package.
func coursePackage(suffix string) func(*authzFixture) string {
	return func(f *authzFixture) string {
		return "/admin/courses/packages/" + strconv.FormatInt(f.packageID, 10) + suffix
	}
}

// routerRoutes lists "METHOD path" for every route the app registered (HEAD mirrors GET).
func routerRoutes(ts *testServer) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range ts.Srv.App.GetRoutes(true) {
		if r.Method == http.MethodHead || r.Path == "/" && r.Method != http.MethodGet {
			continue
		}
		key := r.Method + " " + r.Path
		if !seen[key] {
			seen[key] = true
			out = append(out, key)
		}
	}
	sort.Strings(out)
	return out
}

// got classifies a response the way outcome names it.
func classify(p page, location string) string {
	switch {
	case p.Status == http.StatusSeeOther && strings.HasPrefix(location, "/login?next="):
		return toLogin.String()
	case p.Status == http.StatusForbidden:
		return forbidden.String()
	case p.Status == http.StatusNotFound:
		return notFound.String()
	case p.Status >= 500:
		return fmt.Sprintf("status %d", p.Status)
	}
	return allowed.String()
}

// destructive routes end the visitor's session or change the fixture: they run last, and
// everyone signs in again after each.
var destructive = map[string]bool{
	"POST /logout":                      true,
	"GET /exit":                         true,
	"POST /account/sessions/revoke-all": true,
	"POST /account/password":            true,
}

func TestEveryRouteAnswersEachKindOfVisitorAsTheMatrixSays(t *testing.T) {
	cfg := testConfig()
	cfg.AuthRateLimit = 10000 // the matrix is about who may, not how often
	cfg.SignupRateLimit = 10000
	eachServer(t, cfg, func(t *testing.T, ts *testServer) {
		rules := authzRules()
		routes := routerRoutes(ts)
		for _, r := range routes {
			if _, ok := rules[r]; !ok {
				t.Errorf("route %s has no entry in the authorisation matrix: decide who may use it", r)
			}
		}
		for name := range rules {
			if !contains(routes, name) {
				t.Errorf("the matrix names %s, which the router no longer has", name)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
		f := newAuthzFixture(t, ts)
		sort.SliceStable(routes, func(i, j int) bool { return !destructive[routes[i]] && destructive[routes[j]] })
		for _, route := range routes {
			rule := rules[route]
			method, _, _ := strings.Cut(route, " ")
			path := rule.path(f)
			for v := anonymous; v < visitorCount; v++ {
				b := f.visitors[v]
				var p page
				var location string
				if method == http.MethodGet {
					p, location = b.getNoFollow(path)
				} else {
					p, location = b.postNoFollow(path, url.Values{})
				}
				if got := classify(p, location); got != rule.want[v].String() {
					t.Errorf("%s as %s (%s): got %s (status %d, location %q), want %s",
						route, visitorNames[v], path, got, p.Status, location, rule.want[v])
				}
				if fn := restore[route]; fn != nil {
					fn(t, f)
				}
			}
			if method == http.MethodPost || destructive[route] {
				f.resignIn(t)
			}
		}
	})
}

// enableBystander undoes an administrator's disabling of the bystander, so the next
// visitor finds an enabled account (and the cohort its learner).
func enableBystander(t *testing.T, f *authzFixture) {
	t.Helper()
	if err := store.New(f.ts.DB, nil).EnableUser(context.Background(), f.bystander); err != nil {
		t.Fatal(err)
	}
}

// rejoinBystander puts the removed learner back, so every visitor tries to remove someone.
func rejoinBystander(t *testing.T, f *authzFixture) {
	t.Helper()
	err := store.New(f.ts.DB, nil).JoinCohort(context.Background(), cohortIDOf(t, f.cohortA), f.bystander, 0)
	if err != nil && !errors.Is(err, store.ErrAlreadyMember) {
		t.Fatal(err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// getNoFollow and postNoFollow send one request and report where it redirects, without
// following: a redirect to /login is the answer being checked.
func (b *browser) getNoFollow(path string) (page, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.ts.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.doNoFollow(req)
}

func (b *browser) postNoFollow(path string, form url.Values) (page, string) {
	b.t.Helper()
	sent := url.Values{}
	for k, v := range form {
		sent[k] = v
	}
	sent.Set("csrf_token", b.csrf())
	req, err := http.NewRequest(http.MethodPost, b.ts.URL+path, strings.NewReader(sent.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.doNoFollow(req)
}

func (b *browser) doNoFollow(req *http.Request) (page, string) {
	b.t.Helper()
	client := *b.client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	saved := b.client
	b.client = &client
	defer func() { b.client = saved }()
	p := b.do(req)
	return p, p.Header.Get("Location")
}
