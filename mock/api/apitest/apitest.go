// Package apitest serves one provider for that provider's own in-package tests.
//
// Those tests cannot use mock/app (the app imports every provider, so importing
// it from inside one is a cycle), so the pipeline lives in mock/pipeline, which
// imports no provider, and both the app and Serve run it: what a unit test sees
// is what a client sees. Scenario files, faults and the journal are covered by
// the providers' external tests through mock/sandbanktest.
package apitest

import (
	"flag"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/config"
	"github.com/sandbank-dev/sandbank/mock/pipeline"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// Clock is a clock that moves only when told.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Server is one provider behind an httptest server, run by the app's own
// pipeline (mock/pipeline).
type Server struct {
	*httptest.Server
	p     api.Provider
	clock *Clock
	mu    sync.Mutex
	next  *scenario.Decision
}

// Serve mounts p as the app does (every host, alias and root prefix) and also
// at the server root, its control-plane routes under /_sandbox/<name>, and
// closes the server when the test ends. Requests run through the app's
// pipeline: body limit, trackId, auth, decision, Parse, the forced outcome,
// Run, envelope and journal-free delivery. Faults are not applied (see
// pipeline.Config.NoFaults); a decision set with Decide stands in for the
// scenario set.
func Serve(t testing.TB, p api.Provider, clk *Clock) *Server {
	t.Helper()
	s := &Server{p: p, clock: clk}
	def := config.Default()
	g := pipeline.New(pipeline.Config{
		Clock: clk, BodyLimit: def.BodyLimit, FaultTimeout: def.FaultTimeout,
		Next: s.take, NoFaults: true, RootHost: api.MainHost(p),
	})
	if err := g.Add(p); err != nil {
		t.Fatalf("apitest: %v", err)
	}
	admin := g.Echo().Group("/_sandbox/" + p.Name())
	for _, a := range p.Admin() {
		admin.Add(a.Method, a.Path, a.Handler)
	}
	s.Server = httptest.NewServer(g)
	t.Cleanup(s.Close)
	return s
}

// Decide makes d the decision of the next request (one request only), as if a
// scenario rule had chosen it: a header still wins, and magic values do not
// override it.
func (s *Server) Decide(d scenario.Decision) {
	if d.Rule == "" {
		d.Rule = "test"
	}
	s.mu.Lock()
	s.next = &d
	s.mu.Unlock()
}

func (s *Server) take() (scenario.Decision, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.next == nil {
		return scenario.Decision{}, false
	}
	d := *s.next
	s.next = nil
	return d, true
}

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// Golden compares got with the file at path, ignoring surrounding white space,
// or rewrites the file when the test runs with -update.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	got = []byte(strings.TrimSpace(string(got)))
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if strings.TrimSpace(string(want)) != string(got) {
		t.Errorf("%s differs:\n got %s\nwant %s", path, got, want)
	}
}
