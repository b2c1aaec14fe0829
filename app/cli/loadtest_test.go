package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"maps"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"testing"

	"github.com/cairn-lms/cairn/app/loadtest"
)

// loadtestTarget is a server just started on the test's database for a load tool to
// measure, and how the tool is told where that server's data is.
type loadtestTarget struct {
	base string            // the server's address
	srv  *exec.Cmd         // the server
	log  *bytes.Buffer     // its log: read it only once it has stopped (it writes while it runs)
	vars map[string]string // the tool's environment: the server's, without where its data is
	data []string          // --data-dir DIR or --database-url URL, on the command line as the README shows
}

func startLoadtestTarget(t *testing.T, bin string, vars map[string]string) *loadtestTarget {
	t.Helper()
	vars["CAIRN_ADDR"] = "127.0.0.1:0"
	lt := &loadtestTarget{vars: maps.Clone(vars), data: []string{"--data-dir", vars["CAIRN_DATA_DIR"]}}
	lt.base, lt.srv, lt.log = startServe(t, bin, t.TempDir(), vars)
	if url, ok := vars["CAIRN_DATABASE_URL"]; ok {
		lt.data = []string{"--database-url", url}
	}
	delete(lt.vars, "CAIRN_DATA_DIR")
	delete(lt.vars, "CAIRN_DATABASE_URL")
	return lt
}

// run runs `cairn loadtest <args…>` against the server and returns what it printed; when the
// tool fails, the test fails with the server's log.
func (lt *loadtestTarget) run(t *testing.T, args ...string) string {
	t.Helper()
	args = append(append(append([]string{"loadtest"}, args...), "--url", lt.base), lt.data...)
	code, out, errOut := run(t, lt.vars, "", args...)
	if code != 0 {
		_ = lt.srv.Process.Kill()
		_ = lt.srv.Wait()
		t.Fatalf("loadtest: exit %d: %s\nserver log:\n%s", code, errOut, lt.log.String())
	}
	return out
}

// The load tool must work against a server just started with defaults on that data: it
// prepares its own accounts, runs steps and polls, counts what arrived and what the database
// recorded, and removes its accounts afterwards.
func TestLoadtestLiveRunsAgainstAFreshServerAndCleansUp(t *testing.T) {
	bin := buildBinary(t)
	databases(t, func(t *testing.T, vars map[string]string) {
		lt := startLoadtestTarget(t, bin, vars)
		const participants, steps, polls = 40, 3, 2
		out := lt.run(t, "live", "--participants", strconv.Itoa(participants),
			"--steps", strconv.Itoa(steps), "--polls", strconv.Itoa(polls), "--step-every", "20ms")
		got := summaryOf(t, out, "live-loadtest")
		// Every participant gets each step, each poll's opening and its closing.
		want := map[string]float64{
			"participants": participants, "delivered": participants * (steps + 2*polls),
			"missed": 0, "out_of_order": 0,
			"votes_sent": participants * polls, "votes_recorded": participants * polls,
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %v, want %v (summary: %s)", k, got[k], v, out)
			}
		}
		if got["p99_ms"] <= 0 || got["max_ms"] < got["p99_ms"] || got["server_rss_mb"] <= 0 {
			t.Errorf("latency or memory missing: %s", out)
		}
		if runtime.GOOS == "linux" {
			// A message reaches the participant's host before the participant reads it.
			if got["arrival_p99_ms"] <= 0 || got["arrival_p99_ms"] > got["p99_ms"] || got["arrival_max_ms"] > got["max_ms"] {
				t.Errorf("arrival latencies missing or later than reads: %s", out)
			}
		}

		db := openFromVars(t, vars)
		defer db.Close()
		left, err := db.NewSelect().Table("users").Where("username LIKE ?", loadtest.Prefix+"%").Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if left != 0 {
			t.Errorf("%d load-test accounts left after the run", left)
		}
	})
}

// The relay of docs/bench/relay is the floor Cairn is compared with; the load tool drives it
// with the same client code, so every participant must get every numbered event, and the
// relay must count every vote sent.
func TestLoadtestLiveDrivesTheBenchRelayWithTheSameClients(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "relay")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/cairn-lms/cairn/docs/bench/relay").CombinedOutput(); err != nil {
		t.Fatalf("go build relay: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	m := regexp.MustCompile(`^relay serving on (http://127\.0\.0\.1:\d+)\n$`).FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("relay start-up line %q: %v", line, err)
	}

	const participants, steps, polls = 40, 3, 2
	code, out, errOut := run(t, map[string]string{"CAIRN_LOG_LEVEL": "warn"}, "", "loadtest", "live", "--relay", "--url", m[1],
		"--participants", strconv.Itoa(participants), "--steps", strconv.Itoa(steps), "--polls", strconv.Itoa(polls), "--step-every", "20ms")
	if code != 0 {
		t.Fatalf("loadtest: exit %d: %s", code, errOut)
	}
	got := summaryOf(t, out, "live-loadtest")
	want := map[string]float64{
		"participants": participants, "delivered": participants * (steps + 2*polls),
		"missed": 0, "out_of_order": 0,
		"votes_sent": participants * polls, "votes_recorded": participants * polls,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v (summary: %s)", k, got[k], v, out)
		}
	}
	if got["p99_ms"] <= 0 || got["server_rss_mb"] <= 0 {
		t.Errorf("latency or the relay's memory missing: %s", out)
	}
}

// summaryOf reads the numbers of a load tool's summary line, the line that starts with name.
func summaryOf(t *testing.T, out, name string) map[string]float64 {
	t.Helper()
	summary := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (.*)$`).FindStringSubmatch(out)
	if summary == nil {
		t.Fatalf("no %s summary line in:\n%s", name, out)
	}
	got := map[string]float64{}
	for _, kv := range regexp.MustCompile(`(\w+)=([0-9.]+)`).FindAllStringSubmatch(summary[1], -1) {
		v, err := strconv.ParseFloat(kv[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		got[kv[1]] = v
	}
	return got
}
