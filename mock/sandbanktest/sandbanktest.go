// Package sandbanktest runs sandbank in-process for Go tests:
//
//	srv := sandbanktest.Start(t)
//	sdk := kavenegar.New(key)      // an SDK that hard-codes https://api.kavenegar.com
//	sdk.HTTPClient = srv.Client()  // ...reaches this server: no port, CA or hosts file
//	srv.Admin.Advance("10s")
//	entries := srv.Admin.Journal("operation=kavenegar.smsSend")
//
// Client and Transport answer every provider host (https or http) from the
// server in memory; srv.URL is also served for clients that take a base URL.
// Every server is independent, so tests can run in parallel.
package sandbanktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/app"
	"github.com/sandbank-dev/sandbank/mock/config"
	"github.com/sandbank-dev/sandbank/mock/journal"
)

// Server is a running sandbank.
type Server struct {
	URL   string // http://127.0.0.1:port
	App   *app.App
	Admin *Admin
	hosts map[string]bool // every provider host name the app serves
}

// Option changes the configuration before the server starts. Options may come in
// any order: WithConfig, which loads a whole configuration, is applied before
// every other option, so WithStrict or WithClock are never undone by it.
type Option struct {
	base  bool // loads a whole configuration; applied first
	apply func(*config.Config) error
}

func option(f func(*config.Config) error) Option { return Option{apply: f} }

// WithClock freezes the virtual clock at t.
func WithClock(t time.Time) Option {
	return option(func(c *config.Config) error { c.ClockStart = t; c.Clock = t.Format(time.RFC3339); return nil })
}

// WithSeed sets the data seed.
func WithSeed(seed int64) Option {
	return option(func(c *config.Config) error { c.Seed = seed; return nil })
}

// WithStrict accepts only credentials declared in the config.
func WithStrict() Option { return option(func(c *config.Config) error { c.Strict = true; return nil }) }

// WithScenarios loads a scenario directory.
func WithScenarios(dir string) Option {
	return option(func(c *config.Config) error { c.Scenarios = dir; return nil })
}

// WithFaultTimeout shortens how long a timeout fault holds the connection.
func WithFaultTimeout(d time.Duration) Option {
	return option(func(c *config.Config) error { c.FaultTimeout = d; return nil })
}

// WithConfig reads a YAML config (the same format as --config). It is applied
// before the other options whatever its place in the list.
func WithConfig(yamlText string) Option {
	return Option{base: true, apply: func(c *config.Config) error {
		f, err := os.CreateTemp("", "sandbank-*.yaml")
		if err != nil {
			return err
		}
		defer os.Remove(f.Name())
		if _, err := f.WriteString(yamlText); err != nil {
			return err
		}
		f.Close()
		loaded, _, err := config.Load([]string{"--config", f.Name()}, func(string) string { return "" }, time.UTC, io.Discard)
		if err != nil {
			return err
		}
		loaded.Addr = c.Addr
		*c = loaded
		return nil
	}}
}

// Start runs a server for the rest of the test.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := config.Default()
	cfg.Addr = "127.0.0.1:0"
	for _, base := range []bool{true, false} {
		for _, o := range opts {
			if o.base != base || o.apply == nil {
				continue
			}
			if err := o.apply(&cfg); err != nil {
				t.Fatalf("sandbanktest: %v", err)
			}
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("SANDBANK_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	a, err := app.New(cfg, log)
	if err != nil {
		t.Fatalf("sandbanktest: %v", err)
	}
	hs := httptest.NewServer(a)
	// End the dashboard's event streams first: Close waits for every request.
	t.Cleanup(func() { a.Close(); hs.Close() })
	return &Server{URL: hs.URL, App: a, Admin: &Admin{t: t, base: hs.URL, c: hs.Client()}, hosts: hostsOf(a)}
}

// Base is the URL of a provider mount: a host name ("api.kavenegar.com") or an
// alias ("kavenegar").
func (s *Server) Base(mount string) string { return s.URL + "/" + mount }

// Admin is a small client of the control plane. Its methods fail the test on error.
type Admin struct {
	t    testing.TB
	base string
	c    *http.Client
}

// Do sends one control-plane request and decodes the JSON answer into out (when
// not nil); it returns the status.
func (a *Admin) Do(method, path string, body any, out any) int {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			a.t.Fatalf("sandbanktest: %v", err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.base+"/_sandbox"+path, rd)
	if err != nil {
		a.t.Fatalf("sandbanktest: %v", err)
	}
	if s, ok := body.(string); ok && !strings.HasPrefix(strings.TrimSpace(s), "{") {
		req.Header.Set("Content-Type", "application/yaml")
	} else if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := a.c.Do(req)
	if err != nil {
		a.t.Fatalf("sandbanktest: %s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			a.t.Fatalf("sandbanktest: %s %s: %v in %s", method, path, err, data)
		}
	}
	return res.StatusCode
}

func (a *Admin) must(status int, want int, what string) {
	a.t.Helper()
	if status != want {
		a.t.Fatalf("sandbanktest: %s: status %d, want %d", what, status, want)
	}
}

// Now reads the virtual clock.
func (a *Admin) Now() time.Time {
	a.t.Helper()
	var v struct{ Now string }
	a.must(a.Do("GET", "/clock", nil, &v), 200, "clock")
	t, err := time.Parse(time.RFC3339, v.Now)
	if err != nil {
		a.t.Fatalf("sandbanktest: clock: %v", err)
	}
	return t
}

// Advance moves the virtual clock forward ("90s", "2h", "1d").
func (a *Admin) Advance(d string) {
	a.t.Helper()
	a.must(a.Do("POST", "/clock", map[string]string{"advance": d}, nil), 200, "advance "+d)
}

// SetClock moves the virtual clock to t.
func (a *Admin) SetClock(t time.Time) {
	a.t.Helper()
	a.must(a.Do("POST", "/clock", map[string]string{"set": t.Format(time.RFC3339)}, nil), 200, "set clock")
}

// Jump moves the clock to a named point ("next-business-day", "next-paya-cycle").
func (a *Admin) Jump(name string) {
	a.t.Helper()
	a.must(a.Do("POST", "/clock", map[string]string{"jump": name}, nil), 200, "jump "+name)
}

// AddScenario uploads a scenario (YAML or JSON text).
func (a *Admin) AddScenario(text string) {
	a.t.Helper()
	var out map[string]any
	if st := a.Do("POST", "/scenarios", text, &out); st != 201 {
		a.t.Fatalf("sandbanktest: add scenario: %d %v", st, out)
	}
}

// Activate makes a scenario active globally (tenant "") or for one tenant.
func (a *Admin) Activate(name, tenant string) {
	a.t.Helper()
	a.must(a.Do("PUT", "/scenarios/active", map[string]string{"name": name, "tenant": tenant}, nil), 200, "activate "+name)
}

// Journal queries the journal with a raw query string ("operation=x&limit=5").
func (a *Admin) Journal(query string) []journal.Entry {
	a.t.Helper()
	var out struct{ Entries []journal.Entry }
	a.must(a.Do("GET", "/journal?"+query, nil, &out), 200, "journal")
	return out.Entries
}

// Count answers how many journaled requests match operation (an id or a glob)
// and when, the predicates of a scenario rule ({"tenant": "k", "body.receptor":
// "09121234567", "header.Authorization": {"regex": "^Bearer "}}): WireMock's
// verify, over POST /_sandbox/journal/count.
func (a *Admin) Count(operation string, when map[string]any) int {
	a.t.Helper()
	var out struct{ Count int }
	a.must(a.Do("POST", "/journal/count", map[string]any{"operation": operation, "when": when}, &out), 200, "journal count")
	return out.Count
}

// Reset drops one tenant's state, or everything for tenant "".
func (a *Admin) Reset(tenant string) {
	a.t.Helper()
	a.must(a.Do("POST", "/reset?tenant="+url.QueryEscape(tenant), nil, nil), 200, "reset")
}

// Get reads any control-plane JSON into out and returns the status.
func (a *Admin) Get(path string, out any) int {
	a.t.Helper()
	return a.Do("GET", path, nil, out)
}

// String is the server's URL.
func (s *Server) String() string { return fmt.Sprint(s.URL) }
