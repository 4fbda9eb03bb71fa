// Package metrics keeps sandbank's counters and writes them in the Prometheus text
// exposition format (version 0.0.4), with no dependency: request counts by
// provider, operation, status and rule, a latency histogram, and gauges read from
// the rest of the app when scraped.
//
// The format is the one documented at
// https://prometheus.io/docs/instrumenting/exposition_formats/ ; ParseText reads it
// back, so tests (and users' tests) can check a scrape.
package metrics

import (
	"bufio"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ContentType is what /metrics answers with.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// Buckets are the latency histogram's upper bounds in seconds. A simulator answers in
// well under a millisecond unless a scenario adds latency, so the low end is fine
// and the high end reaches the longest latencies scenarios usually set.
var Buckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

type requestKey struct {
	provider, operation, rule string
	status                    int
}
type latencyKey struct{ provider, operation string }

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

// Sample is one value of a family read at scrape time.
type Sample struct {
	Labels []Label
	Value  float64
}

// Label is one name="value" pair.
type Label struct{ Name, Value string }

type family struct {
	name, help, kind string
	read             func() []Sample
}

// Registry holds the request counters and the families read on scrape. The zero
// value is not ready; use New.
type Registry struct {
	mu       sync.Mutex
	requests map[requestKey]uint64
	latency  map[latencyKey]*histogram
	families []family
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{requests: map[requestKey]uint64{}, latency: map[latencyKey]*histogram{}}
}

// ObserveRequest counts one provider exchange. status 0 means no reply went out (a
// timeout or reset fault).
func (r *Registry) ObserveRequest(provider, operation string, status int, rule string, d time.Duration) {
	sec := d.Seconds()
	i := sort.SearchFloat64s(Buckets, sec) // first bound >= sec; len(Buckets) is +Inf
	r.mu.Lock()
	r.requests[requestKey{provider, operation, rule, status}]++
	h := r.latency[latencyKey{provider, operation}]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(Buckets)+1)}
		r.latency[latencyKey{provider, operation}] = h
	}
	h.counts[i]++
	h.sum += sec
	h.n++
	r.mu.Unlock()
}

// Gauge adds a family whose samples are read at each scrape.
func (r *Registry) Gauge(name, help string, read func() []Sample) { r.add(name, help, "gauge", read) }

// Counter adds a family of monotonic counts kept elsewhere, read at each scrape.
func (r *Registry) Counter(name, help string, read func() []Sample) {
	r.add(name, help, "counter", read)
}

func (r *Registry) add(name, help, kind string, read func() []Sample) {
	r.mu.Lock()
	r.families = append(r.families, family{name, help, kind, read})
	r.mu.Unlock()
}

// One is a single unlabelled sample.
func One(v float64) []Sample { return []Sample{{Value: v}} }

// WriteText writes every family in the text format, families and samples in a
// stable order so two scrapes diff cleanly.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	reqs := make([]requestKey, 0, len(r.requests))
	for k := range r.requests {
		reqs = append(reqs, k)
	}
	counts := make(map[requestKey]uint64, len(r.requests))
	for k, v := range r.requests {
		counts[k] = v
	}
	lats := make([]latencyKey, 0, len(r.latency))
	hists := make(map[latencyKey]histogram, len(r.latency))
	for k, h := range r.latency {
		lats = append(lats, k)
		hists[k] = histogram{counts: append([]uint64(nil), h.counts...), sum: h.sum, n: h.n}
	}
	fams := append([]family(nil), r.families...)
	r.mu.Unlock()

	sort.Slice(reqs, func(i, j int) bool {
		a, b := reqs[i], reqs[j]
		if a.provider != b.provider {
			return a.provider < b.provider
		}
		if a.operation != b.operation {
			return a.operation < b.operation
		}
		if a.status != b.status {
			return a.status < b.status
		}
		return a.rule < b.rule
	})
	sort.Slice(lats, func(i, j int) bool {
		if lats[i].provider != lats[j].provider {
			return lats[i].provider < lats[j].provider
		}
		return lats[i].operation < lats[j].operation
	})

	bw := bufio.NewWriter(w)
	header(bw, "sandbank_requests_total", "Provider requests served, by provider, operation, HTTP status (0: no reply, a timeout or reset fault) and the rule that decided.", "counter")
	for _, k := range reqs {
		sample(bw, "sandbank_requests_total", []Label{{"provider", k.provider}, {"operation", k.operation}, {"status", strconv.Itoa(k.status)}, {"rule", k.rule}}, float64(counts[k]))
	}
	header(bw, "sandbank_request_duration_seconds", "Wall time from a provider request's arrival to its reply, scenario latency included.", "histogram")
	for _, k := range lats {
		h := hists[k]
		var cum uint64
		for i, le := range Buckets {
			cum += h.counts[i]
			sample(bw, "sandbank_request_duration_seconds_bucket", []Label{{"provider", k.provider}, {"operation", k.operation}, {"le", formatFloat(le)}}, float64(cum))
		}
		sample(bw, "sandbank_request_duration_seconds_bucket", []Label{{"provider", k.provider}, {"operation", k.operation}, {"le", "+Inf"}}, float64(h.n))
		sample(bw, "sandbank_request_duration_seconds_sum", []Label{{"provider", k.provider}, {"operation", k.operation}}, h.sum)
		sample(bw, "sandbank_request_duration_seconds_count", []Label{{"provider", k.provider}, {"operation", k.operation}}, float64(h.n))
	}
	for _, f := range fams {
		header(bw, f.name, f.help, f.kind)
		for _, s := range f.read() {
			sample(bw, f.name, s.Labels, s.Value)
		}
	}
	return bw.Flush()
}

func header(w *bufio.Writer, name, help, kind string) {
	w.WriteString("# HELP " + name + " " + escapeHelp(help) + "\n# TYPE " + name + " " + kind + "\n")
}

func sample(w *bufio.Writer, name string, labels []Label, v float64) {
	w.WriteString(name)
	if len(labels) > 0 {
		w.WriteByte('{')
		for i, l := range labels {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(l.Name + `="` + escapeValue(l.Value) + `"`)
		}
		w.WriteByte('}')
	}
	w.WriteString(" " + formatFloat(v) + "\n")
}

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	valueEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

func escapeHelp(s string) string  { return helpEscaper.Replace(s) }
func escapeValue(s string) string { return valueEscaper.Replace(s) }

// CounterVec is a family of counters told apart by label values, counted here.
type CounterVec struct {
	labels []string
	mu     sync.Mutex
	vals   map[string]float64
	keys   map[string][]string
}

// NewCounterVec adds a counter family with the given label names.
func (r *Registry) NewCounterVec(name, help string, labels ...string) *CounterVec {
	c := &CounterVec{labels: labels, vals: map[string]float64{}, keys: map[string][]string{}}
	r.Counter(name, help, c.samples)
	return c
}

// Inc adds one to the counter with these label values, given in the order of the
// family's label names.
func (c *CounterVec) Inc(values ...string) {
	k := strings.Join(values, "\xff")
	c.mu.Lock()
	if _, ok := c.keys[k]; !ok {
		c.keys[k] = append([]string(nil), values...)
	}
	c.vals[k]++
	c.mu.Unlock()
}

func (c *CounterVec) samples() []Sample {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]string, 0, len(c.vals))
	for k := range c.vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Sample, 0, len(keys))
	for _, k := range keys {
		s := Sample{Value: c.vals[k]}
		for i, name := range c.labels {
			v := ""
			if i < len(c.keys[k]) {
				v = c.keys[k][i]
			}
			s.Labels = append(s.Labels, Label{Name: name, Value: v})
		}
		out = append(out, s)
	}
	return out
}
