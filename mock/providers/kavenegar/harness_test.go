package kavenegar

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"gopkg.in/yaml.v3"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
)

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

// start is the harness's fixed virtual time: a Tehran afternoon.
var start = time.Date(2026, 3, 1, 14, 30, 15, 0, iran.Tehran)

// harness mounts the provider's routes the way the app does (auth, decision,
// handler, renderer), with a decision the test can set per request.
type harness struct {
	t     *testing.T
	p     *Provider
	store *store.Store
	clock *testClock
	srv   *httptest.Server
	mu    sync.Mutex
	next  *scenario.Decision
}

type option func(*api.Deps)

func strict(d *api.Deps) { d.Strict = true }

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
	h := &harness{t: t, p: p, store: d.Store, clock: clk}
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
	admin := e.Group("/_sandbox/kavenegar")
	for _, a := range p.Admin() {
		admin.Add(a.Method, a.Path, a.Handler)
	}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.Path) > 1 && strings.HasSuffix(r.URL.Path, "/") {
			r.URL.Path = strings.TrimSuffix(r.URL.Path, "/")
		}
		e.ServeHTTP(w, r)
	}))
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
		if !r.Outcomes.Custom && d.Outcome == scenario.Failure {
			return h.render(c, catalogue.Err(d.Code))
		}
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

// resp is a decoded Kavenegar reply.
type resp struct {
	HTTP    int
	Raw     []byte
	Return  ret             `json:"return"`
	Entries json.RawMessage `json:"entries"`
}

func (r resp) list(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	if err := json.Unmarshal(r.Entries, &out); err != nil {
		t.Fatalf("entries are not a list: %s", r.Raw)
	}
	return out
}

func (r resp) object(t *testing.T) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(r.Entries, &out); err != nil {
		t.Fatalf("entries are not an object: %s", r.Raw)
	}
	return out
}

// post sends a form to /v1/{key}/{path}.
func (h *harness) post(key, path string, form url.Values) resp {
	h.t.Helper()
	return h.do(http.MethodPost, "/v1/"+key+"/"+path, "application/x-www-form-urlencoded", form.Encode())
}

func (h *harness) do(method, path, ctype, body string) resp {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := resp{HTTP: res.StatusCode, Raw: raw}
	if err := json.Unmarshal(raw, &out); err != nil {
		h.t.Fatalf("%s %s: body is not JSON: %q", method, path, raw)
	}
	if out.HTTP != out.Return.Status && !strings.HasPrefix(path, "/_sandbox") {
		h.t.Fatalf("%s %s: HTTP %d but return.status %d", method, path, out.HTTP, out.Return.Status)
	}
	return out
}

func (h *harness) credit(key string) int64 {
	h.t.Helper()
	r := h.post(key, "account/info.json", nil)
	if r.HTTP != 200 {
		h.t.Fatalf("account/info: %s", r.Raw)
	}
	return int64(r.object(h.t)["remaincredit"].(float64))
}

func (h *harness) status(key string, id any) int {
	h.t.Helper()
	r := h.post(key, "sms/status.json", url.Values{"messageid": {jsonNum(id)}})
	if r.HTTP != 200 {
		h.t.Fatalf("status: %s", r.Raw)
	}
	return int(r.list(h.t)[0]["status"].(float64))
}

func jsonNum(v any) string {
	switch n := v.(type) {
	case float64:
		return strconv.FormatInt(int64(n), 10)
	case string:
		return n
	}
	return fmt.Sprint(v)
}

func (h *harness) doRaw(method, path string) []byte {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return raw
}

// yamlConfig stands in for the app's config decoder.
func yamlConfig(src string) func(any) error {
	return func(into any) error { return yaml.Unmarshal([]byte(src), into) }
}
