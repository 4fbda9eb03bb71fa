package kavenegar_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// These tests drive Kavenegar through the whole app (mounting, scenarios, faults,
// journal), the way an SDK and a QA engineer would.

type envelope struct {
	Return struct {
		Status  int    `json:"status"`
		Message string `json:"message"`
	} `json:"return"`
	Entries json.RawMessage `json:"entries"`
}

func post(t *testing.T, base, path string, form url.Values, headers ...string) (int, envelope, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatalf("%s: not the envelope: %d %s", path, res.StatusCode, data)
	}
	return res.StatusCode, env, res.Header
}

func TestEveryCodeByHeaderWithMatchingHTTPStatus(t *testing.T) {
	srv := sandbanktest.Start(t)
	codes := srv.App.Catalog()["kavenegar.smsSend"].Failures
	if len(codes) < 29 {
		t.Fatalf("catalogue has %d codes", len(codes))
	}
	for _, code := range codes {
		st, env, h := post(t, srv.URL, "/kavenegar/v1/k1/sms/send.json", url.Values{"receptor": {"09121234567"}, "message": {"x"}}, "X-Sandbank-Outcome", "failure:"+code)
		want, _ := strconv.Atoi(code)
		if st != want || env.Return.Status != want || env.Return.Message == "" || string(env.Entries) != "null" || h.Get("X-Sandbank-Rule") != "header" {
			t.Errorf("code %s: HTTP %d, return %+v, entries %s", code, st, env.Return, env.Entries)
		}
	}
	// A forced failure leaves no trace in the account.
	var info envelope
	_, info, _ = post(t, srv.URL, "/kavenegar/v1/k1/account/info.json", nil)
	var acct struct{ RemainCredit int64 }
	json.Unmarshal(info.Entries, &acct)
	if acct.RemainCredit != 10_000_000 {
		t.Fatalf("forced failures charged the account: %d", acct.RemainCredit)
	}
}

func TestScenarioForOneKeyOnlyAndJournal(t *testing.T) {
	srv := sandbanktest.Start(t)
	srv.Admin.Activate("kavenegar-out-of-credit", "qa-key")
	form := url.Values{"receptor": {"09121234567"}, "message": {"سلام"}}
	st, env, h := post(t, srv.URL, "/kavenegar/v1/qa-key/sms/send.json", form)
	if st != 418 || env.Return.Status != 418 || h.Get("X-Sandbank-Rule") != "kavenegar-out-of-credit#1" {
		t.Fatalf("qa-key: %d %+v %s", st, env.Return, h.Get("X-Sandbank-Rule"))
	}
	st, env, h = post(t, srv.URL, "/kavenegar/v1/other-key/sms/send.json", form)
	if st != 200 || h.Get("X-Sandbank-Rule") != "default" {
		t.Fatalf("other-key must be untouched: %d %+v", st, env.Return)
	}
	entries := srv.Admin.Journal("operation=kavenegar.smsSend")
	if len(entries) != 2 {
		t.Fatalf("journal has %d sends", len(entries))
	}
	if e := entries[1]; e.Tenant != "qa-key" || e.Status != 418 || e.Rule != "kavenegar-out-of-credit#1" || e.Provider != "kavenegar" || !strings.Contains(string(e.RequestBody), "receptor=09121234567") {
		t.Fatalf("journal entry: %+v", e)
	}
	if e := entries[0]; e.Tenant != "other-key" || e.Status != 200 || e.Rule != "default" {
		t.Fatalf("journal entry: %+v", e)
	}
	if got := srv.Admin.Journal("tenant=qa-key"); len(got) != 1 {
		t.Fatalf("tenant filter: %d", len(got))
	}
}

// The Go SDK resolves absolute paths against its base URL and posts forms; the
// server root must answer it.
func TestGoSDKStyleAtTheRoot(t *testing.T) {
	srv := sandbanktest.Start(t)
	form := url.Values{"receptor": {"09121234567"}, "template": {"verify"}, "token": {"852596"}, "Token2": {""}, "Type": {"Sms"}}
	st, env, _ := post(t, srv.URL, "/v1/sdk-key/verify/lookup.json", form)
	if st != 200 {
		t.Fatalf("lookup at root: %d %+v", st, env.Return)
	}
	var msgs []struct {
		MessageID int64 `json:"messageid"`
		Message   string
		Status    int
	}
	if err := json.Unmarshal(env.Entries, &msgs); err != nil || len(msgs) != 1 || !strings.Contains(msgs[0].Message, "852596") {
		t.Fatalf("entries: %s", env.Entries)
	}
	var otp struct{ Token, Template string }
	if st := srv.Admin.Get("/kavenegar/otp?receptor=09121234567", &otp); st != 200 || otp.Token != "852596" || otp.Template != "verify" {
		t.Fatalf("otp control plane: %d %+v", st, otp)
	}
}

// unknown: the reply is lost (502) but the message went out; the status call shows it.
func TestInDoubtSendSettles(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(time.Date(2026, 11, 22, 6, 30, 0, 0, time.UTC)))
	srv.Admin.AddScenario(`
name: lost-reply
rules:
  - operation: kavenegar.smsSend
    outcome: unknown
    settle: {after: 1m, to: failure, code: "402"}
`)
	req, _ := http.NewRequest("POST", srv.URL+"/kavenegar/v1/k/sms/send.json", strings.NewReader("receptor=09121234567&message=hi&localid=L1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Sandbank-Scenario", "lost-reply")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 502 {
		t.Fatalf("in-doubt send answered %d, want the gateway's 502", res.StatusCode)
	}
	status := func() int {
		_, env, _ := post(t, srv.URL, "/kavenegar/v1/k/sms/statuslocalmessageid.json", url.Values{"localid": {"L1"}})
		var e []struct{ Status int }
		json.Unmarshal(env.Entries, &e)
		if len(e) != 1 {
			t.Fatalf("entries %s", env.Entries)
		}
		return e[0].Status
	}
	if s := status(); s == 6 || s == 100 {
		t.Fatalf("before settle the message must look in flight, got %d", s)
	}
	srv.Admin.Advance("2m")
	if s := status(); s != 6 {
		t.Fatalf("after settling as failure: %d", s)
	}
	_, env, _ := post(t, srv.URL, "/kavenegar/v1/k/account/info.json", nil)
	var acct struct{ RemainCredit int64 }
	json.Unmarshal(env.Entries, &acct)
	if acct.RemainCredit != 10_000_000 {
		t.Fatalf("a send that settled as failed must be refunded: %d", acct.RemainCredit)
	}
}

// No input, however malformed, produces a 500 or breaks the envelope.
func TestMalformedInputNeverFails(t *testing.T) {
	srv := sandbanktest.Start(t)
	bodies := []string{"", "%", "%u06", "%zz=1&&&", "receptor=%u0633&message=%ZZ", "{", `{"receptor":[1,2,{"a":null}],"message":true}`,
		"receptor=" + strings.Repeat("0912123456,", 300), "message=" + strings.Repeat("س", 2000) + "&receptor=09121234567",
		"receptor[]=09121234567&message[]=x", "\x00\xff\xfe", "date=-1&receptor=09121234567&message=x", "date=99999999999999999999&receptor=09121234567&message=x",
		"messageid=" + strings.Repeat("9", 40), "localid=" + strings.Repeat(",", 600), "type=" + strings.Repeat("x", 100)}
	paths := []string{"sms/send.json", "sms/sendarray.json", "sms/status.json", "sms/statuslocalmessageid.json", "sms/select.json",
		"sms/selectoutbox.json", "sms/latestoutbox.json", "sms/cancel.json", "sms/receive.json", "sms/countinbox.json", "sms/countoutbox.json",
		"sms/countpostalcode.json", "sms/sendbypostalcode.json", "verify/lookup.json", "call/maketts.json", "account/info.json",
		"account/config.json", "utils/getdate.json", "nope/nope.json", "sms/send.xml"}
	var wg sync.WaitGroup
	for _, p := range paths {
		for i, b := range bodies {
			wg.Add(1)
			go func(p, b string, i int) {
				defer wg.Done()
				for _, ct := range []string{"application/x-www-form-urlencoded", "application/json", "text/plain"} {
					res, err := http.Post(srv.URL+"/kavenegar/v1/fuzz-"+strconv.Itoa(i)+"/"+p, ct, strings.NewReader(b))
					if err != nil {
						t.Error(err)
						return
					}
					data, _ := io.ReadAll(res.Body)
					res.Body.Close()
					var env envelope
					if res.StatusCode >= 500 && res.StatusCode != 501 || json.Unmarshal(data, &env) != nil || env.Return.Status != res.StatusCode {
						t.Errorf("%s %q (%s): %d %s", p, b, ct, res.StatusCode, data)
					}
				}
			}(p, b, i)
		}
	}
	wg.Wait()
	// A body over the limit is answered in Kavenegar's format too.
	res, err := http.Post(srv.URL+"/kavenegar/v1/k/sms/send.json", "application/x-www-form-urlencoded", strings.NewReader("message="+strings.Repeat("a", 2<<20)))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 414 || !strings.Contains(string(data), `"status":414`) {
		t.Fatalf("oversized body: %d %s", res.StatusCode, data)
	}
}
