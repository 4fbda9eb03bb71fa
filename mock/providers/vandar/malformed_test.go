package vandar_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestNoServerErrorOnMalformedInput sends broken bodies, content types, tokens
// and methods to every route on every host: each answers below 500, in Vandar's
// own envelope for its family (or the payment page's HTML).
func TestNoServerErrorOnMalformedInput(t *testing.T) {
	c := newClient(t)
	tok, _, _ := c.newBusiness("sweep")
	token := c.send(apiKey, 5000)
	customer := c.createCustomer(access, slug, "")
	c.jsonCall("POST", "/v2/business/"+slug+"/customers/fields", access, `{"name":"x"}`).want(t, 200)
	// Ravand: configured, with one applicant, so its routes get past the
	// set-config refusal and the cardholder lookup.
	c.rv("POST", rvBase+"/set-config", nil).want(t, 200)
	holder := dataOf(t, c.rv("POST", rvBase+"/provider/ayandeh/cardholder", rvCreate))["cardholder_id"].(string)
	bodies := []string{
		"", "{", "}", "[]", "null", "123", `"x"`, `{"a":`, `{} {}`, "\xff\xfe\x00", "a=b&c", "%zz=1",
		`{"api_key":{},"amount":[1],"callback_url":true}`, `{"amount":"1e9","callback_url":"http://` + strings.Repeat("a", 300) + `"}`,
		`{"amount":-5,"mobile_number":123,"valid_card_number":[1,{}],"national_code":["x"]}`,
		`{"refreshtoken":{"x":1}}`, `{"type":"LEGAL","custom_fields":[{"field_id":{},"field_value":[1]},7,null]}`,
		`type=INDIVIDUAL&custom_fields[0][field_id]=x&custom_fields[99999999999999999999][field_value]=y&custom_fields=3`,
		`{"amount":"1","track_id":"t","comment":{"a":1}}`, `{"amount":1e3,"track_id":"` + strings.Repeat("t", 300) + `"}`, `{"refreshtoken":["a","b"]}`, `{"token":"` + strings.Repeat("Z", 5000) + `"}`,
		`api_key=` + apiKey + `&amount=۵۰۰۰&callback_url=https://x.example&valid_card_number[]=1&valid_card_number[]=2`,
		`api_key=` + apiKey + `&token=` + token, `{"amount":"99999999999999999999999","notify_url":"javascript:x","payment_number":[1]}`,
		`action=pay&card=6037990000000014&cvv2=1&month=13&year=x`, `action=otp&card=` + strings.Repeat("9", 40), `action=x`,
		`{"national_code":"۰۰۲۰۰۰۰۰۰۶","mobile":"۰۹۱۹۰۰۰۰۰۰۰","birth_date":"۱۳۷۰/۰۱/۰۱"}`, `{"birth_date":"1370/13/40","city_id":"۳۲","province_id":[1]}`,
		`{"type":"satna","amount":"1e20","destination":"IR00","reason_id":{}}`, `{"transfer_id":["x"],"otp":123}`, `do=submit&last4=۱۲۳۴&pin=abcd&reason=x`,
		"--x\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\napplicant_photo\r\n--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nGIF89a\r\n--x--\r\n",
		"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n\xff\xd8\xff",
	}
	queries := []string{"", "?per_page=1000&start_after=x&fromDate=1&status=weird", "?page=-1&per_page=abc", "?fromDate=14001399&toDate=98",
		"?q=%ff&search_field=nope&channel=ipg&statusKind=settlements", "?card_number=۶۳۶۲۱۴&province_id=x&from_date=1403/13/01&transfer_id=%ff",
		"?card_number=6362140000000000&from_date=1405/01/01&to_date=1404/01/01&page=0"}
	auths := [][]string{nil, {"Authorization", "Bearer " + access}, {"Authorization", "Bearer " + tok}, {"Authorization", "Bearer " + strings.Repeat("x.", 100)},
		{"Authorization", "Basic Zm9vOmJhcg=="}, {"Authorization", "Bearer"}}
	ctypes := []string{"application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", ""}
	mandateToken := c.postJSON("/v3/business/acme/subscription/authorization/store", access, map[string]any{"bank_code": "012", "mobile": "09121234567",
		"callback_url": callbackURL, "count": 1, "limit": 5000, "expiration_date": "2027-11-22"}).want(t, 200)["result"].(map[string]any)["authorization"].(map[string]any)["token"].(string)
	routes := 0
	for _, rt := range c.srv.App.Routes() {
		if rt.Provider != "vandar" || strings.HasPrefix(rt.Path, "/_sandbox") {
			continue
		}
		routes++
		path := strings.NewReplacer(":business", slug, ":transaction_id", "123", ":token", token, ":customer", customer, ":field_id", "1",
			":iban", "IR880620000000302956142002", ":card", "5648125647856214", ":provider", "ayandeh", ":cardholder_id", holder,
			":authorization_id", "x-1", ":withdrawal_id", "x-2", ":track_id", "x-3", ":refund_id", "x-4",
			":settlement_id", "x", ":batch_id", "b", ":id", "1").Replace(rt.Path)
		base := c.api
		if strings.HasPrefix(rt.Path, "/authorizations/") {
			base = c.srv.Base("subscription.vandar.io")
			path = "/authorizations/" + mandateToken
		}
		if strings.HasPrefix(rt.Path, "/api/v") || strings.HasPrefix(rt.Path, "/v4/") || strings.HasPrefix(rt.Path, "/v3/:token") {
			base = c.ipg
		}
		if slices.Contains(rt.Hosts, "batch.vandar.io") {
			base = c.srv.Base("batch.vandar.io")
		}
		for _, h := range auths {
			for _, body := range bodies {
				for _, ct := range ctypes {
					check(t, rt.Method+" "+path+" "+body, c.do(rt.Method, base+path, ct, body, h...))
				}
			}
			for _, q := range queries {
				check(t, rt.Method+" "+path+q, c.do(rt.Method, base+path+q, "", "", h...))
			}
		}
	}
	if routes < 10 {
		t.Fatalf("only %d routes swept", routes)
	}
	for _, u := range []string{c.api + "/nope", c.api + "/v2/business/acme/nope", c.ipg + "/api/v4/nope", c.srv.Base("batch.vandar.io") + "/x",
		c.srv.Base("subscription.vandar.io") + "/authorizations", c.ipg + "/v4/NOPE"} {
		for _, m := range []string{"GET", "POST", "PUT", "DELETE", "PATCH"} {
			check(t, m+" "+u, c.do(m, u, "application/json", "{"))
		}
	}
	big := c.do("POST", c.ipg+"/api/v4/send", "application/json", `{"x":"`+strings.Repeat("a", 2<<20)+`"}`)
	check(t, "big", big)
	if big.Status != 413 {
		t.Fatalf("oversized body: %d %s", big.Status, big.Raw)
	}
}

func check(t *testing.T, what string, r reply) {
	t.Helper()
	if r.Status >= 500 {
		t.Fatalf("%s: %d %s", what, r.Status, r.Raw)
	}
	shape(t, what, r)
}

// shape checks that an answer is a page, a redirect, a success or one of
// Vandar's error bodies.
func shape(t *testing.T, what string, r reply) {
	t.Helper()
	if r.Status == 302 || strings.HasPrefix(string(r.Raw), "<!doctype html>") {
		return
	}
	var m map[string]any
	if err := json.Unmarshal(r.Raw, &m); err != nil {
		t.Fatalf("%s: %d not JSON: %q", what, r.Status, r.Raw)
	}
	if r.Status < 400 {
		return
	}
	_, hasStatus := m["status"].(float64)
	_, hasErrors := m["errors"]
	_, hasError := m["error"].(string)
	_, hasMessage := m["message"].(string)
	switch {
	case hasStatus && (hasErrors || hasError || hasMessage): // E1, E2, E5–E8
	case hasMessage && hasErrors: // E3 Laravel validation
	case r.Status == 429 && m["message"] == "Too Many Attempts.":
	default:
		t.Fatalf("%s: %d not a Vandar error body: %s", what, r.Status, r.Raw)
	}
}
