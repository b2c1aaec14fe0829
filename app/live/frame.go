package live

import "encoding/binary"

// textFrame returns msg as one websocket text frame as a server sends it: final, not
// fragmented, not masked, not compressed (RFC 6455 §5.2; the upgrader negotiates no
// extension). An event is framed once and the same bytes are written to every connection
// of its room, instead of gorilla framing (and copying) it again for each.
func textFrame(msg []byte) []byte {
	n := len(msg)
	var f []byte
	switch {
	case n < 126:
		f = make([]byte, 2, 2+n)
		f[1] = byte(n)
	case n <= 0xffff:
		f = make([]byte, 4, 4+n)
		f[1] = 126
		binary.BigEndian.PutUint16(f[2:], uint16(n))
	default:
		f = make([]byte, 10, 10+n)
		f[1] = 127
		binary.BigEndian.PutUint64(f[2:], uint64(n))
	}
	f[0] = 0x80 | 0x1 // FIN, text
	return append(f, msg...)
}

// pingFrame is an empty ping from a server.
var pingFrame = []byte{0x80 | 0x9, 0}

// controlFrame returns a server's control frame (ping, pong, close) of the given gorilla
// message type; payload is at most 125 bytes, as RFC 6455 §5.5 requires of control frames
// (gorilla refuses a longer ping before its handler sees it).
func controlFrame(messageType int, payload []byte) []byte {
	return append([]byte{0x80 | byte(messageType), byte(len(payload))}, payload...)
}
