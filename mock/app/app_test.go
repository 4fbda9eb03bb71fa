package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/config"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/journal"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// fake is a provider small enough to read at a glance, so these tests exercise the
// pipeline and not a real provider's rules.
type fake struct {
	paid *store.Table[int]
}

var fakeErrors = envelope.Catalogue{
	"E1":  {Status: 400, Message: "first failure"},
	"E2":  {Status: 422, Message: "second failure"},
	"U1":  {Status: 200, Message: "in doubt"},
	"403": {Status: 403, Message: "bad key"},
}

func (f *fake) Name() string { return "fake" }
func (f *fake) Hosts() []api.Host {
	return []api.Host{
		{Name: "api.fake.test", Aliases: []string{"beta.fake.test"}, Envelope: api.JSONEnvelope(f.Render)},
	}
}
func (f *fake) RootPrefixes() []string     { return []string{"/v9/"} }
func (f *fake) Errors() envelope.Catalogue { return fakeErrors }
func (f *fake) Admin() []api.AdminRoute {
	return []api.AdminRoute{{Method: "GET", Path: "/paid", Handler: func(c echo.Context) error {
		n, _ := f.paid.Get(c.QueryParam("tenant"), "n")
		return c.JSON(200, map[string]int{"paid": n})
	}}}
}

func (f *fake) Render(c echo.Context, e *envelope.Error) error {
	return c.JSON(e.Status, map[string]any{"code": e.Code, "message": e.Message, "kind": int(e.Kind)})
}

func (f *fake) Routes() []api.Route {
	return []api.Route{
		{Operation: "fake.ping", Methods: []string{"GET"}, Path: "/v1/ping", Handler: api.Plain(func(c *api.Call) error {
			return c.JSON(200, map[string]any{"pong": true, "base": api.Base(c)})
		})},
		{Operation: "fake.root", Methods: []string{"GET"}, Path: "/v9/ping", Handler: api.Plain(func(c *api.Call) error {
			return c.JSON(200, map[string]any{"root": true})
		})},

		{
			Operation: "fake.pay", Methods: []string{"POST"}, Path: "/v1/:key/pay", Aliases: []string{"/pay/:key"},
			Auth: func(c echo.Context) (string, error) {
				if c.Param("key") == "bad" {
					return "", fakeErrors.Err("403")
				}
				return c.Param("key"), nil
			},
			Outcomes: api.Outcomes{Failures: []string{"E1", "E2"}, Unknown: []string{"U1"}, Statuses: []string{"NEW", "DONE"}},
			TrackID:  func(c echo.Context) string { return c.QueryParam("trackId") },
			Handler: api.Plain(func(c *api.Call) error {
				_ = f.paid.Upsert(c.Tenant, "n", func() int { return 0 }, func(p *int) error { *p++; return nil })
				return c.JSON(200, map[string]any{"paid": true, "tenant": c.Tenant})
			}),
		},
		{Operation: "fake.panic", Methods: []string{"GET"}, Path: "/v1/panic", Handler: api.Plain(func(c *api.Call) error {
			panic("handler bug")
		})},
	}
}

type testServer struct {
	*httptest.Server
	app *App
}

func start(t *testing.T, mod func(*config.Config)) *testServer {
	t.Helper()
	cfg := config.Default()
	cfg.ClockStart = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	cfg.FaultTimeout = 100 * time.Millisecond
	cfg.BodyLimit = 64
	if mod != nil {
		mod(&cfg)
	}
	a, err := build(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), func(deps func(string) api.Deps) ([]api.Provider, error) {
		d := deps("fake")
		return []api.Provider{&fake{paid: store.NewTable[int](d.Store, "fake.paid")}}, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(a)
	t.Cleanup(hs.Close)
	return &testServer{hs, a}
}

type reply struct {
	status int
	header http.Header
	body   string
	json   map[string]any
}

func (s *testServer) do(t *testing.T, method, path, host, body string, headers ...string) reply {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if host != "" {
		req.Host = host
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := s.Client().Do(req)
	if err != nil {
		return reply{status: -1, body: err.Error()}
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	r := reply{status: res.StatusCode, header: res.Header, body: string(data)}
	_ = json.Unmarshal(data, &r.json)
	return r
}

func TestMounting(t *testing.T) {
	s := start(t, nil)
	host := strings.TrimPrefix(s.URL, "http://")
	cases := []struct{ name, path, host, base string }{
		{"real host prefix", "/api.fake.test/v1/ping", "", s.URL + "/api.fake.test"},
		{"second host prefix", "/beta.fake.test/v1/ping", "", s.URL + "/beta.fake.test"},
		{"alias", "/fake/v1/ping", "", s.URL + "/fake"},
		{"trailing slash", "/fake/v1/ping/", "", s.URL + "/fake"},
		{"Host header", "/v1/ping", "api.fake.test", "http://api.fake.test"},
		{"Host .localhost with port", "/v1/ping", "beta.fake.test.localhost:8080", "http://beta.fake.test.localhost:8080"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := s.do(t, "GET", c.path, c.host, "")
			if r.status != 200 || r.json["base"] != c.base {
				t.Fatalf("%d %s (want base %s)", r.status, r.body, c.base)
			}
		})
	}
	if r := s.do(t, "GET", "/v9/ping", "", ""); r.status != 200 || r.json["root"] != true {
		t.Fatalf("root prefix: %d %s", r.status, r.body)
	}
	_ = host
}

func TestAliasPathsShareTheOperation(t *testing.T) {
	s := start(t, nil)
	for _, path := range []string{"/fake/v1/k/pay", "/fake/pay/k"} {
		if r := s.do(t, "POST", path, "", "", HeaderOutcome, "failure:E1"); r.status != 400 || r.json["code"] != "E1" {
			t.Fatalf("%s: the forced failure of fake.pay did not apply: %d %s", path, r.status, r.body)
		}
	}
	var ops []string
	for _, e := range s.app.Journal().Query(journal.Filter{Limit: 2}) {
		ops = append(ops, e.Operation+" "+e.Path)
	}
	if len(ops) != 2 || !strings.HasPrefix(ops[0], "fake.pay ") || !strings.HasPrefix(ops[1], "fake.pay ") {
		t.Fatalf("journal: %v", ops)
	}
	aliases := 0
	for _, r := range s.app.Routes() {
		if r.Operation == "fake.pay" && r.Alias == 1 && r.Path == "/pay/:key" {
			aliases++
		}
	}
	if aliases != 1 {
		t.Fatalf("/_sandbox/routes does not list the alias: %v", s.app.Routes())
	}
}

func TestErrorsInTheProvidersFormat(t *testing.T) {
	s := start(t, nil)
	r := s.do(t, "GET", "/fake/v1/nothing-here", "", "")
	if r.status != 404 || r.json["kind"] != float64(envelope.KindNotFound) {
		t.Fatalf("unknown path under mount: %d %s", r.status, r.body)
	}
	r = s.do(t, "DELETE", "/fake/v1/ping", "", "")
	if r.status != 405 || r.json["kind"] != float64(envelope.KindMethodNotAllowed) {
		t.Fatalf("wrong method: %d %s", r.status, r.body)
	}
	r = s.do(t, "GET", "/nowhere", "", "")
	if r.status != 404 || r.json["error"] == nil {
		t.Fatalf("path outside every mount: %d %s", r.status, r.body)
	}
	r = s.do(t, "POST", "/fake/v1/k/pay", "", strings.Repeat("x", 65))
	if r.status != 413 || r.json["kind"] != float64(envelope.KindTooLarge) {
		t.Fatalf("body over limit: %d %s", r.status, r.body)
	}
	r = s.do(t, "GET", "/fake/v1/panic", "", "")
	if r.status != 500 || r.json["kind"] != float64(envelope.KindInternal) {
		t.Fatalf("panic: %d %s", r.status, r.body)
	}
	r = s.do(t, "POST", "/fake/v1/bad/pay", "", "")
	if r.status != 403 || r.json["code"] != "403" || r.header.Get(HeaderRule) != "default" {
		t.Fatalf("auth failure: %d %s %v", r.status, r.body, r.header)
	}
}

func paid(t *testing.T, s *testServer, tenant string) float64 {
	var out map[string]float64
	res, err := s.Client().Get(s.URL + "/_sandbox/fake/paid?tenant=" + tenant)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	_ = json.NewDecoder(res.Body).Decode(&out)
	return out["paid"]
}

func TestOutcomeHeader(t *testing.T) {
	s := start(t, nil)
	r := s.do(t, "POST", "/fake/v1/k/pay", "", "", HeaderOutcome, "failure:E1")
	if r.status != 400 || r.json["code"] != "E1" || r.header.Get(HeaderRule) != "header" {
		t.Fatalf("forced failure: %d %s %v", r.status, r.body, r.header)
	}
	if paid(t, s, "k") != 0 {
		t.Fatal("a forced failure ran the handler")
	}
	r = s.do(t, "POST", "/fake/v1/k/pay", "", "", HeaderOutcome, "failure:NOPE")
	if r.status != 200 || !strings.Contains(r.header.Get(HeaderError), "NOPE") || r.header.Get(HeaderRule) != "default" {
		t.Fatalf("bad override must be reported in a header only: %d %s %v", r.status, r.body, r.header)
	}
	r = s.do(t, "POST", "/fake/v1/k/pay", "", "", HeaderScenario, "no-such")
	if r.status != 200 || !strings.Contains(r.header.Get(HeaderError), "no-such") {
		t.Fatalf("unknown scenario header: %d %v", r.status, r.header)
	}
	r = s.do(t, "POST", "/fake/v1/k/pay", "", "", HeaderOutcome, "unknown:U1")
	if r.status != 200 || r.json["code"] != "U1" {
		t.Fatalf("in-doubt code: %d %s", r.status, r.body)
	}
}

func TestScenarioPerTenantTimesAndJournal(t *testing.T) {
	s := start(t, nil)
	sc := `name: pay-twice-fails
description: the first payment of a tenant fails with E2, big ones with E1
rules:
  - operation: fake.pay
    outcome: failure
    code: E2
    times: 1
  - operation: fake.pa?
    when:
      body.amount: {gte: 1000}
    outcome: failure
    code: E1
`
	r := s.do(t, "POST", "/_sandbox/scenarios", "", sc, "Content-Type", "application/yaml")
	if r.status != 201 {
		t.Fatalf("add scenario: %d %s", r.status, r.body)
	}
	r = s.do(t, "PUT", "/_sandbox/scenarios/active", "", `{"name":"pay-twice-fails","tenant":"k1"}`, "Content-Type", "application/json")
	if r.status != 200 {
		t.Fatalf("activate: %d %s", r.status, r.body)
	}
	want := []struct {
		tenant, body string
		status       int
		rule         string
	}{
		{"k1", `{"amount":5}`, 422, "pay-twice-fails#1"},
		{"k1", `{"amount":5}`, 200, "default"},
		{"k1", `{"amount":5000}`, 400, "pay-twice-fails#2"},
		{"k2", `{"amount":5000}`, 200, "default"},
	}
	for i, w := range want {
		r := s.do(t, "POST", "/fake/v1/"+w.tenant+"/pay?trackId=t"+string(rune('0'+i)), "", w.body, "Content-Type", "application/json")
		if r.status != w.status || r.header.Get(HeaderRule) != w.rule {
			t.Fatalf("request %d: %d rule %q, want %d %q", i, r.status, r.header.Get(HeaderRule), w.status, w.rule)
		}
	}
	var j struct {
		Entries []map[string]any
	}
	res, _ := s.Client().Get(s.URL + "/_sandbox/journal?tenant=k1&operation=fake.pay")
	_ = json.NewDecoder(res.Body).Decode(&j)
	res.Body.Close()
	if len(j.Entries) != 3 || j.Entries[0]["rule"] != "pay-twice-fails#2" || j.Entries[2]["track_id"] != "t0" ||
		j.Entries[0]["request_body"].(map[string]any)["amount"] != float64(5000) || j.Entries[0]["status"] != float64(400) {
		t.Fatalf("journal: %+v", j.Entries)
	}
	// A reset of k1 starts its counters again: the first payment fails once more.
	s.do(t, "POST", "/_sandbox/reset?tenant=k1", "", "")
	if r := s.do(t, "POST", "/fake/v1/k1/pay", "", `{}`); r.status != 422 {
		t.Fatalf("after reset: %d", r.status)
	}
}

func TestFaults(t *testing.T) {
	s := start(t, nil)
	r := s.do(t, "POST", "/fake/v1/k/pay", "", "", HeaderOutcome, "unknown")
	if r.status != -1 {
		t.Fatalf("unknown without code must lose the reply (timeout): %d %s", r.status, r.body)
	}
	if paid(t, s, "k") != 1 {
		t.Fatal("an in-doubt request must still reach the handler")
	}
	for _, c := range []struct {
		fault  string
		status int
		check  func(reply) bool
	}{
		{"http502", 502, func(r reply) bool { return strings.Contains(r.body, "502 Bad Gateway") }},
		{"http503", 503, func(r reply) bool { return strings.Contains(r.body, "503") }},
		{"garbage", 200, func(r reply) bool { return r.json == nil && r.body != "" }},
		{"reset", -1, func(r reply) bool { return true }},
		{"timeout", -1, func(r reply) bool { return true }},
	} {
		sc := `{"name":"f-` + c.fault + `","rules":[{"operation":"fake.ping","fault":"` + c.fault + `"}]}`
		if r := s.do(t, "POST", "/_sandbox/scenarios", "", sc, "Content-Type", "application/json"); r.status != 201 {
			t.Fatalf("%s: %d %s", c.fault, r.status, r.body)
		}
		r := s.do(t, "GET", "/fake/v1/ping", "", "", HeaderScenario, "f-"+c.fault)
		if r.status != c.status || !c.check(r) {
			t.Fatalf("%s: %d %q", c.fault, r.status, r.body)
		}
	}
}

func TestLatency(t *testing.T) {
	s := start(t, nil)
	s.do(t, "POST", "/_sandbox/scenarios", "", `{"name":"slow","rules":[{"operation":"fake.ping","latency":"150ms"}]}`, "Content-Type", "application/json")
	began := time.Now()
	r := s.do(t, "GET", "/fake/v1/ping", "", "", HeaderScenario, "slow")
	if took := time.Since(began); r.status != 200 || took < 150*time.Millisecond {
		t.Fatalf("latency not applied: %d after %v", r.status, took)
	}
}

func TestControlPlane(t *testing.T) {
	s := start(t, nil)
	r := s.do(t, "GET", "/_sandbox/health", "", "")
	if r.status != 200 || r.json["status"] != "ok" || !strings.HasSuffix(r.json["now"].(string), "+03:30") {
		t.Fatalf("health: %s", r.body)
	}
	cases := []struct {
		body   string
		status int
		now    string
	}{
		{`{"set":"2026-11-26T14:00:00+03:30"}`, 200, "2026-11-26T14:00:00+03:30"},
		{`{"advance":"90m"}`, 200, "2026-11-26T15:30:00+03:30"},
		{`{"jump":"next-paya-cycle"}`, 200, "2026-11-28T03:45:00+03:30"},
		{`{"advance":"1d2h"}`, 200, "2026-11-29T05:45:00+03:30"},
		{`{"advance":"-5m"}`, 400, ""},
		{`{"advance":"soon"}`, 400, ""},
		{`{"jump":"tomorrow"}`, 400, ""},
		{`{"advance":"1m","set":"2026-11-26T14:00:00+03:30"}`, 400, ""},
		{`{"speed":2}`, 400, ""},
		{`not json`, 400, ""},
	}
	for _, c := range cases {
		r := s.do(t, "POST", "/_sandbox/clock", "", c.body, "Content-Type", "application/json")
		if r.status != c.status || (c.now != "" && r.json["now"] != c.now) || (c.status == 400 && r.json["error"] == nil) {
			t.Fatalf("clock %s: %d %s", c.body, r.status, r.body)
		}
	}
	r = s.do(t, "POST", "/_sandbox/scenarios", "", "name: broken\nrules:\n  - operation: fake.pay\n    outcome: failure\n    code: NOPE\n", "Content-Type", "application/yaml")
	if r.status != 400 || !strings.Contains(r.json["error"].(string), "request.yaml:5") {
		t.Fatalf("invalid scenario: %d %s", r.status, r.body)
	}
	if r := s.do(t, "PUT", "/_sandbox/scenarios/active", "", `{"name":"missing"}`); r.status != 404 {
		t.Fatalf("activate unknown: %d %s", r.status, r.body)
	}
	if r := s.do(t, "GET", "/_sandbox/routes", "", ""); r.status != 200 || len(r.json["routes"].([]any)) < 4 {
		t.Fatalf("routes: %s", r.body)
	}
	if r := s.do(t, "GET", "/_sandbox/journal?status=abc", "", ""); r.status != 400 {
		t.Fatalf("bad journal filter: %d", r.status)
	}
	if r := s.do(t, "GET", "/_sandbox/nothing", "", ""); r.status != 404 || r.json["error"] == nil {
		t.Fatalf("unknown control call: %d %s", r.status, r.body)
	}
	if r := s.do(t, "GET", "/_sandbox/ui", "", ""); r.status != 200 || !strings.Contains(r.body, `id="clock-now"`) {
		t.Fatalf("ui: %d", r.status)
	}
}

func TestStateSnapshotRestore(t *testing.T) {
	s := start(t, nil)
	s.do(t, "POST", "/fake/v1/k/pay", "", "")
	s.do(t, "POST", "/fake/v1/k/pay", "", "")
	snap := s.do(t, "GET", "/_sandbox/state/k", "", "")
	if snap.status != 200 {
		t.Fatal(snap.body)
	}
	s.do(t, "POST", "/fake/v1/k/pay", "", "")
	if paid(t, s, "k") != 3 {
		t.Fatal("setup")
	}
	if r := s.do(t, "PUT", "/_sandbox/state/k", "", snap.body, "Content-Type", "application/json"); r.status != 200 {
		t.Fatalf("restore: %d %s", r.status, r.body)
	}
	if paid(t, s, "k") != 2 {
		t.Fatalf("after restore paid = %v", paid(t, s, "k"))
	}
	if r := s.do(t, "PUT", "/_sandbox/state/k", "", `{"tables":{"nope":[]}}`); r.status != 400 {
		t.Fatalf("restore of unknown table: %d", r.status)
	}
	s.do(t, "POST", "/_sandbox/reset", "", "")
	if paid(t, s, "k") != 0 {
		t.Fatal("reset left state")
	}
}

func TestOpSpecCodesMustBeInCatalogue(t *testing.T) {
	_, err := build(config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), func(func(string) api.Deps) ([]api.Provider, error) {
		return []api.Provider{&broken{}}, nil
	}, nil)
	if err == nil || !strings.Contains(err.Error(), "ZZ") {
		t.Fatalf("got %v", err)
	}
}

type broken struct{ fake }

func (b *broken) Routes() []api.Route {
	return []api.Route{{Operation: "fake.x", Methods: []string{"GET"}, Path: "/x", Outcomes: api.Outcomes{Failures: []string{"ZZ"}}, Handler: func(*api.Call) error { return nil }}}
}

var _ = scenario.Default

// An SDK that hard-codes https://<host> reaches sandbank once the host resolves to
// it and the local CA is trusted.
func TestTLSListenerServesProviderHosts(t *testing.T) {
	cfg := config.Default()
	cfg.TLSAddr = "127.0.0.1:0"
	cfg.TLSDir = t.TempDir()
	a, err := build(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), func(deps func(string) api.Deps) ([]api.Provider, error) {
		return []api.Provider{&fake{paid: store.NewTable[int](deps("fake").Store, "fake.paid")}}, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(a)
	hs.TLS = a.TLSConfig()
	hs.StartTLS()
	defer hs.Close()

	res, err := hs.Client().Get(hs.URL + "/_sandbox/tls/ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	pemBytes, _ := io.ReadAll(res.Body)
	res.Body.Close()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatalf("ca.pem: %s", pemBytes)
	}
	addr := strings.TrimPrefix(hs.URL, "https://")
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr) // as if /etc/hosts sent the name here
		},
	}}
	res, err = client.Get("https://api.fake.test/v1/ping")
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if res.StatusCode != 200 || body["base"] != "https://api.fake.test" {
		t.Fatalf("https with the provider's host: %d %v", res.StatusCode, body)
	}
	if _, err := client.Get("https://example.com/v1/ping"); err == nil {
		t.Fatal("certificate accepted for a host sandbank does not serve")
	}
}

func TestCAIsNotServedWithoutTLS(t *testing.T) {
	s := start(t, nil)
	if r := s.do(t, "GET", "/_sandbox/tls/ca.pem", "", ""); r.status != 404 || r.json["error"] == nil {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

// TestRoutesAreBuiltOnce: /_sandbox/routes answers from the table sorted when the
// app was built, so a call costs one copy, not a walk of every provider's routes
// and a sort.
func TestRoutesAreBuiltOnce(t *testing.T) {
	s := start(t, nil)
	routes := s.app.Routes()
	if len(routes) == 0 {
		t.Fatal("no routes")
	}
	if !sort.SliceIsSorted(routes, func(i, j int) bool {
		if routes[i].Provider != routes[j].Provider {
			return routes[i].Provider < routes[j].Provider
		}
		return routes[i].Path < routes[j].Path
	}) {
		t.Fatalf("routes not sorted by provider, path: %v", routes)
	}
	routes[0].Path = "changed by a caller"
	if s.app.Routes()[0].Path == "changed by a caller" {
		t.Fatal("Routes hands out the table itself")
	}
	if n := testing.AllocsPerRun(20, func() { s.app.Routes() }); n > 1 {
		t.Fatalf("Routes allocates %v times a call, want 1 (the copy)", n)
	}
}
