package vandar_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/api/apitest"
)

var jwtPattern = regexp.MustCompile(`^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`)

// golden compares an answer with testdata/<name>.json: status, the headers a
// client acts on, and the body with every JWT shown decoded.
func golden(t *testing.T, c *client, name string, r reply) {
	t.Helper()
	out := map[string]any{"status": r.Status}
	for _, h := range []string{"Location", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining"} {
		if v := r.Header.Get(h); v != "" {
			out[strings.ToLower(h)] = v
		}
	}
	if len(r.Raw) > 0 {
		var body any
		if err := json.Unmarshal(r.Raw, &body); err != nil {
			t.Fatalf("%s: body is not JSON: %s", name, r.Raw)
		}
		out["body"] = decodeTokens(t, body)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		t.Fatal(err)
	}
	got := strings.ReplaceAll(buf.String(), c.srv.URL, "{server}")
	apitest.Golden(t, filepath.Join("testdata", name+".json"), []byte(got))
}

func decodeTokens(t *testing.T, v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = decodeTokens(t, e)
		}
	case string:
		if jwtPattern.MatchString(x) {
			parts := strings.Split(x, ".")
			var h, cl map[string]any
			for i, dst := range []*map[string]any{&h, &cl} {
				raw, err := base64.RawURLEncoding.DecodeString(parts[i])
				if err != nil || json.Unmarshal(raw, dst) != nil {
					t.Fatalf("bad JWT %s", x)
				}
			}
			return map[string]any{"jwt_header": h, "jwt_claims": cl}
		}
	}
	return v
}

// TestDocumentedExamplesGolden sends the documented example requests (the
// seed's refreshtoken sample, the business, balance, report, IPG and refund
// examples of the public docs) in one session and compares every answer,
// successes and documented failures, with the goldens.
func TestDocumentedExamplesGolden(t *testing.T) {
	c := newClient(t)
	// Seed: POST /v3/refreshtoken {"refreshtoken": "{refreshtoken}"} with only
	// Content-Type: application/json.
	r := c.do(http.MethodPost, c.api+"/v3/refreshtoken", "application/json", `{"refreshtoken":"`+refresh+`"}`)
	golden(t, c, "refreshtoken", r)
	tok := r.json(t)["access_token"].(string)
	golden(t, c, "refreshtoken_reused", c.postJSON("/v3/refreshtoken", "", map[string]string{"refreshtoken": refresh}))
	golden(t, c, "refreshtoken_missing", c.postJSON("/v3/refreshtoken", "", map[string]string{}))

	golden(t, c, "business", c.get("/v2/business/acme", tok))
	golden(t, c, "business_unknown", c.get("/v2/business/nobody", tok))
	golden(t, c, "business_unauthenticated", c.get("/v2/business/acme", "expired-or-made-up"))
	golden(t, c, "iam", c.get("/v2/business/acme/iam?page=1&per_page=10", tok))
	golden(t, c, "balance", c.get("/v2/business/acme/balance", tok))

	// IPG send as the Postman collection sends it, then its documented failure.
	send := url.Values{"api_key": {apiKey}, "amount": {"10000"}, "callback_url": {callbackURL}, "mobile_number": {"09123456789"},
		"factorNumber": {"12345"}, "description": {"description"}}
	r = c.ipgForm("/api/v4/send", send)
	golden(t, c, "ipg_send", r)
	token := r.json(t)["token"].(string)
	golden(t, c, "ipg_send_invalid", c.do(http.MethodPost, c.ipg+"/api/v4/send", "application/json",
		`{"api_key":"`+apiKey+`","amount":500,"callback_url":"not a url"}`))
	golden(t, c, "ipg_send_empty", c.ipgForm("/api/v4/send", url.Values{}))
	q := url.Values{"api_key": {apiKey}, "token": {token}}
	golden(t, c, "ipg_transaction_unpaid", c.ipgForm("/api/v4/transaction", q))
	cb := c.payPage(token, cardOK, "123", "12/08")
	golden(t, c, "ipg_callback", reply{Status: 302, Header: http.Header{"Location": {cb.String()}}})
	golden(t, c, "ipg_transaction", c.ipgForm("/api/v4/transaction", q))
	r = c.ipgForm("/api/v4/verify", q)
	golden(t, c, "ipg_verify", r)
	transID := strconv.FormatInt(int64(r.json(t)["transId"].(float64)), 10)
	golden(t, c, "ipg_verify_again", c.ipgForm("/api/v4/verify", q))
	golden(t, c, "ipg_token_invalid", c.ipgForm("/api/v3/verify", url.Values{"api_key": {apiKey}, "token": {"NOPE"}}))
	golden(t, c, "ipg_api_key_invalid", c.ipgForm("/api/v4/transaction", url.Values{"api_key": {"x"}, "token": {token}}))

	late := c.send(apiKey, 2000)
	c.payPage(late, cardOK, "123", "12/08")
	c.srv.Admin.Advance("20m")
	golden(t, c, "ipg_verify_late", c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {late}}))
	failed := c.send(apiKey, 3000)
	c.payPage(failed, cardNoFunds, "123", "12/08")
	golden(t, c, "ipg_verify_failed", c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {failed}}))

	// Refund as the docs show it, then its failures.
	golden(t, c, "refund", c.postJSON("/v3/business/acme/transaction/"+transID+"/refund", tok,
		map[string]any{"payment_number": "r-1", "amount": "4000", "description": "بازگشت وجه", "notify_url": "https://shop.example/refund"}))
	golden(t, c, "refund_over", c.postJSON("/v3/business/acme/transaction/"+transID+"/refund", tok, map[string]any{"amount": "7000"}))
	golden(t, c, "refund_invalid", c.postJSON("/v3/business/acme/transaction/"+transID+"/refund", tok,
		map[string]any{"payment_number": "r-1", "amount": "x", "notify_url": "nope"}))
	golden(t, c, "refund_unknown", c.postJSON("/v3/business/acme/transaction/1/refund", tok, map[string]any{}))

	golden(t, c, "transactions", c.get("/v3/business/acme/transaction?per_page=4", tok))
	golden(t, c, "transactions_invalid", c.get("/v3/business/acme/transaction?per_page=101&status=done&fromDate=1400", tok))
	golden(t, c, "not_found", c.get("/v2/nope", tok))
	golden(t, c, "method_not_allowed", c.do(http.MethodDelete, c.api+"/v2/business/acme/balance", "", ""))
	golden(t, c, "ipg_not_found", c.do(http.MethodGet, c.ipg+"/api/v4/nope", "", ""))
}
