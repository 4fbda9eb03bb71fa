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

// Reads are operations too: a bad request is answered as such whatever the
// header forces, and a good one takes the forced code.
func TestReadValidationBeforeForcedCode(t *testing.T) {
	srv := sandbanktest.Start(t)
	tests := []struct {
		name, path string
		form       url.Values
		want       int
	}{
		{"status without messageid", "sms/status.json", url.Values{}, 400},
		{"selectoutbox with a bad date", "sms/selectoutbox.json", url.Values{"startdate": {"yesterday"}}, 417},
		{"latestoutbox with a bad size", "sms/latestoutbox.json", url.Values{"pagesize": {"0"}}, 422},
		{"countpostalcode with letters", "sms/countpostalcode.json", url.Values{"postalcode": {"12ab"}}, 411},
		{"unknown method", "sms/nosuch.json", url.Values{}, 404},
		{"good status takes the forced code", "sms/status.json", url.Values{"messageid": {"1"}}, 418},
	}
	for _, tt := range tests {
		st, env, _ := post(t, srv.URL, "/kavenegar/v1/k1/"+tt.path, tt.form, "X-Sandbank-Outcome", "failure:418")
		if st != tt.want || env.Return.Status != tt.want {
			t.Errorf("%s: HTTP %d, return %+v; want %d", tt.name, st, env.Return, tt.want)
		}
	}
}
