package sanbod_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

const otherBankIBAN = "IR880540126030100979988607" // Parsian, the Sanbod documentation's SATNA example

var allAC = []string{"statement", "normaltransfer", "achtransfer", "achreport", "rtgstransfer", "rtgsreport"}

func ach(amount int) map[string]any {
	return map[string]any{"sourceDepositNumber": dep4, "iban": otherBankIBAN, "transferAmount": strconv.Itoa(amount),
		"receiverFirstName": "سارا", "receiverLastName": "کاویانی", "description": "رستوران"}
}

func rtgs(amount int) map[string]any {
	return map[string]any{"sourceDepositNumber": dep4, "destinationIban": otherBankIBAN, "transferAmount": strconv.Itoa(amount),
		"receiverFirstName": "سارا", "receiverLastName": "کاویانی", "description": "اجاره"}
}

// list returns a report's rows.
func list(t *testing.T, r reply) []map[string]any {
	t.Helper()
	items, ok := r.message(t).([]any)
	if !ok {
		t.Fatalf("message is not a list: %s", r.Raw)
	}
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i] = it.(map[string]any)
	}
	if n := r.json(t)["result_number"]; n != float64(len(out)) {
		t.Fatalf("result_number %v for %d rows", n, len(out))
	}
	return out
}

func statusOf(t *testing.T, rows []map[string]any, key, ref string) string {
	t.Helper()
	for _, row := range rows {
		if row[key] == ref {
			return row["status"].(string)
		}
	}
	t.Fatalf("%s %s not in the report %v", key, ref, rows)
	return ""
}

// balance is the running balance after the newest statement line of dep.
func balance(t *testing.T, c *client, tok, dep string) int64 {
	t.Helper()
	rows := list(t, c.post("/banks/v1/statement", map[string]any{"depositNumber": dep, "order": "ASC", "length": 100}, bearer(tok)...))
	if len(rows) == 0 {
		t.Fatalf("no statement lines for %s", dep)
	}
	return num(t, rows[len(rows)-1]["balance"])
}

func num(t *testing.T, v any) int64 {
	t.Helper()
	s, _ := v.(string)
	n, err := strconv.ParseInt(strings.TrimSuffix(s, ".0"), 10, 64)
	if err != nil {
		t.Fatalf("not an amount: %v", v)
	}
	return n
}

// TestEndToEndDance walks the whole dance over plain HTTP with redirects not
// followed, then moves money by PAYA and watches it go out at 10:45.
func TestEndToEndDance(t *testing.T) {
	c := newClient(t)
	r := c.post("/oautht/v1/authorize?traceid=123456", map[string]any{
		"provider_code": "059", "redirect_uri": callback + "?app=1", "scope": allAC,
		"client_id": c.id, "response_type": "code", "state": "s-42",
	})
	if r.Status != 302 {
		t.Fatalf("authorize: %d %s", r.Status, r.Raw)
	}
	login := r.Header.Get("Location")
	if page := c.do("GET", login, "", ""); page.Status != 200 || !strings.Contains(string(page.Raw), `<form id="login"`) {
		t.Fatalf("login page: %d %s", page.Status, page.Raw)
	}
	r = c.form(login, url.Values{"username": {user}, "password": {password}, "national_code": {natCode}})
	consent := r.Header.Get("Location")
	if r.Status != 302 || !strings.Contains(consent, "/oauth/v1/consent/") {
		t.Fatalf("login: %d %q", r.Status, consent)
	}
	page := c.do("GET", consent, "", "")
	for _, want := range []string{dep4, dep5, `data-scope="achtransfer"`, `id="approve"`, `id="deny"`} {
		if !strings.Contains(string(page.Raw), want) {
			t.Fatalf("consent page lacks %s: %s", want, page.Raw)
		}
	}
	r = c.form(consent, url.Values{"action": {"approve"}, "deposits": {dep4}})
	back, err := url.Parse(r.Header.Get("Location"))
	if r.Status != 302 || err != nil || back.Host != "app.example" || back.Query().Get("app") != "1" ||
		back.Query().Get("state") != "s-42" || back.Query().Get("code") == "" {
		t.Fatalf("consent: %d %q", r.Status, r.Header.Get("Location"))
	}
	access, refresh := c.tokens(map[string]any{"code": back.Query().Get("code"), "grant_type": "authorization_code"})
	_, claims := decodeJWT(t, access)
	if deps := claims["deposits"].([]any); len(deps) != 1 || deps[0] != dep4 {
		t.Fatalf("token deposits %v", claims["deposits"])
	}

	tr := c.post("/banks/v1/achtransfer", ach(20000), bearer(access)...)
	msg := tr.message(t).(map[string]any)
	if msg["transactionStatus"] != "ACCEPTED" || msg["transferStatus"] != "READY_TO_TRANSFER" || msg["ownerName"] != "سارا کاویانی" {
		t.Fatalf("achtransfer: %s", tr.Raw)
	}
	ref := msg["referenceId"].(string)
	stmt := list(t, c.post("/banks/v1/statement", map[string]any{"depositNumber": dep4}, bearer(access)...))
	if len(stmt) != 1 || stmt[0]["referenceId"] != ref || stmt[0]["transferAmount"] != "-20000.0" {
		t.Fatalf("statement after the PAYA: %v", stmt)
	}
	report := map[string]any{"depositNumber": dep4}
	if st := statusOf(t, list(t, c.post("/banks/v1/achreport", report, bearer(access)...)), "referenceId", ref); st != "READY_TO_TRANSFER" {
		t.Fatalf("before the cycle: %s", st)
	}
	c.srv.Admin.SetClock(time.Date(2026, 11, 22, 10, 44, 0, 0, t0.Location()))
	// The access token lived an hour; the refresh token gets a new one.
	c.post("/banks/v1/achreport", report, bearer(access)...).errField(t, 401, "token")
	access, _ = c.tokens(map[string]any{"grant_type": "refresh_token", "refresh_token": refresh})
	if st := statusOf(t, list(t, c.post("/banks/v1/achreport", report, bearer(access)...)), "referenceId", ref); st != "READY_TO_TRANSFER" {
		t.Fatalf("10:44: %s", st)
	}
	c.srv.Admin.Advance("1m")
	if st := statusOf(t, list(t, c.post("/banks/v1/achreport", report, bearer(access)...)), "referenceId", ref); st != "PROCESSED" {
		t.Fatalf("10:45: %s", st)
	}
}

func TestTransfersOfEachKind(t *testing.T) {
	c := newClient(t)
	tok, _ := c.ac("059", nil, allAC...)

	// Normal transfer: same bank, money moves at once and shows on both sides.
	for i := 0; i < 2; i++ {
		r := c.post("/normaltransfer", map[string]any{"sourceDepositNumber": dep4, "destinationDepositNumber": dep5, "transferAmount": 20000}, bearer(tok)...)
		if doc := r.message(t).(map[string]any)["docNumber"].(string); len(doc) != 20 {
			t.Fatalf("docNumber %q", doc)
		}
	}
	out := list(t, c.post("/banks/v1/statement", map[string]any{"depositNumber": dep4, "order": "ASC"}, bearer(tok)...))
	in := list(t, c.post("/banks/v1/statement", map[string]any{"depositNumber": dep5, "order": "ASC"}, bearer(tok)...))
	if len(out) != 2 || len(in) != 2 || out[0]["transferAmount"] != "-20000.0" || in[1]["transferAmount"] != "20000.0" ||
		num(t, out[0]["balance"])-20000 != num(t, out[1]["balance"]) || num(t, in[0]["balance"])+20000 != num(t, in[1]["balance"]) {
		t.Fatalf("statements after two normal transfers:\n%v\n%v", out, in)
	}

	// SATNA: below the floor is refused, from it on goes through the status
	// machine within SATNA hours.
	c.post("/banks/v1/rtgstransfer", rtgs(149_999_999), bearer(tok)...).errField(t, 400, "transferAmount")
	r := c.post("/banks/v1/rtgstransfer", rtgs(160_000_000), bearer(tok)...)
	refs := r.message(t).([]any)
	if len(refs) != 1 {
		t.Fatalf("rtgstransfer: %s", r.Raw)
	}
	rows := list(t, c.post("/banks/v1/rtgsreport", map[string]any{"depositNumber": dep4}, bearer(tok)...))
	if len(rows) != 1 || rows[0]["status"] != "SABT_SHODE" || rows[0]["transferAmount"] != "160000000" {
		t.Fatalf("rtgsreport now: %v", rows)
	}
	c.srv.Admin.Advance("50m")
	rows = list(t, c.post("/banks/v1/rtgsreport", map[string]any{"depositNumber": dep4}, bearer(tok)...))
	if rows[0]["status"] != "TASFIYEH_SHODE" {
		t.Fatalf("rtgsreport after 50m: %v", rows)
	}

	// Insufficient balance is the bank's business error.
	c.post("/banks/v1/achtransfer", ach(900_000_000_000), bearer(tok)...).errField(t, 400, "transferAmount")
}

func TestBranchRejectionScriptedInYAMLReturnsTheMoney(t *testing.T) {
	c := newClient(t)
	c.srv.Admin.Activate("sanbod-branch-reject", c.id)
	tok, refresh := c.ac("059", nil, allAC...)
	first := c.post("/banks/v1/achtransfer", ach(100_000), bearer(tok)...)
	b0 := balance(t, c, tok, dep4) + 100_000
	second := c.post("/achtransfer", ach(250_000), bearer(tok)...) // the bare path counts too
	if second.Header.Get("X-Sandbank-Rule") != "sanbod-branch-reject#2" {
		t.Fatalf("rule %q", second.Header.Get("X-Sandbank-Rule"))
	}
	ref1 := first.message(t).(map[string]any)["referenceId"].(string)
	ref2 := second.message(t).(map[string]any)["referenceId"].(string)
	rows := list(t, c.post("/banks/v1/achreport", map[string]any{"depositNumber": dep4}, bearer(tok)...))
	if statusOf(t, rows, "referenceId", ref1) != "READY_TO_TRANSFER" || statusOf(t, rows, "referenceId", ref2) != "WAIT_FOR_BRANCH_ACCEPT" {
		t.Fatalf("before the cycle: %v", rows)
	}
	if got := balance(t, c, tok, dep4); got != b0-350_000 {
		t.Fatalf("both debited: %d, want %d", got, b0-350_000)
	}
	c.srv.Admin.Jump("next-paya-cycle")
	tok, _ = c.tokens(map[string]any{"grant_type": "refresh_token", "refresh_token": refresh})
	rows = list(t, c.post("/banks/v1/achreport", map[string]any{"depositNumber": dep4}, bearer(tok)...))
	if statusOf(t, rows, "referenceId", ref1) != "PROCESSED" || statusOf(t, rows, "referenceId", ref2) != "BRANCH_REJECT" {
		t.Fatalf("after 10:45: %v", rows)
	}
	if got := balance(t, c, tok, dep4); got != b0-100_000 {
		t.Fatalf("rejected money not back: %d, want %d", got, b0-100_000)
	}
}

func TestSatnaRejectScenarioReturnsTheMoney(t *testing.T) {
	c := newClient(t)
	c.srv.Admin.Activate("sanbod-satna-reject", c.id)
	tok, _ := c.ac("059", nil, allAC...)
	c.post("/sanboom/v1/banks/rtgstransfer", rtgs(200_000_000), bearer(tok)...).message(t)
	b0 := balance(t, c, tok, dep4) + 200_000_000
	c.srv.Admin.Advance("31m")
	rows := list(t, c.post("/banks/v1/rtgsreport", map[string]any{"depositNumber": dep4}, bearer(tok)...))
	if len(rows) != 1 || rows[0]["status"] != "ADAM_TAEED_SHOBE_SATNA" {
		t.Fatalf("rtgsreport: %v", rows)
	}
	if got := balance(t, c, tok, dep4); got != b0 {
		t.Fatalf("balance %d, want %d back", got, b0)
	}
}

func TestScopeGrantAndDepositEnforcement(t *testing.T) {
	c := newClient(t)
	stmtOnly, _ := c.ac("059", []string{dep4}, "statement")
	cc := c.cc("cardtoiban")
	card := map[string]any{"cardNumber": "5022291301984702"}

	c.post("/banks/v1/statement", map[string]any{"depositNumber": dep4}, bearer(stmtOnly)...).message(t)
	c.post("/banks/v1/statement", map[string]any{"depositNumber": dep5}, bearer(stmtOnly)...).errField(t, 400, "depositNumber")
	c.post("/banks/v1/achtransfer", ach(1000), bearer(stmtOnly)...).errField(t, 403, "scope")
	c.post("/banks/v1/statement", map[string]any{"depositNumber": dep4}, bearer(cc)...).errField(t, 403, "scope")
	c.post("/sanboom/v1/banksinquiry/cardtoiban", card, bearer(stmtOnly)...).errField(t, 403, "scope")
	c.post("/sanboom/v1/banksinquiry/ibaninquiry", map[string]any{"iban": otherBankIBAN}, bearer(cc)...).errField(t, 403, "scope")
	c.post("/sanboom/v1/banksinquiry/cardtoiban", card, bearer(cc)...).message(t)

	// A transfer from a deposit the user did not consent to is refused.
	xfer, _ := c.ac("059", []string{dep4}, "normaltransfer", "statement")
	c.post("/banks/v1/normaltransfer", map[string]any{"sourceDepositNumber": dep5, "destinationDepositNumber": dep4, "transferAmount": "1000"},
		bearer(xfer)...).errField(t, 400, "sourceDepositNumber")

	// Token forms: scheme case-insensitive, token_type prefix; missing, empty,
	// garbage, refresh tokens and other schemes are refused.
	c.post("/sanboom/v1/banksinquiry/cardtoiban", card, "Authorization", "bearer "+cc).message(t)
	c.post("/sanboom/v1/banksinquiry/cardtoiban", card, "Authorization", "BEARER "+cc).message(t)
	c.post("/sanboom/v1/banksinquiry/cardtoiban", card).errField(t, 401, "token")
	c.post("/sanboom/v1/banksinquiry/cardtoiban", card, "Authorization", "Bearer ").errField(t, 401, "token")
	c.post("/sanboom/v1/banksinquiry/cardtoiban", card, "Authorization", "Bearer abc").errField(t, 401, "token")
	c.post("/sanboom/v1/banksinquiry/cardtoiban", card, "Authorization", "Basic "+cc).errField(t, 401, "token")
	_, ref := c.tokens(map[string]any{"grant_type": "client_credentials", "scope": []string{"cardtoiban"}, "provider_code": "999"})
	c.post("/sanboom/v1/banksinquiry/cardtoiban", card, bearer(ref)...).errField(t, 401, "token")

	// traceid: required, any string, echoed in both fields: "traceid" a number
	// when it is one (as the documentation's examples), "trace_id" always the string sent.
	c.do("POST", "/sanboom/v1/banksinquiry/cardtoiban", "application/json", `{"cardNumber":"5022291301984702"}`, bearer(cc)...).errField(t, 400, "traceid")
	for id, echo := range map[string]any{"123456": 123456.0, "0f1e2d3c-aaaa-4bbb-8ccc-111122223333": "0f1e2d3c-aaaa-4bbb-8ccc-111122223333",
		"1700000000-123456": "1700000000-123456", "0123": "0123", "1234567890123456": "1234567890123456"} {
		r := c.do("POST", "/sanboom/v1/banksinquiry/cardtoiban?traceid="+id, "application/json", `{"cardNumber":"5022291301984702"}`, bearer(cc)...)
		m := r.json(t)
		if r.Status != 200 || m["traceid"] != echo || m["trace_id"] != id {
			t.Fatalf("traceid %s: %s", id, r.Raw)
		}
	}
}

func TestEveryServicePathAnswers(t *testing.T) {
	c := newClient(t)
	ac, _ := c.ac("059", nil, allAC...)
	cc := c.cc("ibaninquiry", "cardtoiban", "cardtodeposit", "deposittoiban", "ibantodeposit", "mobilenationalid", "cardnationalid", "personal", "personalwithimage")
	seen := 0
	for _, rt := range c.srv.App.Routes() {
		if rt.Provider != "sanbod" || strings.HasPrefix(rt.Path, "/_sandbox") || strings.HasPrefix(rt.Path, "/oaut") {
			continue
		}
		svc := rt.Path[strings.LastIndex(rt.Path, "/")+1:]
		tok := cc
		if strings.Contains("statement normaltransfer achtransfer achreport rtgstransfer rtgsreport", svc) {
			tok = ac
		}
		r := c.post(rt.Path, serviceBodies[svc], bearer(tok)...)
		if r.Status != 200 {
			t.Errorf("%s %s: %d %s", rt.Operation, rt.Path, r.Status, r.Raw)
			continue
		}
		r.message(t)
		if e := c.srv.Admin.Journal("provider=sanbod&limit=1"); len(e) != 1 || e[0].Operation != rt.Operation {
			t.Errorf("%s: journal says %v", rt.Path, e)
		}
		seen++
	}
	if seen < 40 {
		t.Fatalf("only %d service routes", seen)
	}
}

// serviceBodies are valid requests of every service, the documentation's examples where it
// has them.
var serviceBodies = map[string]map[string]any{
	"normaltransfer":    {"sourceDepositNumber": dep4, "destinationDepositNumber": dep5, "transferAmount": "20000"},
	"achtransfer":       ach(20000),
	"rtgstransfer":      rtgs(160_000_000),
	"statement":         {"depositNumber": dep4},
	"achreport":         {"depositNumber": dep4},
	"rtgsreport":        {"depositNumber": dep4},
	"deposittoiban":     {"depositNumber": "213.8000.14707021.1", "provider": "057"},
	"cardtoiban":        {"cardNumber": "5022291301984702"},
	"cardtodeposit":     {"cardNumber": "5022291301984702"},
	"ibantodeposit":     {"iban": "IR660570021380014707021101"},
	"ibaninquiry":       {"iban": "IR660570021380014707021101"},
	"mobilenationalid":  {"mobileNumber": "09121234567", "nationalId": natCode},
	"cardnationalid":    {"mobileNumber": "09121234567", "nationalId": natCode, "cardNumber": "5022291301984702"},
	"personal":          {"nationalId": natCode, "birthDate": "1370/01/01"},
	"personalwithimage": {"nationalId": natCode, "birthDate": "1370/01/01"},
}
