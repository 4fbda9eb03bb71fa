package kavenegar

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/api/apitest"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// start is the harness's fixed virtual time: a Tehran afternoon.
var start = time.Date(2026, 3, 1, 14, 30, 15, 0, iran.Tehran)

// harness serves the provider through apitest, with a decision the test can set
// per request.
type harness struct {
	t     *testing.T
	p     *Provider
	store *store.Store
	clock *apitest.Clock
	srv   *apitest.Server
}

type option func(*api.Deps)

func strict(d *api.Deps) { d.Strict = true }

func newHarness(t *testing.T, opts ...option) *harness {
	t.Helper()
	clk := apitest.NewClock(start)
	d := api.Deps{Clock: clk, Store: store.New(), Seed: 42, Fixtures: os.DirFS("../../../fixtures")}
	for _, o := range opts {
		o(&d)
	}
	p, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, p: p, store: d.Store, clock: clk}
	h.srv = apitest.Serve(t, p, clk)
	return h
}

func (h *harness) decide(d scenario.Decision) { h.srv.Decide(d) }

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
