package cli_test

import (
	"context"
	"maps"
	"regexp"
	"strconv"
	"testing"

	"github.com/cairn-lms/cairn/app/loadtest"
)

// The dashboard load tool seeds a cohort with progress, times the CSV export and three
// dashboard pages as the trainer, and removes its accounts and their progress afterwards.
func TestLoadtestDashboardMeasuresAFreshServerAndCleansUp(t *testing.T) {
	bin := buildBinary(t)
	databases(t, func(t *testing.T, vars map[string]string) {
		vars["CAIRN_ADDR"] = "127.0.0.1:0"
		base, srv, stderr := startServe(t, bin, t.TempDir(), vars)
		toolVars := maps.Clone(vars)
		data := []string{"--data-dir", vars["CAIRN_DATA_DIR"]}
		if url, ok := vars["CAIRN_DATABASE_URL"]; ok {
			data = []string{"--database-url", url}
		}
		delete(toolVars, "CAIRN_DATA_DIR")
		delete(toolVars, "CAIRN_DATABASE_URL")
		const learners = 120
		code, out, errOut := run(t, toolVars, "", append([]string{"loadtest", "dashboard", "--url", base, "--learners", "120"}, data...)...)
		if code != 0 {
			// The server writes its log while it runs: stop it before reading the log.
			_ = srv.Process.Kill()
			_ = srv.Wait()
			t.Fatalf("loadtest: exit %d: %s\nserver log:\n%s", code, errOut, stderr.String())
		}
		got := dashboardSummary(t, out)
		if got["learners"] != learners || got["csv_lines"] != learners+1 {
			t.Errorf("learners or CSV lines wrong: %s", out)
		}
		for _, k := range []string{"csv_ms", "page_ms", "page_again_ms", "page_bytes", "page_gzip_bytes", "by_progress_ms", "search_ms", "quiz_ms", "quiz_bytes", "csv_server_rss_mb", "server_rss_mb"} {
			if got[k] <= 0 {
				t.Errorf("%s missing: %s", k, out)
			}
		}
		if got["page_gzip_bytes"] >= got["page_bytes"] || got["search_bytes"] >= got["page_bytes"] {
			t.Errorf("sizes do not add up (gzip smaller than plain, one learner smaller than a page): %s", out)
		}

		db := openFromVars(t, vars)
		defer db.Close()
		for _, table := range []string{"users", "lesson_progress", "quiz_attempts", "live_attendance"} {
			q := db.NewSelect().Table(table)
			if table == "users" {
				q = q.Where("username LIKE ?", loadtest.Prefix+"%")
			}
			if n, err := q.Count(context.Background()); err != nil || n != 0 {
				t.Errorf("%d rows left in %s after the run (%v)", n, table, err)
			}
		}
	})
}

func dashboardSummary(t *testing.T, out string) map[string]float64 {
	t.Helper()
	summary := regexp.MustCompile(`(?m)^dashboard-loadtest (.*)$`).FindStringSubmatch(out)
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
	return got
}
