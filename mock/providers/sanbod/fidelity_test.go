package sanbod_test

import (
	"net/url"
	"strings"
	"testing"
)

// The documentation's examples sent exactly as written (issue 15, points 1-3).

// dance runs the consent through the control plane and returns the code.
func (c *client) dance(scopes ...string) string {
	c.t.Helper()
	id := c.authorize("059", scopes...)
	var out struct{ Redirect string }
	if st := c.srv.Admin.Do("POST", "/sanbod/consents/"+id+"/approve", map[string]any{"national_code": natCode}, &out); st != 200 {
		c.t.Fatalf("approve: %d", st)
	}
	u, _ := url.Parse(out.Redirect)
	return u.Query().Get("code")
}

// TestSeedGetACTokenAtTheAuthorizeURL: "Get AC Token" posts the code to
// /oautht/v1/authorize?traceid=… with Basic auth and gets the token pair;
// /oauth/v1/token still does the same.
func TestSeedGetACTokenAtTheAuthorizeURL(t *testing.T) {
	c := newClient(t)
	body := `{"code": "` + c.dance("statement") + `", "grant_type": "authorization_code"}`
	r := c.do("POST", "/oautht/v1/authorize?traceid=123456", "application/json", body, c.basic()...)
	m := r.json(t)
	if r.Status != 200 || m["access_token"] == nil || m["refresh_token"] == nil || m["token_type"] != "Bearer" || m["traceid"] != 123456.0 {
		t.Fatalf("AC token at the authorize URL: %d %s", r.Status, r.Raw)
	}
	if e := c.srv.Admin.Journal("operation=sanbod.authorize&limit=1"); len(e) != 1 || e[0].Tenant != c.id {
		t.Errorf("journal: %+v", e)
	}
	// A spent code, no client credentials: the token call's own errors.
	c.do("POST", "/oautht/v1/authorize?traceid=123456", "application/json", body, c.basic()...).errField(t, 400, "code")
	c.do("POST", "/oautht/v1/authorize?traceid=123456", "application/json", body).errField(t, 401, "client")
	// The other spelling and the token path answer it too.
	for _, path := range []string{"/oauth/v1/authorize", "/oauth/v1/token"} {
		r := c.do("POST", path+"?traceid=7", "application/json", `{"code":"`+c.dance("statement")+`","grant_type":"authorization_code"}`, c.basic()...)
		if r.Status != 200 || r.json(t)["access_token"] == nil {
			t.Errorf("%s: %d %s", path, r.Status, r.Raw)
		}
	}
	// An authorize body still starts the dance.
	if id := c.authorize("059", "statement"); id == "" {
		t.Fatal("authorize no longer answers 302")
	}
}

// TestSeedRefreshAndRevokeWithoutTraceID: the documentation writes refresh and revoke with
// no traceid; sent that way they succeed. Other calls still need one.
func TestSeedRefreshAndRevokeWithoutTraceID(t *testing.T) {
	c := newClient(t)
	_, refresh := c.ac("059", nil, "statement")
	r := c.do("POST", "/oauth/v1/token", "application/json", `{
    "grant_type": "refresh_token",
    "refresh_token" : "`+refresh+`"
}`, c.basic()...)
	if r.Status != 200 {
		t.Fatalf("refresh without traceid: %d %s", r.Status, r.Raw)
	}
	access := r.json(t)["access_token"].(string)
	r = c.do("POST", "/oauth/v1/revoke", "application/json", `{"access_token": "`+access+`"}`)
	if m := r.json(t); r.Status != 200 || m["error"] != false {
		t.Fatalf("revoke without traceid: %d %s", r.Status, r.Raw)
	}
	c.do("POST", "/oauth/v1/token", "application/json", `{"grant_type":"client_credentials","scope":["cardtoiban"],"provider_code":"999"}`, c.basic()...).errField(t, 400, "traceid")
	c.do("POST", "/oauth/v1/revoke", "application/json", `{"access_token":"nope"}`).errField(t, 400, "access_token")
}

// TestTraceIDEchoedAsTheExamplesShow: a traceid of digits comes back as the
// number the AC examples show ("traceid": 123); a UUID stays a string, and
// trace_id is always the string sent, as the conversion examples show.
func TestTraceIDEchoedAsTheExamplesShow(t *testing.T) {
	c := newClient(t)
	access, _ := c.ac("059", []string{"119-813-2618257-1"}, "normaltransfer")
	body := `{"destinationDepositNumber":"119-813-2295556-1","sourceDepositNumber":"119-813-2618257-1","transferAmount":"20000"}`
	r := c.do("POST", "/normaltransfer?traceid=123", "application/json", body, bearer(access)...)
	if !strings.HasSuffix(strings.TrimSpace(string(r.Raw)), `"result_number":1,"traceid":123,"trace_id":"123"}`) {
		t.Fatalf("numeric traceid: %s", r.Raw)
	}
	cc := c.cc("cardtoiban")
	const uuid = "1813c00b-7b12-40ad-8b4f-f1ad53cd57b9"
	r = c.do("POST", "/cardtoiban?traceid="+uuid, "application/json", `{"cardNumber":"IR660570021380014707021101"}`, bearer(cc)...)
	if m := r.json(t); m["traceid"] != uuid || m["trace_id"] != uuid {
		t.Fatalf("uuid traceid: %s", r.Raw)
	}
	// Errors echo it the same way.
	r = c.do("POST", "/cardtoiban?traceid=42", "application/json", `{"cardNumber":"x"}`, bearer(cc)...)
	if m := r.json(t); r.Status < 400 || m["traceid"] != 42.0 || m["trace_id"] != "42" {
		t.Fatalf("error traceid: %d %s", r.Status, r.Raw)
	}
}

// TestSeedRtgsReportExampleReproduces: a SATNA transfer of exactly 150,000,000
// (the rtgsreport example's amount) is accepted and reported settled with the
// example's spelling, TASFIYEH_SHODE.
func TestSeedRtgsReportExampleReproduces(t *testing.T) {
	c := newClient(t)
	access, _ := c.ac("059", []string{"119-813-2618257-1"}, "rtgstransfer", "rtgsreport")
	r := c.do("POST", "/rtgstransfer?traceid=123", "application/json", `{"sourceDepositNumber":"119-813-2618257-1",
 "destinationIban":"IR630560082680006040494001","transferAmount":"150000000","receiverLastName":"هاشمی",
 "receiverFirstName":"مهدی","description":"رستوران "}`, bearer(access)...)
	if r.Status != 200 {
		t.Fatalf("rtgstransfer of 150,000,000: %d %s", r.Status, r.Raw)
	}
	c.srv.Admin.Advance("45m")
	r = c.do("POST", "/rtgsreport?traceid=123", "application/json", `{"depositNumber": "119-813-2618257-1"}`, bearer(access)...)
	rows, _ := r.message(t).([]any)
	if len(rows) != 1 {
		t.Fatalf("rtgsreport: %s", r.Raw)
	}
	row := rows[0].(map[string]any)
	if row["status"] != "TASFIYEH_SHODE" || row["transferAmount"] != "150000000" || row["destinationDepositNumber"] != "IR630560082680006040494001" {
		t.Fatalf("rtgsreport row: %v", row)
	}
}

// TestAchReportTransferDescriptionIsTheBanksRemark: a processed PAYA transfer
// reports transferDescription null as the documentation's example does, whatever the
// client's description; a branch rejection carries the bank's reason.
func TestAchReportTransferDescriptionIsTheBanksRemark(t *testing.T) {
	c := newClient(t)
	access, _ := c.ac("059", []string{"119-813-2618257-1"}, "achtransfer")
	ach := func(amount string) {
		r := c.do("POST", "/achtransfer?traceid=123", "application/json", `{"sourceDepositNumber":"119-813-2618257-1",
 "iban":"IR880540126030100979988607","transferAmount":"`+amount+`","receiverFirstName":"سارا",
 "receiverLastName":"کاویانی","description":"رستوران"}`, bearer(access)...)
		if r.Status != 200 {
			t.Fatalf("achtransfer %s: %d %s", amount, r.Status, r.Raw)
		}
	}
	ach("20000")
	ach("1120000") // magic: BRANCH_REJECT at the next cycle
	c.srv.Admin.Advance("2h")
	report, _ := c.ac("059", []string{"119-813-2618257-1"}, "achreport")
	r := c.do("POST", "/achreport?traceid=123", "application/json", `{"depositNumber":"119-813-2618257-1"}`, bearer(report)...)
	rows, _ := r.message(t).([]any)
	if len(rows) != 2 {
		t.Fatalf("achreport: %s", r.Raw)
	}
	for _, row := range rows {
		m := row.(map[string]any)
		td, present := m["transferDescription"]
		switch m["status"] {
		case "PROCESSED":
			if !present || td != nil {
				t.Errorf("processed transfer's transferDescription: %v", m)
			}
		case "BRANCH_REJECT":
			if s, _ := td.(string); s == "" || s == "رستوران" {
				t.Errorf("rejected transfer's transferDescription: %v", m)
			}
		default:
			t.Errorf("unexpected row %v", m)
		}
	}
}

// TestPagesHintCardsAndGroupedBalances: the login page names the test login as
// Finnotech's does; the consent page confirms services, deposits and cards, with
// balances written with thousands separators; the hint's Persian digits log in.
func TestPagesHintCardsAndGroupedBalances(t *testing.T) {
	c := newClient(t)
	id := c.authorize("059", "statement")
	login := c.do("GET", "/oauth/v1/login/"+id, "", "")
	if html := string(login.Raw); login.Status != 200 || !strings.Contains(html, "محیط آزمایشی") || !strings.Contains(html, "ela") || !strings.Contains(html, "1234") {
		t.Fatalf("login page hint: %d %s", login.Status, html)
	}
	r := c.form(c.base+"/oauth/v1/login/"+id, url.Values{"username": {"ela"}, "password": {"۱۲۳۴"}, "national_code": {"۰۰۱۲۳۴۵۶۷۹"}})
	if r.Status != 302 {
		t.Fatalf("login with Persian digits: %d %s", r.Status, r.Raw)
	}
	html := string(c.do("GET", "/oauth/v1/consent/"+id, "", "").Raw)
	for _, want := range []string{`id="cards"`, `data-card="6393462182570048"`, "6393-4621-8257-0048", `data-card="6393462618257012"`,
		"10,000,000,000 ریال", "5,000,000,000 ریال", `data-scope="statement"`, `value="119-813-218257-4"`} {
		if !strings.Contains(html, want) {
			t.Errorf("consent page lacks %s", want)
		}
	}
}
