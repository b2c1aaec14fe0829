package web

import (
	"net/url"
	"time"

	"github.com/cairn-lms/cairn/app/model"
)

// sessionKeep is how long a sign-in lasts on this browser, as chosen on the sign-in form.
type sessionKeep int

const (
	// keepUntilBrowserCloses: a cookie without an expiry (the default).
	keepUntilBrowserCloses sessionKeep = iota
	// keepRemembered: "keep me signed in", a cookie for the session's whole lifetime.
	keepRemembered
	// keepSharedDevice: "this is not my device": a cookie that ends with the browser and a
	// session that ends after sharedDeviceIdle without a request, sharedDeviceMaxAge at most.
	// It wins over keepRemembered when both are ticked.
	keepSharedDevice
)

// A shared or borrowed device is left behind quickly: a quarter of an hour without a
// request ends the sign-in, and it never lasts longer than an afternoon's workshop.
const (
	sharedDeviceIdle   = 15 * time.Minute
	sharedDeviceMaxAge = 4 * time.Hour
)

// keepFromForm reads the two choices of the sign-in (and second-factor) form.
func keepFromForm(remember, shared string) sessionKeep {
	switch {
	case shared != "":
		return keepSharedDevice
	case remember != "":
		return keepRemembered
	}
	return keepUntilBrowserCloses
}

// rotatedKeep is how a sign-in lasts once its token is replaced (after a password or
// second-factor change): a shared device's stays short; any other ends with the browser.
func rotatedKeep(sess *model.Session) sessionKeep {
	if sess != nil && sess.SharedDevice {
		return keepSharedDevice
	}
	return keepUntilBrowserCloses
}

// query carries the choice from the password step to the second-factor step.
func (k sessionKeep) query() string {
	switch k {
	case keepSharedDevice:
		return "&" + url.Values{"shared": {"1"}}.Encode()
	case keepRemembered:
		return "&" + url.Values{"remember": {"1"}}.Encode()
	}
	return ""
}
