package sanbod_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/api/apitest"
)

var jwtPattern = regexp.MustCompile(`^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`)

// golden compares the answer with testdata/<name>.json: status, Location, and the
// body with every JWT shown decoded (header and claims), since a token is only
// readable that way.
func golden(t *testing.T, name string, r reply) {
	t.Helper()
	out := map[string]any{"status": r.Status}
	if loc := r.Header.Get("Location"); loc != "" {
		out["location"] = loc
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
	got := strings.ReplaceAll(buf.String(), serverURL(r), "{server}")
	apitest.Golden(t, filepath.Join("testdata", name+".json"), []byte(got))
}

// currentServer is set per test so goldens do not depend on the random port.
var currentServer string

func serverURL(reply) string { return currentServer }

func decodeTokens(t *testing.T, v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = decodeTokens(t, e)
		}
	case string:
		if jwtPattern.MatchString(x) {
			h, c := decodeJWT(t, x)
			return map[string]any{"jwt_header": h, "jwt_claims": c}
		}
	}
	return v
}

// TestSeedExamplesGolden sends every example request of Sanbod's documentation (and the public
// clients' CC calls) in one session and compares the answers with the goldens.
func TestSeedExamplesGolden(t *testing.T) {
	c := newClient(t)
	currentServer = c.srv.URL
	seq := func(path string) string { return path + "?traceid=123456" }

	r := c.post(seq("/oautht/v1/authorize"), seedAuthorize())
	golden(t, "authorize", r)
	// The documentation's authorize asks for statement only; the services below need all.
	id := c.authorize("059", allAC...)
	login := c.base + "/oauth/v1/login/" + id
	r = c.form(login, url.Values{"username": {user}, "password": {password}, "national_code": {natCode}})
	golden(t, "login_post", r)
	r = c.form(c.base+"/oauth/v1/consent/"+id, url.Values{"action": {"approve"}, "deposits": {dep4, dep5, "119-813-2618257-1"}})
	golden(t, "consent_approve", r)
	back, _ := url.Parse(r.Header.Get("Location"))

	// "Get AC Token" as the documentation writes it: posted to the authorize URL.
	r = c.post(seq("/oautht/v1/authorize"), map[string]any{"code": back.Query().Get("code"), "grant_type": "authorization_code"}, c.basic()...)
	golden(t, "token_authorization_code", r)
	var ac struct{ AccessToken, RefreshToken string }
	ac.AccessToken, ac.RefreshToken = r.json(t)["access_token"].(string), r.json(t)["refresh_token"].(string)

	r = c.post(seq("/oauth/v1/token"), map[string]any{"grant_type": "client_credentials",
		"scope": []string{"ibaninquiry", "cardtoiban", "cardtodeposit", "deposittoiban", "ibantodeposit"}, "provider_code": "999"}, c.basic()...)
	golden(t, "token_client_credentials", r)
	cc := r.json(t)["access_token"].(string)

	// Refresh and revoke as the documentation writes them: no traceid.
	r = c.do("POST", "/oauth/v1/token", "application/json", `{"grant_type":"refresh_token","refresh_token":"`+ac.RefreshToken+`"}`, c.basic()...)
	golden(t, "token_refresh", r)
	access := r.json(t)["access_token"].(string)

	for _, ex := range []struct {
		name, path string
		tok        string
		body       string
	}{
		{"normaltransfer", "/normaltransfer", access, `{"destinationDepositNumber":"119-813-2295556-1","sourceDepositNumber":"119-813-2618257-1","transferAmount":"20000"}`},
		{"achtransfer", "/achtransfer", access, `{"sourceDepositNumber":"119-813-2618257-1","iban":"IR410590011981302618257001","transferAmount":"20000","receiverFirstName":"سارا","receiverLastName":"کاویانی","description":"رستوران"}`},
		// The documentation's PAYA example pays an IBAN of the same bank; the same body to
		// another bank's IBAN is the inter-bank case PAYA exists for.
		{"achtransfer_other_iban", "/achtransfer", access, `{"sourceDepositNumber":"119-813-2618257-1","iban":"IR880540126030100979988607","transferAmount":"20000","receiverFirstName":"سارا","receiverLastName":"کاویانی","description":"رستوران"}`},
		{"rtgstransfer", "/rtgstransfer", access, `{"sourceDepositNumber":"119-813-2618257-1","destinationIban":"IR880540126030100979988607","transferAmount":"160000000","receiverLastName":"کاویانی","receiverFirstName":"سارا","description":"رستوران "}`},
		{"statement", "/statement", access, `{"depositNumber":"119-813-2618257-1","length":2,"offset":0,"fromDateTime":1641602238000,"toDateTime":1645602238000,"order":"ASC"}`},
		{"statement_default_window", "/statement", access, `{"depositNumber":"119-813-2618257-1"}`},
		{"achreport", "/achreport", access, `{"depositNumber":"119-813-2618257-1","__destinationIban":"IR410590011981302618257001","__destinationOwnerName":"مهدی هاشمی","__factorNumber":"1","__fromTransactionAmount":1,"__toTransactionAmount":2,"__referenceId":"1","__fromIssueDateTime":1553187438000,"__toIssueDateTime":1653187438000,"__fromRegisterDateTime":1553187438000,"__toRegisterDateTime":1653187438000,"__length":1,"__offset":0}`},
		{"rtgsreport", "/rtgsreport", access, `{"depositNumber":"119-813-2618257-1","__docNumber":"9612200591000486","__fromDateTime":1553187438000,"__toDateTime":1653187438000,"__offset":0,"__length":1}`},
		{"deposittoiban", "/deposittoiban", cc, `{"depositNumber":"213.8000.14707021.1","provider":"057"}`},
		{"cardtoiban", "/cardtoiban", cc, `{"cardNumber":"IR660570021380014707021101"}`},
		{"ibantodeposit", "/ibantodeposit", cc, `{"iban":" IR660570021380014707021101 "}`},
		{"cardtodeposit", "/cardtodeposit", cc, `{"cardNumber":"IR660570021380014707021101"}`},
		{"ibaninquiry", "/sanboom/v1/banksinquiry/ibaninquiry", cc, `{"iban":"IR660570021380014707021101"}`},
		{"error_scope", "/statement", cc, `{"depositNumber":"119-813-2618257-1"}`},
	} {
		golden(t, ex.name, c.post(seq(ex.path), ex.body, bearer(ex.tok)...))
	}

	r = c.do("POST", "/oauth/v1/revoke", "application/json", `{"access_token":"`+access+`"}`)
	golden(t, "revoke", r)
	golden(t, "error_revoked", c.post(seq("/statement"), `{"depositNumber":"119-813-2618257-1"}`, bearer(access)...))
	golden(t, "error_traceid", c.do("POST", "/statement", "application/json", `{}`))
}
