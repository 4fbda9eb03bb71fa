package sanbod_test

import (
	"strings"
	"testing"
)

// The magic amount 1990000 makes a normal transfer INSUFFICIENT_BALANCE on its
// own (the deposit holds far more); a header or a scenario decides over it
// (header > scenario > magic value > default), and the request is judged before
// any of them.
func TestDecisionBeatsMagicAmount(t *testing.T) {
	c := newClient(t)
	c.srv.Admin.AddScenario(`{"name":"sb-bank","rules":[{"operation":"sanbod.normaltransfer","outcome":"failure","code":"BANK_ERROR"}]}`)
	tok, _ := c.ac("059", nil, allAC...)
	transfer := func(amount any, headers ...string) reply {
		t.Helper()
		body := map[string]any{"sourceDepositNumber": dep4, "destinationDepositNumber": dep5, "transferAmount": amount}
		return c.post("/normaltransfer", body, append(bearer(tok), headers...)...)
	}
	tests := []struct {
		name    string
		amount  any
		headers []string
		status  int
		field   string // the error field, "" for a transfer that went through
	}{
		{"magic beats default", 1990000, nil, 400, "transferAmount"},
		{"header success beats magic", 1990000, []string{"X-Sandbank-Outcome", "success"}, 200, ""},
		{"header failure beats magic", 1990000, []string{"X-Sandbank-Outcome", "failure:BANK_ERROR"}, 502, "bank"},
		{"scenario beats magic", 1990000, []string{"X-Sandbank-Scenario", "sb-bank"}, 502, "bank"},
		{"validation before the header", "", []string{"X-Sandbank-Outcome", "failure:BANK_ERROR"}, 400, "transferAmount"},
	}
	for _, tt := range tests {
		r := transfer(tt.amount, tt.headers...)
		if r.Status != tt.status || (tt.field != "" && !strings.Contains(string(r.Raw), `"`+tt.field+`"`)) {
			t.Errorf("%s: %d %s", tt.name, r.Status, r.Raw)
		}
	}
}

// Reads and the token endpoint are operations too: the bank judges the request
// in its order before a forced code, and a good request takes the forced code.
func TestReadValidationBeforeForcedCode(t *testing.T) {
	c := newClient(t)
	cc := c.cc("ibaninquiry", "mobilenationalid")
	ac, _ := c.ac("059", nil, allAC...)
	force := []string{"X-Sandbank-Outcome", "failure:BANK_ERROR"}
	tests := []struct {
		name, path string
		tok        string
		body       map[string]any
		status     int
		field      string
	}{
		{"iban inquiry with a bad iban", "/sanboom/v1/banksinquiry/ibaninquiry", cc, map[string]any{"iban": "IR00"}, 400, "iban"},
		{"mobile match without mobile", "/sanboom/v1/infomatching/mobilenationalid", cc, map[string]any{"nationalId": "0012345678"}, 400, "mobileNumber"},
		{"statement with a bad order", "/statement", ac, map[string]any{"depositNumber": dep4, "order": "sideways"}, 400, "order"},
		{"good iban inquiry takes the forced code", "/sanboom/v1/banksinquiry/ibaninquiry", cc, map[string]any{"iban": otherBankIBAN}, 502, "bank"},
	}
	for _, tt := range tests {
		r := c.post(tt.path, tt.body, append(bearer(tt.tok), force...)...)
		if r.Status != tt.status || !strings.Contains(string(r.Raw), `"`+tt.field+`"`) {
			t.Errorf("%s: %d %s", tt.name, r.Status, r.Raw)
		}
	}
	r := c.post("/oauth/v1/token", map[string]any{"grant_type": "authorization_code"}, append(c.basic(), force...)...)
	if r.Status != 400 || !strings.Contains(string(r.Raw), "code") {
		t.Errorf("token without code: %d %s", r.Status, r.Raw)
	}
}
