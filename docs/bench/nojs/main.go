// Command nojs measures what following a live session without JavaScript costs one
// participant in bytes over an hour: every byte of HTTP/1.1 each way (request and response
// lines, headers and bodies, compressed as a browser asks), counted on the connection.
//
// It drives a running Cairn server on a virtual clock: the requests are real, the hour is
// not waited for. A trainer (websocket, as the console) and other learners act at set
// times; the participant behaves as a browser without JavaScript does. Against a server
// that has the live page's live part (GET /live/N/frame), the participant loads the page
// once, then the live part refreshes every 10 s with If-None-Match (60 s while a poll waits
// for their answer); a new lesson is followed by loading the page again. Against an older
// server, the participant has the plain page (GET /live/N/plain), which reloads everything
// every 10 s. Either way the stylesheet is fetched once (it is cached as immutable), and
// the participant votes at the first refresh that shows a poll.
//
//	go run ./docs/bench/nojs -url http://127.0.0.1:18300 -password P -scenario typical
//
// Accounts nojs-trainer (role trainer), nojs-learner and nojs-other-1…12 (learners) with
// password P must exist (docs/bench/nojs.sh makes them).
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Headers a browser sends with a page request (as Tor Browser 14 does, in English).
var browserHeaders = map[string]string{
	"User-Agent":                "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0",
	"Accept":                    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
	"Accept-Language":           "en-US,en;q=0.5",
	"Accept-Encoding":           "gzip, deflate", // brotli is about the same size here (docs/BENCHMARKS.md)
	"Upgrade-Insecure-Requests": "1",
	"Sec-Fetch-Dest":            "document",
	"Sec-Fetch-Mode":            "navigate",
	"Sec-Fetch-Site":            "same-origin",
	"Sec-Fetch-User":            "?1",
}

// counter counts the bytes each way on every connection of a client.
type counter struct{ sent, received atomic.Int64 }

type countingConn struct {
	net.Conn
	c *counter
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.c.received.Add(int64(n))
	return n, err
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.c.sent.Add(int64(n))
	return n, err
}

// client is one browser: its cookies, and the bytes it moved.
type client struct {
	base    string
	http    *http.Client
	bytes   counter
	csrf    string
	headers map[string]string
}

func newClient(base string) *client {
	jar, _ := cookiejar.New(nil)
	c := &client{base: base, headers: browserHeaders}
	dial := (&net.Dialer{}).DialContext
	c.http = &http.Client{Jar: jar, Transport: &http.Transport{
		DisableCompression: true, // Accept-Encoding is set as a browser does; bodies are inflated here
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return countingConn{conn, &c.bytes}, nil
		},
	}}
	return c
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// do sends a request as the browser would and returns the (inflated) body and response.
func (c *client) do(method, path string, form url.Values, extra map[string]string) (string, *http.Response) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		log.Fatal(err)
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	for k, v := range extra {
		req.Header.Set(k, v)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", c.base)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		log.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("Content-Encoding") == "gzip" && len(raw) > 0 {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			log.Fatalf("%s %s: %v", method, path, err)
		}
		raw, _ = io.ReadAll(zr)
	}
	page := string(raw)
	if m := csrfRE.FindStringSubmatch(page); m != nil {
		c.csrf = m[1]
	}
	return page, resp
}

func (c *client) get(path string) string { p, _ := c.do(http.MethodGet, path, nil, nil); return p }

func (c *client) post(path string, form url.Values) string {
	if c.csrf == "" {
		c.get("/login")
	}
	form.Set("csrf_token", c.csrf)
	p, _ := c.do(http.MethodPost, path, form, nil)
	return p
}

func (c *client) signIn(username, password string) {
	c.get("/login")
	if p := c.post("/login", url.Values{"username": {username}, "password": {password}}); strings.Contains(p, `name="password"`) {
		log.Fatalf("could not sign in as %s", username)
	}
}

// event is something that happens at a time of the hour.
type event struct {
	at   time.Duration
	what string
	do   func()
}

func main() {
	base := flag.String("url", "http://127.0.0.1:18300", "the running Cairn server")
	password := flag.String("password", "", "the accounts' password")
	scenario := flag.String("scenario", "quiet", "quiet (one lesson, nothing changes) or typical (see below)")
	flag.Parse()
	log.SetFlags(0)

	trainer := newClient(*base)
	trainer.signIn("nojs-trainer", *password)
	dash := trainer.post("/cohorts", url.Values{"course": {"account-security"}, "name": {"No JavaScript"}, "lang": {"en"}, "seats": {"0"}})
	code := regexp.MustCompile(`<code dir="ltr" class="secret">([a-z0-9-]+)</code>`).FindStringSubmatch(dash)
	cohort := regexp.MustCompile(`action="(/cohorts/\d+)/live"`).FindStringSubmatch(dash)
	if code == nil || cohort == nil {
		log.Fatalf("no cohort made:\n%.2000s", dash)
	}
	_, resp := trainer.do(http.MethodPost, cohort[1]+"/live", url.Values{"title": {"An hour"}, "when": {"now"}, "csrf_token": {trainer.csrf}}, nil)
	live := resp.Request.URL.Path
	if !regexp.MustCompile(`^/live/\d+$`).MatchString(live) {
		log.Fatalf("no session made: %s", live)
	}

	learner := newClient(*base)
	learner.signIn("nojs-learner", *password)
	learner.post("/join", url.Values{"code": {code[1]}})
	others := make([]*client, 12)
	for i := range others {
		others[i] = newClient(*base)
		others[i].signIn(fmt.Sprintf("nojs-other-%d", i+1), *password)
		others[i].post("/join", url.Values{"code": {code[1]}})
	}

	// The trainer, over the websocket.
	u, _ := url.Parse(*base)
	var cookies []string
	for _, ck := range trainer.http.Jar.Cookies(u) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+u.Host+live+"/ws", http.Header{"Origin": {*base}, "Cookie": {strings.Join(cookies, "; ")}})
	if err != nil {
		log.Fatal(err)
	}
	defer ws.Close()
	acts := 0
	act := func(msg map[string]any) map[string]any {
		acts++
		msg["ref"] = fmt.Sprint(acts)
		if err := ws.WriteJSON(msg); err != nil {
			log.Fatal(err)
		}
		var opened map[string]any
		for {
			var m map[string]any
			if err := ws.ReadJSON(&m); err != nil {
				log.Fatal(err)
			}
			if m["type"] == "poll_opened" {
				opened = m["poll"].(map[string]any)
			}
			if m["type"] == "error" {
				log.Fatalf("trainer: %v", m)
			}
			if m["type"] == "ack" && m["ref"] == msg["ref"] {
				return opened
			}
		}
	}
	lessons := []string{"how-accounts-get-taken-over", "strong-passphrases", "how-password-managers-work", "two-factor-methods-compared"}
	act(map[string]any{"type": "step", "lesson": lessons[0]})

	var events []event
	if *scenario == "typical" {
		// An hour of a workshop: a new lesson every 15 minutes, a poll every 10 (revealed 2
		// minutes later), a question from someone else every 5.
		for i := 1; i < 4; i++ {
			l := lessons[i]
			events = append(events, event{time.Duration(i) * 15 * time.Minute, "step", func() { act(map[string]any{"type": "step", "lesson": l}) }})
		}
		for i := range 6 {
			var poll float64
			at := time.Duration(i)*10*time.Minute + 3*time.Minute
			events = append(events, event{at, "poll", func() {
				p := act(map[string]any{"type": "poll_open", "prompt": fmt.Sprintf("Poll %d: which do you use?", i+1), "options": []string{"Signal", "WhatsApp", "SMS", "Email"}})
				poll = p["id"].(float64)
			}})
			events = append(events, event{at + 2*time.Minute, "reveal", func() { act(map[string]any{"type": "poll_reveal", "poll_id": poll}) }})
		}
		for i := range 12 {
			o := others[i]
			events = append(events, event{time.Duration(i)*5*time.Minute + 90*time.Second, "question", func() {
				o.post(live+"/ask", url.Values{"body": {fmt.Sprintf("Question %d from someone else in the room?", i+1)}})
			}})
		}
		sort.SliceStable(events, func(i, j int) bool { return events[i].at < events[j].at })
	}

	// The participant.
	_, probe := learner.do(http.MethodGet, live+"/frame", nil, nil)
	framed := probe.StatusCode == http.StatusOK
	learner.bytes.sent.Store(0)
	learner.bytes.received.Store(0)
	requests := 0
	var css string
	page := func(path string) string {
		requests++
		p := learner.get(path)
		if m := regexp.MustCompile(`href="(/static/css/[^"]+)"`).FindStringSubmatch(p); m != nil && css == "" {
			css = m[1]
			requests++
			learner.do(http.MethodGet, css, nil, map[string]string{"Accept": "text/css,*/*;q=0.1", "Sec-Fetch-Dest": "style", "Sec-Fetch-Mode": "no-cors"})
		}
		return p
	}
	shownRE := regexp.MustCompile(`<iframe id="live-frame"[^>]* src="([^"]+)"`)
	refreshRE := regexp.MustCompile(`<meta http-equiv="refresh" content="(\d+); url=([^"]+)">`)
	pollRE := regexp.MustCompile(`name="poll" value="(\d+)"`)
	var frameURL, etag string
	frame := func(path string) string {
		requests++
		extra := map[string]string{"Sec-Fetch-Dest": "iframe"}
		if etag != "" && path == frameURL {
			extra["If-None-Match"] = etag
			extra["Cache-Control"] = "max-age=0"
		}
		p, resp := learner.do(http.MethodGet, path, nil, extra)
		if resp.StatusCode == http.StatusNotModified {
			return ""
		}
		frameURL, etag = path, resp.Header.Get("ETag")
		return p
	}
	var doc string // what the browser shows now: the live part, or the plain page
	interval := 10 * time.Second
	load := func() {
		if !framed {
			doc = page(live + "/plain")
			return
		}
		p := page(live)
		src := shownRE.FindStringSubmatch(p)
		if src == nil {
			log.Fatal("the page has no live part")
		}
		etag = ""
		doc = frame(strings.ReplaceAll(src[1], "&amp;", "&"))
	}
	follow := func(d string) { // a fresh document: where it refreshes to, and what the participant does
		if d == "" {
			return
		}
		doc = d
		if m := refreshRE.FindStringSubmatch(doc); m != nil {
			fmt.Sscan(m[1], &interval)
			interval *= time.Second
		}
	}
	load()
	follow(doc)
	next, ev := interval, 0
	hour := time.Hour
	for now := time.Duration(0); now < hour; {
		// Whatever happens before the next refresh happens first.
		if ev < len(events) && events[ev].at <= next {
			now = events[ev].at
			events[ev].do()
			ev++
			continue
		}
		now = next
		if now >= hour {
			break
		}
		var d string
		if framed {
			m := refreshRE.FindStringSubmatch(doc)
			if m == nil {
				log.Fatal("the live part does not refresh")
			}
			d = frame(strings.ReplaceAll(m[2], "&amp;", "&"))
			if strings.Contains(d, `target="_top">Go to this lesson</a>`) {
				load() // the participant follows the trainer to the new lesson
				d = doc
			}
		} else {
			d = page(live + "/plain")
		}
		follow(d)
		if m := pollRE.FindStringSubmatch(doc); m != nil { // answer at once
			requests += 2 // the POST and the page it leads to
			form := url.Values{"poll": {m[1]}, "choice": {"a"}}
			if framed {
				form.Set("in", "frame")
				if s := regexp.MustCompile(`name="shown" value="([^"]*)"`).FindStringSubmatch(doc); s != nil {
					form.Set("shown", s[1])
				}
			}
			etag = ""
			follow(learner.post(live+"/vote", form))
		}
		next = now + interval
	}
	sent, received := learner.bytes.sent.Load(), learner.bytes.received.Load()
	mode := "plain page, reloaded whole"
	if framed {
		mode = "one page, live part with ETag/304"
	}
	fmt.Printf("nojs scenario=%s mode=%q requests=%d sent_bytes=%d received_bytes=%d total_kib_per_hour=%.1f\n",
		*scenario, mode, requests, sent, received, float64(sent+received)/1024)
}
