package paynet_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// These tests drive Paynet through the whole app (mounting, scenarios, faults,
// journal), the way a client and a QA engineer would.

func call(t *testing.T, url, key, body string, headers ...string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	req.Header.Set("Accept", "application/json; charset=UTF-8")
	if key != "" {
		req.Header.Set("Authorization", "Basic "+key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s: not JSON: %d %s", url, res.StatusCode, data)
	}
	return res.StatusCode, out, res.Header
}

func num(v any) int { f, _ := v.(float64); return int(f) }

const card = `{"card_desc":"Kartım","card_holder":"Ali Veli","card_number":"4355084355084358","expire_month":"12","expire_year":"2030","user_unique_id":"u-1"}`

// Both hosts and the alias reach one state per key.
func TestHostsShareState(t *testing.T) {
	srv := sandbanktest.Start(t)
	st, saved, _ := call(t, srv.Base("api.paynet.com.tr")+"/v1/card/save", "sck_a", card)
	if st != 200 || num(saved["code"]) != 0 {
		t.Fatalf("save: %d %v", st, saved)
	}
	body := `{"card_owner_id":"` + saved["card_owner_id"].(string) + `"}`
	for _, base := range []string{srv.Base("pts-api.paynet.com.tr"), srv.Base("paynet")} {
		st, list, _ := call(t, base+"/v1/card/list", "sck_a", body)
		if st != 200 || num(list["total_count"]) != 1 {
			t.Fatalf("%s: %d %v", base, st, list)
		}
	}
	// Host header routing, as an SDK with a hard-coded host does.
	req, _ := http.NewRequest("POST", srv.URL+"/v1/card/list", strings.NewReader(body))
	req.Host = "pts-api.paynet.com.tr"
	req.Header.Set("Authorization", "Basic sck_a")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(data), `"total_count":1`) {
		t.Fatalf("host header: %d %s", res.StatusCode, data)
	}
}

func TestScenarioForOneKeyOnly(t *testing.T) {
	srv := sandbanktest.Start(t)
	base := srv.Base("paynet") + "/v1/card/"
	owners := map[string]string{}
	for _, k := range []string{"sck_qa", "sck_other"} {
		_, saved, _ := call(t, base+"save", k, card)
		owners[k] = saved["card_owner_id"].(string)
	}
	srv.Admin.Activate("paynet-list-servererror", "sck_qa")
	st, body, h := call(t, base+"list", "sck_qa", `{"card_owner_id":"`+owners["sck_qa"]+`"}`)
	if st != 500 || body["type"] != "api_error" || num(body["code"]) != 500 || num(body["result_code"]) != 8 || h.Get("X-Sandbank-Rule") != "paynet-list-servererror#1" {
		t.Fatalf("qa key: %d %v %s", st, body, h.Get("X-Sandbank-Rule"))
	}
	st, body, h = call(t, base+"list", "sck_other", `{"card_owner_id":"`+owners["sck_other"]+`"}`)
	if st != 200 || num(body["total_count"]) != 1 || h.Get("X-Sandbank-Rule") != "default" {
		t.Fatalf("other key must be untouched: %d %v", st, body)
	}
	// Saving still works for the scenario's key.
	if st, body, _ := call(t, base+"save", "sck_qa", strings.Replace(card, "4355084355084358", "5571135571135575", 1)); st != 200 || num(body["code"]) != 0 {
		t.Fatalf("save under the list scenario: %d %v", st, body)
	}
	entries := srv.Admin.Journal("operation=paynet.cardList&tenant=sck_qa")
	if len(entries) != 1 || entries[0].Status != 500 || entries[0].Rule != "paynet-list-servererror#1" {
		t.Fatalf("journal: %+v", entries)
	}
	// A header override forces any code on one request.
	st, body, _ = call(t, base+"list", "sck_other", `{"card_owner_id":"`+owners["sck_other"]+`"}`, "X-Sandbank-Outcome", "failure:5")
	if st != 200 || num(body["code"]) != 5 || body["object_name"] != "card_list" {
		t.Fatalf("header outcome: %d %v", st, body)
	}
}

// The reply of the first save is lost, the card appears at the settle time,
// and a blind retry is a duplicate.
func TestLostSaveSettles(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)))
	srv.Admin.Activate("paynet-lost-save", "sck_lost")
	base := srv.Base("paynet") + "/v1/card/"
	req, _ := http.NewRequest("POST", base+"save", strings.NewReader(card))
	req.Header.Set("Authorization", "Basic sck_lost")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 502 {
		t.Fatalf("lost save answered %d", res.StatusCode)
	}
	_, retry, _ := call(t, base+"save", "sck_lost", card)
	if num(retry["code"]) != 5 {
		t.Fatalf("retry: %v", retry)
	}
	_, saved, _ := call(t, base+"save", "sck_lost", strings.Replace(card, "4355084355084358", "4282209004348015", 1))
	owner := `{"card_owner_id":"` + saved["card_owner_id"].(string) + `"}`
	if _, list, _ := call(t, base+"list", "sck_lost", owner); num(list["total_count"]) != 1 {
		t.Fatalf("before settle: %v", list)
	}
	srv.Admin.Advance("31s")
	if _, list, _ := call(t, base+"list", "sck_lost", owner); num(list["total_count"]) != 2 {
		t.Fatalf("after settle: %v", list)
	}
}

func TestOTPThroughControlPlane(t *testing.T) {
	srv := sandbanktest.Start(t)
	base := srv.Base("paynet") + "/v1/card/"
	st, sent, _ := call(t, base+"send_otp", "sck_otp", `{"user_gsm":"5321234567","otp_session_id":"order-9"}`)
	if st != 200 || sent["object_name"] != "card_send_otp" || sent["otp_expire"] == nil {
		t.Fatalf("send_otp: %d %v", st, sent)
	}
	var otp struct {
		Code string `json:"otp_code"`
		Key  string `json:"key"`
	}
	if st := srv.Admin.Get("/paynet/otp?user_gsm=5321234567", &otp); st != 200 || len(otp.Code) != 6 || otp.Key != "sck_otp" {
		t.Fatalf("control plane: %d %+v", st, otp)
	}
	st, ok, _ := call(t, base+"check_otp", "sck_otp", `{"user_gsm":"5321234567","otp_session_id":"order-9","otp_code":"`+otp.Code+`"}`)
	if st != 200 || num(ok["code"]) != 0 || ok["object_name"] != "card_check_otp" {
		t.Fatalf("check_otp: %d %v", st, ok)
	}
	// Another key cannot use that session.
	if _, other, _ := call(t, base+"check_otp", "sck_x", `{"user_gsm":"5321234567","otp_session_id":"order-9","otp_code":"`+otp.Code+`"}`); num(other["code"]) != 12 {
		t.Fatalf("cross-key session: %v", other)
	}
}

// No input, however malformed, produces a bare 500 or leaves Paynet's format.
func TestMalformedInputNeverFails(t *testing.T) {
	srv := sandbanktest.Start(t)
	bodies := []string{"", "{", "}", "[]", "null", "0", `{"a":`, "\x00\xff\xfe", `{"card_owner_id":1e400}`, `{"limit":99999999999999999999}`,
		`{"card_number":{"x":[1,2]},"expire_month":true}`, `{"card_owner_id":"` + strings.Repeat("ş", 1000) + `"}`,
		`{"user_gsm":"5321234567","otp_session_id":null}`, card, `{"card_owner_id":"x","starting_after":-1}`}
	paths := []string{"save", "list", "delete", "desc_update", "send_otp", "check_otp", "nothing"}
	var wg sync.WaitGroup
	for _, p := range paths {
		for _, b := range bodies {
			wg.Add(1)
			go func(p, b string) {
				defer wg.Done()
				for _, ct := range []string{"application/json", "text/plain", ""} {
					req, _ := http.NewRequest("POST", srv.Base("paynet")+"/v1/card/"+p, strings.NewReader(b))
					if ct != "" {
						req.Header.Set("Content-Type", ct)
					}
					req.Header.Set("Authorization", "Basic sck_fuzz")
					res, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					data, _ := io.ReadAll(res.Body)
					res.Body.Close()
					var out map[string]any
					if res.StatusCode >= 500 || json.Unmarshal(data, &out) != nil || (res.StatusCode != 200 && num(out["code"]) != res.StatusCode) {
						t.Errorf("%s %q (%s): %d %s", p, b, ct, res.StatusCode, data)
					}
				}
			}(p, b)
		}
	}
	wg.Wait()
	for _, c := range []struct {
		method, path, body string
		status, result     int
	}{
		{"GET", "/v1/card/list", "", 405, 11},
		{"PUT", "/v1/card/save", card, 405, 11},
		{"POST", "/v1/card/nope", "{}", 404, 9},
		{"POST", "/v2/anything", "{}", 404, 9},
		{"POST", "/v1/card/list", `{"card_owner_id":"` + strings.Repeat("a", 3<<20) + `"}`, 400, 11},
	} {
		req, _ := http.NewRequest(c.method, srv.Base("paynet")+c.path, strings.NewReader(c.body))
		req.Header.Set("Authorization", "Basic sck_fuzz")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var out map[string]any
		_ = json.Unmarshal(data, &out)
		if res.StatusCode != c.status || num(out["code"]) != c.status || num(out["result_code"]) != c.result || out["type"] != "invalid_request_error" {
			t.Errorf("%s %s: %d %s", c.method, c.path, res.StatusCode, data)
		}
	}
}

func TestStrictModeAndConfig(t *testing.T) {
	// WithConfig replaces the whole configuration, so strict comes after it.
	srv := sandbanktest.Start(t, sandbanktest.WithConfig(`
providers:
  paynet:
    keys:
      - key: sck_live_declared
        company_code: "20001"
`), sandbanktest.WithStrict())
	base := srv.Base("paynet") + "/v1/card/"
	if st, body, _ := call(t, base+"list", "sck_undeclared", `{"card_owner_id":"x"}`); st != 401 || num(body["result_code"]) != 7 {
		t.Fatalf("undeclared key in strict mode: %d %v", st, body)
	}
	_, saved, _ := call(t, base+"save", "sck_live_declared", card)
	_, list, _ := call(t, base+"list", "sck_live_declared", `{"card_owner_id":"`+saved["card_owner_id"].(string)+`"}`)
	data, _ := list["Data"].([]any)
	if len(data) != 1 || data[0].(map[string]any)["company_code"] != "20001" {
		t.Fatalf("declared key: %v", list)
	}
}
