package finnotech_test

import (
	"net/url"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// TestGoldenDocumentedExamples replays every documented example request (with the
// documentation's own trackIds, deposits and cards where the fixtures carry them)
// and compares the whole reply with testdata/<name>.json. One server, one order,
// a frozen clock and the default seed make the replies, tokens included,
// reproducible. go test -update rewrites the files.
func TestGoldenDocumentedExamples(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	check := func(name string, r reply, status int) {
		t.Helper()
		if r.Status != status {
			t.Errorf("%s: HTTP %d, want %d: %s", name, r.Status, status, r.Raw)
		}
		golden(t, name, r)
	}

	ccReply := c.tokenCall(map[string]any{"grant_type": "client_credentials", "nid": "0012345678",
		"scopes": "card:list:get,card:information:get,oak:card-balance:get,oak:card-statement:get,boomrang:tokens:get"})
	check("token_client_credentials", ccReply, 200)
	cc := ccReply.str("result.value")

	code, codeReply := c.codeToken("062", "0012345679", "350000", "oak:card-charge:execute", "oak:card-charge-inquiry:get", "oak:valid-card:get", "oak:balance:get")
	check("token_authorization_code", codeReply, 200)

	q := url.Values{"client_id": {"drops"}, "response_type": {"code"}, "redirect_uri": {"https://www.drops.com/return"},
		"scope": {"credit:user-info:get,credit:reliability:get"}, "mobile": {"09121234567"}, "state": {"1"}, "auth_type": {"SMS"}}
	sent := c.do("GET", "/dev/v2/oauth2/authorize?"+q.Encode(), nil, "Authorization", c.basicHeader())
	check("sms_sent", sent, 200)
	var box struct{ Messages []struct{ OTP string } }
	srv.Admin.Get("/finnotech/otp", &box)
	verified := c.do("POST", "/dev/v2/oauth2/verify/sms", map[string]any{"mobile": "09121234567", "otp": box.Messages[0].OTP,
		"nid": "0012345678", "trackId": sent.str("result.trackId")}, "Authorization", c.basicHeader())
	check("sms_verified", verified, 200)
	check("token_sms", c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": verified.str("result.code"),
		"auth_type": "SMS", "redirect_uri": "https://www.drops.com/return"}), 200)

	check("card_inquiry", c.bearer(cc, "GET", "/mpg/v2/clients/drops/cards/6273530000013899?trackId=get-cardInfo-0232", nil), 200)
	check("card_list", c.bearer(cc, "GET", "/mpg/v2/clients/drops/cards?mobile=09121234567&trackId=card-list-0001", nil), 200)

	check("charge_success", c.bearer(code, "POST", "/oak/v2/clients/drops/deposits/0206754653002/chargeCard?trackId=charge-card-109",
		map[string]any{"amount": 20000, "card": "6362144202902795"}), 200)
	check("charge_business_failure", c.bearer(code, "POST", "/oak/v2/clients/drops/deposits/0202672527005/chargeCard?trackId=charge-card-119",
		map[string]any{"amount": 20000, "card": "6362144000001001"}), 200)
	check("charge_max_amount", c.bearer(code, "POST", "/oak/v2/clients/drops/deposits/0206754653002/chargeCard?trackId=charge-card-120",
		map[string]any{"amount": 350001, "card": "6362144202902795"}), 400)
	other, _ := c.codeToken("062", "1111111111", "", "oak:card-charge:execute")
	check("charge_validation_failure", c.bearer(other, "POST", "/oak/v2/clients/drops/deposits/0200000000400/chargeCard?trackId=charge-card-121",
		map[string]any{"amount": 20000, "card": "6362144202902795"}), 400)

	check("inquiry_success", c.bearer(code, "POST", "/oak/v2/clients/drops/inquiryChargeCard?trackId=inquirycharge-card-109",
		map[string]any{"trackId": "charge-card-109"}), 200)
	check("inquiry_unknown_charge", c.bearer(code, "POST", "/oak/v2/clients/drops/inquiryChargeCard?trackId=inquirycharge-card-110",
		map[string]any{"trackId": "charge-card-110"}), 200)
	check("get_valid_card", c.bearer(code, "POST", "/oak/v2/clients/drops/getValidCard?trackId=get-valid-card-08",
		map[string]any{"card": "6362142376876523"}), 200)
	check("card_balance", c.bearer(cc, "POST", "/oak/v2/clients/drops/card/balance?trackId=get-balanceCard-04",
		map[string]any{"card": "6362142376876523"}), 200)
	check("card_statement", c.bearer(cc, "POST", "/oak/v2/clients/drops/card/statement?trackId=get-statementCard-01",
		map[string]any{"card": "6362144202902795", "fromDate": "041201", "toDate": "041212"}), 200)
	check("deposit_balance", c.bearer(code, "GET", "/oak/v2/clients/drops/deposits/0206754653002/balance?trackId=get-balance-01", nil), 200)

	check("token_list_bank", c.bearer(cc, "GET", "/dev/v2/clients/drops/tokens?bank=062&trackId=token-list-01", nil), 200)
	check("token_list", c.bearer(cc, "GET", "/dev/v2/clients/drops/tokens?trackId=token-list-02", nil), 200)
	check("revoke", c.bearer(cc, "DELETE", "/dev/v2/clients/drops/token?trackId=f1bb6ac45cf5",
		map[string]any{"token": other, "token_type": "CODE", "bank": "062"}), 200)

	check("duplicate_track_id", c.bearer(cc, "GET", "/mpg/v2/clients/drops/cards?mobile=09121234567&trackId=card-list-0001", nil), 400)
	check("invalid_token", c.bearer(other, "GET", "/oak/v2/clients/drops/deposits/0200000000400/balance?trackId=get-balance-02", nil), 403)
	check("not_found", c.do("GET", "/oak/v2/clients/drops/nothing?trackId=nf-1", nil), 404)
}
