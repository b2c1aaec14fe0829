package live

import "sync"

// syncPool shares write buffers between connections: a buffer is held only while a message
// is written, so thousands of idle participants do not each keep one.
type syncPool struct{ p sync.Pool }

func (s *syncPool) Get() any  { return s.p.Get() }
func (s *syncPool) Put(v any) { s.p.Put(v) }
