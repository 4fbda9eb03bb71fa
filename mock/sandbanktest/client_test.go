package sandbanktest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

const strictConfig = "providers:\n  kavenegar:\n    accounts:\n      - key: declared-key\n"

// WithStrict is kept whichever side of WithConfig it is given on.
func TestStrictSurvivesConfigInAnyOrder(t *testing.T) {
	for name, opts := range map[string][]sandbanktest.Option{
		"strict first": {sandbanktest.WithStrict(), sandbanktest.WithConfig(strictConfig)},
		"config first": {sandbanktest.WithConfig(strictConfig), sandbanktest.WithStrict()},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := sandbanktest.Start(t, opts...)
			for key, want := range map[string]int{"declared-key": 200, "undeclared-key": 403} {
				res, err := http.Get(srv.Base("kavenegar") + "/v1/" + key + "/account/info.json")
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != want {
					t.Errorf("%s: %d, want %d", key, res.StatusCode, want)
				}
			}
		})
	}
}

// The requests of an SDK that hard-codes https://api.kavenegar.com (the
// Kavenegar Go SDK posts a form to /v1/{apikey}/{scope}/{method}.json) reach the
// server through Client with nothing else changed: no port, no CA, no hosts file.
func TestClientServesRealProviderURLs(t *testing.T) {
	t.Parallel()
	srv := sandbanktest.Start(t)
	hc := srv.Client()
	form := url.Values{"receptor": {"09121234567"}, "message": {"کد شما ۱۲۳۴"}, "sender": {"10004346"}}
	req, _ := http.NewRequest("POST", "https://api.kavenegar.com/v1/sdk-key/sms/send.json", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Return struct {
			Status  int    `json:"status"`
			Message string `json:"message"`
		} `json:"return"`
		Entries []struct {
			MessageID int64 `json:"messageid"`
			Status    int   `json:"status"`
		} `json:"entries"`
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if err := json.Unmarshal(body, &env); err != nil || res.StatusCode != 200 || env.Return.Status != 200 || len(env.Entries) != 1 {
		t.Fatalf("send: %d %s", res.StatusCode, body)
	}
	// The SDK's GET form of the status call, on the same client.
	res, err = hc.Get("https://api.kavenegar.com/v1/sdk-key/sms/status.json?messageid=" + jsonNumber(env.Entries[0].MessageID))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"messageid"`) {
		t.Fatalf("status: %d %s", res.StatusCode, body)
	}
	// The exchange is the server's: it is in the journal.
	if e := srv.Admin.Journal("operation=kavenegar.smsSend"); len(e) != 1 || e[0].Tenant != "sdk-key" {
		t.Fatalf("journal: %+v", e)
	}
	// Each host is its own: a Finnotech path does not answer on Kavenegar's host,
	// and Kavenegar's 404 comes in Kavenegar's envelope.
	res, err = hc.Get("https://api.kavenegar.com/dev/v2/oauth2/token")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 404 || !strings.Contains(string(body), `"return"`) {
		t.Fatalf("foreign path: %d %s", res.StatusCode, body)
	}
}

// A fault that drops the connection is an error for the client, as it would be
// on the wire; a timeout fault holds the reply until the client gives up.
func TestClientSeesFaults(t *testing.T) {
	t.Parallel()
	srv := sandbanktest.Start(t, sandbanktest.WithFaultTimeout(50*time.Millisecond))
	hc := srv.Client()
	for _, fault := range []string{"reset", "timeout"} {
		srv.Admin.AddScenario(`{"name":"f-` + fault + `","rules":[{"operation":"kavenegar.accountInfo","fault":"` + fault + `"}]}`)
		req, _ := http.NewRequest("GET", "https://api.kavenegar.com/v1/k/account/info.json", nil)
		req.Header.Set("X-Sandbank-Scenario", "f-"+fault)
		res, err := hc.Do(req)
		if err == nil {
			res.Body.Close()
			t.Errorf("%s: got a reply %d", fault, res.StatusCode)
		}
	}
	// Hosts sandbank does not serve go out as usual.
	if _, err := hc.Get("http://host.invalid/"); err == nil {
		t.Error("an unknown host was answered")
	}
}

func jsonNumber(n int64) string { b, _ := json.Marshal(n); return string(b) }
