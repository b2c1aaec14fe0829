// Package live runs live sessions: the websocket hub (rooms, bounded per-client queues), the
// message protocol (docs/live-protocol.md) and the rules for every action. Authoritative
// state is in the database; every change participants see carries the session's next
// sequence number, and is fanned out to every instance (PostgreSQL LISTEN/NOTIFY) or, on
// SQLite, within the one process.
package live

// Inbound is a message from a client. Which fields matter depends on Type.
type Inbound struct {
	Type string `json:"type"`
	Ref  string `json:"ref,omitempty"` // echoed in the ack or error, for the client's bookkeeping

	Lesson  string `json:"lesson,omitempty"`  // step
	Section string `json:"section,omitempty"` // step: heading anchor inside the lesson

	Prompt       string   `json:"prompt,omitempty"`        // poll_open (ad hoc)
	Options      []string `json:"options,omitempty"`       // poll_open (ad hoc)
	QuizModule   string   `json:"quiz_module,omitempty"`   // poll_open (a course quiz question)
	QuizQuestion string   `json:"quiz_question,omitempty"` // poll_open
	Anonymous    bool     `json:"anonymous,omitempty"`     // poll_open, ask
	Multiple     bool     `json:"multiple,omitempty"`      // poll_open (ad hoc): several answers may be ticked

	PollID  int64    `json:"poll_id,omitempty"` // vote, poll_close, poll_reveal
	Choice  string   `json:"choice,omitempty"`  // vote: the option id
	Choices []string `json:"choices,omitempty"` // vote in a multiple-answer poll: the ticked option ids
	Text    string   `json:"text,omitempty"`    // vote on a short-answer question: what was typed
	Order   []string `json:"order,omitempty"`   // vote on an ordering question: every option id, first first

	Body     string `json:"body,omitempty"`     // ask
	Question int64  `json:"question,omitempty"` // upvote, answered, hide

	Raised bool `json:"raised,omitempty"` // hand
}

// Message types a client may send.
const (
	// anyone in the session
	MsgVote   = "vote"
	MsgAsk    = "ask"
	MsgUpvote = "upvote"
	MsgHand   = "hand"
	MsgResync = "resync"
	// trainers only
	MsgStep       = "step"
	MsgPollOpen   = "poll_open"
	MsgPollClose  = "poll_close"
	MsgPollReveal = "poll_reveal"
	MsgAnswered   = "answered"
	MsgHide       = "hide"
	MsgEnd        = "end"
)

var trainerOnly = map[string]bool{MsgStep: true, MsgPollOpen: true, MsgPollClose: true, MsgPollReveal: true, MsgAnswered: true, MsgHide: true, MsgEnd: true}

var knownTypes = map[string]bool{MsgVote: true, MsgAsk: true, MsgUpvote: true, MsgHand: true, MsgResync: true,
	MsgStep: true, MsgPollOpen: true, MsgPollClose: true, MsgPollReveal: true, MsgAnswered: true, MsgHide: true, MsgEnd: true}

// ClientError is a refusal the client is told about (type "error"), never a server fault.
type ClientError struct {
	Code string
}

func (e *ClientError) Error() string { return e.Code }

func refuse(code string) error { return &ClientError{Code: code} }
