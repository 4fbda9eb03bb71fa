package paynet

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/api/apitest"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// start is the harness's fixed virtual time: an Istanbul morning.
var start = time.Date(2026, 11, 22, 10, 30, 15, 0, istanbul)

// harness serves the provider through apitest, with a decision the test can set
// per request.
type harness struct {
	t     *testing.T
	p     *Provider
	clock *apitest.Clock
	srv   *apitest.Server
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
	clk := apitest.NewClock(start)
	d := api.Deps{Clock: clk, Store: store.New(), Seed: 42, Fixtures: os.DirFS("../../../fixtures")}
	for _, o := range opts {
		o(&d)
	}
	p, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, p: p, clock: clk}
	h.srv = apitest.Serve(t, p, clk)
	return h
}

func (h *harness) decide(d scenario.Decision) { h.srv.Decide(d) }

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

// golden compares raw, indented, with testdata/name (go test -update rewrites it).
func golden(t *testing.T, name string, raw []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	got, _ := json.MarshalIndent(v, "", "  ")
	apitest.Golden(t, filepath.Join("testdata", name), got)
}
