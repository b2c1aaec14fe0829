package live

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/wordcloud"
)

// Two kinds of ad-hoc poll besides choices: a scale from 1 to 5 ("how confident are you?"),
// which is a choice among five options named by their numbers, so votes, anonymity and
// counts are those of any choice poll; and open text ("one word for how you feel"), one
// short typed answer each, shown as a word cloud.

// MaxTextAnswer bounds an answer to an open-text poll, in characters: a word or a few.
const MaxTextAnswer = 40

// maxScaleLabel bounds the words at either end of a scale, in characters.
const maxScaleLabel = 80

// ScalePoints are a scale poll's options, lowest first.
var ScalePoints = []string{"1", "2", "3", "4", "5"}

// kindPoll fills in p, an ad-hoc poll of in.Kind (scale or text), and returns its options.
func kindPoll(p *model.LivePoll, in Inbound) ([]OptionView, error) {
	p.Prompt = freetext.Clean(in.Prompt)
	if p.Prompt == "" || utf8.RuneCountInString(p.Prompt) > 300 || len(in.Options) > 0 || in.Multiple || in.QuizModule != "" {
		return nil, refuse("bad_poll")
	}
	switch in.Kind {
	case model.PollKindScale:
		p.Kind, p.LowLabel, p.HighLabel = model.PollKindScale, freetext.Clean(in.LowLabel), freetext.Clean(in.HighLabel)
		if utf8.RuneCountInString(p.LowLabel) > maxScaleLabel || utf8.RuneCountInString(p.HighLabel) > maxScaleLabel {
			return nil, refuse("bad_poll")
		}
		opts := make([]OptionView, 0, len(ScalePoints))
		for _, n := range ScalePoints {
			opts = append(opts, OptionView{ID: n, Text: n})
		}
		return opts, nil
	case model.PollKindText:
		if in.LowLabel != "" || in.HighLabel != "" {
			return nil, refuse("bad_poll")
		}
		p.Kind, p.AnswerForm = model.PollKindText, model.AnswerText
		return []OptionView{}, nil
	}
	return nil, refuse("bad_poll")
}

// textAnswer checks an answer to an open-text poll and returns it as stored: cleaned of
// direction controls and surrounding spaces, at most MaxTextAnswer characters, not empty.
func textAnswer(in Inbound) (string, bool) {
	if in.Choice != "" || in.Choices != nil || in.Order != nil {
		return "", false
	}
	text := freetext.Clean(in.Text)
	return text, text != "" && utf8.RuneCountInString(text) <= MaxTextAnswer && utf8.ValidString(text)
}

// ScaleStatsOf is scaleStats for pages that read counts themselves (the session summary).
func ScaleStatsOf(counts map[string]int) *ScaleStats { return scaleStats(counts) }

// scaleStats sums up a scale poll's counts: the mean and the median of the values chosen,
// rounded to a tenth; nil when nobody's choice is counted.
func scaleStats(counts map[string]int) *ScaleStats {
	n, sum := 0, 0
	for i, v := range ScalePoints {
		n += counts[v]
		sum += (i + 1) * counts[v]
	}
	if n == 0 {
		return nil
	}
	// The values at places (n-1)/2 and n/2 of the sorted answers (0 first): the same place
	// when n is odd.
	at := func(place int) int {
		seen := 0
		for i, v := range ScalePoints {
			seen += counts[v]
			if place < seen {
				return i + 1
			}
		}
		return len(ScalePoints)
	}
	tenth := func(x float64) float64 { return math.Round(x*10) / 10 }
	return &ScaleStats{Mean: tenth(float64(sum) / float64(n)), Median: tenth(float64(at((n-1)/2)+at(n/2)) / 2)}
}

// trainerSees tells whether trainers see a poll's counts and detail yet: at once for a
// named poll; for an anonymous one once it is revealed, or, for open text, once it is
// closed with at least the minimum group, so that they can read the answers and hide a word
// before showing them to the room. Closed, it takes no more answers: nobody can tell who
// wrote what by watching the list grow.
func trainerSees(p *model.LivePoll, voters int) bool {
	switch {
	case !p.Anonymous || p.Status == model.PollRevealed:
		return true
	case p.AnswerForm == model.AnswerText:
		return p.Status == model.PollClosed && voters >= p.MinGroup
	}
	return false
}

// kindDetail is what a scale or open-text poll adds to its counts: the mean and median,
// or the word cloud of its answers in the session's language (lang) and, with list, every
// answer for trainers. Other polls add nothing. db reads the answers (a transaction that
// has just written some).
func (s *Service) kindDetail(ctx context.Context, db bun.IDB, p *model.LivePoll, counts map[string]int, lang string, list bool) (TallyDetail, error) {
	var out TallyDetail
	switch p.Kind {
	case model.PollKindScale:
		out.ScaleStats = scaleStats(counts)
	case model.PollKindText:
		answers, err := s.Store.PollAnswers(ctx, db, p.ID)
		if err != nil {
			return out, err
		}
		hidden := map[string]bool{}
		for _, k := range store.HiddenWords(p) {
			hidden[k] = true
		}
		bodies := make([]string, len(answers))
		for i, a := range answers {
			bodies[i] = a.Body
		}
		for _, w := range wordcloud.Build(bodies, lang, hidden) {
			out.Cloud = append(out.Cloud, CloudWord{Text: w.Text, Count: w.Count, Size: w.Size})
		}
		if list {
			out.Answers = answerList(answers, lang, hidden, !p.Anonymous)
		}
	}
	return out, nil
}

// answerList is every answer for trainers, those that mean the same next to each other. In
// a named poll an answer without a writer is a deleted account's.
func answerList(answers []model.LivePollAnswer, lang string, hidden map[string]bool, named bool) []AnswerView {
	type keyed struct {
		key string
		AnswerView
	}
	list := make([]keyed, 0, len(answers))
	for _, a := range answers {
		k := wordcloud.Key(a.Body, lang)
		author := ""
		if a.User != nil {
			author = a.User.Name()
		}
		list = append(list, keyed{k, AnswerView{Text: a.Body, Author: author, AuthorDeleted: named && a.UserID == nil, Hidden: hidden[k]}})
	}
	slices.SortStableFunc(list, func(a, b keyed) int { return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.Text, b.Text)) })
	out := make([]AnswerView, len(list))
	for i, a := range list {
		out[i] = a.AnswerView
	}
	return out
}

// hideWord hides a word from an open-text poll's cloud, for everyone: when the poll is
// revealed, its results are sent again without it; trainers get a new tally either way.
func (s *Service) hideWord(ctx context.Context, m Member, in Inbound) error {
	key := wordcloud.Key(in.Word, m.Cohort.Lang)
	if key == "" || utf8.RuneCountInString(in.Word) > 200 {
		return refuse("bad_word")
	}
	revealed := false
	// The session's row is locked (without a number: nothing is sent yet), so a reveal
	// either sees the word hidden or comes first and is sent again below.
	_, err := s.Store.LiveChange(ctx, m.Session.ID, false, func(ctx context.Context, tx bun.Tx, _ int64) error {
		p, err := s.Store.HidePollWord(ctx, tx, m.Session.ID, in.PollID, key)
		if err == nil {
			revealed = p.Status == model.PollRevealed
		}
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return refuse("unknown_poll")
	case errors.Is(err, store.ErrWrongForm), errors.Is(err, store.ErrTooManyHiddenWords):
		return refuse("bad_word")
	case errors.Is(err, store.ErrSessionClosed):
		return refuse("session_ended")
	case err != nil:
		return err
	}
	if revealed {
		if err := s.resendResults(ctx, m.Session.ID, in.PollID); err != nil && !errors.Is(err, errStale) {
			return err
		}
	}
	s.mark(tallyKey{session: m.Session.ID, poll: in.PollID})
	return nil
}

// sessionLang is the language of a session's cohort: an open-text poll's cloud groups
// answers by its rules.
func (s *Service) sessionLang(ctx context.Context, sessionID int64) (string, error) {
	ls, err := s.Store.LiveSession(ctx, sessionID)
	if err != nil {
		return "", err
	}
	co, err := s.Store.Cohort(ctx, ls.CohortID)
	if err != nil {
		return "", err
	}
	return co.Lang, nil
}
