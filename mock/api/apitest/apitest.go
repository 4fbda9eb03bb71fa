// Package apitest serves one provider for that provider's own in-package tests.
//
// Those tests cannot use mock/app (the app imports every provider, so importing
// it from inside one is a cycle), yet they need what the app does around a
// handler: auth, a decision, the handler, the provider's renderer for every
// error including 404 and 405. Serve does exactly those steps, with the decision
// set by the test, so each provider does not grow its own copy of them. The full
// pipeline (scenarios, faults, journal) is covered by the providers' external
// tests through mock/sandbanktest.
package apitest

import (
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/envelope"
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

// Server is one provider behind an httptest server.
type Server struct {
	*httptest.Server
	p     api.Provider
	clock *Clock
	mu    sync.Mutex
	next  *scenario.Decision
}

// Serve mounts p's routes at the root and its control-plane routes under
// /_sandbox/<name>, and closes the server when the test ends.
func Serve(t testing.TB, p api.Provider, clk *Clock) *Server {
	t.Helper()
	s := &Server{p: p, clock: clk}
	e := echo.New()
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		kind := envelope.KindInternal
		if he, isHTTP := err.(*echo.HTTPError); isHTTP {
			switch he.Code {
			case http.StatusNotFound:
				kind = envelope.KindNotFound
			case http.StatusMethodNotAllowed:
				kind = envelope.KindMethodNotAllowed
			}
		}
		_ = p.Render(c, &envelope.Error{Kind: kind})
	}
	for _, r := range p.Routes() {
		for _, path := range append([]string{r.Path}, r.Aliases...) {
			for _, m := range r.Methods {
				e.Add(m, path, s.handler(r))
			}
		}
	}
	admin := e.Group("/_sandbox/" + p.Name())
	for _, a := range p.Admin() {
		admin.Add(a.Method, a.Path, a.Handler)
	}
	// The app strips one trailing slash before routing; so does this.
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.Path) > 1 && strings.HasSuffix(r.URL.Path, "/") {
			r.URL.Path = strings.TrimSuffix(r.URL.Path, "/")
		}
		e.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// Decide makes d the decision of the next request (one request only).
func (s *Server) Decide(d scenario.Decision) {
	s.mu.Lock()
	s.next = &d
	s.mu.Unlock()
}

func (s *Server) handler(r api.Route) echo.HandlerFunc {
	return func(c echo.Context) error {
		tenant := ""
		if r.Auth != nil {
			var err error
			if tenant, err = r.Auth(c); err != nil {
				return s.render(c, err)
			}
		}
		d := scenario.Default()
		s.mu.Lock()
		if s.next != nil {
			d, s.next = *s.next, nil
		}
		s.mu.Unlock()
		// As in the app: a non-custom route answers a failure from the catalogue
		// without running its handler.
		if !r.Outcomes.Custom && d.Outcome == scenario.Failure {
			return s.render(c, s.p.Errors().Err(d.Code))
		}
		call := &api.Call{Context: c, Operation: r.Operation, Tenant: tenant, Decision: d, Now: s.clock.Now(), Clock: s.clock}
		if err := r.Handler(call); err != nil {
			return s.render(c, err)
		}
		return nil
	}
}

func (s *Server) render(c echo.Context, err error) error {
	e, isEnv := envelope.As(err)
	if !isEnv {
		e = &envelope.Error{Kind: envelope.KindInternal, Cause: err}
	}
	return s.p.Render(c, e)
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
