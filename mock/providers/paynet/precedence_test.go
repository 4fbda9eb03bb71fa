package paynet_test

import (
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// The magic key sck_sandbank_company_blocked answers 2 (403) on its own; a
// header or a scenario decides over it (header > scenario > magic value >
// default), and the body is judged before any of them.
func TestDecisionBeatsMagicKey(t *testing.T) {
	srv := sandbanktest.Start(t)
	srv.Admin.AddScenario(`{"name":"pn-18","rules":[{"operation":"paynet.cardSave","outcome":"failure","code":"18"}]}`)
	url := srv.Base("paynet") + "/v1/card/save"
	const key = "sck_sandbank_company_blocked"
	tests := []struct {
		name     string
		body     string
		headers  []string
		status   int
		code     int
		resultOf string // the field the code is in
	}{
		{"magic beats default", card, nil, 403, 2, "result_code"},
		{"header success beats magic", card, []string{"X-Sandbank-Outcome", "success"}, 200, 0, "code"},
		{"header failure beats magic", card, []string{"X-Sandbank-Outcome", "failure:18"}, 200, 18, "code"},
		{"scenario beats magic", card, []string{"X-Sandbank-Scenario", "pn-18"}, 200, 18, "code"},
		{"header 100 is answered in the normal body", `{"card_desc":"K","card_holder":"Ali Veli","card_number":"5571135571135575","expire_month":"12","expire_year":"2030","user_unique_id":"u-100"}`, []string{"X-Sandbank-Outcome", "failure:100"}, 200, 100, "code"},
		{"validation before the header", `{"card_desc":"x"}`, []string{"X-Sandbank-Outcome", "failure:18"}, 400, 11, "result_code"},
	}
	for _, tt := range tests {
		st, out, _ := call(t, url, key, tt.body, tt.headers...)
		if st != tt.status || num(out[tt.resultOf]) != tt.code {
			t.Errorf("%s: %d %v", tt.name, st, out)
		}
		if tt.code == 100 && out["card_hash"] == nil {
			t.Errorf("%s: no card in the reply: %v", tt.name, out)
		}
	}
}
