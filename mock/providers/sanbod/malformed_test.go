package sanbod_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestNoServerErrorOnMalformedInput sends broken bodies, headers and methods to
// every route: each must answer below 500 in Sanbod's own shape (or a page).
func TestNoServerErrorOnMalformedInput(t *testing.T) {
	c := newClient(t)
	ac, _ := c.ac("059", nil, allAC...)
	cc := c.cc("ibaninquiry", "cardtoiban", "cardtodeposit", "deposittoiban", "ibantodeposit", "mobilenationalid", "cardnationalid", "personal", "personalwithimage")
	session := c.authorize("057", "statement")
	bodies := []string{
		"", "{", "}", "[]", "null", "123", `"x"`, `{"a":`, `{} {}`, `{"transferAmount":{}}`, `{"scope":{"x":1}}`,
		`{"sourceDepositNumber":[1,2],"transferAmount":-5,"iban":true}`, `{"depositNumber":"` + strings.Repeat("9", 5000) + `"}`,
		"\xff\xfe\x00", "a=b&c", `{"fromDateTime":"yesterday","length":-1,"offset":"x","order":"UP"}`,
		`{"cardNumber":"۵۰۲۲۲۹۱۳۰۱۹۸۴۷۰۲","birthDate":"13700101","nationalId":"abc"}`,
		`{"grant_type":"authorization_code","code":{}}`, `{"grant_type":["x"]}`, `{"state":[1],"provider_code":{"a":1}}`,
	}
	auths := [][]string{nil, bearer(ac), bearer(cc), c.basic(), {"Authorization", "Bearer " + strings.Repeat("x.", 100)}}
	routes := 0
	for _, rt := range c.srv.App.Routes() {
		if rt.Provider != "sanbod" || strings.HasPrefix(rt.Path, "/_sandbox") {
			continue
		}
		routes++
		path := strings.ReplaceAll(rt.Path, ":session", session)
		for _, q := range []string{"?traceid=m", ""} {
			for _, body := range bodies {
				for _, h := range auths {
					for _, ctype := range []string{"application/json", "application/x-www-form-urlencoded", ""} {
						r := c.do(rt.Method, path+q, ctype, body, h...)
						check(t, rt.Method+" "+path+q+" "+body, r)
					}
				}
			}
		}
	}
	if routes < 45 {
		t.Fatalf("only %d routes swept", routes)
	}
	// Unknown paths and methods, and an oversized body.
	check(t, "unknown", c.do("POST", "/nope?traceid=1", "application/json", "{}"))
	check(t, "method", c.do("DELETE", "/banks/v1/statement?traceid=1", "", ""))
	big := c.do("POST", "/banks/v1/statement?traceid=1", "application/json", `{"x":"`+strings.Repeat("a", 2<<20)+`"}`, bearer(ac)...)
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
	if r.Status == 302 || strings.HasPrefix(string(r.Raw), "<!doctype html>") {
		return
	}
	var m map[string]any
	if err := json.Unmarshal(r.Raw, &m); err != nil {
		t.Fatalf("%s: %d not JSON: %q", what, r.Status, r.Raw)
	}
	if r.Status >= 400 {
		if _, ok := m["message"].(map[string]any); !ok || m["error"] != true {
			t.Fatalf("%s: %d not the error envelope: %s", what, r.Status, r.Raw)
		}
	}
}
