package web

import (
	"errors"
	"html/template"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/quiz"
)

// In the quiz form, options are named by their position in the attempt's order ("0", "1",
// …), never by their ids: an author's id such as "correct-one" must not reach the browser.
// Fields: q.<question-id> for single, multiple, true/false and short answers, and
// q.<question-id>.<position> = rank for ordering questions.

// maxQuizFields bounds the work a forged form can cause.
const maxQuizFields = 500

// errQuizTampered means the form does not fit the quiz: another quiz's answers, unknown
// options. Nothing is recorded.
var errQuizTampered = fiber.NewError(fiber.StatusBadRequest, "error_quiz_mismatch")

type questionView struct {
	Number    int
	ID        string
	Lang      string // of the question's text
	Type      string
	Stem      template.HTML // inline Markdown, rendered and sanitised when the course loaded
	Options   []optionView
	Short     string // what was typed, when the form comes back
	Positions []int
}

type optionView struct {
	Value    string // position in this attempt
	Text     template.HTML
	Lang     string // of Text: an option not yet translated is shown in the course's language
	Selected bool
	Rank     int // ordering: the rank chosen, 0 when none
}

// quizForm is the state of a quiz page: the attempt's order, and what was filled in when a
// submission comes back incomplete.
type quizForm struct {
	Course      *course.Course
	Module      *course.Module
	Title       course.Text
	CourseTitle course.Text
	Notice      translationNotice // the quiz texts in this language may be out of date or are unreviewed
	AttemptKey  string
	Questions   []questionView
	Missing     map[string]bool
	Error       string
	PassMark    int
	History     any
	Best        int
	Attempted   bool
}

func (s *Server) buildQuizForm(c *fiber.Ctx, co *course.Course, m *course.Module, key string, answers map[string][]string, ranks map[string]map[int]int) *quizForm {
	ui := lang(c)
	f := &quizForm{
		Course: co, Module: m, Title: co.TextIn(m.Title, ui), CourseTitle: co.TextIn(co.Title, ui),
		AttemptKey: key, PassMark: m.Quiz.PassMark, Missing: map[string]bool{},
		Notice: s.translationNotice(co, m.QuizProvenance[ui]),
	}
	for i, p := range m.Quiz.Present(key) {
		t := p.Text(ui, co.DefaultLanguage)
		qv := questionView{Number: i + 1, ID: p.ID, Lang: t.Lang, Type: p.Type, Stem: t.StemHTML}
		chosen := map[string]bool{}
		for _, v := range answers[p.ID] {
			chosen[v] = true
		}
		switch p.Type {
		case quiz.TrueFalse:
			for _, v := range []string{"true", "false"} {
				qv.Options = append(qv.Options, optionView{Value: v, Text: escaped(state(c).loc.T("quiz_" + v)), Lang: ui, Selected: chosen[v]})
			}
		case quiz.Short:
			if a := answers[p.ID]; len(a) > 0 {
				qv.Short = a[0]
			}
		default:
			for pos, id := range p.OptionIDs {
				text, in := t.OptionsHTML[id], t.Lang
				if text == "" {
					def := p.Text(co.DefaultLanguage, co.DefaultLanguage)
					text, in = def.OptionsHTML[id], def.Lang
				}
				value := strconv.Itoa(pos)
				qv.Options = append(qv.Options, optionView{Value: value, Text: text, Lang: in, Selected: chosen[value], Rank: ranks[p.ID][pos]})
			}
			for r := 1; r <= len(p.OptionIDs); r++ {
				qv.Positions = append(qv.Positions, r)
			}
		}
		f.Questions = append(f.Questions, qv)
	}
	return f
}

// parseQuizForm reads a submitted quiz form against the attempt's presentation. It returns
// the answers in the grader's terms (option ids), the raw values to refill the form, ranks
// given for ordering questions, and the questions whose ranks are incomplete or repeated.
func parseQuizForm(c *fiber.Ctx, z *quiz.Quiz, key string) (quiz.Answers, map[string][]string, map[string]map[int]int, []string, error) {
	presented := map[string]quiz.Presented{}
	for _, p := range z.Present(key) {
		presented[p.ID] = p
	}
	raw := map[string][]string{}
	ranks := map[string]map[int]int{}
	fields := 0
	var bad error
	for k, v := range c.Request().PostArgs().All() {
		fields++
		if fields > maxQuizFields {
			break
		}
		name := string(k)
		if !strings.HasPrefix(name, "q.") {
			continue
		}
		rest := strings.TrimPrefix(name, "q.")
		qid, pos, hasPos := strings.Cut(rest, ".")
		p, ok := presented[qid]
		if !ok {
			bad = quiz.ErrUnknownQuestion
			break
		}
		value := string(v)
		if hasPos {
			n, err := strconv.Atoi(pos)
			rank, rerr := strconv.Atoi(value)
			if p.Type != quiz.Ordering || err != nil || n < 0 || n >= len(p.OptionIDs) || (value != "" && (rerr != nil || rank < 1 || rank > len(p.OptionIDs))) {
				bad = quiz.ErrUnknownOption
				break
			}
			if ranks[qid] == nil {
				ranks[qid] = map[int]int{}
			}
			if value != "" {
				ranks[qid][n] = rank
			}
			continue
		}
		raw[qid] = append(raw[qid], value)
	}
	if fields > maxQuizFields || bad != nil {
		return nil, nil, nil, nil, errQuizTampered
	}
	answers := quiz.Answers{}
	var unranked []string
	for qid, p := range presented {
		switch p.Type {
		case quiz.Single, quiz.Multiple:
			for _, v := range raw[qid] {
				n, err := strconv.Atoi(v)
				if err != nil || n < 0 || n >= len(p.OptionIDs) {
					return nil, nil, nil, nil, errQuizTampered
				}
				answers[qid] = append(answers[qid], p.OptionIDs[n])
			}
		case quiz.Ordering:
			if len(raw[qid]) > 0 {
				return nil, nil, nil, nil, errQuizTampered
			}
			order, ok := orderFromRanks(p, ranks[qid])
			if !ok {
				if len(ranks[qid]) > 0 {
					unranked = append(unranked, qid)
				}
				continue
			}
			answers[qid] = order
		default:
			if v := raw[qid]; len(v) > 0 {
				answers[qid] = v
			}
		}
	}
	sort.Strings(unranked)
	return answers, raw, ranks, unranked, nil
}

// orderFromRanks turns "item at position i has rank r" into the list of option ids by rank.
func orderFromRanks(p quiz.Presented, ranks map[int]int) ([]string, bool) {
	if len(ranks) != len(p.OptionIDs) {
		return nil, false
	}
	byRank := make([]string, len(p.OptionIDs))
	for pos, r := range ranks {
		if byRank[r-1] != "" {
			return nil, false
		}
		byRank[r-1] = p.OptionIDs[pos]
	}
	return byRank, true
}

// escaped is plain text made safe to sit where quiz texts are rendered HTML.
func escaped(s string) template.HTML { return template.HTML(template.HTMLEscapeString(s)) } //nolint:gosec // escaped

func isTampered(err error) bool {
	return errors.Is(err, errQuizTampered) || errors.Is(err, quiz.ErrUnknownQuestion) ||
		errors.Is(err, quiz.ErrUnknownOption) || errors.Is(err, quiz.ErrMalformed)
}
