package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/quiz"
	"github.com/cairn-lms/cairn/app/store"
)

// SeedProgress gives the fixture's learners varied course work, deterministic by their
// place in the run: learner i has done the first i mod (lessons+1) lessons, an attempt at
// each quiz of a module they finished (a second, better one for some), answers mixing right
// and wrong, activity spread over the last 45 days, and every tenth attended the run's live
// session. It writes in batches of 1,000 learners.
func SeedProgress(ctx context.Context, st *store.Store, f *Fixture, c *course.Course, now time.Time) error {
	now = now.UTC().Truncate(time.Microsecond)
	const batch = 1000
	for start := 0; start < len(f.UserIDs); start += batch {
		var p store.LoadTestProgress
		for i := start; i < min(start+batch, len(f.UserIDs)); i++ {
			addProgress(&p, f, c, i, now)
		}
		if err := st.AddLoadTestProgress(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func addProgress(p *store.LoadTestProgress, f *Fixture, c *course.Course, i int, now time.Time) {
	uid := f.UserIDs[i]
	done := i % (len(c.Lessons) + 1)
	last := now.Add(-time.Duration(i*7%45)*24*time.Hour - time.Duration(i%1440)*time.Minute)
	if done > 0 {
		p.Enrollments = append(p.Enrollments, model.Enrollment{UserID: uid, CourseID: c.ID, StartedAt: last.Add(-24 * time.Hour), LastActivityAt: last})
	}
	doneSet := map[string]bool{}
	for _, l := range c.Lessons[:done] {
		doneSet[l.ID] = true
		p.Lessons = append(p.Lessons, model.LessonProgress{UserID: uid, CourseID: c.ID, LessonID: l.ID, CompletedAt: last})
	}
	for _, m := range c.Quizzes() {
		finished := true
		for _, l := range m.Lessons {
			finished = finished && doneSet[l.ID]
		}
		if !finished {
			continue
		}
		tries := 1 + i%2
		for try := range tries {
			answers := answersFor(m.Quiz, c.DefaultLanguage, i+try)
			res, err := quiz.Grade(m.Quiz, c.DefaultLanguage, c.DefaultLanguage, answers)
			if err != nil {
				continue
			}
			b, _ := json.Marshal(answers)
			p.Attempts = append(p.Attempts, model.QuizAttempt{UserID: uid, CourseID: c.ID, QuizID: m.ID,
				AttemptKey: fmt.Sprintf("%s-%d-%s-%d", f.RunID, i, m.ID, try), CourseVersion: c.Version, Lang: c.DefaultLanguage,
				Score: res.Score, MaxScore: res.Max, Percent: res.Percent, Passed: res.Passed, Answers: string(b),
				CreatedAt: last.Add(time.Duration(try) * time.Minute)})
		}
	}
	if i%10 == 0 {
		joined := now.Add(-3 * 24 * time.Hour)
		left := joined.Add(time.Hour)
		p.Attendance = append(p.Attendance, model.LiveAttendance{SessionID: f.SessionID, UserID: uid, JoinedAt: joined, LeftAt: &left})
	}
}

// answersFor answers every question of z, rightly or wrongly by the seed.
func answersFor(z *quiz.Quiz, lang string, seed int) quiz.Answers {
	a := quiz.Answers{}
	for n, q := range z.Questions {
		right := (seed+n)%3 != 0
		var correct, wrong []string
		for _, o := range q.Options {
			if o.Correct {
				correct = append(correct, o.ID)
			} else if wrong == nil {
				wrong = []string{o.ID}
			}
		}
		switch q.Type {
		case quiz.Single, quiz.Multiple:
			if right || wrong == nil {
				a[q.ID] = correct
			} else {
				a[q.ID] = wrong
			}
		case quiz.TrueFalse:
			a[q.ID] = []string{strconv.FormatBool(q.Answer == right)}
		case quiz.Short:
			if t := q.Text(lang, lang); right && t != nil && len(t.Accept) > 0 {
				a[q.ID] = []string{t.Accept[0]}
			} else {
				a[q.ID] = []string{"no idea"}
			}
		case quiz.Ordering:
			ids := make([]string, len(q.Options))
			for k, o := range q.Options {
				ids[k] = o.ID
				if !right {
					ids[k] = q.Options[len(q.Options)-1-k].ID
				}
			}
			a[q.ID] = ids
		}
	}
	return a
}

// DashboardTiming is one request to the dashboard as the trainer.
type DashboardTiming struct {
	Path       string
	Took       time.Duration // request sent to last byte read, on the loopback
	Again      time.Duration // the same request at once after (a large cohort's totals are kept a minute)
	CPU        time.Duration // the server process's CPU time for the first request (with SQLite, the database's too)
	AgainCPU   time.Duration
	Bytes      int     // body as the server renders it
	GzipBytes  int     // body as sent to a client that accepts gzip
	Rows       int     // CSV lines, header included
	PeakRSSMiB float64 // the server's peak resident memory after this request
}

// MeasureDashboard times the CSV export first (so the server's peak memory after it is the
// export's), then the dashboard's first page by name, by progress, a search and the page of
// the quiz quizID, each read plainly, again, and with gzip.
func MeasureDashboard(ctx context.Context, base string, f *Fixture, quizID string) ([]DashboardTiming, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	cookie := "cairn_session"
	if u.Scheme == "https" {
		cookie = "__Host-cairn_session"
	}
	pid, _ := serverPID(base) // "" when the server is elsewhere: no CPU times then
	client := &http.Client{Timeout: 10 * time.Minute, Transport: &http.Transport{DisableCompression: true}}
	get := func(path, encoding string) (DashboardTiming, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+path, nil)
		if err != nil {
			return DashboardTiming{}, err
		}
		req.Header.Set("Cookie", cookie+"="+f.TrainerToken)
		req.Header.Set("Accept-Encoding", encoding)
		cpu0 := processCPU(pid)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return DashboardTiming{}, err
		}
		defer resp.Body.Close()
		var rows int
		n, err := io.Copy(lineCounter{&rows}, resp.Body)
		took := time.Since(start)
		if err != nil {
			return DashboardTiming{}, err
		}
		if resp.StatusCode != http.StatusOK {
			return DashboardTiming{}, fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
		}
		return DashboardTiming{Path: path, Took: took, CPU: processCPU(pid) - cpu0, Bytes: int(n), Rows: rows}, nil
	}
	cohort := "/cohorts/" + strconv.FormatInt(f.CohortID, 10)
	var out []DashboardTiming
	paths := []string{cohort + "/export.csv", cohort, cohort + "?sort=progress&order=desc", cohort + "?q=" + url.QueryEscape(Prefix+f.RunID+"-00042"),
		cohort + "/quizzes/" + url.PathEscape(quizID)}
	for _, path := range paths {
		plain, err := get(path, "identity")
		if err != nil {
			return out, err
		}
		if plain.PeakRSSMiB, err = ServerPeakRSS(base); err != nil {
			plain.PeakRSSMiB = -1 // the server is not on this machine
		}
		again, err := get(path, "identity")
		if err != nil {
			return out, err
		}
		plain.Again, plain.AgainCPU = again.Took, again.CPU
		zipped, err := get(path, "gzip")
		if err != nil {
			return out, err
		}
		plain.GzipBytes = zipped.Bytes
		out = append(out, plain)
	}
	return out, nil
}

// lineCounter counts the lines of what is copied into it, keeping none of it.
type lineCounter struct{ n *int }

func (l lineCounter) Write(p []byte) (int, error) {
	for _, b := range p {
		if b == '\n' {
			*l.n++
		}
	}
	return len(p), nil
}

// processCPU is the user and system CPU time a local process has used, 0 when unknown.
func processCPU(pid string) time.Duration {
	if pid == "" {
		return 0
	}
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// The command name (field 2) is in parentheses and may hold spaces: count from after it.
	_, rest, ok := strings.Cut(string(b), ") ")
	if !ok {
		return 0
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	const ticksPerSecond = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticksPerSecond
}
