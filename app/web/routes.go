package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
)

func (s *Server) routes() {
	app := s.App
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: s.logPanic}))
	app.Use(requestid.New())
	app.Use(s.securityHeaders)
	app.Use(s.logRequests)
	// Fastest level: pages are small and made per request; level 6 cost more CPU than it
	// saved bytes (see docs/BENCHMARKS.md).
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))

	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/static/*", s.static.serve)
	app.Get("/favicon.ico", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) })

	app.Use(s.negotiateLocale)
	// The CSRF token is bound to the session, so the session is known first.
	app.Use(s.loadSession)
	app.Use(s.csrf)

	app.Get("/", s.showHome)

	app.Get("/signup", s.showSignup)
	app.Post("/signup", s.limitSignup, s.submitSignup)
	app.Get("/login", s.showLogin)
	app.Post("/login", s.limitSignIn(false), s.submitLogin)
	app.Get("/login/totp", s.showLoginTOTP)
	app.Post("/login/totp", s.limitSignIn(true), s.submitLoginTOTP)
	app.Post("/logout", s.submitLogout)
	app.Get("/recover", s.showRecover)
	app.Post("/recover", s.limitByClient("recover"), s.submitRecover)
	app.Get("/reset", s.showReset)
	app.Post("/reset", s.limitByClient("reset"), s.submitReset)

	account := app.Group("/account", s.requireUser)
	account.Get("/", s.showAccount)
	account.Post("/profile", s.updateProfile)
	account.Get("/password", s.showPassword)
	account.Post("/password", s.updatePassword)
	account.Get("/sessions", s.listSessions)
	account.Post("/sessions/revoke-others", s.revokeOtherSessions)
	account.Post("/sessions/revoke-all", s.revokeAllSessions)
	account.Post("/sessions/:id/revoke", s.revokeSession)
	account.Get("/recovery-codes", s.showRecoveryCodes)
	account.Post("/recovery-codes", s.regenerateRecoveryCodes)
	account.Get("/2fa", s.showTwoFactor)
	account.Post("/2fa/setup", s.setupTwoFactor)
	account.Get("/2fa/qr.png", s.twoFactorQRCode)
	account.Post("/2fa/enable", s.enableTwoFactor)
	account.Post("/2fa/disable", s.disableTwoFactor)

	app.Get("/courses", s.requireReader, s.listCatalog)
	app.Get("/courses/:course", s.requireReader, s.showCourse)
	app.Get("/courses/:course/media/*", s.requireReader, s.showCourseMedia)
	app.Get("/courses/:course/lessons/:lesson", s.requireReader, s.showLesson)
	app.Post("/courses/:course/lessons/:lesson/complete", s.requireUser, s.completeLesson)
	app.Get("/courses/:course/quizzes/:module", s.requireUser, s.showQuiz)
	app.Post("/courses/:course/quizzes/:module", s.requireUser, s.submitQuiz)
	app.Get("/courses/:course/quizzes/:module/attempts/:attempt", s.requireUser, s.showQuizAttempt)
	app.Get("/learning", s.requireUser, s.showLearning)

	app.Get("/cohorts", s.requireUser, s.listCohorts)
	app.Get("/cohorts/new", s.requireTrainer, s.showNewCohort)
	app.Post("/cohorts", s.requireTrainer, s.createCohort)
	app.Get("/cohorts/:cohort", s.requireUser, s.showCohort)
	app.Get("/cohorts/:cohort/export.csv", s.requireUser, s.exportCohort)
	app.Get("/cohorts/:cohort/quizzes/:module", s.requireUser, s.showCohortQuiz)
	app.Post("/cohorts/:cohort/code", s.requireUser, s.regenerateJoinCode)
	app.Post("/cohorts/:cohort/code/revoke", s.requireUser, s.revokeJoinCode)
	app.Post("/cohorts/:cohort/members/:user/remove", s.requireUser, s.removeCohortMember)
	app.Post("/cohorts/:cohort/trainers", s.requireUser, s.addCoTrainer)
	app.Post("/cohorts/:cohort/live", s.requireUser, s.createLiveSession)
	app.Get("/join", s.requireUser, s.showJoin)
	app.Post("/join", s.requireUser, s.limitJoin, s.submitJoin)

	app.Get("/live/:session", s.requireUser, s.showLive)
	app.Post("/live/:session/start", s.requireUser, s.startLive)
	app.Get("/live/:session/ws", s.requireUser, s.liveSocket)
	app.Get("/live/:session/plain", s.requireUser, s.showLivePlain)
	app.Get("/live/:session/lesson", s.requireUser, s.showLiveLesson)
	app.Get("/live/:session/summary", s.requireUser, s.showLiveSummary)
	app.Post("/live/:session/vote", s.requireUser, s.submitLiveVote)
	app.Post("/live/:session/ask", s.requireUser, s.submitLiveAsk)
	app.Post("/live/:session/upvote", s.requireUser, s.submitLiveUpvote)

	admin := app.Group("/admin", s.requireAdmin)
	admin.Get("/", s.showAdmin)
	admin.Post("/registration", s.updateRegistration)
	admin.Post("/content-access", s.updateContentAccess)
	admin.Post("/invites", s.createInvite)
	admin.Post("/invites/:id/revoke", s.revokeInvite)
	admin.Get("/users", s.listUsers)
	admin.Post("/users/:id/role", s.updateUserRole)
	admin.Post("/users/:id/reset-link", s.createResetLink)

	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
