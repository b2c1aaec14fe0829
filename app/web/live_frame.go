package web

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
	"github.com/cairn-lms/cairn/app/model"
)

// liveFramePause is how often the live part refreshes while it shows a poll waiting for
// the participant's answer: a refresh would undo what they ticked or typed.
const liveFramePause = 60 * time.Second

// liveFrameCSP is the site's policy, except that this document may be framed by the
// site's own pages (and only by them).
var liveFrameCSP = strings.Replace(contentSecurityPolicy, "frame-ancestors 'none'", "frame-ancestors 'self'", 1)

type liveFrameData struct {
	PagePath    string // the live page, around the frame
	Shown       string // the lesson the page around shows
	Step        *live.StepView
	Moved       bool // the session is on another lesson than the page shows
	ContentLang string
	Poll        *plainPoll
	Questions   []live.QuestionView
	Hand        bool
	Ended       bool
	// Notice confirms the form just sent, shown at its place in the live part (NoticeAt: the
	// poll, the hand or the questions; live_forms.go).
	Notice, NoticeAt string

	Refresh    int    // seconds until the next refresh
	RefreshURL string // where it leads ("" for none)
	Paused     bool   // slower, while an open poll waits for an answer
	Skipped    bool   // the participant chose to answer the open poll later
	SkipURL    string // answer later
	AnswerURL  string // answer now
	liveForm
	// State is the whole live state, for the scale and open-text poll partials (livePoll).
	State *live.SnapshotMsg
}

// liveFrameView is what a request asks of the live part: which lesson the page around it
// shows, a poll to answer later, and whether the request is a heartbeat (see liveFrameURL).
type liveFrameView struct {
	shown string
	skip  int64
	beat  bool
}

// showLiveFrame is the live page's live part for participants without JavaScript: the
// open poll (first, so a phone shows it without scrolling) with its form, results once
// revealed with whether they were right, where the session is, the raised hand and the
// questions with their upvote forms. It refreshes itself every live.VisitEvery; each
// refresh is a heartbeat that counts the participant as present (live.Service.Visit). An
// unchanged state answers a conditional request with 304 Not Modified: a few hundred bytes
// instead of the document.
func (s *Server) showLiveFrame(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	v := liveFrameView{shown: lessonParam(c.Query("shown")), skip: int64(max(c.QueryInt("skip"), 0)), beat: c.Query("b") != ""}
	return s.renderLiveFrame(c, m, fiber.StatusOK, v, liveForm{})
}

// lessonParam copies a lesson id from the request (fiber's strings are borrowed), or ""
// for anything too long to be one.
func lessonParam(s string) string {
	if len(s) > 100 {
		return ""
	}
	return strings.Clone(s)
}

func (s *Server) renderLiveFrame(c *fiber.Ctx, m live.Member, status int, v liveFrameView, form liveForm) error {
	ctx := c.UserContext()
	st, err := s.live.State(ctx, m)
	if err != nil {
		return err
	}
	crs := s.catalog().Course(m.Cohort.CourseID)
	d := liveFrameData{
		PagePath: livePath(m), Shown: v.shown, Step: st.Step, ContentLang: contentLang(crs, m),
		Questions: st.Questions, Ended: st.Session.Ended, liveForm: form, State: st,
	}
	d.Moved = d.Step != nil && d.Step.Lesson != v.shown
	if st.Poll != nil {
		d.Poll = toPlainPoll(st.Poll)
	}
	waiting := d.Poll != nil && d.Poll.Status == model.PollOpen && !d.Poll.Voted && !m.Trainer
	if waiting && v.skip == d.Poll.ID {
		d.Skipped = true
	}
	d.Paused = waiting && !d.Skipped
	refresh := live.VisitEvery
	if d.Paused {
		refresh = liveFramePause
	}
	// A confirmation is shown where its form was, if that is still there (the poll may have
	// closed since the answer; the hand's form goes when the session ends).
	d.Notice, d.NoticeAt = liveNotice(c, func(at string) bool {
		switch at {
		case liveAtPoll:
			return d.Poll != nil && d.Poll.Voted && d.Poll.Status == model.PollOpen
		case liveAtHand:
			return !d.Ended
		}
		return at == liveAtQuestions
	})
	if !d.Ended {
		if d.Hand, err = s.store.HandRaised(ctx, m.Session.ID, m.UserID); err != nil {
			return err
		}
		skip := int64(0)
		if d.Skipped {
			skip = d.Poll.ID
		}
		d.Refresh = int(refresh / time.Second)
		d.RefreshURL = liveFrameURL(m, v.shown, skip, true)
		if d.Poll != nil {
			d.SkipURL = liveFrameURL(m, v.shown, d.Poll.ID, true)
			d.AnswerURL = liveFrameURL(m, v.shown, 0, true)
		}
		if v.beat {
			// Present until two refreshes after the next one are missed.
			if err := s.live.Visit(ctx, m, refresh+2*live.VisitEvery); err != nil {
				s.log.Warn("live: record a visit", "err", err)
			}
		}
	}
	body, err := s.execute(c, "frame", "live_frame", m.Session.Title, d)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentSecurityPolicy, liveFrameCSP)
	c.Set(fiber.HeaderXFrameOptions, "SAMEORIGIN")
	// Kept by the browser, and asked about again at each refresh: an unchanged document
	// costs a 304 and its headers.
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	c.Set(fiber.HeaderETag, etag)
	// The encoding is chosen per request, as the compression middleware does for the 200.
	c.Vary(fiber.HeaderAcceptEncoding)
	if status == fiber.StatusOK && etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		// The browser keeps the stored response's other headers (RFC 9111, 4.3.4): the
		// policies need not travel again, every ten seconds, for the same document.
		for _, h := range notModifiedDrops {
			c.Response().Header.Del(h)
		}
		c.Status(fiber.StatusNotModified)
		return nil
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(body)
}

// notModifiedDrops are the headers a 304 of the live part leaves out: those of the stored
// response, which stay in force. Cache-Control, ETag, Vary and Date are sent, as RFC 9110
// asks.
var notModifiedDrops = []string{
	fiber.HeaderContentSecurityPolicy, fiber.HeaderXFrameOptions, fiber.HeaderReferrerPolicy,
	fiber.HeaderXContentTypeOptions, "Cross-Origin-Opener-Policy", fiber.HeaderCrossOriginResourcePolicy,
	fiber.HeaderPermissionsPolicy, fiber.HeaderContentLanguage, fiber.HeaderXRequestID,
}

// etagMatches tells whether an If-None-Match header names etag (weakly, as RFC 9110 asks).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
