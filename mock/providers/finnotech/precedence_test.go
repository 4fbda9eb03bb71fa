package finnotech_test

import (
	"net/url"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// The magic amount 10100 ends a charge in A100 on its own; a header or a
// scenario decides over it (header > scenario > magic value > default), and the
// request is judged before any of them.
func TestDecisionBeatsMagicAmount(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	srv.Admin.AddScenario(`{"name":"fn-a105","rules":[{"operation":"finnotech.chargeCard","outcome":"failure","code":"A105"}]}`)
	c := newClient(t, srv, "qa-app")
	redirect := "https://qa.example/cb"
	q := url.Values{"client_id": {"qa-app"}, "response_type": {"code"}, "redirect_uri": {redirect}, "bank": {"062"}, "state": {"s"},
		"scope": {"oak:card-charge:execute"}}
	session := location(t, c.do("GET", "/dev/v2/oauth2/authorize?"+q.Encode(), nil)).Query().Get("session")
	consent := location(t, c.do("POST", srv.URL+"/finnotech/dev/v2/oauth2/bank/login", url.Values{"session": {session}, "username": {"1111111111"}, "password": {"1111111111"}}))
	back := location(t, c.do("POST", consent.String(), url.Values{"session": {session}, "action": {"approve"}, "deposits": {"0211111111111"}}))
	tok := c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": back.Query().Get("code"), "bank": "062", "redirect_uri": redirect})
	if tok.Status != 200 {
		t.Fatalf("exchange: %d %s", tok.Status, tok.Raw)
	}
	code := tok.str("result.value")
	tests := []struct {
		name     string
		card     string
		headers  []string
		status   int
		result   string // result.code, "" for a charge that went through
		errorMsg string // error.code of a refused request
	}{
		{"magic beats default", "6362144202902795", nil, 200, "A100", ""},
		{"header success beats magic", "6362144202902795", []string{"X-Sandbank-Outcome", "success"}, 200, "", ""},
		{"header failure beats magic", "6362144202902795", []string{"X-Sandbank-Outcome", "failure:A101"}, 200, "A101", ""},
		{"header gateway failure beats magic", "6362144202902795", []string{"X-Sandbank-Outcome", "failure:REQUEST_TIME_OUT"}, 408, "", "REQUEST_TIME_OUT"},
		{"scenario beats magic", "6362144202902795", []string{"X-Sandbank-Scenario", "fn-a105"}, 200, "A105", ""},
		{"validation before the header", "", []string{"X-Sandbank-Outcome", "failure:REQUEST_TIME_OUT"}, 400, "", "VALIDATION_ERROR"},
	}
	for i, tt := range tests {
		track := "prec-" + string(rune('a'+i))
		r := c.bearer(code, "POST", "/oak/v2/clients/qa-app/deposits/0211111111111/chargeCard?trackId="+track,
			map[string]any{"amount": 10100, "card": tt.card}, tt.headers...)
		switch {
		case r.Status != tt.status:
			t.Errorf("%s: %d %s", tt.name, r.Status, r.Raw)
		case tt.errorMsg != "" && r.str("error.code") != tt.errorMsg:
			t.Errorf("%s: %s", tt.name, r.Raw)
		case tt.errorMsg == "" && tt.result != "" && r.str("result.code") != tt.result:
			t.Errorf("%s: %s", tt.name, r.Raw)
		case tt.errorMsg == "" && tt.result == "" && r.str("result.chargeState") != "DONE":
			t.Errorf("%s: %s", tt.name, r.Raw)
		}
	}
}

// Reads and the token endpoint are operations too: a bad request is answered as
// such whatever the header forces, and a good one takes the forced code.
func TestReadValidationBeforeForcedCode(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "qa-app")
	tok := c.ccToken("card:list:get", "card:information:get")
	force := []string{"X-Sandbank-Outcome", "failure:REQUEST_TIME_OUT"}
	tests := []struct {
		name, path string
		status     int
		code       string
	}{
		{"card list without mobile", "/mpg/v2/clients/qa-app/cards?trackId=v-1", 400, "VALIDATION_ERROR"},
		{"card list with a bad mobile", "/mpg/v2/clients/qa-app/cards?trackId=v-2&mobile=12", 400, "VALIDATION_ERROR"},
		{"card info with a short card", "/mpg/v2/clients/qa-app/cards/1234?trackId=v-3", 400, "VALIDATION_ERROR"},
		{"good card list takes the forced code", "/mpg/v2/clients/qa-app/cards?trackId=v-4&mobile=09121111111", 408, "REQUEST_TIME_OUT"},
	}
	for _, tt := range tests {
		r := c.bearer(tok, "GET", tt.path, nil, force...)
		if r.Status != tt.status || r.str("error.code") != tt.code {
			t.Errorf("%s: %d %s", tt.name, r.Status, r.Raw)
		}
	}
	r := c.do("POST", "/dev/v2/oauth2/token", map[string]any{"grant_type": "client_credentials", "scopes": "card:list:get"},
		append([]string{"Authorization", c.basicHeader()}, force...)...)
	if r.Status != 400 || r.str("error.code") != "VALIDATION_ERROR" {
		t.Errorf("token without nid: %d %s", r.Status, r.Raw)
	}
}
