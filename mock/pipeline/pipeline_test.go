package pipeline_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/pipeline"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

type clk struct{}

func (clk) Now() time.Time { return time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC) }

var cat = envelope.Catalogue{
	"E1":  {Status: 400, Message: "first failure"},
	"E2":  {Status: 422, Message: "second failure"},
	"U1":  {Status: 200, Message: "in doubt"},
	"R1":  {Status: 200, Message: "answered in the reply"},
	"BAD": {Status: 400, Message: "bad amount"},
}

// two is a provider with two hosts, each with its own error family.
type two struct{ ran int }

func (p *two) Name() string               { return "two" }
func (p *two) RootPrefixes() []string     { return nil }
func (p *two) Errors() envelope.Catalogue { return cat }
func (p *two) Admin() []api.AdminRoute    { return nil }
func (p *two) Hosts() []api.Host {
	return []api.Host{
		{Name: "api.two.test", Aliases: []string{"beta.two.test"}, Envelope: api.JSONEnvelope(func(c echo.Context, e *envelope.Error) error {
			code, status, msg := cat.Resolve(e, envelope.Raised{envelope.KindNotFound: {Code: "E1", Status: 404}, envelope.KindMethodNotAllowed: {Code: "E1", Status: 405}})
			return c.JSON(status, map[string]any{"code": code, "message": msg})
		})},
		{Name: "ipg.two.test", Aliases: []string{"twoipg"}, Envelope: api.JSONEnvelope(func(c echo.Context, e *envelope.Error) error {
			return c.JSON(e.Status, map[string]any{"ipg_error": e.Code, "kind": int(e.Kind)})
		})},
	}
}

// charge is a two-phase operation with a magic value: amount 13 stands for a
// failure E2; amount 0 is invalid whatever the decision says; R1 is answered
// inside the reply.
func (p *two) charge() api.Op[int, map[string]any] {
	return api.Op[int, map[string]any]{
		Parse: func(c *api.Call) (int, error) {
			n, err := strconv.Atoi(c.QueryParam("amount"))
			if err != nil || n <= 0 {
				return 0, cat.Err("BAD")
			}
			return n, nil
		},
		Magic: func(c *api.Call, amount int) (scenario.Decision, bool) {
			if amount == 13 {
				return scenario.Decision{Outcome: scenario.Failure, Code: "E2", Fault: scenario.FaultNone}, true
			}
			return scenario.Decision{}, false
		},
		Run: func(c *api.Call, amount int) (map[string]any, error) {
			p.ran++
			return map[string]any{"charged": amount, "outcome": string(c.Decision.Outcome), "code": c.Decision.Code}, nil
		},
	}
}

func (p *two) Routes() []api.Route {
	return []api.Route{
		{Operation: "two.charge", Methods: []string{"POST"}, Path: "/v1/charge", Handler: api.Handle(p.charge()),
			Outcomes: api.Outcomes{Failures: []string{"E1", "E2", "R1"}, Unknown: []string{"U1"}, InReply: []string{"R1"}}},
		{Operation: "two.ping", Methods: []string{"GET"}, Path: "/v1/ping", Handler: api.Plain(func(c *api.Call) error {
			return c.JSON(200, map[string]any{"pong": true})
		}), Outcomes: api.Outcomes{Failures: []string{"E1"}}},
		{Operation: "two.ipgPay", Methods: []string{"POST"}, Path: "/v1/pay", Host: "ipg.two.test", Handler: api.Plain(func(c *api.Call) error {
			return c.JSON(200, map[string]any{"ipg": true})
		})},
		{Operation: "two.echo", Methods: []string{"GET"}, Path: "/v1/echo/:id", Handler: api.Plain(func(c *api.Call) error {
			// Quoted: JSON would write a stray byte as U+FFFD itself.
			return c.JSON(200, map[string]any{"id": strconv.Quote(c.Param("id")), "q": strconv.Quote(c.QueryParam("q")), "raw": c.Request().URL.RawQuery})
		})},
	}
}

type server struct {
	*httptest.Server
	p    *two
	mu   sync.Mutex
	next *scenario.Decision
}

func start(t *testing.T) *server {
	s := &server{p: &two{}}
	g := pipeline.New(pipeline.Config{Clock: clk{}, BodyLimit: 1 << 10, FaultTimeout: 10 * time.Millisecond, Next: func() (scenario.Decision, bool) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.next == nil {
			return scenario.Decision{}, false
		}
		d := *s.next
		s.next = nil
		return d, true
	}})
	if err := g.Add(s.p); err != nil {
		t.Fatal(err)
	}
	s.Server = httptest.NewServer(g)
	t.Cleanup(s.Close)
	return s
}

func (s *server) do(t *testing.T, method, path, host string, headers ...string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(""))
	if host != "" {
		req.Host = host
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return res.StatusCode, out
}

// The precedence of decisions, written once: header > scenario > magic value >
// default, and validation (Parse) before any of them.
func TestDecisionPrecedence(t *testing.T) {
	s := start(t)
	scenarioE1 := &scenario.Decision{Outcome: scenario.Failure, Code: "E1", Fault: scenario.FaultNone, Rule: "s#1"}
	tests := []struct {
		name, amount, outcome string
		scenario              *scenario.Decision
		status                int
		code                  string // "" for a reply of Run
		ran                   bool
	}{
		{"default", "5", "", nil, 200, "", true},
		{"magic beats default", "13", "", nil, 422, "E2", false},
		{"header success beats magic", "13", "success", nil, 200, "", true},
		{"header failure beats magic", "13", "failure:E1", nil, 400, "E1", false},
		{"scenario beats magic", "13", "", scenarioE1, 400, "E1", false},
		{"header beats scenario", "13", "success", scenarioE1, 200, "", true},
		{"validation before the header", "0", "failure:E1", nil, 400, "BAD", false},
		{"validation before the scenario", "0", "", scenarioE1, 400, "BAD", false},
		{"coded unknown answered from the catalogue", "5", "unknown:U1", nil, 200, "U1", false},
		{"in-reply code reaches Run", "5", "failure:R1", nil, 200, "", true},
	}
	for _, tt := range tests {
		s.next = tt.scenario
		var h []string
		if tt.outcome != "" {
			h = append(h, pipeline.HeaderOutcome, tt.outcome)
		}
		before := s.p.ran
		st, out := s.do(t, "POST", "/api.two.test/v1/charge?amount="+tt.amount, "", h...)
		ran := s.p.ran > before
		if st != tt.status || ran != tt.ran || (tt.code != "" && out["code"] != tt.code) || (tt.code == "" && out["charged"] == nil) {
			t.Errorf("%s: %d %v (Run ran: %v)", tt.name, st, out, ran)
		}
	}
}

// Each host is its own namespace with its own not-found answer.
func TestHostsAreNamespaces(t *testing.T) {
	s := start(t)
	if st, out := s.do(t, "POST", "/ipg.two.test/v1/pay", ""); st != 200 || out["ipg"] != true {
		t.Fatalf("ipg route: %d %v", st, out)
	}
	if st, _ := s.do(t, "POST", "/v1/pay", "twoipg.localhost:8080"); st != 200 {
		t.Fatalf("ipg by alias Host header: %d", st)
	}
	if st, _ := s.do(t, "GET", "/two/v1/ping", ""); st != 200 {
		t.Fatalf("provider name mounts the main host: %d", st)
	}
	// An ipg path does not answer on the api host, whose 404 is its own.
	if st, out := s.do(t, "POST", "/api.two.test/v1/pay", ""); st != 404 || out["code"] != "E1" {
		t.Fatalf("ipg path on api host: %d %v", st, out)
	}
	if st, out := s.do(t, "GET", "/ipg.two.test/v1/ping", ""); st != 404 || out["ipg_error"] == nil {
		t.Fatalf("api path on ipg host: %d %v", st, out)
	}
	if st, out := s.do(t, "GET", "/ipg.two.test/v1/pay", ""); st != 405 || out["kind"] != float64(envelope.KindMethodNotAllowed) {
		t.Fatalf("wrong method on ipg host: %d %v", st, out)
	}
}

// A route on a host the provider does not have, or an in-reply code that is not
// an outcome of the route, fails at start-up.
func TestWiringChecked(t *testing.T) {
	for name, r := range map[string]api.Route{
		"unknown host":  {Operation: "bad.x", Methods: []string{"GET"}, Path: "/x", Host: "nowhere.test", Handler: api.Plain(func(*api.Call) error { return nil })},
		"in-reply code": {Operation: "bad.x", Methods: []string{"GET"}, Path: "/x", Outcomes: api.Outcomes{InReply: []string{"E1"}}, Handler: api.Plain(func(*api.Call) error { return nil })},
		"uncatalogued":  {Operation: "bad.x", Methods: []string{"GET"}, Path: "/x", Outcomes: api.Outcomes{Failures: []string{"ZZ"}}, Handler: api.Plain(func(*api.Call) error { return nil })},
	} {
		g := pipeline.New(pipeline.Config{Clock: clk{}})
		if err := g.Add(&bad{r: r}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

type bad struct {
	two
	r api.Route
}

func (b *bad) Routes() []api.Route { return []api.Route{b.r} }

// One host may answer path families in their own shapes (api.Prefixed).
func TestPrefixedEnvelope(t *testing.T) {
	legacy := api.JSONEnvelope(func(c echo.Context, e *envelope.Error) error {
		return c.JSON(e.Status, map[string]any{"family": "legacy"})
	})
	modern := api.JSONEnvelope(func(c echo.Context, e *envelope.Error) error {
		return c.JSON(e.Status, map[string]any{"family": "modern"})
	})
	p := &fam{env: api.Prefixed(legacy, map[string]api.Envelope{"/v3/": modern})}
	g := pipeline.New(pipeline.Config{Clock: clk{}})
	if err := g.Add(p); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(g)
	defer hs.Close()
	for path, want := range map[string]string{"/fam/v3/nothing": "modern", "/fam.test/v2/nothing": "legacy", "/fam/v3": "legacy"} {
		res, err := http.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		var out map[string]any
		_ = json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		if res.StatusCode != 404 || out["family"] != want {
			t.Errorf("%s: %d %v, want %s", path, res.StatusCode, out, want)
		}
	}
}

type fam struct {
	two
	env api.Envelope
}

func (f *fam) Name() string        { return "fam" }
func (f *fam) Hosts() []api.Host   { return []api.Host{{Name: "fam.test", Envelope: f.env}} }
func (f *fam) Routes() []api.Route { return nil }

// TestInputIsValidUTF8: a path value or a query value that is not UTF-8 (%FF)
// reaches the handler as encoding/json would read it, each stray byte U+FFFD,
// so what a provider stores under it is what the state's JSON holds; the rest
// of the query is left as sent.
func TestInputIsValidUTF8(t *testing.T) {
	s := start(t)
	for _, tc := range []struct {
		path, id, q, raw string
	}{
		{"/two/v1/echo/u-%FF?q=%FE%FF", "u-\uFFFD", "\uFFFD\uFFFD", "q=%EF%BF%BD%EF%BF%BD"},
		{"/two/v1/echo/%D8%B3?z=1&q=a%FFb&a=%D8%B3+x&bad=%zz", "\u0633", "a\uFFFDb", "z=1&q=a%EF%BF%BDb&a=%D8%B3+x&bad=%zz"},
		{"/two/v1/echo/plain?q=%D8%B3", "plain", "\u0633", "q=%D8%B3"},
		{"/two/v1/echo/x?%FF=1&q=2", "x", "2", "%EF%BF%BD=1&q=2"},
	} {
		st, out := s.do(t, "GET", tc.path, "")
		if st != 200 || out["id"] != strconv.Quote(tc.id) || out["q"] != strconv.Quote(tc.q) || out["raw"] != tc.raw {
			t.Errorf("%s: %d id %s q %s raw %q; want %q %q %q", tc.path, st, out["id"], out["q"], out["raw"], tc.id, tc.q, tc.raw)
		}
	}
}
