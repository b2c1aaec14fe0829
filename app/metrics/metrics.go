// Package metrics exposes operational counters in the Prometheus text format, on a listener
// of their own (CAIRN_METRICS_ADDR, off by default). Labels carry route patterns and status
// codes only: nothing about who made a request.
package metrics

import (
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one instance's registry and the instruments the server updates.
type Metrics struct {
	registry *prometheus.Registry

	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec

	// LiveEvents counts events dispatched to this instance's live clients.
	LiveEvents prometheus.Counter
	// LiveVoteBatches observes how many votes each database write recorded.
	LiveVoteBatches prometheus.Observer
	// PasswordHashes counts argon2id hashes computed or checked.
	PasswordHashes prometheus.Counter
}

// New registers the Go runtime, process and database-pool collectors, the HTTP instruments,
// and liveConnections, read at each scrape.
func New(db *sql.DB, liveConnections func() float64) *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		registry: r,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "cairn_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
	}
	events := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "cairn_live_events_total", Help: "Live-session events dispatched to this instance's connections.",
	})
	batches := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "cairn_live_vote_batch_size", Help: "Votes recorded per database write.",
		Buckets: []float64{1, 2, 5, 10, 25, 50, 100, 250, 500, 1000},
	})
	hashes := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "cairn_password_hashes_total", Help: "Password hashes (argon2id) computed or checked.",
	})
	m.LiveEvents, m.LiveVoteBatches, m.PasswordHashes = events, batches, hashes
	r.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db, "cairn"),
		m.requests, m.duration, events, batches, hashes,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "cairn_live_connections", Help: "Open live-session websocket connections on this instance.",
		}, liveConnections),
	)
	return m
}

// ObserveRequest records one answered request.
func (m *Metrics) ObserveRequest(route, method string, status int, took time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(took.Seconds())
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
