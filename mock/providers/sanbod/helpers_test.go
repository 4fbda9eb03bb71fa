package sanbod_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// t0 is a Sunday morning, a business day: a PAYA transfer now goes out at 10:45
// and SATNA is open.
var t0 = time.Date(2026, 11, 22, 9, 0, 0, 0, iran.Tehran)

// Test user and deposits of the documentation.
const (
	user     = "ela"
	password = "1234"
	natCode  = "0012345679"
	dep4     = "119-813-218257-4"
	dep5     = "119-813-218257-5"
	callback = "https://app.example/callback"
)

// client drives one sandbank over plain HTTP as an integrator does: redirects are
// never followed, so every 302 and its Location can be checked.
type client struct {
	t    *testing.T
	srv  *sandbanktest.Server
	base string
	hc   *http.Client
	id   string // client_id
	seq  int
}

func newClient(t *testing.T, opts ...sandbanktest.Option) *client {
	t.Helper()
	srv := sandbanktest.Start(t, append([]sandbanktest.Option{sandbanktest.WithClock(t0)}, opts...)...)
	return &client{
		t: t, srv: srv, base: srv.Base("api.sanbod.co"), id: "test_sanbod",
		hc: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

// reply is one HTTP answer.
type reply struct {
	Status int
	Header http.Header
	Raw    []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Raw, &m); err != nil {
		t.Fatalf("not a JSON object (%d): %s", r.Status, r.Raw)
	}
	return m
}

// errField returns the messages of the error body under field, failing the test
// unless the body is Sanbod's error envelope with the wanted status.
func (r reply) errField(t *testing.T, status int, field string) []any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Raw)
	}
	m := r.json(t)
	if m["error"] != true || m["result_number"] != float64(0) {
		t.Fatalf("not the error envelope: %s", r.Raw)
	}
	msgs, _ := m["message"].(map[string]any)[field].([]any)
	if len(msgs) == 0 {
		t.Fatalf("no message under %q: %s", field, r.Raw)
	}
	return msgs
}

// message returns the success envelope's message, checking the envelope.
func (r reply) message(t *testing.T) any {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("status %d: %s", r.Status, r.Raw)
	}
	m := r.json(t)
	if m["error"] != false {
		t.Fatalf("error is not false: %s", r.Raw)
	}
	switch m["traceid"].(type) {
	case string, float64: // a number when the traceid sent was one
	default:
		t.Fatalf("traceid is neither a string nor a number: %s", r.Raw)
	}
	if _, ok := m["trace_id"].(string); !ok {
		t.Fatalf("trace_id is not a string: %s", r.Raw)
	}
	return m["message"]
}

// traced appends ?traceid= to path unless it has a query already.
func (c *client) traced(path string) string {
	if strings.Contains(path, "?") {
		return path
	}
	c.seq++
	return path + "?traceid=t-" + strconv.Itoa(c.seq)
}

// do sends one request; headers are name, value pairs.
func (c *client) do(method, path, ctype, body string, headers ...string) reply {
	c.t.Helper()
	u := path
	if !strings.HasPrefix(path, "http") {
		u = c.base + path
	}
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return reply{Status: res.StatusCode, Header: res.Header, Raw: raw}
}

// post sends v as JSON to path with a traceid.
func (c *client) post(path string, v any, headers ...string) reply {
	c.t.Helper()
	body, ok := v.(string)
	if !ok {
		data, err := json.Marshal(v)
		if err != nil {
			c.t.Fatal(err)
		}
		body = string(data)
	}
	return c.do("POST", c.traced(path), "application/json", body, headers...)
}

// form posts a form to an absolute URL or a path.
func (c *client) form(u string, v url.Values) reply {
	c.t.Helper()
	return c.do("POST", u, "application/x-www-form-urlencoded", v.Encode())
}

func (c *client) basic() []string {
	req, _ := http.NewRequest("GET", "/", nil)
	req.SetBasicAuth(c.id, "secret")
	return []string{"Authorization", req.Header.Get("Authorization")}
}

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

// tokens asks /oauth/v1/token and returns the pair.
func (c *client) tokens(body map[string]any) (access, refresh string) {
	c.t.Helper()
	r := c.post("/oauth/v1/token", body, c.basic()...)
	if r.Status != 200 {
		c.t.Fatalf("token: %d %s", r.Status, r.Raw)
	}
	m := r.json(c.t)
	return m["access_token"].(string), m["refresh_token"].(string)
}

// cc is a client-credentials token for scopes.
func (c *client) cc(scopes ...string) string {
	c.t.Helper()
	a, _ := c.tokens(map[string]any{"grant_type": "client_credentials", "scope": scopes, "provider_code": "999"})
	return a
}

// authorize starts a dance and returns the consent session id from the Location.
func (c *client) authorize(bankCode string, scopes ...string) string {
	c.t.Helper()
	r := c.post("/oautht/v1/authorize", map[string]any{
		"provider_code": bankCode, "redirect_uri": callback, "scope": scopes,
		"client_id": c.id, "response_type": "code", "state": 7000,
	})
	if r.Status != 302 {
		c.t.Fatalf("authorize: %d %s", r.Status, r.Raw)
	}
	loc := r.Header.Get("Location")
	i := strings.LastIndex(loc, "/")
	return loc[i+1:]
}

// ac runs the dance through the control-plane shortcut and exchanges the code.
func (c *client) ac(bankCode string, deposits []string, scopes ...string) (access, refresh string) {
	c.t.Helper()
	id := c.authorize(bankCode, scopes...)
	var out struct{ Redirect string }
	body := map[string]any{"national_code": natCode}
	if deposits != nil {
		body["deposits"] = deposits
	}
	if st := c.srv.Admin.Do("POST", "/sanbod/consents/"+id+"/approve", body, &out); st != 200 {
		c.t.Fatalf("approve: %d", st)
	}
	u, err := url.Parse(out.Redirect)
	if err != nil || u.Query().Get("code") == "" || u.Query().Get("state") != "7000" {
		c.t.Fatalf("approve redirect %q", out.Redirect)
	}
	return c.tokens(map[string]any{"grant_type": "authorization_code", "code": u.Query().Get("code")})
}
