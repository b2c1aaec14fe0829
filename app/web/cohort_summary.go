package web

import (
	"context"
	"sync"
	"time"

	"github.com/cairn-lms/cairn/app/cohort"
	"github.com/cairn-lms/cairn/app/store"
)

// What every view of a cohort's dashboard repeats, whatever page of learners it shows: the
// whole cohort's totals and each quiz's score distribution. Both cost a pass over every
// learner's rows (about a second for 50,000 learners on SQLite, docs/BENCHMARKS.md), so for
// large cohorts they are kept for a minute, and the page says as of when. Small cohorts are
// always counted afresh.
const (
	summaryCacheFrom = 2000        // learners; below this the totals cost little
	summaryFor       = time.Minute // how old the totals of a large cohort may be
	summaryEntries   = 64          // filters kept at most, over every cohort
)

type cohortSummary struct {
	Totals store.CohortTotals
	Bands  []cohort.BandCount
	At     time.Time // when they were counted
	// Cached: counted by an earlier request (At is then not now, which the page says).
	Cached bool
}

// summaryKey is one cohort seen through one filter (the totals count the quiet and the
// learners the filter keeps).
type summaryKey struct {
	cohortID  int64
	days      int
	search    string // copied out of the request (strings.Clone in readLearnerTable)
	onlyQuiet bool
	// hideDisabled changes which learners match.
	hideDisabled bool
}

// summaryCache is bounded by summaryEntries, the oldest entry making room; its zero value
// is ready.
type summaryCache struct {
	mu      sync.Mutex
	entries map[summaryKey]cohortSummary
}

func (c *summaryCache) get(k summaryKey, now time.Time) (cohortSummary, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok || now.Sub(e.At) >= summaryFor || now.Before(e.At) {
		return cohortSummary{}, false
	}
	return e, true
}

func (c *summaryCache) put(k summaryKey, e cohortSummary) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[summaryKey]cohortSummary{}
	}
	if _, ok := c.entries[k]; !ok && len(c.entries) >= summaryEntries {
		var oldest summaryKey
		first := true
		for key, v := range c.entries {
			if first || v.At.Before(c.entries[oldest].At) {
				oldest, first = key, false
			}
		}
		delete(c.entries, oldest)
	}
	c.entries[k] = e
}

// forget drops a cohort's totals after a change its trainer made (a learner removed).
func (c *summaryCache) forget(cohortID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if k.cohortID == cohortID {
			delete(c.entries, k)
		}
	}
}

// cohortSummary returns the cohort's totals and score bands through the table's filter:
// from the cache for a large cohort counted less than a minute ago, else counted now.
func (s *Server) cohortSummary(ctx context.Context, f store.LearnerFilter, t learnerTable) (cohortSummary, error) {
	now := s.now()
	key := summaryKey{cohortID: f.CohortID, days: t.Days, search: t.Search, onlyQuiet: t.OnlyQuiet, hideDisabled: t.HideDisabled}
	if e, ok := s.summaries.get(key, now); ok {
		e.Cached = true
		return e, nil
	}
	totals, err := s.store.CohortTotals(ctx, f)
	if err != nil {
		return cohortSummary{}, err
	}
	bands, err := s.store.CohortScoreBands(ctx, f.CohortID, f.CourseID, "", cohort.BandWidth, cohort.Bands)
	if err != nil {
		return cohortSummary{}, err
	}
	e := cohortSummary{Totals: totals, At: now}
	for _, b := range bands {
		e.Bands = append(e.Bands, cohort.BandCount{QuizID: b.QuizID, Band: b.Band, Learners: b.Learners})
	}
	if totals.Learners >= summaryCacheFrom {
		s.summaries.put(key, e)
	}
	return e, nil
}
