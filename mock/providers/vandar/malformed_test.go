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
	bodies := []string{
		"", "{", "}", "[]", "null", "123", `"x"`, `{"a":`, `{} {}`, "\xff\xfe\x00", "a=b&c", "%zz=1",
		`{"api_key":{},"amount":[1],"callback_url":true}`, `{"amount":"1e9","callback_url":"http://` + strings.Repeat("a", 300) + `"}`,
		`{"amount":-5,"mobile_number":123,"valid_card_number":[1,{}],"national_code":["x"]}`,
		`{"refreshtoken":{"x":1}}`, `{"refreshtoken":["a","b"]}`, `{"token":"` + strings.Repeat("Z", 5000) + `"}`,
		`api_key=` + apiKey + `&amount=۵۰۰۰&callback_url=https://x.example&valid_card_number[]=1&valid_card_number[]=2`,
		`api_key=` + apiKey + `&token=` + token, `{"amount":"99999999999999999999999","notify_url":"javascript:x","payment_number":[1]}`,
		`action=pay&card=6037990000000014&cvv2=1&month=13&year=x`, `action=otp&card=` + strings.Repeat("9", 40), `action=x`,
	}
	queries := []string{"", "?per_page=1000&start_after=x&fromDate=1&status=weird", "?page=-1&per_page=abc", "?fromDate=14001399&toDate=98",
		"?q=%ff&search_field=nope&channel=ipg&statusKind=settlements"}
	auths := [][]string{nil, {"Authorization", "Bearer " + access}, {"Authorization", "Bearer " + tok}, {"Authorization", "Bearer " + strings.Repeat("x.", 100)},
		{"Authorization", "Basic Zm9vOmJhcg=="}, {"Authorization", "Bearer"}}
	ctypes := []string{"application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", ""}
	routes := 0
	for _, rt := range c.srv.App.Routes() {
		if rt.Provider != "vandar" || strings.HasPrefix(rt.Path, "/_sandbox") {
			continue
		}
		routes++
		path := strings.NewReplacer(":business", slug, ":transaction_id", "123", ":token", token, ":settlement_id", "x", ":batch_id", "b",
			":iban", "IR1", ":id", "1").Replace(rt.Path)
		base := c.api
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
