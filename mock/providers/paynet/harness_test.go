package paynet

import (
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"gopkg.in/yaml.v3"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
)

var update = flag.Bool("update", false, "rewrite testdata/*.json goldens")

// testClock is a clock that moves only when told.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// start is the harness's fixed virtual time: an Istanbul morning.
var start = time.Date(2026, 11, 22, 10, 30, 15, 0, istanbul)

// harness mounts the provider's routes the way the app does (auth, decision,
// handler, renderer), with a decision the test can set per request.
type harness struct {
	t     *testing.T
	p     *Provider
	clock *testClock
	srv   *httptest.Server
	mu    sync.Mutex
	next  *scenario.Decision
}

type option func(*api.Deps)

func strict(d *api.Deps) { d.Strict = true }

func withConfig(src string) option {
	return func(d *api.Deps) {
		d.Config = func(into any) error { return yaml.Unmarshal([]byte(src), into) }
	}
}

func newHarness(t *testing.T, opts ...option) *harness {
	t.Helper()
	clk := &testClock{t: start}
	d := api.Deps{Clock: clk, Store: store.New(), Seed: 42, Fixtures: os.DirFS("../../../fixtures")}
	for _, o := range opts {
		o(&d)
	}
	p, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, p: p, clock: clk}
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
		for _, m := range r.Methods {
			e.Add(m, r.Path, h.handler(r))
		}
	}
	admin := e.Group("/_sandbox/paynet")
	for _, a := range p.Admin() {
		admin.Add(a.Method, a.Path, a.Handler)
	}
	h.srv = httptest.NewServer(e)
	t.Cleanup(h.srv.Close)
	return h
}

func (h *harness) decide(d scenario.Decision) {
	h.mu.Lock()
	h.next = &d
	h.mu.Unlock()
}

func (h *harness) handler(r api.Route) echo.HandlerFunc {
	return func(c echo.Context) error {
		tenant, err := r.Auth(c)
		if err != nil {
			return h.render(c, err)
		}
		d := scenario.Default()
		h.mu.Lock()
		if h.next != nil {
			d, h.next = *h.next, nil
		}
		h.mu.Unlock()
		call := &api.Call{Context: c, Operation: r.Operation, Tenant: tenant, Decision: d, Now: h.clock.Now(), Clock: h.clock}
		if err := r.Handler(call); err != nil {
			return h.render(c, err)
		}
		return nil
	}
}

func (h *harness) render(c echo.Context, err error) error {
	e, isEnv := envelope.As(err)
	if !isEnv {
		e = &envelope.Error{Kind: envelope.KindInternal, Cause: err}
	}
	return h.p.Render(c, e)
}

// resp is a decoded Paynet reply.
type resp struct {
	HTTP int
	Raw  []byte
	Body map[string]any
}

func (r resp) code() int {
	if r.HTTP != 200 {
		return int(r.Body["result_code"].(float64))
	}
	return int(r.Body["code"].(float64))
}

func (r resp) str(k string) string { s, _ := r.Body[k].(string); return s }

func (r resp) data(t *testing.T) []map[string]any {
	t.Helper()
	raw, ok := r.Body["Data"].([]any)
	if !ok {
		t.Fatalf("no Data array: %s", r.Raw)
	}
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i] = v.(map[string]any)
	}
	return out
}

const key = "sck_test_key"

// post sends body as JSON with the raw-key Basic header.
func (h *harness) post(k, path string, body any) resp {
	h.t.Helper()
	var raw string
	switch b := body.(type) {
	case string:
		raw = b
	default:
		data, _ := json.Marshal(b)
		raw = string(data)
	}
	hdr := http.Header{"Content-Type": {"application/json; charset=UTF-8"}}
	if k != "" {
		hdr.Set("Authorization", "Basic "+k)
	}
	return h.do(http.MethodPost, path, hdr, raw)
}

func (h *harness) do(method, path string, hdr http.Header, body string) resp {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header = hdr
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := resp{HTTP: res.StatusCode, Raw: raw}
	if err := json.Unmarshal(raw, &out.Body); err != nil {
		h.t.Fatalf("%s %s: body is not a JSON object: %d %q", method, path, res.StatusCode, raw)
	}
	if !strings.HasPrefix(path, "/_sandbox") {
		checkShape(h.t, out)
	}
	return out
}

// checkShape holds every reply to the documented model: 200 carries
// object_name/code/message, anything else the error object with code = status.
func checkShape(t *testing.T, r resp) {
	t.Helper()
	if r.HTTP == 200 {
		_, hasMsg := r.Body["message"]
		if _, ok := r.Body["object_name"].(string); !ok || !hasMsg || r.Body["code"] == nil {
			t.Fatalf("200 without the envelope: %s", r.Raw)
		}
		return
	}
	if len(r.Body) != 4 || r.Body["type"] == nil || r.Body["message"] == nil || int(r.Body["code"].(float64)) != r.HTTP || r.Body["result_code"] == nil {
		t.Fatalf("HTTP %d without the error object: %s", r.HTTP, r.Raw)
	}
}

// golden compares raw with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, raw []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	got, _ := json.MarshalIndent(v, "", "  ")
	path := filepath.Join("testdata", name)
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
		t.Errorf("%s differs from golden:\n got %s\nwant %s", name, got, want)
	}
}
