package web_test

import (
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gorilla/websocket"
)

// TestGorillaWebsocketUpgradesThroughFiber guards the fasthttp pin in go.mod: gorilla's
// Upgrader needs Hijack through fiber's adaptor, which fasthttp before v1.54 lacks (the
// handshake then fails with 500). Live sessions depend on this.
func TestGorillaWebsocketUpgradesThroughFiber(t *testing.T) {
	upgrader := websocket.Upgrader{}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/ws", adaptor.HTTPHandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			kind, msg, err := conn.ReadMessage()
			if err != nil {
				return
			}
			if err := conn.WriteMessage(kind, append([]byte("echo:"), msg...)); err != nil {
				return
			}
		}
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	defer func() { _ = app.Shutdown() }()

	conn, resp, err := websocket.DefaultDialer.Dial("ws://"+ln.Addr().String()+"/ws", nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("websocket handshake through fiber failed (status %d): %v", status, err)
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := conn.WriteMessage(websocket.TextMessage, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	_, got, err := conn.ReadMessage()
	if err != nil || string(got) != "echo:hello" {
		t.Fatalf("echo: %q, %v", got, err)
	}
}
