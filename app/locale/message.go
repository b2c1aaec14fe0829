package locale

// Message is a user-facing problem expressed as a message id and its template data, so a
// domain package can say what went wrong without knowing the reader's language.
type Message struct {
	ID   string
	Data map[string]any
	// Count, when set, picks the message's plural form (a number followed by a noun).
	Count *int
}

func (m *Message) Error() string { return m.ID }

// Problem returns a Message error; data is pairs of key, value.
func Problem(id string, kv ...any) *Message {
	m := &Message{ID: id}
	if len(kv) > 0 {
		m.Data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m.Data[kv[i].(string)] = kv[i+1]
		}
	}
	return m
}

// PluralProblem returns a Message error whose plural form follows count (the number the
// message puts before a noun); data is pairs of key, value.
func PluralProblem(id string, count int, kv ...any) *Message {
	m := Problem(id, kv...)
	m.Count = &count
	return m
}
