package live

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/quiz"
	"github.com/cairn-lms/cairn/app/store"
)

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

func (s *Service) openPoll(ctx context.Context, m Member, crs *course.Course, in Inbound) error {
	p := &model.LivePoll{SessionID: m.Session.ID, Anonymous: in.Anonymous, MinGroup: s.MinGroup}
	var opts []OptionView
	// A quiz question with a typed prompt or answers is two polls in one message: which
	// one was meant cannot be told, so neither is launched.
	if in.QuizModule != "" && (strings.TrimSpace(in.Prompt) != "" || len(in.Options) > 0) {
		return refuse("ambiguous_poll")
	}
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
			opts = []OptionView{{"true", "True"}, {"false", "False"}} // clients label them in the reader's language
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
	} else if in.Kind != "" {
		var err error
		if opts, err = kindPoll(p, in); err != nil {
			return err
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
			opts = append(opts, OptionView{ID: string(rune('a' + i)), Text: o})
		}
	}
	p.Options = string(mustJSON(opts))
	err := s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (numbered, error) {
		if err := s.Store.OpenPoll(ctx, tx, p); err != nil {
			return nil, err
		}
		return &PollOpenedMsg{Type: TypePollOpened, Poll: pollView(p, nil, 0, nil, nil)}, nil
	})
	if err == nil {
		s.polls.forgetSession(m.Session.ID) // the previous poll closed with this one's opening
	}
	return err
}

// pollView is what participants see of a poll: never the right answer before it is revealed,
// and never the counts of an anonymous poll that fewer than MinGroup people answered. detail
// is a revealed scale's or open-text poll's (kindDetail; its answer list is never shown).
func pollView(p *model.LivePoll, counts map[string]int, voters int, reveal *QuizReveal, detail *TallyDetail) PollView {
	var opts []OptionView
	_ = json.Unmarshal([]byte(p.Options), &opts)
	if opts == nil {
		opts = []OptionView{}
	}
	v := PollView{ID: p.ID, Kind: p.Kind, Prompt: p.Prompt, Options: opts, Anonymous: p.Anonymous, Multiple: p.Multiple, Status: p.Status, MinGroup: p.MinGroup,
		LowLabel: p.LowLabel, HighLabel: p.HighLabel}
	if !p.CreatedAt.IsZero() {
		v.OpenedAt = p.CreatedAt.UnixMilli()
	}
	if p.ClosedAt != nil {
		v.ClosedAt = p.ClosedAt.UnixMilli()
	}
	if p.AnswerForm != model.AnswerChoice {
		v.Form = p.AnswerForm
	}
	if p.AnswerForm == model.AnswerText {
		v.MaxLength = MaxTextAnswer
	}
	if p.Status == model.PollRevealed {
		v.Results = &Results{Voters: voters, Counts: counts, Uncounted: p.Uncounted, QuizReveal: reveal}
		if detail != nil {
			v.ScaleStats, v.Cloud = detail.ScaleStats, detail.Cloud
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
	err := s.change(ctx, m.Session.ID, func(ctx context.Context, tx bun.Tx, _ int64) (numbered, error) {
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
		if status == model.PollRevealed {
			var reveal *QuizReveal
			if p.Kind == model.PollKindQuiz {
				reveal = quizReveal(crs, p, m.Cohort.Lang)
			}
			detail, err := s.kindDetail(ctx, tx, p, counts, m.Cohort.Lang, false)
			if err != nil {
				return nil, err
			}
			return &PollRevealedMsg{Type: TypePollRevealed, Poll: pollView(p, counts, voters, reveal, &detail)}, nil
		}
		return &PollClosedMsg{Type: TypePollClosed, Poll: pollView(p, counts, voters, nil, nil)}, nil
	})
	done(err == nil)
	if err == nil {
		s.polls.forgetSession(m.Session.ID)
	}
	if err == nil {
		// Trainers' tally may show more now: the votes held here, and an open-text poll's
		// answers (trainerSees).
		s.mark(tallyKey{session: m.Session.ID, poll: in.PollID})
	}
	return err
}

func quizReveal(crs *course.Course, p *model.LivePoll, lang string) *QuizReveal {
	mod := crs.Module(p.QuizModule)
	if mod == nil || mod.Quiz == nil {
		return nil
	}
	q := mod.Quiz.Question(p.QuestionID)
	if q == nil {
		return nil
	}
	t := q.Text(lang, crs.DefaultLanguage)
	out := &QuizReveal{Explanation: t.Explanation}
	switch q.Type {
	case quiz.Short:
		out.Correct, out.Solution = []string{model.GradedRight}, t.Accept
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
		out.Correct, out.Solution = []string{model.GradedRight}, solution
	case quiz.TrueFalse:
		out.Correct = []string{map[bool]string{true: "true", false: "false"}[q.Answer]}
	default:
		// The poll's own names of the right options, in the poll's order.
		var opts []OptionView
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
		out.Correct = correct
	}
	return out
}

func (s *Service) vote(ctx context.Context, m Member, crs *course.Course, in Inbound) error {
	rest, err := s.startVote(ctx, m, crs, in)
	if err != nil || rest == nil {
		return err
	}
	select {
	case <-rest.done:
		return rest.finish()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// startVote checks a vote and queues it for its batch; the vote's outcome comes when the
// returned unfinished is done. An anonymous vote is held in memory at once, and its outcome
// is returned with no unfinished part.
func (s *Service) startVote(ctx context.Context, m Member, crs *course.Course, in Inbound) (*unfinished, error) {
	info, err := s.pollInfo(ctx, m, crs, in.PollID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, refuse("unknown_poll")
	}
	if err != nil {
		return nil, err
	}
	answer, ok := info.answer(in)
	if !ok && info.form == model.AnswerText {
		return nil, refuse("bad_answer")
	}
	if !ok {
		return nil, refuse("bad_choice")
	}
	v := store.Vote{SessionID: m.Session.ID, PollID: in.PollID, UserID: m.UserID, Choice: answer}
	var pending *pendingWrite[store.Vote, error]
	switch {
	case info.anonymous:
		return nil, s.voted(m, in, s.castAnonymous(ctx, v, info.minGroup))
	case info.form == model.AnswerText:
		pending = s.texts.QueueWith(ctx, s.Store.CastTextAnswers, s.VoteBatches, v)
	default:
		pending = s.votes.QueueWith(ctx, s.Store.CastVotes, s.VoteBatches, v)
	}
	return &unfinished{done: pending.Done(), finish: func() error { return s.voted(m, in, voteOutcome(pending)) }}, nil
}

// voted turns a vote's outcome into what the voter is told, and has the trainers' tally
// updated if it counted.
func (s *Service) voted(m Member, in Inbound, err error) error {
	switch {
	case errors.Is(err, store.ErrAlreadyVoted):
		return refuse("already_voted")
	case errors.Is(err, store.ErrPollNotOpen):
		return refuse("poll_closed")
	case errors.Is(err, store.ErrNotFound):
		return refuse("unknown_poll")
	case errors.Is(err, store.ErrWrongForm):
		return refuse("bad_choice")
	case err != nil:
		if pe := (*PanicError)(nil); errors.As(err, &pe) {
			s.Log.Error("live: vote batch failed", "err", err, "stack", string(pe.Stack))
		}
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
	form      string         // model.AnswerChoice, AnswerShort, AnswerOrdering or AnswerText
	question  *quiz.Question // graded forms: the question, in the course as loaded when asked
	lang      string         // graded forms: the cohort's language, then the course's
	fallback  string
	err       error
}

// answer checks a vote against the poll and returns it as stored: one option id; for a
// multiple-answer poll the distinct ticked ids in the poll's order, joined by commas; for a
// short answer or an ordering, whether it was right (the answer itself is not kept); for an
// open-text poll, the answer as typed (cleaned).
func (m *pollMeta) answer(in Inbound) (string, bool) {
	if m.form == model.AnswerText {
		return textAnswer(in)
	}
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

// pollCacheSize bounds the polls an instance keeps the options of. Only a session's current
// poll takes votes, so this is room for a thousand sessions running at once; a poll pushed
// out is read again by its next vote.
const pollCacheSize = 1024

// pollCache holds the options of recent polls, least recently used forgotten first. A poll
// closed or replaced here, or whose session ended here, is forgotten at once; other
// instances forget it as it ages.
type pollCache struct {
	init sync.Once
	lru  *lru.Cache[[2]int64, *pollMeta]
}

func (c *pollCache) cache() *lru.Cache[[2]int64, *pollMeta] {
	c.init.Do(func() { c.lru, _ = lru.New[[2]int64, *pollMeta](pollCacheSize) })
	return c.lru
}

// get returns the poll's entry, made empty if it was not cached: the first voter fills it.
func (c *pollCache) get(key [2]int64) *pollMeta {
	if m, ok := c.cache().Get(key); ok {
		return m
	}
	m := new(pollMeta)
	if prev, ok, _ := c.cache().PeekOrAdd(key, m); ok {
		return prev
	}
	return m
}

// forget drops the poll's entry if it is still m. Between the check and the removal another
// entry may take its place and go too; it is read again.
func (c *pollCache) forget(key [2]int64, m *pollMeta) {
	if cur, ok := c.cache().Peek(key); ok && cur == m {
		c.cache().Remove(key)
	}
}

// forgetSession drops the entries of every poll of a session.
func (c *pollCache) forgetSession(session int64) {
	for _, k := range c.cache().Keys() {
		if k[0] == session {
			c.cache().Remove(k)
		}
	}
}

func (s *Service) pollInfo(ctx context.Context, member Member, crs *course.Course, pollID int64) (*pollMeta, error) {
	sessionID := member.Session.ID
	key := [2]int64{sessionID, pollID}
	meta := s.polls.get(key)
	meta.once.Do(func() {
		// Others wait for this load: it must not fail because this voter leaves.
		p, err := s.Store.Poll(context.WithoutCancel(ctx), sessionID, pollID)
		if err == nil {
			var opts []OptionView
			err = json.Unmarshal([]byte(p.Options), &opts)
			meta.multiple, meta.form = p.Multiple, p.AnswerForm
			meta.anonymous, meta.minGroup = p.Anonymous, p.MinGroup
			for _, o := range opts {
				meta.order = append(meta.order, o.ID)
			}
			if p.AnswerForm != model.AnswerChoice && p.AnswerForm != model.AnswerText {
				meta.keys = optionKeys(p)
				meta.lang, meta.fallback = member.Cohort.Lang, crs.DefaultLanguage
				if mod := crs.Module(p.QuizModule); mod != nil && mod.Quiz != nil {
					meta.question = mod.Quiz.Question(p.QuestionID) // nil: gone in a reload, every answer refused
				}
			}
		}
		if err != nil {
			meta.err = err
			s.polls.forget(key, meta) // not cached: the next vote asks again
		}
	})
	return meta, meta.err
}

// sendTally tells trainers how a poll stands.
func (s *Service) sendTally(ctx context.Context, sessionID, pollID int64) error {
	msg, err := s.tally(ctx, sessionID, pollID)
	if err != nil {
		return err
	}
	return s.toTrainers(ctx, sessionID, msg)
}

// tally is how a poll stands, for trainers. For an anonymous poll they see only how many
// have voted until the poll is revealed, so nobody can tell who voted what by watching
// counts change.
func (s *Service) tally(ctx context.Context, sessionID, pollID int64) (TallyMsg, error) {
	counts, voters, err := s.Store.PollCounts(ctx, nil, pollID)
	if err != nil {
		return TallyMsg{}, err
	}
	p, err := s.Store.Poll(ctx, sessionID, pollID)
	if err != nil {
		return TallyMsg{}, err
	}
	msg := TallyMsg{Type: TypeTally, PollID: pollID, Voters: voters}
	if !p.Anonymous {
		msg.Counts = counts
	} else if p.Status == model.PollOpen {
		// Votes held here count too, or a small class would see no answers until the close.
		// Other instances' held votes show once written.
		msg.Voters = voters + s.heldCount(sessionID, pollID)
	}
	if (p.Kind == model.PollKindScale || p.Kind == model.PollKindText) && trainerSees(p, voters) {
		lang := ""
		if p.Kind == model.PollKindText {
			if lang, err = s.sessionLang(ctx, sessionID); err != nil {
				return TallyMsg{}, err
			}
		}
		if msg.TallyDetail, err = s.kindDetail(ctx, nil, p, counts, lang, true); err != nil {
			return TallyMsg{}, err
		}
	}
	return msg, nil
}
