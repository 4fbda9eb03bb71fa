package sanbod_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

func seedAuthorize() map[string]any {
	return map[string]any{
		"provider_code": "059", "redirect_uri": "https://google.com", "scope": []string{"statement"},
		"client_id": "test_sanbod", "response_type": "code", "state": 7000,
	}
}

func TestAuthorizeBothSpellingsRedirectToBrandedLogin(t *testing.T) {
	c := newClient(t)
	for _, path := range []string{"/oautht/v1/authorize", "/oauth/v1/authorize"} {
		r := c.post(path, seedAuthorize())
		loc := r.Header.Get("Location")
		if r.Status != 302 || !strings.HasPrefix(loc, c.base+"/oauth/v1/login/") {
			t.Fatalf("%s: %d Location %q %s", path, r.Status, loc, r.Raw)
		}
		page := c.do("GET", loc, "", "")
		body := string(page.Raw)
		if page.Status != 200 || !strings.Contains(body, "بانک سینا") || !strings.Contains(body, `id="national_code"`) ||
			!strings.Contains(body, `dir="rtl"`) || !strings.Contains(page.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s login page: %d %s", path, page.Status, body)
		}
	}
	// Every bank of the table has its own page: Pasargad and Parsian by name.
	for code, name := range map[string]string{"057": "پاسارگاد", "054": "پارسیان"} {
		body := seedAuthorize()
		body["provider_code"] = code
		r := c.post("/oautht/v1/authorize", body)
		page := c.do("GET", r.Header.Get("Location"), "", "")
		if !strings.Contains(string(page.Raw), name) {
			t.Fatalf("%s: page does not name %s", code, name)
		}
	}
	// A browser may be sent to authorize with GET and the parameters in the query.
	q := url.Values{"traceid": {"g1"}, "provider_code": {"057"}, "redirect_uri": {callback}, "scope": {"statement,achtransfer"},
		"client_id": {"web"}, "response_type": {"code"}, "state": {"xyz"}}
	if r := c.do("GET", "/oauth/v1/authorize?"+q.Encode(), "", ""); r.Status != 302 {
		t.Fatalf("GET authorize: %d %s", r.Status, r.Raw)
	}
}

func TestAuthorizeValidatesEveryField(t *testing.T) {
	c := newClient(t)
	cases := []struct {
		name  string
		edit  func(m map[string]any)
		field string
	}{
		{"unknown provider code", func(m map[string]any) { m["provider_code"] = "123" }, "provider_code"},
		{"aggregator code", func(m map[string]any) { m["provider_code"] = "999" }, "provider_code"},
		{"no provider code", func(m map[string]any) { delete(m, "provider_code") }, "provider_code"},
		{"response_type token", func(m map[string]any) { m["response_type"] = "token" }, "response_type"},
		{"no response_type", func(m map[string]any) { delete(m, "response_type") }, "response_type"},
		{"empty scope", func(m map[string]any) { m["scope"] = []string{} }, "scope"},
		{"CC scope", func(m map[string]any) { m["scope"] = []string{"cardtoiban"} }, "scope"},
		{"scope not a list of strings", func(m map[string]any) { m["scope"] = []any{1} }, "scope"},
		{"relative redirect", func(m map[string]any) { m["redirect_uri"] = "/callback" }, "redirect_uri"},
		{"ftp redirect", func(m map[string]any) { m["redirect_uri"] = "ftp://x.example/" }, "redirect_uri"},
		{"no redirect", func(m map[string]any) { delete(m, "redirect_uri") }, "redirect_uri"},
		{"no client", func(m map[string]any) { m["client_id"] = "" }, "client_id"},
		{"state object", func(m map[string]any) { m["state"] = map[string]any{} }, "state"},
	}
	for _, tc := range cases {
		body := seedAuthorize()
		tc.edit(body)
		r := c.post("/oautht/v1/authorize", body)
		if r.Header.Get("Location") != "" {
			t.Errorf("%s: redirected", tc.name)
		}
		r.errField(t, 400, tc.field)
	}
	// Every bad field is reported in one answer.
	r := c.post("/oauth/v1/authorize", map[string]any{"provider_code": "1", "scope": []string{"x"}})
	m := r.json(t)["message"].(map[string]any)
	for _, f := range []string{"provider_code", "redirect_uri", "scope", "client_id", "response_type"} {
		if m[f] == nil {
			t.Errorf("field %s not reported: %s", f, r.Raw)
		}
	}
	// traceid is required, on authorize as everywhere.
	r = c.do("POST", "/oautht/v1/authorize", "application/json", `{}`)
	r.errField(t, 400, "traceid")
}

func TestLoginPageRejectsWrongValuesAndConsentDeny(t *testing.T) {
	c := newClient(t)
	id := c.authorize("059", "statement", "achtransfer")
	login := c.base + "/oauth/v1/login/" + id
	for _, bad := range []url.Values{
		{"username": {"ela"}, "password": {"0000"}, "national_code": {natCode}},
		{"username": {"bob"}, "password": {"1234"}, "national_code": {natCode}},
		{"username": {"ela"}, "password": {"1234"}, "national_code": {"0012345678"}},
		{},
	} {
		r := c.form(login, bad)
		if r.Status != 200 || !strings.Contains(string(r.Raw), `id="error"`) || r.Header.Get("Location") != "" {
			t.Fatalf("bad login %v: %d %s", bad, r.Status, r.Raw)
		}
	}
	// The consent page before login sends the user back to log in.
	if r := c.do("GET", c.base+"/oauth/v1/consent/"+id, "", ""); r.Status != 302 || r.Header.Get("Location") != login {
		t.Fatalf("consent before login: %d %q", r.Status, r.Header.Get("Location"))
	}
	r := c.form(login, url.Values{"username": {user}, "password": {password}, "national_code": {natCode}})
	if r.Status != 302 || r.Header.Get("Location") != c.base+"/oauth/v1/consent/"+id {
		t.Fatalf("login: %d %q %s", r.Status, r.Header.Get("Location"), r.Raw)
	}
	r = c.form(r.Header.Get("Location"), url.Values{"action": {"deny"}})
	loc, _ := url.Parse(r.Header.Get("Location"))
	if r.Status != 302 || loc == nil || loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "7000" || loc.Query().Get("code") != "" {
		t.Fatalf("deny: %d %q", r.Status, r.Header.Get("Location"))
	}
	// The session is spent.
	c.do("GET", login, "", "").errField(t, 400, "session")
	c.do("GET", c.base+"/oauth/v1/login/nope", "", "").errField(t, 404, "session")
}

func TestTokenGrantsRefreshRevoke(t *testing.T) {
	c := newClient(t)
	// CC with the documentation's body.
	r := c.post("/oauth/v1/token", map[string]any{"grant_type": "client_credentials",
		"scope": []string{"ibaninquiry", "cardtoiban", "cardtodeposit", "deposittoiban", "ibantodeposit"}, "provider_code": "999"}, c.basic()...)
	m := r.json(t)
	if r.Status != 200 || m["token_type"] != "Bearer" || m["expires_in"] != float64(3600) || len(m["scope"].([]any)) != 5 {
		t.Fatalf("cc: %d %s", r.Status, r.Raw)
	}
	hdr, claims := decodeJWT(t, m["access_token"].(string))
	if hdr["type"] != "access" || hdr["grant_type"] != "CC" || hdr["alg"] != "HS256" || hdr["environment"] == nil {
		t.Fatalf("cc header %v", hdr)
	}
	for _, k := range []string{"uuid", "iat", "exp", "private", "scope", "app_id", "deposits", "limitations", "consent_tracking_uuid", "trace_id", "application_name"} {
		if _, ok := claims[k]; !ok {
			t.Errorf("claim %s missing: %v", k, claims)
		}
	}
	if !strings.HasPrefix(claims["private"].(string), "gAAAAA") {
		t.Errorf("private is not a Fernet token: %v", claims["private"])
	}
	if rh, _ := decodeJWT(t, m["refresh_token"].(string)); rh["type"] != "refresh" {
		t.Fatalf("refresh header %v", rh)
	}

	// Bad client credentials, bad grants.
	c.post("/oauth/v1/token", map[string]any{"grant_type": "client_credentials", "scope": []string{"cardtoiban"}, "provider_code": "999"}).errField(t, 401, "client")
	c.post("/oauth/v1/token", map[string]any{"grant_type": "password"}, c.basic()...).errField(t, 400, "grant_type")
	c.post("/oauth/v1/token", map[string]any{"grant_type": "client_credentials", "scope": []string{"statement"}, "provider_code": "999"}, c.basic()...).errField(t, 400, "scope")
	c.post("/oauth/v1/token", map[string]any{"grant_type": "client_credentials", "scope": []string{"cardtoiban"}, "provider_code": "1"}, c.basic()...).errField(t, 400, "provider_code")
	c.post("/oauth/v1/token", map[string]any{"grant_type": "authorization_code", "code": "nope"}, c.basic()...).errField(t, 400, "code")

	// AC: the code is single-use and bound to its redirect_uri when one is sent.
	id := c.authorize("059", "statement")
	var out struct{ Redirect string }
	c.srv.Admin.Do("POST", "/sanbod/consents/"+id+"/approve", nil, &out)
	u, _ := url.Parse(out.Redirect)
	code := u.Query().Get("code")
	c.post("/oauth/v1/token", map[string]any{"grant_type": "authorization_code", "code": code, "redirect_uri": "https://other.example/"}, c.basic()...).errField(t, 400, "redirect_uri")
	access, refresh := c.tokens(map[string]any{"grant_type": "authorization_code", "code": code, "redirect_uri": callback})
	c.post("/oauth/v1/token", map[string]any{"grant_type": "authorization_code", "code": code}, c.basic()...).errField(t, 400, "code")
	hdr, claims = decodeJWT(t, access)
	if hdr["grant_type"] != "AC" || len(claims["deposits"].([]any)) < 2 || claims["consent_tracking_uuid"] != id {
		t.Fatalf("ac token: %v %v", hdr, claims)
	}

	// Refresh rotates: the old refresh token is spent.
	access2, refresh2 := c.tokens(map[string]any{"grant_type": "refresh_token", "refresh_token": refresh})
	if access2 == access || refresh2 == refresh {
		t.Fatal("refresh returned the same tokens")
	}
	c.post("/oauth/v1/token", map[string]any{"grant_type": "refresh_token", "refresh_token": refresh}, c.basic()...).errField(t, 400, "refresh_token")
	c.post("/oauth/v1/token", map[string]any{"grant_type": "refresh_token", "refresh_token": access2}, c.basic()...).errField(t, 400, "refresh_token")
	_, rc := decodeJWT(t, refresh2)
	if rc["consent_tracking_uuid"] != id {
		t.Fatalf("refreshed grant lost its consent: %v", rc)
	}

	// Revoke: JSON body, then the token fails with 401; form body works too.
	stmt := map[string]any{"depositNumber": dep4}
	if r := c.post("/banks/v1/statement", stmt, bearer(access2)...); r.Status != 200 {
		t.Fatalf("statement before revoke: %d %s", r.Status, r.Raw)
	}
	r = c.post("/oauth/v1/revoke", map[string]any{"access_token": access2})
	m = r.json(t)
	if r.Status != 200 || m["error"] != false || m["result_number"] != float64(1) {
		t.Fatalf("revoke: %d %s", r.Status, r.Raw)
	}
	if _, isString := m["message"].(string); !isString {
		t.Fatalf("revoke message is not a string: %s", r.Raw)
	}
	c.post("/banks/v1/statement", stmt, bearer(access2)...).errField(t, 401, "token")
	r = c.do("POST", "/oauth/v1/revoke?traceid=f", "application/x-www-form-urlencoded", url.Values{"access_token": {access}}.Encode())
	if r.Status != 200 {
		t.Fatalf("form revoke: %d %s", r.Status, r.Raw)
	}
	c.post("/banks/v1/statement", stmt, bearer(access)...).errField(t, 401, "token")
	c.post("/oauth/v1/revoke", map[string]any{}).errField(t, 400, "access_token")
	c.post("/oauth/v1/revoke", map[string]any{"access_token": "x.y.z"}).errField(t, 400, "access_token")
}

func TestTokensExpireOnTheVirtualClock(t *testing.T) {
	c := newClient(t)
	tok := c.cc("cardtoiban")
	path := "/sanboom/v1/banksinquiry/cardtoiban"
	body := map[string]any{"cardNumber": "5022291301984702"}
	if r := c.post(path, body, bearer(tok)...); r.Status == 401 {
		t.Fatalf("fresh token refused: %s", r.Raw)
	}
	c.srv.Admin.Advance("59m")
	if r := c.post(path, body, bearer(tok)...); r.Status == 401 {
		t.Fatalf("token refused before expiry: %s", r.Raw)
	}
	c.srv.Admin.Advance("1m")
	msgs := c.post(path, body, bearer(tok)...).errField(t, 401, "token")
	if !strings.Contains(msgs[0].(string), "منقضی") {
		t.Fatalf("expired message %v", msgs)
	}
}

func TestStrictModeAcceptsOnlyDeclaredClients(t *testing.T) {
	c := newClient(t, sandbanktest.WithConfig(`
strict: true
providers:
  sanbod:
    clients:
      - client_id: test_sanbod
        client_secret: secret
        name: caspian
        app_id: 1
        redirect_uris: ["`+callback+`"]
`))
	if tok := c.cc("cardtoiban"); tok == "" {
		t.Fatal("declared client got no token")
	}
	_, claims := decodeJWT(t, c.cc("cardtoiban"))
	if claims["application_name"] != "caspian" || claims["app_id"] != float64(1) {
		t.Fatalf("declared client claims %v", claims)
	}
	c.id = "stranger"
	c.post("/oauth/v1/token", map[string]any{"grant_type": "client_credentials", "scope": []string{"cardtoiban"}, "provider_code": "999"}, c.basic()...).errField(t, 401, "client")
	body := seedAuthorize()
	body["client_id"] = "stranger"
	c.post("/oautht/v1/authorize", body).errField(t, 400, "client_id")
	// A declared client's callbacks are the only ones allowed.
	body = seedAuthorize()
	c.post("/oautht/v1/authorize", body).errField(t, 400, "redirect_uri")
	delete(body, "redirect_uri")
	if r := c.post("/oautht/v1/authorize", body); r.Status != 302 {
		t.Fatalf("registered callback by default: %d %s", r.Status, r.Raw)
	}
}

func decodeJWT(t *testing.T, tok string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	dec := func(s string) map[string]any {
		raw, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	return dec(parts[0]), dec(parts[1])
}

// TestClientIDsThatAreNotUTF8: outside --strict any client id is a tenant of
// its own, but not one that is not UTF-8: "\xff" and "\xfe" were two tenants
// in memory and one ("\uFFFD") in the state's JSON and the --data-dir log. It
// is the bad-credentials answer, 401 under "client"; a UTF-8 one still works.
func TestClientIDsThatAreNotUTF8(t *testing.T) {
	c := newClient(t)
	for _, tc := range []struct {
		id     string
		status int
	}{
		{"\xff", 401},
		{"app-\xfe", 401},
		{"\xc3", 401},
		{"اپ-سندباد", 200},
		{"app\uFFFD", 200},
	} {
		req, _ := http.NewRequest("GET", "/", nil)
		req.SetBasicAuth(tc.id, "secret")
		r := c.post("/oauth/v1/token", map[string]any{"grant_type": "client_credentials", "scope": []string{"cardtoiban"}, "provider_code": "999"},
			"Authorization", req.Header.Get("Authorization"))
		if tc.status == 401 {
			r.errField(t, 401, "client")
		} else if r.Status != tc.status {
			t.Fatalf("client %q: %d %s", tc.id, r.Status, r.Raw)
		}
	}
}
