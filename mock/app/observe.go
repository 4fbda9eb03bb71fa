package app

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/metrics"
	"github.com/sandbank-dev/sandbank/mock/pipeline"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/webhook"
)

// HeaderRequestID carries the request id: the client's own when it sent a sane one,
// else one sandbank made. It is echoed on every reply and named in the log line.
const HeaderRequestID = "X-Request-Id"

// exchangeSlot is where the pipeline's Observe leaves what it knows of a provider
// request (provider, operation, rule) for the request's log line.
type exchangeSlot struct {
	x   pipeline.Exchange
	set bool
}

// requestIDs makes ids unique in this process and unlikely to repeat across runs: a
// random prefix chosen at start-up, then a counter.
type requestIDs struct {
	prefix string
	n      atomic.Uint64
}

func newRequestIDs() *requestIDs {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return &requestIDs{prefix: hex.EncodeToString(b)}
}

// next is one allocation: the id is formatted in a stack buffer, then copied.
func (g *requestIDs) next() string {
	var buf [48]byte
	b := append(append(buf[:0], g.prefix...), '-')
	return string(strconv.AppendUint(b, g.n.Add(1), 10))
}

// acceptableID keeps a client's id when it is short printable ASCII, so it can go
// into a header and a log line unchanged.
func acceptableID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// ServeHTTP serves one request: it sets the request id, runs the engine, and writes
// one log line (debug; info when the answer is an error or no answer went out).
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	wall := clock.Wall()
	path := r.URL.Path // as sent: the engine rewrites it onto the host's mount
	id := r.Header.Get(HeaderRequestID)
	if !acceptableID(id) {
		id = a.ids.next()
	}
	w.Header().Set(HeaderRequestID, id)
	// One allocation holds the writer and the slot the pipeline's Observe fills
	// (it finds the slot by unwrapping the writer it is handed).
	sw := &statusWriter{ResponseWriter: w}
	slot := &sw.slot
	a.serveEngine(sw, r)

	status := sw.status
	if sw.hijacked {
		status = 0
	} else if status == 0 {
		status = http.StatusOK
	}
	if slot.set {
		status = slot.x.Status
	}
	level := slog.LevelDebug
	if status == 0 || status >= 400 {
		level = slog.LevelInfo
	}
	if !a.log.Enabled(r.Context(), level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("request_id", id), slog.String("method", r.Method), slog.String("host", r.Host),
		slog.String("path", path), slog.Int("status", status),
		slog.Float64("ms", float64(clock.Wall().Sub(wall).Microseconds())/1000),
	}
	if slot.set {
		attrs = append(attrs, slog.String("provider", slot.x.Provider), slog.String("operation", slot.x.Operation),
			slog.String("tenant", slot.x.Tenant), slog.String("rule", slot.x.Rule))
		if slot.x.Fault != "" && slot.x.Fault != scenario.FaultNone {
			attrs = append(attrs, slog.String("fault", string(slot.x.Fault)))
		}
	}
	a.log.LogAttrs(r.Context(), level, "request", attrs...)
}

// observeWebhook is the webhook sender's Observe: one attempt, delivered (a 2xx
// answer) or failed (any other answer, or none).
func (a *App) observeWebhook(provider string, at webhook.Attempt) {
	result := "failed"
	if at.Status >= 200 && at.Status < 300 {
		result = "delivered"
	}
	a.webhookAttempts.Inc(provider, result)
}

// observe is the pipeline's Observe: count the exchange, and leave it for the log.
func (a *App) observe(w http.ResponseWriter, _ *http.Request, x pipeline.Exchange) {
	a.metrics.ObserveRequest(x.Provider, x.Operation, x.Status, x.Rule, x.Took)
	for w != nil {
		if sw, ok := w.(*statusWriter); ok {
			sw.slot.x, sw.slot.set = x, true
			return
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return
		}
		w = u.Unwrap()
	}
}

// statusWriter notes the status the engine wrote, and passes flushing (the
// dashboard's event stream) and hijacking (timeout and reset faults) through.
type statusWriter struct {
	http.ResponseWriter
	status   int
	hijacked bool
	slot     exchangeSlot
}

func (w *statusWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
	w.ResponseWriter.WriteHeader(s)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil {
		w.hijacked = true
	}
	return c, rw, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// registerMetrics adds the gauges read at scrape time and serves GET /metrics.
// Every family is read from the app's parts, so a new provider shows up without
// anything here.
func (a *App) registerMetrics(e *echo.Echo) {
	m := a.metrics
	m.Gauge("sandbank_build_info", "The running sandbank's version (always 1).", func() []metrics.Sample {
		return []metrics.Sample{{Labels: []metrics.Label{{Name: "version", Value: Version}}, Value: 1}}
	})
	m.Gauge("sandbank_journal_entries", "Exchanges the journal holds.", func() []metrics.Sample {
		return metrics.One(float64(a.journal.Len()))
	})
	m.Gauge("sandbank_journal_bytes", "Bytes of request and response bodies the journal holds.", func() []metrics.Sample {
		return metrics.One(float64(a.journal.Bytes()))
	})
	m.Gauge("sandbank_tenants", "Tenants with any state in the store.", func() []metrics.Sample {
		return metrics.One(float64(len(a.store.Tenants())))
	})
	m.Gauge("sandbank_scenarios", "Scenarios loaded.", func() []metrics.Sample {
		return metrics.One(float64(len(a.scenarios.List())))
	})
	m.Gauge("sandbank_virtual_time_seconds", "The virtual clock, as Unix seconds.", func() []metrics.Sample {
		return metrics.One(float64(a.clock.Now().UnixNano()) / float64(time.Second))
	})
	m.Gauge("sandbank_webhook_deliveries", "Outbound webhook deliveries held, by status.", func() []metrics.Sample {
		n := map[webhook.Status]int{}
		for _, r := range a.webhooks.List(webhook.Filter{}) {
			n[r.Status]++
		}
		var out []metrics.Sample
		for _, st := range []webhook.Status{webhook.Scheduled, webhook.Queued, webhook.Sending, webhook.Retrying, webhook.Delivered, webhook.Failed} {
			out = append(out, metrics.Sample{Labels: []metrics.Label{{Name: "status", Value: string(st)}}, Value: float64(n[st])})
		}
		return out
	})
	e.GET("/metrics", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentType, metrics.ContentType)
		c.Response().WriteHeader(http.StatusOK)
		return m.WriteText(c.Response())
	})
	e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/_sandbox/ui") })
}
