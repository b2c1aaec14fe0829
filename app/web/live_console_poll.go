package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
)

// consolePollKind is one type of poll the console's form launches: the form fields that
// are its own (one of them filled in says the trainer meant this type) and the message
// that launches it. A new type is a new entry here, a <fieldset data-kind> in
// partials/live_console.html and a case in live.js's pollMessage.
type consolePollKind struct {
	name    string
	fields  []string
	message func(c *fiber.Ctx) live.Inbound
}

var consolePollKinds = []consolePollKind{
	{name: "choice", fields: []string{"prompt", "options"}, message: func(c *fiber.Ctx) live.Inbound {
		var options []string
		for _, line := range strings.Split(c.FormValue("options"), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				options = append(options, line)
			}
		}
		return live.Inbound{Prompt: strings.TrimSpace(c.FormValue("prompt")), Options: options, Multiple: c.FormValue("multiple") != ""}
	}},
	{name: "scale", fields: []string{"scale_prompt", "low_label", "high_label"}, message: func(c *fiber.Ctx) live.Inbound {
		return live.Inbound{Kind: "scale", Prompt: strings.TrimSpace(c.FormValue("scale_prompt")),
			LowLabel: strings.TrimSpace(c.FormValue("low_label")), HighLabel: strings.TrimSpace(c.FormValue("high_label"))}
	}},
	{name: "text", fields: []string{"text_prompt"}, message: func(c *fiber.Ctx) live.Inbound {
		return live.Inbound{Kind: "text", Prompt: strings.TrimSpace(c.FormValue("text_prompt"))}
	}},
	{name: "quiz", fields: []string{"quiz"}, message: func(c *fiber.Ctx) live.Inbound {
		module, question, _ := strings.Cut(c.FormValue("quiz"), "/")
		return live.Inbound{QuizModule: module, QuizQuestion: question}
	}},
}

// consolePollKindOf is the type of poll a form launches: the one whose fields are filled
// in, or, when none is, the one chosen in "kind" (the script shows only that one's fields).
// Fields of two types filled in are refused (ok false): guessing would launch a poll the
// trainer did not mean, as an old pick of a quiz question once overrode a typed poll.
func consolePollKindOf(c *fiber.Ctx) (kind consolePollKind, ok bool) {
	var filled []consolePollKind
	for _, k := range consolePollKinds {
		for _, name := range k.fields {
			if strings.TrimSpace(c.FormValue(name)) != "" {
				filled = append(filled, k)
				break
			}
		}
	}
	switch len(filled) {
	case 1:
		return filled[0], true
	case 0:
		for _, k := range consolePollKinds {
			if k.name == c.FormValue("kind") {
				return k, true
			}
		}
		return consolePollKinds[0], true
	}
	return consolePollKind{}, false
}

// submitConsolePoll launches a poll. An anonymous poll in a room smaller than the minimum
// group is sent back once with a warning (its results could stay hidden) and a box to
// launch it anyway.
func (s *Server) submitConsolePoll(c *fiber.Ctx) error {
	m, err := s.consoleMember(c)
	if err != nil {
		return err
	}
	loc := state(c).loc
	f := &consoleForm{
		Kind: c.FormValue("kind"), Prompt: c.FormValue("prompt"), Options: c.FormValue("options"), Quiz: c.FormValue("quiz"),
		ScalePrompt: c.FormValue("scale_prompt"), LowLabel: c.FormValue("low_label"), HighLabel: c.FormValue("high_label"), TextPrompt: c.FormValue("text_prompt"),
		Multiple: c.FormValue("multiple") != "", Anonymous: c.FormValue("anonymous") != "",
	}
	kind, ok := consolePollKindOf(c)
	if !ok {
		f.PollError = loc.T("flash_live_ambiguous_poll")
		return s.consoleRefused(c, fiber.StatusUnprocessableEntity, f)
	}
	f.Kind = kind.name
	in := kind.message(c)
	in.Type, in.Anonymous = live.MsgPollOpen, f.Anonymous
	if f.Anonymous && c.FormValue("small_room") == "" {
		n, err := s.store.PresentCount(c.UserContext(), m.Session.ID)
		if err != nil {
			return err
		}
		if n < s.cfg.LiveMinGroup {
			f.SmallRoom = true
			f.PollWarning = loc.N("console_small_room", s.cfg.LiveMinGroup, "N", n, "K", s.cfg.LiveMinGroup)
			return s.consoleRefused(c, fiber.StatusOK, f)
		}
	}
	err = s.live.Handle(c.UserContext(), m, in)
	if err == nil {
		return s.consoleDone(c, m, "flash_console_poll_launched")
	}
	why, status, ok := s.consoleRefusal(c, err)
	if !ok {
		return err
	}
	f.PollError = why
	return s.consoleRefused(c, status, f)
}
