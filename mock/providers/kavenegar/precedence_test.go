package kavenegar_test

import (
	"net/url"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// The magic key sandbank-ip-blocked answers 429 on its own; a header or a
// scenario decides over it (header > scenario > magic value > default).
func TestDecisionBeatsMagicKey(t *testing.T) {
	srv := sandbanktest.Start(t)
	srv.Admin.AddScenario(`{"name":"kv-418","rules":[{"operation":"kavenegar.smsSend","outcome":"failure","code":"418"}]}`)
	form := url.Values{"receptor": {"09121234567"}, "message": {"x"}}
	tests := []struct {
		name    string
		key     string
		headers []string
		want    int
	}{
		{"magic beats default", "sandbank-ip-blocked", nil, 429},
		{"header success beats magic", "sandbank-ip-blocked", []string{"X-Sandbank-Outcome", "success"}, 200},
		{"header failure beats magic", "sandbank-ip-blocked", []string{"X-Sandbank-Outcome", "failure:412"}, 412},
		{"scenario beats magic", "sandbank-ip-blocked", []string{"X-Sandbank-Scenario", "kv-418"}, 418},
		{"validation before the header", "sandbank-ip-blocked", []string{"X-Sandbank-Outcome", "failure:412"}, 0},
	}
	for _, tt := range tests {
		f := form
		want := tt.want
		if tt.want == 0 { // no receptor: 400 (parameters incomplete) whatever the header says
			f, want = url.Values{"message": {"x"}}, 400
		}
		st, env, _ := post(t, srv.URL, "/kavenegar/v1/"+tt.key+"/sms/send.json", f, tt.headers...)
		if st != want || env.Return.Status != want {
			t.Errorf("%s: HTTP %d, return %+v", tt.name, st, env.Return)
		}
	}
}
