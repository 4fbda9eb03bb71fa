package finnotech_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api/apitest"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// t0 is a Tehran weekday afternoon, inside the bon-card service window.
var t0 = time.Date(2026, 3, 1, 14, 30, 15, 0, iran.Tehran)

// noRedirect is a client that shows redirects instead of following them, as a
// test of the authorize dance must.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// reply is one answer of the gateway.
type reply struct {
	Status int
	Header http.Header
	Raw    []byte
	JSON   map[string]any
}

// field walks a dotted path through the JSON body.
func (r reply) field(path string) any {
	var cur any = r.JSON
	for _, k := range strings.Split(path, ".") {
		m, isMap := cur.(map[string]any)
		if !isMap {
			return nil
		}
		cur = m[k]
	}
	return cur
}

func (r reply) str(path string) string {
	s, _ := r.field(path).(string)
	return s
}

// client talks to one mount of a test server as one application.
type client struct {
	t      testing.TB
	srv    *sandbanktest.Server
	base   string
	id     string
	secret string
}

func newClient(t testing.TB, srv *sandbanktest.Server, id string) *client {
	return &client{t: t, srv: srv, base: srv.Base("finnotech"), id: id, secret: "secret-" + id}
}

func (c *client) basicHeader() string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(c.id+":"+c.secret))
}

// do sends one request; body is JSON-encoded unless it is a string or url.Values.
// headers are name, value pairs.
func (c *client) do(method, path string, body any, headers ...string) reply {
	c.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(raw), "application/json"
	}
	u := path
	if !strings.HasPrefix(path, "http") {
		u = c.base + path
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := reply{Status: res.StatusCode, Header: res.Header, Raw: raw}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.JSON); err != nil {
			c.t.Fatalf("%s %s: not JSON: %s", method, path, raw)
		}
	}
	if r.Status >= 500 {
		c.t.Errorf("%s %s: HTTP %d: %s", method, path, r.Status, raw)
	}
	return r
}

// tokenCall posts to the token endpoint with the client's Basic credentials.
func (c *client) tokenCall(body any) reply {
	c.t.Helper()
	return c.do("POST", "/dev/v2/oauth2/token", body, "Authorization", c.basicHeader())
}

// ccToken gets a client-credentials token for scopes.
func (c *client) ccToken(scopes ...string) string {
	c.t.Helper()
	r := c.tokenCall(map[string]any{"grant_type": "client_credentials", "nid": "0012345678", "scopes": strings.Join(scopes, ",")})
	if r.Status != 200 || r.str("result.value") == "" {
		c.t.Fatalf("cc token: %d %s", r.Status, r.Raw)
	}
	return r.str("result.value")
}

// bearer sends a service call with a token.
func (c *client) bearer(token, method, path string, body any, headers ...string) reply {
	c.t.Helper()
	return c.do(method, path, body, append([]string{"Authorization", "Bearer " + token}, headers...)...)
}

// location is a redirect's target.
func location(t testing.TB, r reply) *url.URL {
	t.Helper()
	if r.Status != http.StatusFound {
		t.Fatalf("want 302, got %d: %s", r.Status, r.Raw)
	}
	u, err := url.Parse(r.Header.Get("Location"))
	if err != nil || !u.IsAbs() {
		t.Fatalf("Location %q is not absolute", r.Header.Get("Location"))
	}
	return u
}

// codeToken walks the authorize dance through the control-plane shortcut and
// exchanges the code: a CODE token of bank for user with their deposits.
func (c *client) codeToken(bank, user, limit string, scopes ...string) (token string, res reply) {
	c.t.Helper()
	redirect := "https://app.example/return"
	q := url.Values{"client_id": {c.id}, "response_type": {"code"}, "redirect_uri": {redirect},
		"scope": {strings.Join(scopes, ",")}, "bank": {bank}, "state": {"st-1"}}
	if limit != "" {
		q.Set("limit", limit)
		q.Set("count", "100")
	}
	r := c.do("GET", "/dev/v2/oauth2/authorize?"+q.Encode(), nil)
	login := location(c.t, r)
	var ap struct{ Redirect string }
	st := c.srv.Admin.Do("POST", "/finnotech/consents/"+login.Query().Get("session")+"/approve", map[string]any{"user": user}, &ap)
	if st != 200 {
		c.t.Fatalf("approve: %d", st)
	}
	back, _ := url.Parse(ap.Redirect)
	res = c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": back.Query().Get("code"), "bank": bank, "redirect_uri": redirect})
	if res.Status != 200 {
		c.t.Fatalf("code exchange: %d %s", res.Status, res.Raw)
	}
	return res.str("result.value"), res
}

// golden compares a reply body with testdata/name.json, or rewrites it.
func golden(t *testing.T, name string, r reply) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, r.Raw, "", "  "); err != nil {
		t.Fatalf("%s: %v: %s", name, err, r.Raw)
	}
	apitest.Golden(t, filepath.Join("testdata", name+".json"), pretty.Bytes())
}
