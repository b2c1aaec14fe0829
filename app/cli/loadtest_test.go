package cli_test

import (
	"context"
	"maps"
	"regexp"
	"runtime"
	"strconv"
	"testing"

	"github.com/cairn-lms/cairn/app/loadtest"
)

// The load tool must work against a server just started with defaults on that data: it
// prepares its own accounts, runs steps and polls, counts what arrived and what the database
// recorded, and removes its accounts afterwards.
func TestLoadtestLiveRunsAgainstAFreshServerAndCleansUp(t *testing.T) {
	bin := buildBinary(t)
	databases(t, func(t *testing.T, vars map[string]string) {
		vars["CAIRN_ADDR"] = "127.0.0.1:0"
		base, _, stderr := startServe(t, bin, t.TempDir(), vars)

		// The server's data is named on the command line, as the README shows.
		toolVars := maps.Clone(vars)
		data := []string{"--data-dir", vars["CAIRN_DATA_DIR"]}
		if url, ok := vars["CAIRN_DATABASE_URL"]; ok {
			data = []string{"--database-url", url}
		}
		delete(toolVars, "CAIRN_DATA_DIR")
		delete(toolVars, "CAIRN_DATABASE_URL")
		const participants, steps, polls = 40, 3, 2
		args := append([]string{"loadtest", "live", "--url", base, "--participants", strconv.Itoa(participants),
			"--steps", strconv.Itoa(steps), "--polls", strconv.Itoa(polls), "--step-every", "20ms"}, data...)
		code, out, errOut := run(t, toolVars, "", args...)
		if code != 0 {
			t.Fatalf("loadtest: exit %d: %s\nserver log:\n%s", code, errOut, stderr.String())
		}
		summary := regexp.MustCompile(`(?m)^live-loadtest (.*)$`).FindStringSubmatch(out)
		if summary == nil {
			t.Fatalf("no summary line in:\n%s", out)
		}
		got := map[string]float64{}
		for _, kv := range regexp.MustCompile(`(\w+)=([0-9.]+)`).FindAllStringSubmatch(summary[1], -1) {
			v, err := strconv.ParseFloat(kv[2], 64)
			if err != nil {
				t.Fatal(err)
			}
			got[kv[1]] = v
		}
		// Every participant gets each step, each poll's opening and its closing.
		want := map[string]float64{
			"participants": participants, "delivered": participants * (steps + 2*polls),
			"missed": 0, "out_of_order": 0,
			"votes_sent": participants * polls, "votes_recorded": participants * polls,
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %v, want %v (summary: %s)", k, got[k], v, summary[1])
			}
		}
		if got["p99_ms"] <= 0 || got["max_ms"] < got["p99_ms"] || got["server_rss_mb"] <= 0 {
			t.Errorf("latency or memory missing: %s", summary[1])
		}
		if runtime.GOOS == "linux" {
			// A message reaches the participant's host before the participant reads it.
			if got["arrival_p99_ms"] <= 0 || got["arrival_p99_ms"] > got["p99_ms"] || got["arrival_max_ms"] > got["max_ms"] {
				t.Errorf("arrival latencies missing or later than reads: %s", summary[1])
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
