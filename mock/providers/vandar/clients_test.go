package vandar_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPublicClientsRequestShapes replays what the public clients send, field for
// field, and checks the routes accept it:
//   - vandarpay/cashier (official Laravel): Guzzle form_params everywhere with
//     Accept: application/json; IPG at ipg.vandar.io/api/v3/{send,verify}
//     (amount, mobile_number, factorNumber, description, valid_card_number as
//     valid_card_number[0]…, api_key, callback_url), the browser sent to
//     ipg.vandar.io/v3/{token}; refresh as form refreshtoken, no Bearer.
//   - shetabit/multipay (src/Drivers/Vandar/Vandar.php): JSON with every detail
//     key present, null when unset; verify reads status, errors, amount,
//     realAmount, wage and cardNumber.
//   - zarbinco/laravel-vandar: JSON to /api/v4/{send,transaction,verify}, the
//     page at /v4/{token}, refreshtoken as JSON, business/balance/transaction as
//     GET with query, refund as JSON.
func TestPublicClientsRequestShapes(t *testing.T) {
	c := newClient(t)
	form := "application/x-www-form-urlencoded"

	// cashier
	r := c.do(http.MethodPost, c.api+"/v3/refreshtoken", form, url.Values{"refreshtoken": {refresh}}.Encode(), "Accept", "application/json")
	tok := r.want(t, 200)["access_token"].(string)
	v := url.Values{"amount": {"20000"}, "mobile_number": {"09121234567"}, "factorNumber": {"42"}, "description": {"cashier"},
		"valid_card_number[0]": {cardOK}, "valid_card_number[1]": {cardNoFunds}, "api_key": {apiKey}, "callback_url": {callbackURL}}
	token := c.do(http.MethodPost, c.ipg+"/api/v3/send", form, v.Encode(), "Accept", "application/json").want(t, 200)["token"].(string)
	if r := c.do(http.MethodGet, c.ipg+"/v3/"+token, "", ""); r.Status != 200 {
		t.Fatalf("cashier redirect target: %d", r.Status)
	}
	var pay map[string]any
	c.srv.Admin.Do(http.MethodPost, "/vandar/ipg/"+token+"/pay", map[string]string{"card": "6104330000000060"}, &pay)
	if pay["payment_status"] != "FAILED" || pay["reason"] != "PAY_CARD_NOT_ALLOWED" {
		t.Fatalf("a card off valid_card_number: %v", pay)
	}
	token = c.do(http.MethodPost, c.ipg+"/api/v3/send", form, v.Encode(), "Accept", "application/json").want(t, 200)["token"].(string)
	c.srv.Admin.Do(http.MethodPost, "/vandar/ipg/"+token+"/pay", map[string]string{"card": cardOK}, &pay)
	vr := c.do(http.MethodPost, c.ipg+"/api/v3/verify", form, url.Values{"api_key": {apiKey}, "token": {token}}.Encode(), "Accept", "application/json").want(t, 200)
	for _, k := range []string{"amount", "realAmount", "wage", "transId", "factorNumber", "mobile", "description", "cardNumber", "paymentDate", "cid"} {
		if _, ok := vr[k]; !ok {
			t.Errorf("cashier stores %s: missing in %v", k, vr)
		}
	}
	c.do(http.MethodGet, c.api+"/v2/business/acme/balance", "", "", "Accept", "application/json", "Authorization", "Bearer "+tok).want(t, 200)

	// multipay: JSON, unset details as null.
	body := `{"api_key":"` + apiKey + `","amount":15000,"callback_url":"` + callbackURL + `","description":null,"mobile_number":null,"national_code":null,"valid_card_number":null,"factorNumber":null}`
	mp := c.do(http.MethodPost, c.ipg+"/api/v4/send", "application/json", body, "Accept", "application/json").want(t, 200)
	token = mp["token"].(string)
	c.srv.Admin.Do(http.MethodPost, "/vandar/ipg/"+token+"/pay", map[string]string{"card": cardOK}, &pay)
	if !strings.Contains(pay["redirect"].(string), "payment_status=OK") {
		t.Fatalf("multipay callback %v", pay)
	}
	mv := c.do(http.MethodPost, c.ipg+"/api/v4/verify", "application/json", `{"api_key":"`+apiKey+`","token":"`+token+`"}`, "Accept", "application/json").want(t, 200)
	if mv["status"] != float64(1) || mv["cardNumber"] == nil || mv["realAmount"] == nil {
		t.Fatalf("multipay verify %v", mv)
	}
	bad := c.do(http.MethodPost, c.ipg+"/api/v4/send", "application/json", `{"api_key":"`+apiKey+`","amount":10,"callback_url":null}`, "Accept", "application/json").want(t, 422)
	if errs, _ := bad["errors"].([]any); bad["status"] != float64(0) || len(errs) == 0 {
		t.Fatalf("multipay failure body %v", bad)
	}

	// zarbinco: JSON everywhere, v4.
	pair := c.postJSON("/v3/refreshtoken", "", map[string]string{"refreshtoken": r.json(t)["refresh_token"].(string)}).want(t, 200)
	tok = pair["access_token"].(string)
	zs := c.do(http.MethodPost, c.ipg+"/api/v4/send", "application/json", `{"amount":30000,"api_key":"`+apiKey+`","callback_url":"`+callbackURL+`"}`).want(t, 200)
	token = zs["token"].(string)
	c.do(http.MethodGet, c.ipg+"/v4/"+token, "", "")
	c.srv.Admin.Do(http.MethodPost, "/vandar/ipg/"+token+"/pay", map[string]string{"card": cardOK}, &pay)
	c.do(http.MethodPost, c.ipg+"/api/v4/transaction", "application/json", `{"api_key":"`+apiKey+`","token":"`+token+`"}`).want(t, 200)
	zv := c.do(http.MethodPost, c.ipg+"/api/v4/verify", "application/json", `{"api_key":"`+apiKey+`","token":"`+token+`"}`).want(t, 200)
	c.get("/v2/business/acme", tok).want(t, 200)
	c.get("/v2/business/acme/iam", tok).want(t, 200)
	c.get("/v3/business/acme/transaction?per_page=10&status=succeed", tok).want(t, 200)
	id := strconvFormat(zv["transId"].(float64))
	c.postJSON("/v3/business/acme/transaction/"+id+"/refund", tok, map[string]any{"amount": 30000, "payment_number": "z-1"}).want(t, 200)
}
