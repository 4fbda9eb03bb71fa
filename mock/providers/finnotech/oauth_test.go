package finnotech_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// jwtPayload decodes a token's claims the way pyfinnotech does (no verification).
func jwtPayload(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestClientCredentialsTokenShape(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	// A 2024 client sends extra fields and a trackId query; both are ignored.
	r := c.do("POST", "/dev/v2/oauth2/token?trackId=tok-1", map[string]any{"grant_type": "client_credentials", "nid": "0012345678",
		"scopes": "card:list:get,card:information:get", "auth_type": "CLIENT-CREDENTIAL", "bank": "062"},
		"authorization", c.basicHeader())
	if r.Status != 200 || r.str("status") != "DONE" || r.str("responseCode") != "FN-BRFH-20000000000" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	res := r.field("result").(map[string]any)
	if res["lifeTime"].(float64) != 864000000 {
		t.Errorf("lifeTime %v", res["lifeTime"])
	}
	if got, want := res["creationDate"], iran.FormatJalali(t0, "yyyyMMddHHmmss"); got != want {
		t.Errorf("creationDate %v, want %s", got, want)
	}
	if sc := res["scopes"].([]any); len(sc) != 2 || sc[0] != "card:list:get" {
		t.Errorf("scopes %v", sc)
	}
	if rt := res["refreshToken"].(string); len(rt) != 256 {
		t.Errorf("refresh token of %d characters", len(rt))
	}
	claims := jwtPayload(t, res["value"].(string))
	if claims["type"] != "CLIENT-CREDENTIAL" || claims["clientId"] != "drops" || claims["userId"] != "0012345678" ||
		claims["active"] != true || claims["lifeTime"].(float64) != 864000000 || claims["exp"] == nil {
		t.Errorf("claims %v", claims)
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	cases := []struct {
		name, auth string
		body       any
		status     int
		code, msg  string
	}{
		{"no credentials", "", map[string]any{"grant_type": "client_credentials"}, 401, "UNAUTHORIZED", "invalid client credentials"},
		{"bearer instead of basic", "Bearer x", map[string]any{"grant_type": "client_credentials"}, 401, "UNAUTHORIZED", ""},
		{"no grant", c.basicHeader(), map[string]any{}, 400, "VALIDATION_ERROR", "grant_type is required"},
		{"unknown grant", c.basicHeader(), map[string]any{"grant_type": "password"}, 400, "VALIDATION_ERROR", ""},
		{"no nid", c.basicHeader(), map[string]any{"grant_type": "client_credentials", "scopes": "a:b:c"}, 400, "VALIDATION_ERROR", "nid is required"},
		{"bad nid", c.basicHeader(), map[string]any{"grant_type": "client_credentials", "nid": "12", "scopes": "a:b:c"}, 400, "VALIDATION_ERROR", ""},
		{"no scopes", c.basicHeader(), map[string]any{"grant_type": "client_credentials", "nid": "0012345678"}, 400, "VALIDATION_ERROR", "scopes is required"},
		{"bad scope", c.basicHeader(), map[string]any{"grant_type": "client_credentials", "nid": "0012345678", "scopes": "cards"}, 400, "VALIDATION_ERROR", ""},
		{"not JSON", c.basicHeader(), "grant_type=client_credentials", 400, "VALIDATION_ERROR", ""},
		{"broken JSON", c.basicHeader(), `{"grant_type":`, 400, "VALIDATION_ERROR", ""},
		{"object field", c.basicHeader(), `{"grant_type":{"a":1}}`, 400, "VALIDATION_ERROR", ""},
		{"bad code", c.basicHeader(), map[string]any{"grant_type": "authorization_code", "code": "nope", "bank": "062", "redirect_uri": "https://a.b/"}, 400, "VALIDATION_ERROR", "invalid code"},
		{"bad refresh", c.basicHeader(), map[string]any{"grant_type": "refresh_token", "token_type": "CODE", "refresh_token": "nope"}, 400, "VALIDATION_ERROR", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var headers []string
			if tc.auth != "" {
				headers = []string{"Authorization", tc.auth}
			}
			r := c.do("POST", "/dev/v2/oauth2/token", tc.body, headers...)
			if r.Status != tc.status || r.str("status") != "FAILED" || r.str("error.code") != tc.code || r.str("trackId") == "" {
				t.Fatalf("%d %s", r.Status, r.Raw)
			}
			if tc.msg != "" && r.str("error.message") != tc.msg {
				t.Errorf("message %q", r.str("error.message"))
			}
		})
	}
}

func TestStrictClients(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithConfig(`
providers:
  finnotech:
    clients:
      - {id: drops, secret: s3cret, redirect_hosts: [www.drops.com]}
`), sandbanktest.WithStrict())
	c := newClient(t, srv, "drops")
	c.secret = "wrong"
	if r := c.tokenCall(map[string]any{"grant_type": "client_credentials", "nid": "0012345678", "scopes": "a:b:c"}); r.Status != 401 {
		t.Fatalf("wrong secret: %d", r.Status)
	}
	c.secret = "s3cret"
	if r := c.tokenCall(map[string]any{"grant_type": "client_credentials", "nid": "0012345678", "scopes": "a:b:c"}); r.Status != 200 {
		t.Fatalf("right secret: %d %s", r.Status, r.Raw)
	}
	other := newClient(t, srv, "smokey")
	if r := other.tokenCall(map[string]any{"grant_type": "client_credentials", "nid": "0012345678", "scopes": "a:b:c"}); r.Status != 401 {
		t.Fatalf("undeclared client: %d", r.Status)
	}
	q := url.Values{"client_id": {"drops"}, "response_type": {"code"}, "redirect_uri": {"https://evil.example/x"}, "scope": {"oak:balance:get"}, "bank": {"062"}}
	if r := c.do("GET", "/dev/v2/oauth2/authorize?"+q.Encode(), nil); r.Status != 400 || !strings.Contains(r.str("error.message"), "domain") {
		t.Fatalf("foreign redirect host: %d %s", r.Status, r.Raw)
	}
}

func TestInvalidTokensAre403WithTheDocumentedBody(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	good := c.ccToken("card:list:get")
	forged := good[:len(good)-2] + "xx"
	path := "/mpg/v2/clients/drops/cards?mobile=09121234567"
	for name, auth := range map[string]string{
		"missing": "", "basic": c.basicHeader(), "garbage": "Bearer abc", "forged": "Bearer " + forged, "no scheme": good,
	} {
		var h []string
		if auth != "" {
			h = []string{"Authorization", auth}
		}
		r := c.do("GET", path+"&trackId=inv-"+strings.ReplaceAll(name, " ", "-"), nil, h...)
		if r.Status != 403 || r.str("error.code") != "VALIDATION_ERROR" || r.str("error.message") != "invalid token" || r.str("status") != "FAILED" {
			t.Errorf("%s: %d %s", name, r.Status, r.Raw)
		}
	}
	// Expiry on the virtual clock: 10 days.
	srv.Admin.Advance("240h")
	if r := c.bearer(good, "GET", path, nil); r.Status != 403 || r.str("error.message") != "invalid token" {
		t.Errorf("expired: %d %s", r.Status, r.Raw)
	}
	// After a reset the token is unknown even though its signature is good.
	fresh := c.ccToken("card:list:get")
	srv.Admin.Reset("drops")
	if r := c.bearer(fresh, "GET", path, nil); r.Status != 403 {
		t.Errorf("after reset: %d %s", r.Status, r.Raw)
	}
}

func TestClientScopeAndGrantEnforcement(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	tok := c.ccToken("card:information:get")
	cases := []struct{ name, method, path, msg string }{
		{"other client", "GET", "/mpg/v2/clients/smokey/cards/6037991234567890", "clientId smokey does not match the token's client"},
		{"missing scope", "GET", "/mpg/v2/clients/drops/cards?mobile=09121234567", "scope card:list:get is not granted to this token"},
	}
	for _, tc := range cases {
		r := c.bearer(tok, tc.method, tc.path, nil)
		if r.Status != 403 || r.str("error.code") != "VALIDATION_ERROR" || r.str("error.message") != tc.msg {
			t.Errorf("%s: %d %s", tc.name, r.Status, r.Raw)
		}
	}
	// A client-credentials token with the charge scope is still the wrong grant.
	cc := c.ccToken("oak:card-charge:execute")
	r := c.bearer(cc, "POST", "/oak/v2/clients/drops/deposits/1/chargeCard?trackId=g-1", map[string]any{"amount": 1000, "card": "6362144202902795"})
	if r.Status != 403 || !strings.Contains(r.str("error.message"), "Authorization_Code") {
		t.Errorf("cc on chargeCard: %d %s", r.Status, r.Raw)
	}
	// A CODE token of another bank may not charge bon cards.
	code, _ := c.codeToken("054", "1111111111", "", "oak:card-charge:execute")
	r = c.bearer(code, "POST", "/oak/v2/clients/drops/deposits/1/chargeCard?trackId=g-2", map[string]any{"amount": 1000, "card": "6362144202902795"})
	if r.Status != 403 || !strings.Contains(r.str("error.message"), "bank 062") {
		t.Errorf("bank 054 token on chargeCard: %d %s", r.Status, r.Raw)
	}
	// None of the refused requests consumed its trackId.
	code, _ = c.codeToken("062", "1111111111", "", "oak:card-charge:execute")
	r = c.bearer(code, "POST", "/oak/v2/clients/drops/deposits/none/chargeCard?trackId=g-2", map[string]any{"amount": 1000, "card": "6362144202902795"})
	if r.str("error.message") == "trackId is duplicated" {
		t.Errorf("a request refused for its token consumed its trackId: %s", r.Raw)
	}
}

func TestRefreshKeepsTheOldRefreshTokenAndRevokeEndsAToken(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	first := c.tokenCall(map[string]any{"grant_type": "client_credentials", "nid": "0012345678", "scopes": "card:list:get,boomrang:tokens:get"})
	rt := first.str("result.refreshToken")
	var values []string
	for i := 0; i < 2; i++ { // the same refresh token twice: it stays valid
		r := c.tokenCall(map[string]any{"grant_type": "refresh_token", "token_type": "CLIENT-CREDENTIAL", "refresh_token": rt, "auth_type": "CLIENT-CREDENTIAL", "bank": "062"})
		if r.Status != 200 || r.str("result.value") == "" || r.str("result.refreshToken") == rt {
			t.Fatalf("refresh %d: %d %s", i, r.Status, r.Raw)
		}
		values = append(values, r.str("result.value"))
	}
	if r := c.tokenCall(map[string]any{"grant_type": "refresh_token", "token_type": "CODE", "refresh_token": rt}); r.Status != 400 {
		t.Errorf("refresh with the wrong token_type: %d", r.Status)
	}
	// Revoke the second refreshed token using itself as Bearer.
	r := c.bearer(values[1], "DELETE", "/dev/v2/clients/drops/token?trackId=rev-1", map[string]any{"token": values[1], "token_type": "CLIENT-CREDENTIAL"})
	if r.Status != 200 || r.str("status") != "DONE" || r.str("trackId") != "rev-1" {
		t.Fatalf("revoke: %d %s", r.Status, r.Raw)
	}
	if r := c.bearer(values[1], "GET", "/mpg/v2/clients/drops/cards?mobile=09121234567", nil); r.Status != 403 || r.str("error.message") != "invalid token" {
		t.Errorf("revoked token still works: %d %s", r.Status, r.Raw)
	}
	// The list shows it inactive and the others active.
	r = c.bearer(values[0], "GET", "/dev/v2/clients/drops/tokens", nil)
	items, _ := r.field("result.clientCredentials").([]any)
	if r.Status != 200 || len(items) != 3 {
		t.Fatalf("list: %d %s", r.Status, r.Raw)
	}
	active := 0
	for _, it := range items {
		if it.(map[string]any)["active"] == true {
			active++
		}
	}
	if active != 2 {
		t.Errorf("%d active tokens, want 2: %s", active, r.Raw)
	}
	if sms, _ := r.field("result.sms").([]any); sms == nil {
		t.Errorf("no sms list: %s", r.Raw)
	}
	// Revoking needs a real token of this client.
	if r := c.bearer(values[0], "DELETE", "/dev/v2/clients/drops/token", map[string]any{"token": "nope", "token_type": "CODE"}); r.Status != 400 {
		t.Errorf("revoke unknown: %d %s", r.Status, r.Raw)
	}
}

func TestAuthorizeValidation(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	ok := url.Values{"client_id": {"drops"}, "response_type": {"code"}, "redirect_uri": {"https://www.drops.com/return"},
		"scope": {"oak:statement:get,oak:transfer-to:execute"}, "bank": {"062"}, "limit": {"350000"}, "count": {"5"}, "state": {"123456"}}
	with := func(k, v string) url.Values {
		q := url.Values{}
		for kk, vv := range ok {
			q[kk] = vv
		}
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		return q
	}
	cases := []struct {
		name string
		q    url.Values
		msg  string
	}{
		{"no client", with("client_id", ""), "client_id is required"},
		{"token response", with("response_type", "token"), "response_type must be code"},
		{"no redirect", with("redirect_uri", ""), "redirect_uri is required"},
		{"relative redirect", with("redirect_uri", "/return"), "redirect_uri is invalid"},
		{"ftp redirect", with("redirect_uri", "ftp://x.y/z"), "redirect_uri is invalid"},
		{"no scope", with("scope", ""), "scope is required"},
		{"mixed scopes", with("scope", "oak:statement:get,kilid:loan:get"), "bank scopes and side-system scopes cannot be requested together"},
		{"no bank", with("bank", ""), "bank is required"},
		{"unknown bank", with("bank", "999"), "bank 999 is not supported"},
		{"withdrawal without limit", without(with("scope", "oak:withdrawal-from:execute"), "limit"), "limit is required for the requested scopes"},
		{"block without count", without(with("scope", "oak:block:create"), "count"), "count is required for the requested scopes"},
		{"limit not numeric", with("limit", "12a"), "limit must be numeric"},
	}
	for _, tc := range cases {
		r := c.do("GET", "/dev/v2/oauth2/authorize?"+tc.q.Encode(), nil)
		if r.Status != 400 || r.str("error.code") != "VALIDATION_ERROR" || r.str("error.message") != tc.msg {
			t.Errorf("%s: %d %s", tc.name, r.Status, r.Raw)
		}
	}
	r := c.do("GET", "/dev/v2/oauth2/authorize?"+ok.Encode(), nil)
	if u := location(t, r); u.Path != "/finnotech/dev/v2/oauth2/bank/login" || u.Query().Get("session") == "" {
		t.Errorf("redirect %s", u)
	}
	// Side-system scopes need no bank.
	if r := c.do("GET", "/dev/v2/oauth2/authorize?"+without(with("scope", "kilid:loan:get"), "bank", "limit", "count").Encode(), nil); r.Status != http.StatusFound {
		t.Errorf("kilid scopes: %d %s", r.Status, r.Raw)
	}
}

// without drops keys from q.
func without(q url.Values, keys ...string) url.Values {
	for _, k := range keys {
		q.Del(k)
	}
	return q
}
