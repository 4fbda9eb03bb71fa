package openapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// TestVandarResponsesMatchSchemas runs the gateway dance, the Bearer API and
// their failures, and validates every reply against openapi/vandar.yaml.
func TestVandarResponsesMatchSchemas(t *testing.T) {
	// One business makes far more than 30 POSTs in 3 s here; the throttle has its own test.
	srv := sandbanktest.Start(t, sandbanktest.WithConfig("providers: {vandar: {rate_limit: {enabled: false}}}"))
	sc := newSchemaCheck(t, srv, "vandar")
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	send := func(method, u, ctype, body string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, u, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		sc.reply(method, res, data)
		return res, data
	}
	field := func(data []byte, name string) string {
		var m map[string]any
		_ = json.Unmarshal(data, &m)
		switch v := m[name].(type) {
		case string:
			return v
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
		return ""
	}
	api, ipg := srv.URL+"/vandar", srv.URL+"/ipg.vandar.io"
	form, js := "application/x-www-form-urlencoded", "application/json"
	key := "sbxacme0c7e2b9a4d1f6e3c8b5a2d7f4e1c9b6a3d"

	_, data := send("POST", api+"/v3/refreshtoken", js, `{"refreshtoken":"def50200sbx_vandar_acme_refresh_3e8a5c1f7d"}`)
	bearer := "Bearer " + field(data, "access_token")
	send("POST", api+"/v3/refreshtoken", js, `{}`)
	for _, p := range []string{"", "/iam", "/balance"} {
		send("GET", api+"/v2/business/acme"+p, "", "", "Authorization", bearer)
		send("GET", api+"/v2/business/acme"+p, "", "")
	}
	send("GET", api+"/v2/business/acme/iam?page=0", "", "", "Authorization", bearer)

	_, data = send("POST", ipg+"/api/v4/send", form, "api_key="+key+"&amount=10000&callback_url=https://shop.example/cb")
	token := field(data, "token")
	send("POST", ipg+"/api/v4/send", js, `{"amount":1}`)
	send("POST", ipg+"/api/v4/transaction", form, "api_key="+key+"&token="+token)
	send("GET", ipg+"/v4/"+token, "", "")
	send("POST", ipg+"/v4/"+token, form, "action=otp&card=6037990000000014")
	send("POST", ipg+"/v4/"+token, form, "action=pay&card=6037990000000014&cvv2=123&month=12&year=08&otp=111111")
	send("GET", ipg+"/v4/"+token, "", "")
	send("POST", ipg+"/api/v4/transaction", form, "api_key="+key+"&token="+token)
	_, data = send("POST", ipg+"/api/v4/verify", form, "api_key="+key+"&token="+token)
	trans := field(data, "transId")
	send("POST", ipg+"/api/v4/verify", form, "api_key="+key+"&token="+token)
	send("POST", ipg+"/api/v4/verify", form, "token=x")

	send("POST", api+"/v3/business/acme/transaction/"+trans+"/refund", js, `{"amount":"1000"}`, "Authorization", bearer)
	send("POST", api+"/v3/business/acme/transaction/"+trans+"/refund", js, `{"amount":"x"}`, "Authorization", bearer)
	send("POST", api+"/v3/business/acme/transaction/1/refund", js, `{}`, "Authorization", bearer)
	send("GET", api+"/v3/business/acme/transaction?per_page=3", "", "", "Authorization", bearer)
	send("GET", api+"/v3/business/acme/transaction?per_page=300", "", "", "Authorization", bearer)
	send("GET", api+"/v3/business/other/transaction", "", "", "Authorization", bearer)
	vandarCustomers(send, api, bearer)
	vandarIdentity(send, api, bearer)
	ravandSchemaRun(t, srv, send, bearer)

	// Direct debit: banks, the mandate dance, withdrawals, refunds and their failures.
	sub := api + "/v3/business/acme/subscription"
	au := []string{"Authorization", bearer}
	send("GET", sub+"/banks/actives", "", "", au...)
	_, data = send("POST", sub+"/authorization/store", js, `{"bank_code":"012","mobile":"09121234567","callback_url":"https://shop.example/dd","count":3,"limit":50000,"expiration_date":"2027-11-22"}`, au...)
	var st map[string]any
	_ = json.Unmarshal(data, &st)
	mtok := st["result"].(map[string]any)["authorization"].(map[string]any)["token"].(string)
	send("POST", sub+"/authorization/store", js, `{"bank_code":"1"}`, au...)
	page := srv.URL + "/subscription.vandar.io/authorizations/" + mtok
	send("GET", page, "", "")
	send("POST", page, form, "action=approve&username=09121234567&password=bad")
	res, _ := send("POST", page, form, "action=approve&username=09121234567&password=123456")
	send("GET", page, "", "")
	loc, _ := url.Parse(res.Header.Get("Location"))
	mid := loc.Query().Get("authorization_id")
	send("PATCH", sub+"/authorization/"+mid+"/verify", "", "", au...)
	send("PATCH", sub+"/authorization/"+mid+"/verify", "", "", au...)
	send("GET", sub+"/authorization/"+mid+"/search", "", "", au...)
	send("GET", sub+"/authorization/"+mid, "", "", au...)
	send("GET", sub+"/authorization/nope/search", "", "", au...)
	send("GET", sub+"/authorization/"+mid+"/calculation", "", "", au...)
	send("GET", sub+"/authorization?per_page=5", "", "", au...)
	_, data = send("POST", sub+"/withdrawal/store", js, `{"authorization_id":"`+mid+`","amount":20000,"track_id":"oa-1"}`, au...)
	_ = json.Unmarshal(data, &st)
	wid := st["result"].(map[string]any)["withdrawal"].(map[string]any)["id"].(string)
	send("POST", sub+"/withdrawal/store", js, `{"authorization_id":"`+mid+`","amount":90000}`, au...)
	send("POST", sub+"/withdrawal/store", js, `{"authorization_id":"`+mid+`","amount":"x","max_retry_count":99}`, au...)
	send("POST", sub+"/withdrawal/store", js, `{"authorization_id":"`+mid+`","amount":1000}`, au...)
	send("POST", sub+"/withdrawal/store", js, `{"authorization_id":"`+mid+`","amount":1000}`, au...)
	send("POST", sub+"/withdrawal/store", js, `{"authorization_id":"`+mid+`","amount":1000}`, au...)
	srv.Admin.Advance("5m")
	send("GET", sub+"/withdrawal/"+wid, "", "", au...)
	send("GET", sub+"/withdrawal/track-id/oa-1", "", "", au...)
	send("GET", sub+"/withdrawal/track-id/none", "", "", au...)
	send("GET", sub+"/withdrawal?q="+mid, "", "", au...)
	send("PUT", sub+"/withdrawal/"+wid, "", "", au...)
	_, data = send("POST", sub+"/refunds", js, `{"withdrawal_id":"`+wid+`","amount":5000}`, au...)
	_ = json.Unmarshal(data, &st)
	rid := st["result"].(map[string]any)["refund"].(map[string]any)["id"].(string)
	send("POST", sub+"/refunds", js, `{}`, au...)
	send("GET", sub+"/refunds/"+rid, "", "", au...)
	send("GET", sub+"/refunds", "", "", au...)
	send("DELETE", sub+"/authorization/"+mid, "", "", au...)
	send("GET", sub+"/authorization/"+mid+"/search", "", "", au...)
	send("DELETE", sub+"/authorization/"+mid, "", "", au...)
	vandarPayouts(srv, send, field, api, bearer)
	sc.everyOperation()
}

// vandarPayouts calls every payouts and wallet-funding operation (issue 11),
// successes and failures.
func vandarPayouts(srv *sandbanktest.Server, send func(method, u, ctype, body string, header ...string) (*http.Response, []byte),
	field func([]byte, string) string, api, bearer string) {
	js, auth := "application/json", []string{"Authorization", bearer}
	batch := srv.URL + "/batch.vandar.io"
	const dest = "IR160120000000001234567890"
	_, data := send("POST", api+"/v3/business/acme/settlement/store", js, `{"amount":5000,"iban":"`+dest+`","track_id":"c-1","payment_number":7}`, auth...)
	_ = data
	send("POST", api+"/v3/business/acme/settlement/store", js, `{"amount":1,"iban":"IR1"}`, auth...)
	send("GET", api+"/v2.1/business/acme/settlement?per_page=2", "", "", auth...)
	send("GET", api+"/v2.1/business/acme/settlement/c-1", "", "", auth...)
	send("GET", api+"/v2.1/business/acme/settlement/none", "", "", auth...)
	send("DELETE", api+"/v2.1/business/acme/settlement/c-1", "", "", auth...)
	send("DELETE", api+"/v2.1/business/acme/settlement/c-1", "", "", auth...)
	send("GET", api+"/v3/business/acme/settlement/banks", "", "", auth...)
	_, data = send("POST", api+"/v3/business/acme/settlement/queued", js, `{"amount":999999999,"iban":"`+dest+`","track_id":"q-1"}`, auth...)
	var q struct {
		Data struct {
			Q struct {
				ID string `json:"id"`
			} `json:"queued_settlement"`
		} `json:"data"`
	}
	_ = json.Unmarshal(data, &q)
	send("GET", api+"/v3/business/acme/settlement/queued", "", "", auth...)
	send("GET", api+"/v3/business/acme/settlement/queued/"+q.Data.Q.ID, "", "", auth...)
	send("POST", api+"/v3/business/acme/settlement/queued/cancel", js, `{"id":"`+q.Data.Q.ID+`"}`, auth...)
	send("POST", api+"/v3/business/acme/settlement/queued/cancel", js, `{"id":"`+q.Data.Q.ID+`"}`, auth...)
	_, data = send("GET", api+"/v2/business/acme", "", "", auth...)
	var b struct {
		Data struct {
			IBAN string `json:"iban"`
		} `json:"data"`
	}
	_ = json.Unmarshal(data, &b)
	send("GET", api+"/v3/business/acme/settlement/account/"+b.Data.IBAN+"/last-balance", "", "", auth...)
	send("GET", api+"/v3/business/acme/settlement/account/IR1/last-balance", "", "", auth...)
	send("GET", api+"/v3/business/acme/settlement/account/statement", "", "", auth...)
	send("POST", batch+"/api/v2/business/acme/batches-settlement", js,
		`{"batch_id":"c1","batches_settlement":[{"amount":50000,"iban":"`+dest+`","track_id":"cb-1"},{"amount":1,"iban":"x","track_id":"cb-2"}]}`, auth...)
	send("POST", batch+"/api/v2/business/acme/batches-settlement", js, `{}`, auth...)
	send("GET", batch+"/api/v2/business/acme/batches", "", "", auth...)
	send("GET", batch+"/api/v2/business/acme/batch-settlements/c1", "", "", auth...)
	send("GET", batch+"/api/v2/business/acme/batch-settlements/none", "", "", auth...)
	_, data = send("GET", api+"/v3/business/acme/cash-in/code", "", "", auth...)
	code := field(data, "code")
	srv.Admin.Do("POST", "/vandar/cash-in", map[string]any{"business": "acme", "amount": 10000, "code": code}, nil)
	srv.Admin.Do("POST", "/vandar/cash-in", map[string]any{"business": "acme", "amount": 10000, "code": "1"}, nil)
	send("GET", api+"/v3/business/acme/cash-in/pic/transactions", "", "", auth...)
	_, data = send("GET", api+"/v3/business/acme/cash-in/suspicious-payment", "", "", auth...)
	var sp struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	_ = json.Unmarshal(data, &sp)
	if len(sp.Data) > 0 {
		send("POST", api+"/v3/business/acme/cash-in/suspicious-payment/"+sp.Data[0].ID, js, `{"status":"reject"}`, auth...)
	}
	send("POST", api+"/v3/business/acme/cash-in/suspicious-payment/none", js, `{"status":"x"}`, auth...)
	send("GET", api+"/v3/business/acme/cash-in/account", "", "", auth...)
	send("POST", api+"/v3/business/acme/cash-in/account/balance", js, `{"iban":"`+b.Data.IBAN+`"}`, auth...)
	send("POST", api+"/v3/business/acme/cash-in/account/balance", js, `{"iban":"IR12"}`, auth...)
	send("POST", api+"/v3/business/acme/cash-in/account/deposit", js, `{"iban":"`+b.Data.IBAN+`","amount":20000,"track_id":"d-1"}`, auth...)
	send("POST", api+"/v3/business/acme/cash-in/account/deposit", js, `{"iban":"`+b.Data.IBAN+`","amount":20000,"track_id":"d-1"}`, auth...)
}
