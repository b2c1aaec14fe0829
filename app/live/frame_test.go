package live

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// payload returns the message in a frame from a client's queue; it fails the test unless
// the frame is one whole, unmasked text frame.
func payload(t testing.TB, frame []byte) []byte {
	t.Helper()
	if len(frame) < 2 || frame[0] != 0x81 || frame[1]&0x80 != 0 {
		t.Fatalf("queued %q: not a server's text frame", frame)
	}
	n, head := uint64(frame[1]), 2
	switch n {
	case 126:
		n, head = uint64(binary.BigEndian.Uint16(frame[2:])), 4
	case 127:
		n, head = binary.BigEndian.Uint64(frame[2:]), 10
	}
	if uint64(len(frame)-head) != n {
		t.Fatalf("frame says %d bytes, carries %d", n, len(frame)-head)
	}
	return frame[head:]
}

// The frames the writer sends without gorilla are read by gorilla's client as the messages
// they carry, at each size where the length's encoding changes, back to back in one write
// and with gorilla's own control frames (a ping) between them.
func TestFramedMessagesReadAsSentByAWebsocketClient(t *testing.T) {
	sizes := []int{0, 1, 125, 126, 127, 4096, 65535, 65536, 70000}
	msgs := make([][]byte, len(sizes))
	for i, n := range sizes {
		msgs[i] = bytes.Repeat([]byte{byte('a' + i)}, n)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		var all []byte
		for _, m := range msgs[:4] {
			all = append(all, textFrame(m)...)
		}
		_, _ = conn.NetConn().Write(all)
		_ = conn.WriteControl(websocket.PingMessage, []byte("p"), time.Now().Add(time.Second))
		for _, m := range msgs[4:] {
			_, _ = conn.NetConn().Write(textFrame(m))
		}
		_, _, _ = conn.ReadMessage() // until the client closes
	}))
	defer srv.Close()
	client := dialTest(t, srv)
	pinged := false
	client.SetPingHandler(func(string) error { pinged = true; return nil })
	_ = client.SetReadDeadline(time.Now().Add(10 * time.Second))
	for i, want := range msgs {
		kind, got, err := client.ReadMessage()
		if err != nil {
			t.Fatalf("message %d (%d bytes): %v", i, len(want), err)
		}
		if kind != websocket.TextMessage || !bytes.Equal(got, want) {
			t.Fatalf("message %d: type %d, %d bytes, want text of %d", i, kind, len(got), len(want))
		}
	}
	if !pinged {
		t.Fatal("the ping between the frames was not read")
	}
}
