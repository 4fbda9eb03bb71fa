package vandar_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// call is one request of the outcome sweep.
type call struct {
	method, url, ctype, body string
	h                        []string
}

// productCalls are the products' own entries of the outcome sweep (one per
// product, added from an init in its test file): a valid call per operation,
// made with tok, the sweep's Bearer token.
var productCalls []func(c *client, tok string) map[string]func() call

// TestOutcomesOnEveryRoute forces success, failure and unknown on every route
// with X-Sandbank-Outcome: a failure answers the catalogue code in the route's
// family (and never hides a validation error), unknown loses the reply.
func TestOutcomesOnEveryRoute(t *testing.T) {
	c := newClient(t, sandbanktest.WithConfig(noRateLimits), sandbanktest.WithFaultTimeout(10*time.Millisecond))
	tok := c.postJSON("/v3/refreshtoken", "", map[string]string{"refreshtoken": refresh}).want(t, 200)["access_token"].(string)
	paid := c.send(apiKey, 9000)
	var pay map[string]any
	c.srv.Admin.Do(http.MethodPost, "/vandar/ipg/"+paid+"/pay", map[string]string{"card": cardOK}, &pay)
	vr := c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {paid}}).want(t, 200)
	txID := strconvFormat(vr["transId"].(float64))
	bearer := []string{"Authorization", "Bearer " + tok}
	calls := map[string]func() call{
		"vandar.refreshToken": func() call {
			return call{"POST", c.api + "/v3/refreshtoken", "application/json", `{"refreshtoken":"x"}`, nil}
		},
		"vandar.business":      func() call { return call{"GET", c.api + "/v2/business/acme", "", "", bearer} },
		"vandar.businessUsers": func() call { return call{"GET", c.api + "/v2/business/acme/iam", "", "", bearer} },
		"vandar.balance":       func() call { return call{"GET", c.api + "/v2/business/acme/balance", "", "", bearer} },
		"vandar.transactions":  func() call { return call{"GET", c.api + "/v3/business/acme/transaction", "", "", bearer} },
		"vandar.ipgSend": func() call {
			return call{"POST", c.ipg + "/api/v4/send", "application/x-www-form-urlencoded", "api_key=" + apiKey + "&amount=5000&callback_url=" + callbackURL, nil}
		},
		"vandar.ipgPage": func() call { return call{"GET", c.ipg + "/v4/" + c.send(apiKey, 5000), "", "", nil} },
		"vandar.ipgTransaction": func() call {
			return call{"POST", c.ipg + "/api/v4/transaction", "application/x-www-form-urlencoded", "api_key=" + apiKey + "&token=" + paid, nil}
		},
		"vandar.ipgVerify": func() call {
			return call{"POST", c.ipg + "/api/v4/verify", "application/x-www-form-urlencoded", "api_key=" + apiKey + "&token=" + paid, nil}
		},
		"vandar.refund": func() call {
			return call{"POST", c.api + "/v3/business/acme/transaction/" + txID + "/refund", "application/json", `{"amount":"1000"}`, bearer}
		},
	}
	for _, product := range productCalls {
		for op, mk := range product(c, tok) {
			calls[op] = mk
		}
	}
	for op, mk := range ravandOutcomeCalls(t, c, tok) {
		calls[op] = func() call { return call(mk()) }
	}
	addDebitCalls(t, c, tok, calls, func(m, u, ct, b string, h []string) func() call {
		return func() call { return call{m, u, ct, b, h} }
	})
	for _, more := range outcomeCalls {
		for op, mk := range more(c, bearer) {
			calls[op] = func() call { k := mk(); return call{k[0], k[1], k[2], k[3], bearer} }
		}
	}
	seen := map[string]bool{}
	for _, rt := range c.srv.App.Routes() {
		if rt.Provider != "vandar" || rt.Alias > 0 || strings.HasPrefix(rt.Path, "/_sandbox") || (rt.Method == "POST" && (rt.Operation == "vandar.ipgPage" || strings.HasSuffix(rt.Operation, "Page"))) {
			continue
		}
		mk, ok := calls[rt.Operation]
		if !ok {
			t.Errorf("no call for %s", rt.Operation)
			continue
		}
		seen[rt.Operation] = true
		k := mk()
		r := c.do(k.method, k.url, k.ctype, k.body, append([]string{"X-Sandbank-Outcome", "failure:SERVICE_UNAVAILABLE"}, k.h...)...)
		if r.Status != 503 {
			t.Errorf("%s failure: %d %s", rt.Operation, r.Status, r.Raw)
		}
		shape(t, rt.Operation+" failure", r)
		k = mk()
		c.lossOK = true
		if r := c.do(k.method, k.url, k.ctype, k.body, append([]string{"X-Sandbank-Outcome", "unknown"}, k.h...)...); r.Status != 0 && r.Status < 500 {
			t.Errorf("%s unknown: the reply was not lost: %d %s", rt.Operation, r.Status, r.Raw)
		}
		c.lossOK = false
		k = mk()
		if r := c.do(k.method, k.url, k.ctype, k.body, append([]string{"X-Sandbank-Outcome", "success"}, k.h...)...); r.Status >= 500 {
			t.Errorf("%s success: %d %s", rt.Operation, r.Status, r.Raw)
		}
	}
	if len(seen) != len(calls) {
		t.Fatalf("%d operations checked, %d calls", len(seen), len(calls))
	}
	// Validation runs before a forced failure.
	r := c.do("POST", c.ipg+"/api/v4/send", "application/json", `{}`, "X-Sandbank-Outcome", "failure:IPG_SERVER_ERROR")
	if r.Status != 422 || !strings.Contains(string(r.Raw), "api key") {
		t.Fatalf("forced failure hid validation: %d %s", r.Status, r.Raw)
	}
	// A PAY_ code forced on the page decides the bank's answer to Pay.
	token := c.send(apiKey, 5000)
	c.do("GET", c.ipg+"/v4/"+token, "", "")
	r = c.do("POST", c.ipg+"/v4/"+token, "application/x-www-form-urlencoded",
		url.Values{"action": {"pay"}, "card": {cardOK}, "cvv2": {"123"}, "month": {"12"}, "year": {"08"}, "otp": {"111111"}}.Encode(),
		"X-Sandbank-Outcome", "failure:PAY_INSUFFICIENT_FUNDS")
	if r.Status != 302 || !strings.Contains(r.Header.Get("Location"), "payment_status=FAILED") {
		t.Fatalf("forced PAY_ failure on the page: %d %v", r.Status, r.Header)
	}
}

// outcomeCalls are the products' calls for TestOutcomesOnEveryRoute, added
// from their own test files: operation → method, URL, content type, body
// (sent with the business's Bearer token).
var outcomeCalls []func(c *client, bearer []string) map[string]func() [4]string

// TestLaravelFieldOrder: a Laravel 422 lists its fields in the order checked,
// not alphabetically.
func TestLaravelFieldOrder(t *testing.T) {
	c := newClient(t)
	r := c.get("/v3/business/acme/transaction?toDate=x&status=y&per_page=0", access)
	want := `{"message":"The given data was invalid.","errors":{"toDate":[`
	if r.Status != 422 || !strings.HasPrefix(string(r.Raw), want) || strings.Index(string(r.Raw), `"status"`) > strings.Index(string(r.Raw), `"per_page"`) {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}

// TestStrictAndCallbackDomain: --strict refuses undeclared businesses; a
// declared business with callback_domain accepts callbacks only there.
func TestStrictAndCallbackDomain(t *testing.T) {
	cfg := noRateLimits + "    businesses:\n      - name: shop\n        access_token: shop-access\n        refresh_token: shop-refresh\n        api_key: shop-key\n        callback_domain: shop.example\n        wallet: 500\n"
	c := newClient(t, sandbanktest.WithConfig(cfg), sandbanktest.WithStrict())
	var out map[string]any
	if st := c.srv.Admin.Do(http.MethodPost, "/vandar/businesses", map[string]any{"name": "rogue"}, &out); st != 403 {
		t.Fatalf("strict create: %d %v", st, out)
	}
	if st := c.srv.Admin.Do(http.MethodPost, "/vandar/businesses", map[string]any{"name": "shop"}, &out); st != 200 || out["access_token"] != "shop-access" {
		t.Fatalf("declared business: %d %v", st, out)
	}
	if m := c.get("/v2/business/shop/balance", "shop-access").want(t, 200); m["data"].(map[string]any)["wallet"] != float64(500) {
		t.Fatalf("balance %v", m)
	}
	ok := url.Values{"api_key": {"shop-key"}, "amount": {"5000"}, "callback_url": {"https://pay.shop.example/back"}}
	c.ipgForm("/api/v4/send", ok).want(t, 200)
	ok.Set("callback_url", "https://evil.example/back")
	if m := c.ipgForm("/api/v4/send", ok).want(t, 422); m["errors"].([]any)[0] != "آدرس بازگشتی معتبر نیست" {
		t.Fatalf("foreign callback: %v", m)
	}
}

// TestLegacyLogin: with legacy_login on, POST /v3/login (as vandarpay/cashier
// sends it, a form) issues a pair and retires the current one.
func TestLegacyLogin(t *testing.T) {
	c := newClient(t, sandbanktest.WithConfig(noRateLimits+"    legacy_login: true\n"))
	form := "application/x-www-form-urlencoded"
	if m := c.do("POST", c.api+"/v3/login", form, "mobile=09120000000&password=nope").want(t, 400); m["error"] != "نام کاربری یا رمز عبور اشتباه وارد شده است" {
		t.Fatalf("wrong password: %v", m)
	}
	c.do("POST", c.api+"/v3/login", form, "").want(t, 422)
	pair := c.do("POST", c.api+"/v3/login", form, "mobile=09120000000&password=sandbank").want(t, 200)
	c.get("/v2/business/acme", pair["access_token"].(string)).want(t, 200)
	c.get("/v2/business/acme", access).want(t, 401)
	// Off by default.
	d := newClient(t)
	if r := d.do("POST", d.api+"/v3/login", form, "mobile=09120000000&password=sandbank"); r.Status != 404 {
		t.Fatalf("login without the switch: %d", r.Status)
	}
}
