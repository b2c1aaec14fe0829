package live

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/quiz"
	"github.com/cairn-lms/cairn/app/ratelimit"
	"github.com/cairn-lms/cairn/app/store"
)

// Member is who is connected: a cohort member in a session, with their role.
type Member struct {
	UserID  int64
	Name    string
	Trainer bool
	Lang    string
	Session *model.LiveSession
	Cohort  *model.Cohort
}

// Service applies live-session actions and fans out their effects.
type Service struct {
	Store    *store.Store
	Hub      *Hub
	Catalog  func() *course.Catalog
	MinGroup int // anonymous poll results appear only from this many votes
	Log      *slog.Logger

	// Events and VoteBatches, when set, count dispatched events and observe how many votes
	// each database write recorded (metrics).
	Events      prometheus.Counter
	VoteBatches prometheus.Observer

	// Rand, when set, gives the source that shuffles a live quiz question's options (tests);
	// by default each poll draws from a generator seeded by the operating system.
	Rand func() *rand.Rand

	// WatchEvery is how often rooms are compared with the database for missed events
	// (PostgreSQL); 0 means every 3 seconds.
	WatchEvery time.Duration
	// Now is the clock of the per-person rate limits; nil means the wall clock.
	Now func() time.Time

	limitsOnce sync.Once
	limits     map[string]*ratelimit.Buckets // per action type, keyed by session and person

	readyInit, readyOnce sync.Once
	readyCh              chan struct{} // see Ready

	conns sync.WaitGroup // connections being served, so shutdown can wait for them
	polls sync.Map       // [session, poll] → *pollMeta
	votes voteBatcher    // votes of polls that are not anonymous
	anon  sync.Map       // [session, poll] → *anonPoll: anonymous votes not yet written

	presenceMu sync.Mutex
	dirty      map[tallyKey]bool // sessions whose presence, and polls whose tally, changed
}

// tallyKey names what needs resending to trainers: a session's presence (poll 0) or a
// poll's tally.
type tallyKey struct{ session, poll int64 }

// Serve runs one websocket connection until it ends: attendance, snapshot, then messages.
func (s *Service) Serve(ctx context.Context, conn *websocket.Conn, m Member) {
	s.conns.Add(1)
	defer s.conns.Done()
	c := newClient(conn, m)
	go c.writeLoop()
	stop := context.AfterFunc(ctx, func() { c.Close(websocket.CloseGoingAway) })
	defer stop()
	s.Hub.add(c)
	var attendance int64
	var err error
	onOwnStack(func() { attendance, err = s.Store.JoinAttendance(ctx, m.Session.ID, m.UserID) })
	if err != nil {
		s.Log.Warn("live: record attendance", "err", err)
	}
	s.markPresence(m.Session.ID)
	defer func() {
		s.Hub.remove(c)
		c.Close(CloseNormal)
		if attendance != 0 {
			if err := s.Store.LeaveAttendance(context.WithoutCancel(ctx), attendance); err != nil {
				s.Log.Warn("live: close attendance", "err", err)
			}
		}
		s.markPresence(m.Session.ID)
	}()
	var snap []byte
	onOwnStack(func() { snap, err = s.Snapshot(ctx, m) })
	if err != nil {
		if ctx.Err() != nil { // shutting down, not failing: the client reconnects elsewhere
			c.Close(websocket.CloseGoingAway)
			return
		}
		s.Log.Error("live: snapshot", "err", err)
		c.Close(websocket.CloseInternalServerErr)
		return
	}
	c.enqueue(snap)
	c.readLoop(ctx, func(ctx context.Context, in Inbound) error {
		if in.Type == MsgResync {
			snap, err := s.Snapshot(ctx, m)
			if err == nil && !c.enqueue(snap) {
				c.Close(CloseSlow)
			}
			return err
		}
		return s.Handle(ctx, m, in)
	}, func(msg []byte) {
		if !c.enqueue(msg) {
			c.Close(CloseSlow)
		}
	})
}

// onOwnStack runs fn on a goroutine of its own and waits for it. Database queries (bun, and
// above all the SQLite driver) need deep stacks, and a goroutine keeps a grown stack long
// after: run on a connection's reader, which lives as long as the session, they left
// thousands of readers with stacks several times what reading needs.
func onOwnStack(fn func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	<-done
}

// Wait blocks until every connection has finished (their attendance recorded), or ctx ends.
func (s *Service) Wait(ctx context.Context) {
	done := make(chan struct{})
	go func() { s.conns.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// Handle applies one action of a member. Refusals are ClientErrors.
func (s *Service) Handle(ctx context.Context, m Member, in Inbound) error {
	if trainerOnly[in.Type] && !m.Trainer {
		return refuse("forbidden")
	}
	if !s.allow(m, in.Type) {
		return refuse("rate_limited")
	}
	crs := s.Catalog().Course(m.Cohort.CourseID)
	if crs == nil {
		return refuse("course_unavailable")
	}
	switch in.Type {
	case MsgStep:
		return s.step(ctx, m, crs, in)
	case MsgPollOpen:
		return s.openPoll(ctx, m, crs, in)
	case MsgPollClose, MsgPollReveal:
		return s.closePoll(ctx, m, crs, in)
	case MsgVote:
		return s.vote(ctx, m, crs, in)
	case MsgAsk:
		return s.ask(ctx, m, in)
	case MsgUpvote, MsgAnswered, MsgHide:
		return s.question(ctx, m, in)
	case MsgHand:
		return s.hand(ctx, m, in)
	case MsgEnd:
		return s.end(ctx, m)
	}
	return refuse("bad_message")
}

// change runs a numbered change and publishes its event to everyone.
func (s *Service) change(ctx context.Context, sessionID int64, fn func(ctx context.Context, tx bun.Tx, seq int64) (map[string]any, error)) error {
	_, payload, notified, err := s.Store.LiveChange(ctx, sessionID, true, func(ctx context.Context, tx bun.Tx, seq int64) ([]byte, error) {
		msg, err := fn(ctx, tx, seq)
		if err != nil || msg == nil {
			return nil, err
		}
		msg["seq"] = seq
		msg["sent_at"] = time.Now().UnixMilli()
		return mustJSON(Event{Session: sessionID, Audience: ToAll, Seq: seq, Data: mustJSON(msg)}), nil
	})
	if errors.Is(err, store.ErrSessionClosed) {
		return refuse("session_ended")
	}
	if err != nil || payload == nil {
		return err
	}
	if !notified {
		s.dispatchRaw(payload)
	}
	return nil
}

// toTrainers sends an unnumbered update to the session's trainers on every instance.
func (s *Service) toTrainers(ctx context.Context, sessionID int64, msg map[string]any) error {
	payload := eventBytes(sessionID, ToTrainers, msg)
	channel, err := s.Store.LiveChannel(ctx)
	if err != nil {
		return err
	}
	notified, err := database.Notify(ctx, s.Store.DB(), channel, payload)
	if err != nil {
		return err
	}
	if !notified {
		s.dispatchRaw(payload)
	}
	return nil
}

func eventBytes(sessionID int64, audience string, msg map[string]any) []byte {
	return mustJSON(Event{Session: sessionID, Audience: audience, Data: mustJSON(msg)})
}

func (s *Service) dispatchRaw(payload []byte) {
	var ev Event
	if err := json.Unmarshal(payload, &ev); err != nil {
		s.Log.Error("live: bad event payload", "err", err)
		return
	}
	if s.Events != nil {
		s.Events.Inc()
	}
	s.Hub.Dispatch(ev)
	if ev.Audience == ToAll && s.holdsVotesOf(ev.Session) && mayClosePolls(ev.Data) {
		// Not on the listener's goroutine: it must keep relaying events meanwhile.
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			s.settleClosedPolls(ctx, ev.Session)
		}()
	}
}

// Listen relays events published by every instance (PostgreSQL) to this instance's clients,
// and sends trainers presence counts. It returns when ctx ends.
func (s *Service) Listen(ctx context.Context, db *bun.DB) {
	go s.presenceLoop(ctx)
	if database.IsPostgres(db) {
		go s.watchLoop(ctx)
	}
	var channel string
	for {
		var err error
		if channel, err = s.Store.LiveChannel(ctx); err == nil {
			break
		}
		s.Log.Warn("live: channel name", "err", err)
		select { // the database is not reachable yet; Ready stays open meanwhile
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
	database.Listen(ctx, db, channel, func(payload string) { s.dispatchRaw([]byte(payload)) },
		func() { s.readyOnce.Do(func() { close(s.ready()) }) },
		func(err error) { s.Log.Warn("live: listener", "err", err) })
}

// Ready is closed once this instance receives the events of every instance (on PostgreSQL,
// once its LISTEN is in place). Before that a participant connected here could miss a step.
func (s *Service) Ready() <-chan struct{} { return s.ready() }

func (s *Service) ready() chan struct{} {
	s.readyInit.Do(func() { s.readyCh = make(chan struct{}) })
	return s.readyCh
}

func (s *Service) step(ctx context.Context, m Member, crs *course.Course, in Inbound) error {
	l := crs.Lesson(in.Lesson)
	in.Section = freetext.Clean(in.Section)
	if l == nil || utf8.RuneCountInString(in.Section) > 200 {
		return refuse("unknown_lesson")
	}
	return s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (map[string]any, error) {
		if err := store.SetStep(ctx, tx, m.Session.ID, l.ID, in.Section); err != nil {
			return nil, err
		}
		return map[string]any{"type": "step", "step": stepView(crs, l.ID, in.Section, m.Cohort.Lang)}, nil
	})
}

func stepView(crs *course.Course, lessonID, section, lang string) map[string]any {
	l := crs.Lesson(lessonID)
	if l == nil {
		return nil
	}
	v, _ := l.Version(lang)
	href := "/courses/" + crs.ID + "/lessons/" + l.ID
	if section != "" {
		href += "#" + section
	}
	return map[string]any{"lesson": l.ID, "section": section, "title": v.Title, "href": href}
}

// Askable tells whether a course quiz question can be asked live: every type can. Choice
// questions are counted per option; short answers and orderings are graded on the server
// and counted as right or wrong.
func Askable(q *quiz.Question) bool {
	switch q.Type {
	case quiz.Single, quiz.Multiple, quiz.TrueFalse, quiz.Short, quiz.Ordering:
		return true
	}
	return false
}

type optionText struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

func (s *Service) openPoll(ctx context.Context, m Member, crs *course.Course, in Inbound) error {
	p := &model.LivePoll{SessionID: m.Session.ID, Anonymous: in.Anonymous, MinGroup: s.MinGroup}
	var opts []optionText
	if in.QuizModule != "" {
		mod := crs.Module(in.QuizModule)
		if mod == nil || mod.Quiz == nil {
			return refuse("unknown_question")
		}
		q := mod.Quiz.Question(in.QuizQuestion)
		if q == nil {
			return refuse("unknown_question")
		}
		if !Askable(q) {
			return refuse("unsupported_question")
		}
		t := q.Text(m.Cohort.Lang, crs.DefaultLanguage)
		def := q.Text(crs.DefaultLanguage, crs.DefaultLanguage)
		text := func(id string) string {
			if v := t.Options[id]; v != "" {
				return v
			}
			return def.Options[id]
		}
		p.Kind, p.QuizModule, p.QuestionID, p.Prompt = model.PollKindQuiz, mod.ID, q.ID, t.Stem
		p.Multiple = q.Type == quiz.Multiple
		switch q.Type {
		case quiz.TrueFalse:
			opts = []optionText{{"true", "✓"}, {"false", "✗"}}
		case quiz.Short:
			p.AnswerForm = model.AnswerShort
		default: // single, multiple, ordering
			if q.Type == quiz.Ordering {
				p.AnswerForm = model.AnswerOrdering
			}
			var keys []string
			opts, keys = shuffledOptions(q, text, s.rand())
			p.OptionKeys = string(mustJSON(keys))
		}
	} else {
		p.Kind, p.Prompt, p.Multiple = model.PollKindPoll, freetext.Clean(in.Prompt), in.Multiple
		if p.Prompt == "" || utf8.RuneCountInString(p.Prompt) > 300 || len(in.Options) < 2 || len(in.Options) > 10 {
			return refuse("bad_poll")
		}
		for i, o := range in.Options {
			o = freetext.Clean(o)
			if o == "" || utf8.RuneCountInString(o) > 120 {
				return refuse("bad_poll")
			}
			opts = append(opts, optionText{ID: string(rune('a' + i)), Text: o})
		}
	}
	p.Options = string(mustJSON(opts))
	return s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (map[string]any, error) {
		if err := s.Store.OpenPoll(ctx, tx, p); err != nil {
			return nil, err
		}
		return map[string]any{"type": "poll_opened", "poll": pollView(p, nil, 0, nil)}, nil
	})
}

// pollView is what participants see of a poll: never the right answer before it is revealed,
// and never the counts of an anonymous poll that fewer than MinGroup people answered.
func pollView(p *model.LivePoll, counts map[string]int, voters int, reveal map[string]any) map[string]any {
	var opts []optionText
	_ = json.Unmarshal([]byte(p.Options), &opts)
	if opts == nil {
		opts = []optionText{}
	}
	v := map[string]any{"id": p.ID, "kind": p.Kind, "prompt": p.Prompt, "options": opts, "anonymous": p.Anonymous, "multiple": p.Multiple, "status": p.Status, "min_group": p.MinGroup}
	if p.AnswerForm != model.AnswerChoice {
		v["form"] = p.AnswerForm
	}
	if p.Status == model.PollRevealed {
		v["voters"] = voters
		v["counts"] = counts
		if p.Uncounted > 0 {
			v["uncounted"] = p.Uncounted
		}
		for k, x := range reveal {
			v[k] = x
		}
	}
	return v
}

func (s *Service) closePoll(ctx context.Context, m Member, crs *course.Course, in Inbound) error {
	status := model.PollClosed
	if in.Type == MsgPollReveal {
		status = model.PollRevealed
	}
	// The anonymous votes this instance holds are written with the close, so its results
	// count them; other instances write theirs when they hear of it (settleClosedPolls).
	held, done := s.takeForClose(m.Session.ID, in.PollID)
	err := s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (map[string]any, error) {
		if len(held) > 0 {
			if _, err := s.Store.RecordAnonymousVotes(ctx, tx, m.Session.ID, in.PollID, held); err != nil {
				return nil, err
			}
		}
		counts, voters, err := s.Store.PollCounts(ctx, tx, in.PollID)
		if err != nil {
			return nil, err
		}
		p, err := s.Store.SetPollStatus(ctx, tx, m.Session.ID, in.PollID, status)
		if errors.Is(err, store.ErrNotFound) {
			return nil, refuse("unknown_poll")
		}
		if err != nil {
			return nil, err
		}
		if status == model.PollRevealed && p.Anonymous && voters < p.MinGroup {
			return nil, refuse("too_few_votes")
		}
		var reveal map[string]any
		if status == model.PollRevealed && p.Kind == model.PollKindQuiz {
			reveal = quizReveal(crs, p, m.Cohort.Lang)
		}
		typ := "poll_closed"
		if status == model.PollRevealed {
			typ = "poll_revealed"
		}
		return map[string]any{"type": typ, "poll": pollView(p, counts, voters, reveal)}, nil
	})
	done(err == nil)
	if err == nil && len(held) > 0 {
		s.mark(tallyKey{session: m.Session.ID, poll: in.PollID})
	}
	return err
}

func quizReveal(crs *course.Course, p *model.LivePoll, lang string) map[string]any {
	mod := crs.Module(p.QuizModule)
	if mod == nil || mod.Quiz == nil {
		return nil
	}
	q := mod.Quiz.Question(p.QuestionID)
	if q == nil {
		return nil
	}
	t := q.Text(lang, crs.DefaultLanguage)
	out := map[string]any{"explanation": t.Explanation}
	switch q.Type {
	case quiz.Short:
		out["correct"] = []string{model.GradedRight}
		out["solution"] = t.Accept
	case quiz.Ordering:
		def := q.Text(crs.DefaultLanguage, crs.DefaultLanguage)
		solution := []string{}
		for _, o := range q.Options {
			v := t.Options[o.ID]
			if v == "" {
				v = def.Options[o.ID]
			}
			solution = append(solution, v)
		}
		out["correct"], out["solution"] = []string{model.GradedRight}, solution
	case quiz.TrueFalse:
		out["correct"] = []string{map[bool]string{true: "true", false: "false"}[q.Answer]}
	default:
		// The poll's own names of the right options, in the poll's order.
		var opts []optionText
		_ = json.Unmarshal([]byte(p.Options), &opts)
		keys := optionKeys(p)
		correct := []string{}
		for _, o := range opts {
			for _, qo := range q.Options {
				if qo.ID == keys[o.ID] && qo.Correct {
					correct = append(correct, o.ID)
				}
			}
		}
		out["correct"] = correct
	}
	return out
}

func (s *Service) vote(ctx context.Context, m Member, crs *course.Course, in Inbound) error {
	info, err := s.pollInfo(ctx, m, crs, in.PollID)
	if errors.Is(err, store.ErrNotFound) {
		return refuse("unknown_poll")
	}
	if err != nil {
		return err
	}
	answer, ok := info.answer(in)
	if !ok {
		return refuse("bad_choice")
	}
	v := store.Vote{SessionID: m.Session.ID, PollID: in.PollID, UserID: m.UserID, Choice: answer}
	if info.anonymous {
		err = s.castAnonymous(ctx, v, info.minGroup)
	} else {
		err = s.votes.Cast(ctx, s.Store, s.VoteBatches, v)
	}
	switch {
	case errors.Is(err, store.ErrAlreadyVoted):
		return refuse("already_voted")
	case errors.Is(err, store.ErrPollNotOpen):
		return refuse("poll_closed")
	case errors.Is(err, store.ErrNotFound):
		return refuse("unknown_poll")
	case err != nil:
		return err
	}
	s.mark(tallyKey{session: m.Session.ID, poll: in.PollID})
	return nil
}

// VoteForm is a vote from the page without JavaScript.
type VoteForm struct {
	Choices []string // the ticked radio button or checkboxes, all named "choice"
	Text    string   // a short answer
	// An ordering: each option id with the place chosen for it (1 is first), in pairs of
	// fields in the same order.
	Items, Places []string
}

// CastVoteForm is the no-JavaScript vote: the same rules as a websocket vote.
func (s *Service) CastVoteForm(ctx context.Context, m Member, pollID int64, f VoteForm) error {
	if !s.allow(m, MsgVote) {
		return refuse("rate_limited")
	}
	crs := s.Catalog().Course(m.Cohort.CourseID)
	if crs == nil {
		return refuse("course_unavailable")
	}
	in := Inbound{Type: MsgVote, PollID: pollID, Choices: f.Choices, Text: f.Text}
	info, err := s.pollInfo(ctx, m, crs, pollID)
	if err == nil && info.form == model.AnswerChoice && !info.multiple && len(f.Choices) == 1 {
		in.Choice, in.Choices = f.Choices[0], nil
	}
	if err == nil && info.form == model.AnswerOrdering {
		order, ok := orderFromPlaces(f.Items, f.Places)
		if !ok {
			return refuse("bad_order")
		}
		in.Order = order
	}
	return s.vote(ctx, m, crs, in)
}

// orderFromPlaces turns "item i goes to place p" pairs into the items in order. Every place
// from 1 to the number of items must be given exactly once.
func orderFromPlaces(items, places []string) ([]string, bool) {
	if len(items) == 0 || len(items) != len(places) {
		return nil, false
	}
	order := make([]string, len(items))
	for i, item := range items {
		p, err := strconv.Atoi(places[i])
		if err != nil || p < 1 || p > len(items) || order[p-1] != "" {
			return nil, false
		}
		order[p-1] = item
	}
	return order, true
}

// pollMeta is what a vote needs to know about its poll. A poll's options never change, so
// they are cached; whether it is open (and anonymous) is checked by the database with the
// vote. When a poll opens, every participant votes within the same second: the first
// vote on this instance loads the options and the others wait for it, instead of each
// asking the database.
type pollMeta struct {
	once     sync.Once
	order    []string          // option ids in the poll's order
	keys     map[string]string // graded forms: the poll's option ids → the author's
	multiple bool
	// An anonymous poll's votes wait to be written in batches of at least minGroup voters.
	anonymous bool
	minGroup  int
	form      string         // model.AnswerChoice, AnswerShort or AnswerOrdering
	question  *quiz.Question // graded forms: the question, in the course as loaded when asked
	lang      string         // graded forms: the cohort's language, then the course's
	fallback  string
	err       error
}

// answer checks a vote against the poll and returns it as stored: one option id; for a
// multiple-answer poll the distinct ticked ids in the poll's order, joined by commas; for a
// short answer or an ordering, whether it was right (the answer itself is not kept).
func (m *pollMeta) answer(in Inbound) (string, bool) {
	if m.form != model.AnswerChoice {
		return m.grade(in)
	}
	if in.Text != "" || in.Order != nil {
		return "", false
	}
	return m.choose(in.Choice, in.Choices)
}

func (m *pollMeta) grade(in Inbound) (string, bool) {
	if m.question == nil || in.Choice != "" || in.Choices != nil {
		return "", false
	}
	var given []string
	switch m.form {
	case model.AnswerShort:
		if in.Order != nil {
			return "", false
		}
		given = []string{in.Text}
	case model.AnswerOrdering:
		if in.Text != "" {
			return "", false
		}
		for _, id := range in.Order {
			key, ok := m.keys[id]
			if !ok {
				return "", false
			}
			given = append(given, key)
		}
	}
	right, err := quiz.GradeOne(m.question, m.lang, m.fallback, given)
	if err != nil {
		return "", false
	}
	if right {
		return model.GradedRight, true
	}
	return model.GradedWrong, true
}

func (m *pollMeta) choose(choice string, choices []string) (string, bool) {
	if !m.multiple {
		return choice, choices == nil && slices.Contains(m.order, choice)
	}
	if choice != "" {
		choices = append(choices, choice)
	}
	if len(choices) == 0 || len(choices) > len(m.order) {
		return "", false
	}
	var picked []string
	for _, id := range m.order {
		n := 0
		for _, c := range choices {
			if c == id {
				n++
			}
		}
		if n > 1 {
			return "", false // the same answer twice is a forged message, not a click
		}
		if n == 1 {
			picked = append(picked, id)
		}
	}
	if len(picked) != len(choices) {
		return "", false
	}
	return strings.Join(picked, ","), true
}

func (s *Service) pollInfo(ctx context.Context, member Member, crs *course.Course, pollID int64) (*pollMeta, error) {
	sessionID := member.Session.ID
	key := [2]int64{sessionID, pollID}
	v, _ := s.polls.LoadOrStore(key, new(pollMeta))
	meta := v.(*pollMeta)
	meta.once.Do(func() {
		// Others wait for this load: it must not fail because this voter leaves.
		p, err := s.Store.Poll(context.WithoutCancel(ctx), sessionID, pollID)
		if err == nil {
			var opts []optionText
			err = json.Unmarshal([]byte(p.Options), &opts)
			meta.multiple, meta.form = p.Multiple, p.AnswerForm
			meta.anonymous, meta.minGroup = p.Anonymous, p.MinGroup
			for _, o := range opts {
				meta.order = append(meta.order, o.ID)
			}
			if p.AnswerForm != model.AnswerChoice {
				meta.keys = optionKeys(p)
				meta.lang, meta.fallback = member.Cohort.Lang, crs.DefaultLanguage
				if mod := crs.Module(p.QuizModule); mod != nil && mod.Quiz != nil {
					meta.question = mod.Quiz.Question(p.QuestionID) // nil: gone in a reload, every answer refused
				}
			}
		}
		if err != nil {
			meta.err = err
			s.polls.CompareAndDelete(key, meta) // not cached: the next vote asks again
		}
	})
	return meta, meta.err
}

// sendTally tells trainers how a poll stands. For an anonymous poll they see only how many
// have voted until the poll is revealed, so nobody can tell who voted what by watching
// counts change.
func (s *Service) sendTally(ctx context.Context, sessionID, pollID int64) error {
	counts, voters, err := s.Store.PollCounts(ctx, nil, pollID)
	if err != nil {
		return err
	}
	p, err := s.Store.Poll(ctx, sessionID, pollID)
	if err != nil {
		return err
	}
	msg := map[string]any{"type": "tally", "poll_id": pollID, "voters": voters}
	if !p.Anonymous {
		msg["counts"] = counts
	} else if p.Status == model.PollOpen {
		// Votes held here count too, or a small class would see no answers until the close.
		// Other instances' held votes show once written.
		msg["voters"] = voters + s.heldCount(sessionID, pollID)
	}
	return s.toTrainers(ctx, sessionID, msg)
}

func (s *Service) ask(ctx context.Context, m Member, in Inbound) error {
	body := freetext.Clean(in.Body)
	if body == "" || utf8.RuneCountInString(body) > 500 {
		return refuse("bad_question")
	}
	return s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (map[string]any, error) {
		q := &model.LiveQuestion{SessionID: m.Session.ID, Body: body}
		if !in.Anonymous {
			uid := m.UserID
			q.UserID = &uid
		}
		if err := s.Store.AddQuestion(ctx, tx, q); err != nil {
			return nil, err
		}
		author := ""
		if !in.Anonymous {
			author = m.Name
		}
		return map[string]any{"type": "question", "question": questionView(q, author)}, nil
	})
}

func questionView(q *model.LiveQuestion, author string) map[string]any {
	return map[string]any{"id": q.ID, "body": q.Body, "author": author, "upvotes": q.Upvotes, "answered": q.Answered, "hidden": q.Hidden}
}

func authorOf(q *model.LiveQuestion) string {
	if q.UserID == nil || q.User == nil {
		return ""
	}
	return q.User.Name()
}

func (s *Service) question(ctx context.Context, m Member, in Inbound) error {
	return s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (map[string]any, error) {
		var q *model.LiveQuestion
		var err error
		switch in.Type {
		case MsgUpvote:
			var added bool
			q, added, err = s.Store.UpvoteQuestion(ctx, tx, m.Session.ID, in.Question, m.UserID)
			if err == nil && !added {
				return nil, refuse("already_upvoted")
			}
		case MsgAnswered:
			yes := true
			q, err = s.Store.MarkQuestion(ctx, tx, m.Session.ID, in.Question, &yes, nil)
		case MsgHide:
			yes := true
			q, err = s.Store.MarkQuestion(ctx, tx, m.Session.ID, in.Question, nil, &yes)
		}
		if errors.Is(err, store.ErrNotFound) {
			return nil, refuse("unknown_question")
		}
		if err != nil {
			return nil, err
		}
		author := ""
		if q.UserID != nil && q.User != nil {
			author = q.User.Name()
		}
		return map[string]any{"type": "question", "question": questionView(q, author)}, nil
	})
}

func (s *Service) hand(ctx context.Context, m Member, in Inbound) error {
	_, _, _, err := s.Store.LiveChange(ctx, m.Session.ID, false, func(ctx context.Context, tx bun.Tx, _ int64) ([]byte, error) {
		return nil, s.Store.SetHand(ctx, tx, m.Session.ID, m.UserID, in.Raised)
	})
	if errors.Is(err, store.ErrSessionClosed) {
		return refuse("session_ended")
	}
	if err != nil {
		return err
	}
	return s.sendHands(ctx, m.Session.ID)
}

func (s *Service) sendHands(ctx context.Context, sessionID int64) error {
	hands, err := s.Store.Hands(ctx, sessionID)
	if err != nil {
		return err
	}
	names := []string{}
	for _, h := range hands {
		if h.User != nil {
			names = append(names, h.User.Name())
		}
	}
	return s.toTrainers(ctx, sessionID, map[string]any{"type": "hands", "names": names})
}

func (s *Service) end(ctx context.Context, m Member) error {
	return s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (map[string]any, error) {
		if err := s.Store.EndSession(ctx, tx, m.Session.ID); err != nil {
			return nil, err
		}
		return map[string]any{"type": "ended", "summary": "/live/" + itoa(m.Session.ID) + "/summary"}, nil
	})
}

// markPresence notes that a session's attendance changed; trainers get the new count within
// a second, however many people join at once.
func (s *Service) markPresence(sessionID int64) { s.mark(tallyKey{session: sessionID}) }

func (s *Service) mark(k tallyKey) {
	s.presenceMu.Lock()
	if s.dirty == nil {
		s.dirty = map[tallyKey]bool{}
	}
	s.dirty[k] = true
	s.presenceMu.Unlock()
}

func (s *Service) presenceLoop(ctx context.Context) {
	// Four times a second: fresh enough for a live bar chart, and a thousand votes in that
	// time cost trainers one message, not a thousand.
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.presenceMu.Lock()
		dirty := s.dirty
		s.dirty = nil
		s.presenceMu.Unlock()
		for k := range dirty {
			var err error
			if k.poll != 0 {
				err = s.sendTally(ctx, k.session, k.poll)
			} else {
				var n int
				n, err = s.Store.PresentCount(ctx, k.session)
				if err == nil {
					err = s.toTrainers(ctx, k.session, map[string]any{"type": "presence", "participants": n})
				}
			}
			if err != nil && ctx.Err() == nil {
				s.Log.Warn("live: presence", "err", err)
			}
		}
	}
}
