package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/ratelimit"
)

// After its free failures, a key waits signInFirstWait before its next try counts, twice
// that after the next failure, and so on up to signInMaxWait. Failures are forgotten after
// a day without one.
const (
	signInFirstWait = time.Minute
	signInMaxWait   = time.Hour
	failureMemory   = 24 * time.Hour
)

// limits are the server's rate limits; docs/SECURITY.md says why each is keyed
// as it is.
type limits struct {
	// Failed sign-ins per account and client: the one that stops guessing one account
	// without letting an attacker elsewhere lock its owner out. The password and the code
	// step count apart, so knowing the password does not reset the count of wrong codes.
	signInPair *ratelimit.Backoff
	// Failed sign-ins per client over all accounts (password spraying). Looser, because
	// people behind one Tor exit or office address share it.
	signInClient *ratelimit.Backoff
	// Wrong join codes per account (joining needs an account, so an address shared by a
	// whole workshop does not matter).
	join *ratelimit.Backoff
	// Recovery and reset attempts per client per window, keyed by form and client.
	forms *ratelimit.Window
	// Sign-ups per client per window, without and with a valid invitation or join code.
	signup, signupCoded *ratelimit.Window
}

func newLimits(cfg config.Config, now func() time.Time) *limits {
	backoff := func(free int) *ratelimit.Backoff {
		return ratelimit.NewBackoff(ratelimit.BackoffConfig{
			Free: free, Base: signInFirstWait, Max: signInMaxWait, Forget: failureMemory, Now: now,
		})
	}
	return &limits{
		signInPair:   backoff(cfg.AuthRateLimit),
		signInClient: backoff(3 * cfg.AuthRateLimit),
		join:         backoff(cfg.AuthRateLimit),
		forms:        ratelimit.NewWindow(cfg.AuthRateLimit, cfg.AuthRateWindow, 0, now),
		signup:       ratelimit.NewWindow(cfg.SignupRateLimit, cfg.AuthRateWindow, 0, now),
		signupCoded:  ratelimit.NewWindow(cfg.SignupCodeRateLimit, cfg.AuthRateWindow, 0, now),
	}
}

// clientIP is the address of the client, for rate limits (and logs when the operator opted
// in). Without trusted proxies it is the socket's peer, whatever headers say. When the peer
// is a trusted proxy, X-Forwarded-For is read from the right, skipping trusted proxies: the
// first other address was appended by a proxy of ours, while everything left of it was
// written by the client and can be forged. (fiber's c.IP takes the leftmost.)
func (s *Server) clientIP(c *fiber.Ctx) netip.Addr {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	peer = peer.Unmap()
	if !s.trustedProxy(peer) {
		return peer
	}
	client := peer
	headers := c.Request().Header.PeekAll(fiber.HeaderXForwardedFor)
	for i := len(headers) - 1; i >= 0; i-- {
		hops := strings.Split(string(headers[i]), ",")
		for j := len(hops) - 1; j >= 0; j-- {
			addr, err := netip.ParseAddr(strings.TrimSpace(hops[j]))
			if err != nil {
				// Garbage where an address should be: the hop that wrote it is the client.
				return client
			}
			client = addr.Unmap()
			if !s.trustedProxy(client) {
				return client
			}
		}
	}
	return client
}

func (s *Server) trustedProxy(a netip.Addr) bool {
	for _, p := range s.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientKey identifies a client for rate limits without holding its address in clear: an
// HMAC with a per-process random key, kept only in memory. An IPv6 client is keyed by its
// /64, the block one subscriber usually holds whole, so rotating within it gains nothing.
func (s *Server) clientKey(c *fiber.Ctx) string {
	ip := s.clientIP(c)
	if ip.Is6() {
		ip = netip.PrefixFrom(ip, 64).Masked().Addr()
	}
	return s.hashKey(ip.String())
}

// hashKey keeps request data used as a limiter key short and unreadable.
func (s *Server) hashKey(v string) string {
	m := hmac.New(sha256.New, s.keySalt)
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil)[:12])
}

// tooMany refuses a request, saying when to come back.
func tooMany(c *fiber.Ctx, wait time.Duration) error {
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return fiber.ErrTooManyRequests
}

// limitByClient counts every attempt of one client at a form (recovery, reset).
func (s *Server) limitByClient(name string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if ok, wait := s.limits.forms.Take(name + ":" + s.clientKey(c)); !ok {
			return tooMany(c, wait)
		}
		return c.Next()
	}
}

// limitSignIn counts failed sign-ins (a 401 from the password step, or from the code step
// when codeStep) per account and client, and per client; a success clears the count of its
// account and client. The same account from another client is never refused because of
// these failures.
func (s *Server) limitSignIn(codeStep bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		step, account := "password:", auth.UsernameKey(c.FormValue("username"))
		if codeStep {
			sess := state(c).session
			if sess == nil || !sess.MFAPending {
				return c.Next() // the handler sends them back to the password step
			}
			step, account = "code:", sess.User.UsernameKey
		}
		return s.countSignIn(c, step, s.hashKey(account))
	}
}

func (s *Server) countSignIn(c *fiber.Ctx, step, account string) error {
	client := s.clientKey(c)
	pair := step + account + ":" + client
	if wait := max(s.limits.signInPair.Wait(pair), s.limits.signInClient.Wait(client)); wait > 0 {
		return tooMany(c, wait)
	}
	err := c.Next()
	switch status := c.Response().StatusCode(); {
	case err != nil:
	case status == fiber.StatusUnauthorized:
		s.limits.signInPair.Fail(pair)
		s.limits.signInClient.Fail(client)
	case status < 400:
		s.limits.signInPair.Reset(pair)
		if step == "code:" {
			s.limits.signInPair.Reset("password:" + account + ":" + client)
		}
	}
	return err
}

// limitSignup counts sign-ups per client: a few without a code, many more with a valid
// invitation or cohort join code, so a workshop of fifty behind one address can sign up
// while a stranger cannot fill the instance with accounts.
func (s *Server) limitSignup(c *fiber.Ctx) error {
	window := s.limits.signup
	coded, err := s.signupCodeValid(c)
	if err != nil {
		return err
	}
	if coded {
		window = s.limits.signupCoded
	}
	if ok, wait := window.Take(s.clientKey(c)); !ok {
		return tooMany(c, wait)
	}
	return c.Next()
}

// limitJoin counts wrong join codes per account: joining needs an account, and people who
// share an address (a workshop) must not use up each other's tries.
func (s *Server) limitJoin(c *fiber.Ctx) error {
	key := strconv.FormatInt(state(c).user.ID, 10)
	if wait := s.limits.join.Wait(key); wait > 0 {
		return tooMany(c, wait)
	}
	err := c.Next()
	if err == nil && c.Response().StatusCode() == fiber.StatusUnprocessableEntity {
		s.limits.join.Fail(key)
	}
	return err
}
