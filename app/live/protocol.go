// Package live runs live sessions: the websocket hub (rooms, bounded per-client queues), the
// message protocol (docs/live-protocol.md) and the rules for every action. Authoritative
// state is in the database; every change participants see carries the session's next
// sequence number, and is fanned out to every instance (PostgreSQL LISTEN/NOTIFY) or, on
// SQLite, within the one process.
package live

import (
	"encoding/json"
	"time"
)

// Inbound is a message from a client. Which fields matter depends on Type.
type Inbound struct {
	Type string `json:"type"`
	Ref  string `json:"ref,omitempty"` // echoed in the ack or error, for the client's bookkeeping

	Lesson  string `json:"lesson,omitempty"`  // step
	Section string `json:"section,omitempty"` // step: heading anchor inside the lesson
	// Kind: for a step without a lesson, a text for everyone, "discussion" (a prompt) or
	// "break", in Text, with a break's length in Minutes (session plans); for poll_open (ad
	// hoc), "scale" (1 to 5) or "text" (open answers), absent for choices.
	Kind    string `json:"kind,omitempty"`
	Minutes int    `json:"minutes,omitempty"`

	Prompt       string   `json:"prompt,omitempty"`        // poll_open (ad hoc)
	Options      []string `json:"options,omitempty"`       // poll_open (ad hoc)
	QuizModule   string   `json:"quiz_module,omitempty"`   // poll_open (a course quiz question)
	QuizQuestion string   `json:"quiz_question,omitempty"` // poll_open
	Anonymous    bool     `json:"anonymous,omitempty"`     // poll_open, ask
	Multiple     bool     `json:"multiple,omitempty"`      // poll_open (ad hoc): several answers may be ticked
	LowLabel     string   `json:"low_label,omitempty"`     // poll_open, scale: the words at 1
	HighLabel    string   `json:"high_label,omitempty"`    // poll_open, scale: the words at 5

	PollID  int64    `json:"poll_id,omitempty"` // vote, poll_close, poll_reveal
	Choice  string   `json:"choice,omitempty"`  // vote: the option id
	Choices []string `json:"choices,omitempty"` // vote in a multiple-answer poll: the ticked option ids
	Text    string   `json:"text,omitempty"`    // vote on a short-answer question or an open-text poll: what was typed
	Word    string   `json:"word,omitempty"`    // hide_word: a word of the poll's cloud
	Order   []string `json:"order,omitempty"`   // vote on an ordering question: every option id, first first

	Body     string `json:"body,omitempty"`     // ask
	Question int64  `json:"question,omitempty"` // upvote, answered, hide

	Raised bool `json:"raised,omitempty"` // hand

	Since int64 `json:"since,omitempty"` // resync: the last seq the client applied (0: send a snapshot)
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
	MsgHideWord   = "hide_word"
	MsgEnd        = "end"
)

var trainerOnly = map[string]bool{MsgStep: true, MsgPollOpen: true, MsgPollClose: true, MsgPollReveal: true, MsgAnswered: true, MsgHide: true, MsgHideWord: true, MsgEnd: true}

var knownTypes = map[string]bool{MsgVote: true, MsgAsk: true, MsgUpvote: true, MsgHand: true, MsgResync: true,
	MsgStep: true, MsgPollOpen: true, MsgPollClose: true, MsgPollReveal: true, MsgAnswered: true, MsgHide: true, MsgHideWord: true, MsgEnd: true}

// ClientError is a refusal the client is told about (type "error"), never a server fault.
type ClientError struct {
	Code string
}

func (e *ClientError) Error() string { return e.Code }

func refuse(code string) error { return &ClientError{Code: code} }

// Message types the server sends. Every one has a struct below and a row in the table of
// docs/live-protocol.md; protocol_test.go checks that the two agree.
const (
	TypeSnapshot     = "snapshot"
	TypeStep         = "step"
	TypePollOpened   = "poll_opened"
	TypePollClosed   = "poll_closed"
	TypePollRevealed = "poll_revealed"
	TypeQuestion     = "question"
	TypeEnded        = "ended"
	TypeTally        = "tally"
	TypePresence     = "presence"
	TypeHands        = "hands"
	TypeAck          = "ack"
	TypeError        = "error"
	TypeStale        = "stale"
	TypeReplay       = "replay"
)

// outbound is every message the server sends, by type, as its Go struct.
var outbound = map[string]any{
	TypeSnapshot:     SnapshotMsg{},
	TypeStep:         StepMsg{},
	TypePollOpened:   PollOpenedMsg{},
	TypePollClosed:   PollClosedMsg{},
	TypePollRevealed: PollRevealedMsg{},
	TypeQuestion:     QuestionMsg{},
	TypeEnded:        EndedMsg{},
	TypeTally:        TallyMsg{},
	TypePresence:     PresenceMsg{},
	TypeHands:        HandsMsg{},
	TypeAck:          AckMsg{},
	TypeError:        ErrorMsg{},
	TypeStale:        StaleMsg{},
	TypeReplay:       ReplayMsg{},
}

// Numbered is what every event for everyone carries: the session's sequence number of the
// change, and when the server sent it (Unix milliseconds, for measurement).
type Numbered struct {
	Seq    int64 `json:"seq"`
	SentAt int64 `json:"sent_at"`
}

func (n *Numbered) number(seq int64, at time.Time) { n.Seq, n.SentAt = seq, at.UnixMilli() }

// numbered is an event change() numbers.
type numbered interface{ number(seq int64, at time.Time) }

// SnapshotMsg is the whole state a (re)joining member needs, at sequence number Seq.
type SnapshotMsg struct {
	Type      string         `json:"type"`
	Seq       int64          `json:"seq"`
	Role      string         `json:"role"`
	Session   SessionView    `json:"session"`
	Step      *StepView      `json:"step,omitempty"`
	Poll      *SnapshotPoll  `json:"poll,omitempty"`
	Questions []QuestionView `json:"questions"`
	*TrainerState
}

// SessionView is the session as a snapshot shows it.
type SessionView struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	Ended bool   `json:"ended"`
}

// TrainerState is the part of a snapshot only trainers get.
type TrainerState struct {
	Participants int      `json:"participants"` // people connected now, across instances
	Hands        []string `json:"hands"`        // names, first raised first
}

// StepView is where the trainer has taken everyone: a lesson (or a section of it), or a
// text (Kind "discussion" or "break"), when Lesson is empty.
type StepView struct {
	Lesson       string `json:"lesson"`
	Section      string `json:"section"`
	Title        string `json:"title"`
	SectionTitle string `json:"section_title,omitempty"` // the section's heading, when there is one
	Href         string `json:"href"`
	Kind         string `json:"kind,omitempty"`
	Text         string `json:"text,omitempty"`
	Minutes      int    `json:"minutes,omitempty"` // a break's length
}

// OptionView is one option of a poll as shown: its position name and text.
type OptionView struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// PollView is what participants see of a poll: never the right answer before it is
// revealed, and never the counts of an anonymous poll that fewer than MinGroup answered.
type PollView struct {
	ID        int64        `json:"id"`
	Kind      string       `json:"kind"`
	Prompt    string       `json:"prompt"`
	Options   []OptionView `json:"options"`
	Anonymous bool         `json:"anonymous"`
	Multiple  bool         `json:"multiple"`
	Status    string       `json:"status"`
	MinGroup  int          `json:"min_group"`
	Form      string       `json:"form,omitempty"`       // absent for choice polls
	LowLabel  string       `json:"low_label,omitempty"`  // scale: the words at 1
	HighLabel string       `json:"high_label,omitempty"` // scale: the words at 5
	MaxLength int          `json:"max_length,omitempty"` // text: the longest answer, in characters
	// When the poll was launched and, once it takes no more votes, closed (server time,
	// Unix milliseconds): the presenter view's timer.
	OpenedAt int64 `json:"opened_at"`
	ClosedAt int64 `json:"closed_at,omitempty"`
	*Results       // once revealed
}

// Results are a revealed poll's counts, and for a quiz question its answer.
type Results struct {
	Voters    int            `json:"voters"`
	Counts    map[string]int `json:"counts"`
	Uncounted int            `json:"uncounted,omitempty"` // anonymous votes recorded without their choice
	*QuizReveal
	*ScaleStats             // scale polls
	Cloud       []CloudWord `json:"cloud,omitzero"` // open-text polls
}

// ScaleStats sum up a scale poll's answers, rounded to a tenth; absent without answers.
type ScaleStats struct {
	Mean   float64 `json:"mean"`
	Median float64 `json:"median"`
}

// CloudWord is one entry of an open-text poll's word cloud (app/wordcloud): the answer as
// most of those who gave it typed it, how many did, and its size class, 1 to 5. The words
// come in the order they are shown.
type CloudWord struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
	Size  int    `json:"size"`
}

// AnswerView is one answer to an open-text poll as trainers see it listed: by its writer
// when the poll is named (AuthorDeleted when the writer's account was deleted since);
// Hidden when its word is hidden from the cloud.
type AnswerView struct {
	Text          string `json:"text"`
	Author        string `json:"author,omitempty"`
	AuthorDeleted bool   `json:"author_deleted,omitempty"`
	Hidden        bool   `json:"hidden,omitempty"`
}

// QuizReveal is a quiz question's answer, sent only with its results.
type QuizReveal struct {
	Explanation string   `json:"explanation"`
	Correct     []string `json:"correct"`
	Solution    []string `json:"solution,omitzero"` // short: accepted answers; ordering: the items in order
}

// SnapshotPoll is the current poll in a snapshot, with the member's part.
type SnapshotPoll struct {
	PollView
	Voted    bool       `json:"voted"`
	MyChoice string     `json:"my_choice,omitempty"`
	Tally    *TallyView `json:"tally,omitempty"` // trainers only
}

// TallyView is how a poll stands, for trainers.
type TallyView struct {
	Voters int            `json:"voters"`
	Counts map[string]int `json:"counts,omitzero"` // absent for an anonymous poll until revealed
	TallyDetail
}

// TallyDetail is what trainers see of a scale or open-text poll besides its counts, under
// the same rule (named polls at once; anonymous ones only once revealed, and an anonymous
// open-text poll's answers once it is closed with at least the minimum group).
type TallyDetail struct {
	*ScaleStats
	Cloud   []CloudWord  `json:"cloud,omitzero"`
	Answers []AnswerView `json:"answers,omitzero"`
}

// QuestionView is a participant's question; Author is empty when anonymous, and when the
// author's account was deleted (AuthorDeleted then says so: "deleted user").
type QuestionView struct {
	ID            int64  `json:"id"`
	Body          string `json:"body"`
	Author        string `json:"author"`
	AuthorDeleted bool   `json:"author_deleted,omitempty"`
	Upvotes       int    `json:"upvotes"`
	Answered      bool   `json:"answered"`
	Hidden        bool   `json:"hidden"`
}

// StepMsg moves everyone to a lesson, or a section of it.
type StepMsg struct {
	Type string    `json:"type"`
	Step *StepView `json:"step"`
	Numbered
}

// PollOpenedMsg announces a new poll (no counts, no right answer).
type PollOpenedMsg struct {
	Type string   `json:"type"`
	Poll PollView `json:"poll"`
	Numbered
}

// PollClosedMsg tells that a poll takes no more votes.
type PollClosedMsg struct {
	Type string   `json:"type"`
	Poll PollView `json:"poll"`
	Numbered
}

// PollRevealedMsg shows a poll's results.
type PollRevealedMsg struct {
	Type string   `json:"type"`
	Poll PollView `json:"poll"`
	Numbered
}

// QuestionMsg is a question added, upvoted, answered or hidden.
type QuestionMsg struct {
	Type     string       `json:"type"`
	Question QuestionView `json:"question"`
	Numbered
}

// EndedMsg tells that the session has ended, and where its summary is.
type EndedMsg struct {
	Type    string `json:"type"`
	Summary string `json:"summary"`
	Numbered
}

// TallyMsg tells trainers how the votes of a poll stand.
type TallyMsg struct {
	Type   string         `json:"type"`
	PollID int64          `json:"poll_id"`
	Voters int            `json:"voters"`
	Counts map[string]int `json:"counts,omitzero"` // absent for anonymous polls
	TallyDetail
}

// PresenceMsg tells trainers how many people are connected.
type PresenceMsg struct {
	Type         string `json:"type"`
	Participants int    `json:"participants"`
}

// HandsMsg tells trainers whose hand is raised.
type HandsMsg struct {
	Type  string   `json:"type"`
	Names []string `json:"names"`
}

// AckMsg confirms an action sent with a ref.
type AckMsg struct {
	Type string `json:"type"`
	Ref  string `json:"ref"`
}

// ErrorMsg refuses an action.
type ErrorMsg struct {
	Type string `json:"type"`
	Code string `json:"code"`
	Ref  string `json:"ref,omitempty"`
}

// StaleMsg tells a client it missed events and should resync.
type StaleMsg struct {
	Type string `json:"type"`
}

// ReplayMsg brings a client that has the state at the number it gave (since) up to Seq: the
// events in between, oldest first, as they were sent. It stands where a snapshot would.
type ReplayMsg struct {
	Type   string            `json:"type"`
	Seq    int64             `json:"seq"`
	Events []json.RawMessage `json:"events"`
}
