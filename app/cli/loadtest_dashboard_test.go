package cli_test

import (
	"context"
	"testing"

	"github.com/cairn-lms/cairn/app/loadtest"
)

// The dashboard load tool seeds a cohort with progress, times the CSV export and three
// dashboard pages as the trainer, and removes its accounts and their progress afterwards.
func TestLoadtestDashboardMeasuresAFreshServerAndCleansUp(t *testing.T) {
	bin := buildBinary(t)
	databases(t, func(t *testing.T, vars map[string]string) {
		lt := startLoadtestTarget(t, bin, vars)
		const learners = 120
		out := lt.run(t, "dashboard", "--learners", "120")
		got := summaryOf(t, out, "dashboard-loadtest")
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
