package web_test

import (
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/model"
)

func TestUsingTheAccountOnANewDayRecordsThatDayOnly(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("yusuf")
		day := func() time.Time {
			t.Helper()
			var u model.User
			if err := ts.DB.NewSelect().Model(&u).Where("username = ?", "yusuf").Scan(t.Context()); err != nil {
				t.Fatal(err)
			}
			return u.ActiveOn
		}
		signedUp := model.ActiveDay(ts.Clock.Now())
		if got := day(); !got.Equal(signedUp) {
			t.Fatalf("after signing up, active on %v, want %v", got, signedUp)
		}
		// Two days later the session has gone idle: sign in again and use the account.
		ts.Clock.Advance(49 * time.Hour)
		mustStatus(t, b.signIn("yusuf", strongPassword), 200)
		mustStatus(t, b.get("/account"), 200)
		if got, want := day(), model.ActiveDay(ts.Clock.Now()); !got.Equal(want) {
			t.Fatalf("after using the account, active on %v, want the day %v", got, want)
		}
	})
}
