package browser_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/web"
)

// newBrowserContexts starts one Chromium with two isolated browser contexts (separate
// cookies), JavaScript on: the live console is the one page that needs it.
func newBrowserContexts(t *testing.T) (context.Context, context.Context) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CAIRN_TEST_REQUIRE_BROWSER") == "1" {
			t.Fatalf("Chromium required but not found at %s", chromiumPath)
		}
		t.Skipf("browser test skipped: no Chromium at %s", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath), chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.UserDataDir(t.TempDir()))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	if err := chromedp.Do(browser, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	a, cancelA := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	b, cancelB := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	a, cancelTA := context.WithTimeout(a, 90*time.Second)
	b, cancelTB := context.WithTimeout(b, 90*time.Second)
	t.Cleanup(func() {
		cancelTA()
		cancelTB()
		cancelA()
		cancelB()
		cancelBrowser()
		cancelAlloc()
	})
	return a, b
}

func signInAs(t *testing.T, ctx context.Context, base, username, password string) {
	t.Helper()
	type css = chromedp.CSS
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css(`#username`)),
		chromedp.SendKeys(css(`#username`), username),
		chromedp.SendKeys(css(`#password`), password),
		chromedp.Submit(css(`#username`)),
		chromedp.WaitVisible(css(`form[action="/account/profile"]`)),
	)
	if err != nil {
		t.Fatalf("sign in %s: %v", username, err)
	}
}

func TestTrainerDrivesAParticipantsPageAndSeesTheVote(t *testing.T) {
	trainerCtx, learnerCtx := newBrowserContexts(t)
	cfg := config.Defaults()
	cfg.Argon2Memory, cfg.Argon2Time, cfg.Argon2Threads = 1024, 1, 1
	db := dbtest.Open(t, "sqlite")
	srv, err := web.New(web.Deps{Config: cfg, DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.App.Listener(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	base := "http://" + ln.Addr().String()

	// Accounts, a cohort of the first shipped course and a running session.
	ctx := context.Background()
	st := store.New(db, nil)
	hasher, _ := auth.NewHasher(1024, 1, 1, 1)
	const password = "a live journey passphrase"
	hash, _ := hasher.Hash(ctx, password)
	mk := func(name, role string) *model.User {
		u := &model.User{Username: name, UsernameKey: name, PasswordHash: hash, Role: role}
		if err := st.CreateAccount(ctx, store.NewAccount{User: u}); err != nil {
			t.Fatal(err)
		}
		return u
	}
	trainer, learner := mk("console-trainer", model.RoleTrainer), mk("console-learner", model.RoleLearner)
	co := &model.Cohort{CourseID: "account-security", Name: "Browsers", Lang: "en"}
	if err := st.CreateCohort(ctx, co, trainer.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.JoinCohort(ctx, co.ID, learner.ID, 0); err != nil {
		t.Fatal(err)
	}
	ls := &model.LiveSession{CohortID: co.ID, Title: "Two browsers"}
	if err := st.CreateLiveSession(ctx, ls, true); err != nil {
		t.Fatal(err)
	}
	live := base + "/live/" + strconv.FormatInt(ls.ID, 10)

	signInAs(t, trainerCtx, base, "console-trainer", password)
	signInAs(t, learnerCtx, base, "console-learner", password)
	type css = chromedp.CSS
	connected := func(c context.Context) {
		t.Helper()
		if err := chromedp.Do(c, chromedp.Navigate(live), chromedp.WaitVisible(css(`#live-status`))); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(c, chromedp.Poll[bool](`document.getElementById("live-status").textContent === "Connected."`)); err != nil {
			t.Fatalf("console did not connect: %v", err)
		}
	}
	connected(trainerCtx)
	connected(learnerCtx)

	// The trainer shows a lesson: the participant's page follows.
	err = chromedp.Do(trainerCtx,
		chromedp.SetValue(css(`#step-lesson`), "strong-passphrases"),
		chromedp.Click(css(`#form-step button[type=submit]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(learnerCtx, chromedp.WaitVisible(css(`#live-step .prose h2`))); err != nil {
		t.Fatal(err)
	}
	if h := text(t, learnerCtx, `#live-step .prose h2`); !strings.Contains(h, "passphrase") {
		t.Fatalf("participant shows %q", h)
	}

	// The trainer launches a poll; the participant votes; the trainer sees the count.
	err = chromedp.Do(trainerCtx,
		chromedp.SendKeys(css(`#poll-prompt`), "Do you reuse passwords?"),
		chromedp.SendKeys(css(`#poll-options`), "Never\nSometimes\nOften"),
		chromedp.Click(css(`#form-poll button[type=submit]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(learnerCtx,
		chromedp.WaitVisible(css(`#form-vote`)),
		chromedp.Click(css(`#vote-b`)),
		chromedp.Click(css(`#form-vote button`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(trainerCtx, chromedp.Poll[bool](`document.querySelector("#live-poll .bars") !== null && document.querySelector("#live-poll").textContent.includes("Answers: 1")`)); err != nil {
		t.Fatalf("the trainer never saw the vote: %v", err)
	}
	if err := chromedp.Do(trainerCtx, chromedp.Click(css(`#live-poll .actions button:last-child`))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(learnerCtx, chromedp.Poll[bool](`document.querySelector("#live-poll .bars") !== null`)); err != nil {
		t.Fatalf("the participant never saw the results: %v", err)
	}
	if got := text(t, learnerCtx, `#live-poll .bars`); !strings.Contains(got, "Sometimes") || !strings.Contains(got, "1") {
		t.Fatalf("results shown to the participant: %q", got)
	}
}
