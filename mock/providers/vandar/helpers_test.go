package vandar_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// t0 is a Sunday morning in Tehran.
var t0 = time.Date(2026, 11, 22, 9, 0, 0, 0, iran.Tehran)

// The shipped business (fixtures/vandar.yaml), as the README prints it.
const (
	slug    = "acme"
	access  = "sbx_vandar_acme_access_9f4c2e7d1b6a"
	refresh = "def50200sbx_vandar_acme_refresh_3e8a5c1f7d"
	apiKey  = "sbxacme0c7e2b9a4d1f6e3c8b5a2d7f4e1c9b6a3d"

	cardOK       = "6037990000000014"
	cardNoFunds  = "6037990000000022"
	cardBadCVV2  = "6037990000000030"
	cardExpired  = "6037990000000048"
	cardTimeout  = "6037990000000055"
	callbackURL  = "https://shop.example/cb"
	noRateLimits = "providers:\n  vandar:\n    rate_limit:\n      enabled: false\n"
)

// client drives one sandbank over HTTP as an integrator does; redirects are not
// followed, so every 302 and its Location can be checked.
type client struct {
	t   *testing.T
	srv *sandbanktest.Server
	api string // the /vandar alias
	ipg string // the ipg.vandar.io mount
	hc  *http.Client
	// lossOK makes a lost reply (a timeout or reset fault) an empty reply
	// instead of a test failure.
	lossOK bool
	// rvTok is the Bearer token of Ravand calls; "" is the shipped one.
	rvTok string
}

func newClient(t *testing.T, opts ...sandbanktest.Option) *client {
	t.Helper()
	if len(opts) == 0 {
		opts = []sandbanktest.Option{sandbanktest.WithConfig(noRateLimits)}
	}
	srv := sandbanktest.Start(t, append([]sandbanktest.Option{sandbanktest.WithClock(t0)}, opts...)...)
	return &client{
		t: t, srv: srv, api: srv.Base("vandar"), ipg: srv.Base("ipg.vandar.io"),
		hc: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

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

// want checks the status and returns the JSON object.
func (r reply) want(t *testing.T, status int) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Raw)
	}
	return r.json(t)
}

func (c *client) do(method, u, ctype, body string, headers ...string) reply {
	c.t.Helper()
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
		if c.lossOK {
			return reply{}
		}
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return reply{Status: res.StatusCode, Header: res.Header, Raw: raw}
}

// get is a Bearer GET on the API host.
func (c *client) get(path, token string) reply {
	return c.do(http.MethodGet, c.api+path, "", "", "Authorization", "Bearer "+token, "Accept", "application/json")
}

// postJSON is a Bearer (or, with token "", bare) JSON POST on the API host.
func (c *client) postJSON(path, token string, body any) reply {
	raw, _ := json.Marshal(body)
	h := []string{"Accept", "application/json"}
	if token != "" {
		h = append(h, "Authorization", "Bearer "+token)
	}
	return c.do(http.MethodPost, c.api+path, "application/json", string(raw), h...)
}

// ipgForm is a gateway call with a form body, as vandarpay/cashier sends it.
func (c *client) ipgForm(path string, v url.Values) reply {
	return c.do(http.MethodPost, c.ipg+path, "application/x-www-form-urlencoded", v.Encode())
}

// send starts a payment and returns its token.
func (c *client) send(key string, amount int, extra ...string) string {
	c.t.Helper()
	v := url.Values{"api_key": {key}, "amount": {itoa(amount)}, "callback_url": {callbackURL}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	m := c.ipgForm("/api/v4/send", v).want(c.t, 200)
	tok, _ := m["token"].(string)
	if len(tok) != 15 {
		c.t.Fatalf("token %q", tok)
	}
	return tok
}

// payPage pays on the hosted page as a browser does (send code, then pay) and
// returns the callback URL the browser is sent to.
func (c *client) payPage(token, card, cvv2, expiry string) *url.URL {
	c.t.Helper()
	page := c.do(http.MethodGet, c.ipg+"/v4/"+token, "", "")
	if page.Status != 200 || !strings.Contains(string(page.Raw), `<form method="post" id="payment-form"`) {
		c.t.Fatalf("page: %d %s", page.Status, page.Raw)
	}
	mm, yy, _ := strings.Cut(expiry, "/")
	otp := c.do(http.MethodPost, c.ipg+"/v4/"+token, "application/x-www-form-urlencoded", url.Values{"action": {"otp"}, "card": {card}}.Encode())
	code := between(string(otp.Raw), "محیط آزمایشی: ", ")")
	if otp.Status != 200 || code == "" {
		c.t.Fatalf("send code: %d %s", otp.Status, otp.Raw)
	}
	r := c.do(http.MethodPost, c.ipg+"/v4/"+token, "application/x-www-form-urlencoded",
		url.Values{"action": {"pay"}, "card": {card}, "cvv2": {cvv2}, "month": {mm}, "year": {yy}, "otp": {code}}.Encode())
	if r.Status != 302 {
		c.t.Fatalf("pay: %d %s", r.Status, r.Raw)
	}
	u, err := url.Parse(r.Header.Get("Location"))
	if err != nil {
		c.t.Fatal(err)
	}
	return u
}

func between(s, a, b string) string {
	_, rest, ok := strings.Cut(s, a)
	if !ok {
		return ""
	}
	out, _, _ := strings.Cut(rest, b)
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// balance is the wallet in Toman.
func (c *client) balance(token string) float64 {
	c.t.Helper()
	m := c.get("/v2/business/"+slug+"/balance", token).want(c.t, 200)
	return m["data"].(map[string]any)["wallet"].(float64)
}

// report is the newest rows of the transaction report.
func (c *client) report(business, token, query string) []map[string]any {
	c.t.Helper()
	m := c.get("/v3/business/"+business+"/transaction"+query, token).want(c.t, 200)
	var out []map[string]any
	for _, r := range m["data"].([]any) {
		out = append(out, r.(map[string]any))
	}
	return out
}

// newBusiness makes a business through the control plane.
func (c *client) newBusiness(name string) (token, refreshTok, key string) {
	c.t.Helper()
	var out map[string]any
	if st := c.srv.Admin.Do(http.MethodPost, "/vandar/businesses", map[string]any{"name": name}, &out); st != 201 && st != 200 {
		c.t.Fatalf("create business: %d %v", st, out)
	}
	return out["access_token"].(string), out["refresh_token"].(string), out["api_key"].(string)
}

// nopOption keeps the shipped configuration (the throttle on).
func nopOption() sandbanktest.Option { return sandbanktest.WithSeed(1) }

func strconvFormat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// callbackShop is a shop whose callback page, path, answers "ok" and keeps the
// query of the last visit: the browser tests land there.
func callbackShop(t *testing.T, path string) (base string, last func() url.Values) {
	var mu sync.Mutex
	var got url.Values
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path {
			mu.Lock()
			got = r.URL.Query()
			mu.Unlock()
		}
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(shop.Close)
	return shop.URL, func() url.Values {
		mu.Lock()
		defer mu.Unlock()
		return got
	}
}

// checkSignature verifies a webhook's X-Vandar-Signature,
// t=<unix>,v1=<hmac(secret)>,v0=<hmac("vandar")>, against acme's secret.
func checkSignature(t *testing.T, sig string, raw []byte) {
	t.Helper()
	parts := map[string]string{}
	for _, kv := range strings.Split(sig, ",") {
		k, v, _ := strings.Cut(kv, "=")
		parts[k] = v
	}
	m := hmac.New(sha256.New, []byte("whsec_sbx_acme_5d2f8a1c"))
	m.Write([]byte(parts["t"] + ","))
	m.Write(raw)
	if parts["v1"] != hex.EncodeToString(m.Sum(nil)) {
		t.Fatalf("signature %q does not verify", sig)
	}
}
