package vandar_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestHowItIsChecked walks the acceptance list as a new user would:
// refresh, business and balance, the whole gateway dance, the failing card, the
// late verify, a refund, isolation between businesses.
func TestHowItIsChecked(t *testing.T) {
	c := newClient(t)

	// Refresh rotates the pair; the old access token gets 401.
	pair := c.postJSON("/v3/refreshtoken", "", map[string]string{"refreshtoken": refresh}).want(t, 200)
	if pair["token_type"] != "Bearer" || pair["expires_in"] != float64(432000) {
		t.Fatalf("pair %v", pair)
	}
	tok, ref := pair["access_token"].(string), pair["refresh_token"].(string)
	if m := c.get("/v2/business/acme/balance", access).want(t, 401); m["status"] != float64(0) || m["error"] != "Unauthenticated" {
		t.Fatalf("old access token: %v", m)
	}
	c.postJSON("/v3/refreshtoken", "", map[string]string{"refreshtoken": refresh}).want(t, 401)
	// The new refresh token works once more, and retires the pair just issued.
	pair = c.postJSON("/v3/refreshtoken", "", map[string]string{"refreshtoken": ref}).want(t, 200)
	c.get("/v2/business/acme", tok).want(t, 401)
	tok = pair["access_token"].(string)

	// Business information and balance answer.
	info := c.get("/v2/business/acme", tok).want(t, 200)["data"].(map[string]any)
	if info["business_name"] != slug || info["wallet"] != float64(10_000_000) {
		t.Fatalf("business: %v", info)
	}
	before := c.balance(tok)

	// send → token → the page is a form → paying with the success card redirects
	// to the callback with payment_status=OK.
	token := c.send(apiKey, 250_000, "factorNumber", "INV-7", "mobile_number", "09121234567", "description", "سفارش ۷")
	cb := c.payPage(token, cardOK, "123", "12/08")
	if cb.Host != "shop.example" || cb.Query().Get("token") != token || cb.Query().Get("payment_status") != "OK" {
		t.Fatalf("callback %s", cb)
	}
	// The page is single use.
	if r := c.do(http.MethodGet, c.ipg+"/v4/"+token, "", ""); r.Status != 404 {
		t.Fatalf("second visit: %d", r.Status)
	}
	tx := c.ipgForm("/api/v4/transaction", url.Values{"api_key": {apiKey}, "token": {token}}).want(t, 200)
	if tx["code"] != float64(1) || tx["amount"] != "250000" || tx["cardNumber"] != "603799******0014" {
		t.Fatalf("transaction: %v", tx)
	}
	// verify answers the documented fields once; a second verify is refused.
	v := c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {token}}).want(t, 200)
	for _, k := range []string{"status", "amount", "realAmount", "wage", "transId", "factorNumber", "mobile", "description", "cardNumber", "paymentDate", "cid", "message"} {
		if _, ok := v[k]; !ok {
			t.Errorf("verify lacks %s: %v", k, v)
		}
	}
	if v["amount"] != "250000.00" || v["realAmount"] != float64(250000) || v["wage"] != "0" || v["factorNumber"] != "INV-7" {
		t.Fatalf("verify: %v", v)
	}
	again := c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {token}}).want(t, 422)
	if again["status"] != float64(2) {
		t.Fatalf("second verify: %v", again)
	}
	// The balance (Toman) and the report show the payment.
	if got := c.balance(tok); got != before+25_000 {
		t.Fatalf("balance %v, want %v", got, before+25_000)
	}
	rows := c.report(slug, tok, "?per_page=5")
	if rows[0]["id"] != v["transId"] || rows[0]["status"] != float64(1) || rows[0]["amount"] != float64(25_000) || rows[0]["verified"] != float64(1) {
		t.Fatalf("report row: %v", rows[0])
	}

	// The insufficient-funds card → FAILED, and verify refuses it.
	bad := c.send(apiKey, 10_000)
	if cb := c.payPage(bad, cardNoFunds, "123", "12/08"); cb.Query().Get("payment_status") != "FAILED" {
		t.Fatalf("no-funds callback %s", cb)
	}
	c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {bad}}).want(t, 422)
	if r := c.report(slug, tok, "?status=failed"); len(r) != 1 || r[0]["logs"] == nil {
		t.Fatalf("failed rows: %v", r)
	}

	// A verify after 20 minutes of virtual time is refused with status 3.
	late := c.send(apiKey, 5_000)
	c.payPage(late, cardOK, "123", "12/08")
	c.srv.Admin.Advance("21m")
	if m := c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {late}}).want(t, 422); m["status"] != float64(3) {
		t.Fatalf("late verify: %v", m)
	}

	// A refund debits the wallet and shows in the report.
	id := strconv.FormatInt(int64(v["transId"].(float64)), 10)
	bal := c.balance(tok)
	rf := c.postJSON("/v3/business/acme/transaction/"+id+"/refund", tok, map[string]any{"amount": "100000", "description": "بازگشت"}).want(t, 200)
	res := rf["data"].(map[string]any)["results"].([]any)
	if len(res) != 1 || res[0].(map[string]any)["status"] != "PENDING" || res[0].(map[string]any)["amount"] != "100000" {
		t.Fatalf("refund: %v", rf)
	}
	if got := c.balance(tok); got != bal-10_000 {
		t.Fatalf("after refund %v, want %v", got, bal-10_000)
	}
	if r := c.report(slug, tok, "?per_page=1"); r[0]["status"] != float64(-2) || r[0]["amount"] != float64(10_000) {
		t.Fatalf("refund row: %v", r[0])
	}
	c.srv.Admin.Advance("31m")
	if r := c.report(slug, tok, "?per_page=1"); r[0]["status"] != float64(2) {
		t.Fatalf("refund row after a cycle: %v", r[0])
	}
	// Refunding more than is left is refused.
	c.postJSON("/v3/business/acme/transaction/"+id+"/refund", tok, map[string]any{"amount": 200000}).want(t, 422)

	// One business never sees another's payments.
	gtok, _, gkey := c.newBusiness("globex")
	c.get("/v2/business/acme/balance", gtok).want(t, 404)
	if m := c.ipgForm("/api/v4/transaction", url.Values{"api_key": {gkey}, "token": {token}}).want(t, 422); m["errors"].([]any)[0] != "token معتبر نیست" {
		t.Fatalf("foreign token: %v", m)
	}
	for _, r := range c.report("globex", gtok, "?per_page=100") {
		if r["api_token"] == token {
			t.Fatal("globex sees acme's payment")
		}
	}
	c.postJSON("/v3/business/globex/transaction/"+id+"/refund", gtok, map[string]any{}).want(t, 404)
}

// TestParallelRefreshExactlyOneWins: of 16 parallel refreshes with one refresh
// token, exactly one returns a pair, and only that pair works.
func TestParallelRefreshExactlyOneWins(t *testing.T) {
	c := newClient(t)
	var wg sync.WaitGroup
	replies := make([]reply, 16)
	for i := range replies {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			replies[i] = c.postJSON("/v3/refreshtoken", "", map[string]string{"refreshtoken": refresh})
		}(i)
	}
	wg.Wait()
	won := 0
	var tok string
	for _, r := range replies {
		switch r.Status {
		case 200:
			won++
			tok = r.json(t)["access_token"].(string)
		case 401:
		default:
			t.Fatalf("refresh: %d %s", r.Status, r.Raw)
		}
	}
	if won != 1 {
		t.Fatalf("%d refreshes won", won)
	}
	c.get("/v2/business/acme", tok).want(t, 200)
	c.get("/v2/business/acme", access).want(t, 401)
}

// TestInDoubtPayment: the bank-timeout card takes the money but the browser hears
// FAILED; transaction says failed until the payment settles, then the truth
// (code 1) and verify credits the wallet.
func TestInDoubtPayment(t *testing.T) {
	c := newClient(t)
	token := c.send(apiKey, 80_000)
	if cb := c.payPage(token, cardTimeout, "123", "12/08"); cb.Query().Get("payment_status") != "FAILED" {
		t.Fatalf("callback %s", cb)
	}
	q := url.Values{"api_key": {apiKey}, "token": {token}}
	if m := c.ipgForm("/api/v4/transaction", q).want(t, 200); m["code"] != float64(4) {
		t.Fatalf("before settle: %v", m)
	}
	c.ipgForm("/api/v4/verify", q).want(t, 422)
	c.srv.Admin.Advance("10m")
	if m := c.ipgForm("/api/v4/transaction", q).want(t, 200); m["code"] != float64(1) {
		t.Fatalf("after settle: %v", m)
	}
	before := c.balance(access)
	c.ipgForm("/api/v4/verify", q).want(t, 200)
	if got := c.balance(access); got != before+8_000 {
		t.Fatalf("balance %v, want %v", got, before+8_000)
	}
}

// TestRateLimit: the 31st POST within 3 seconds answers 429 with Retry-After.
func TestRateLimit(t *testing.T) {
	c := newClient(t, nopOption())
	var last reply
	for i := 0; i < 31; i++ {
		last = c.ipgForm("/api/v4/send", url.Values{"api_key": {apiKey}, "amount": {"5000"}, "callback_url": {callbackURL}})
	}
	if last.Status != 429 || last.Header.Get("Retry-After") == "" || last.Header.Get("X-RateLimit-Limit") != "30" || last.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Fatalf("31st POST: %d %v %s", last.Status, last.Header, last.Raw)
	}
	if m := last.json(t); m["message"] != "Too Many Attempts." {
		t.Fatalf("body %s", last.Raw)
	}
	// GETs count separately (100 per window).
	c.get("/v2/business/acme/balance", access).want(t, 200)
}

// TestPageCancelExpiryAndRefundRows: Cancel (page and control plane) sends the
// browser back FAILED and closes the page; an unpaid token dies after 20
// minutes; a refund above 150,000,000 Rial is split into rows.
func TestPageCancelExpiryAndRefundRows(t *testing.T) {
	c := newClient(t)
	token := c.send(apiKey, 5000)
	c.do(http.MethodGet, c.ipg+"/v4/"+token, "", "")
	r := c.do(http.MethodPost, c.ipg+"/v4/"+token, "application/x-www-form-urlencoded", "action=cancel")
	if r.Status != 302 || r.Header.Get("Location") != callbackURL+"?token="+token+"&payment_status=FAILED" {
		t.Fatalf("cancel: %d %v", r.Status, r.Header)
	}
	if r := c.do(http.MethodGet, c.ipg+"/v4/"+token, "", ""); r.Status != 404 || !strings.Contains(string(r.Raw), "<!doctype html>") {
		t.Fatalf("page after cancel: %d", r.Status)
	}
	var out map[string]any
	other := c.send(apiKey, 5000)
	if st := c.srv.Admin.Do(http.MethodPost, "/vandar/ipg/"+other+"/cancel", nil, &out); st != 200 || out["payment_status"] != "FAILED" {
		t.Fatalf("control-plane cancel: %d %v", st, out)
	}
	if st := c.srv.Admin.Do(http.MethodPost, "/vandar/ipg/"+other+"/pay", map[string]string{"card": cardOK}, &out); st != 409 {
		t.Fatalf("pay after cancel: %d %v", st, out)
	}

	stale := c.send(apiKey, 5000)
	c.srv.Admin.Advance("20m")
	if r := c.do(http.MethodGet, c.ipg+"/v4/"+stale, "", ""); r.Status != 404 {
		t.Fatalf("expired page: %d", r.Status)
	}
	if m := c.ipgForm("/api/v4/transaction", url.Values{"api_key": {apiKey}, "token": {stale}}).want(t, 200); m["code"] != float64(4) {
		t.Fatalf("expired token: %v", m)
	}

	// 200,000,000 Rial paid and refunded whole: rows of 150,000,000 and 50,000,000.
	big := c.send(apiKey, 200_000_000)
	c.srv.Admin.Do(http.MethodPost, "/vandar/ipg/"+big+"/pay", map[string]string{"card": cardOK}, &out)
	v := c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {big}}).want(t, 200)
	id := strconv.FormatInt(int64(v["transId"].(float64)), 10)
	before := c.balance(access)
	rf := c.postJSON("/v3/business/acme/transaction/"+id+"/refund", access, map[string]any{}).want(t, 200)
	rows := rf["data"].(map[string]any)["results"].([]any)
	if len(rows) != 2 || rows[0].(map[string]any)["amount"] != "150000000" || rows[1].(map[string]any)["amount"] != "50000000" {
		t.Fatalf("refund rows: %v", rows)
	}
	if got := c.balance(access); got != before-20_000_000 {
		t.Fatalf("balance %v, want %v", got, before-20_000_000)
	}
	if m := c.postJSON("/v3/business/acme/transaction/"+id+"/refund", access, map[string]any{}).want(t, 422); m["errors"].(map[string]any)["transaction_id"] == nil {
		t.Fatalf("second full refund: %v", m)
	}
}

// TestResetRestoresTheShippedBusiness: a full reset brings acme back with its
// shipped pair and opening wallet (even after a refresh replaced the pair); a
// reset of a business made by the control plane leaves nothing of it, its
// credentials included, and a reset of a declared one brings it back as shipped.
func TestResetRestoresTheShippedBusiness(t *testing.T) {
	c := newClient(t)
	gtok, _, gkey := c.newBusiness("globex")
	token := c.send(gkey, 50_000)
	var out map[string]any
	c.srv.Admin.Do(http.MethodPost, "/vandar/ipg/"+token+"/pay", map[string]string{"card": cardOK}, &out)
	c.ipgForm("/api/v4/verify", url.Values{"api_key": {gkey}, "token": {token}}).want(t, 200)
	if got := c.get("/v2/business/globex/balance", gtok).want(t, 200)["data"].(map[string]any)["wallet"]; got != float64(10_005_000) {
		t.Fatalf("globex wallet %v", got)
	}
	c.srv.Admin.Reset("globex")
	c.get("/v2/business/globex/balance", gtok).want(t, 401)
	c.ipgForm("/api/v4/send", url.Values{"api_key": {gkey}, "amount": {"5000"}, "callback_url": {callbackURL}}).want(t, 422)
	c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {token}}).want(t, 422)
	c.send(apiKey, 5000)
	c.srv.Admin.Reset("acme")
	if got := c.balance(access); got != 10_000_000 {
		t.Fatalf("acme wallet after its reset %v", got)
	}
	if rows := c.report("acme", access, ""); len(rows) != 1 {
		t.Fatalf("acme report after its reset: %v", rows)
	}

	c.postJSON("/v3/refreshtoken", "", map[string]string{"refreshtoken": refresh}).want(t, 200)
	c.get("/v2/business/acme", access).want(t, 401)
	c.srv.Admin.Reset("")
	if got := c.balance(access); got != 10_000_000 {
		t.Fatalf("acme after a full reset: %v", got)
	}
	c.ipgForm("/api/v4/send", url.Values{"api_key": {apiKey}, "amount": {"5000"}, "callback_url": {callbackURL}}).want(t, 200)
	c.get("/v2/business/globex", gtok).want(t, 401)
}

// TestRefundFailedScenario: with the shipped vandar-refund-failed scenario the
// refund row fails 30 minutes later, the report shows it failed (-3), and the
// money comes back to the wallet with a returned row (-6).
func TestRefundFailedScenario(t *testing.T) {
	c := newClient(t)
	c.srv.Admin.Activate("vandar-refund-failed", "")
	token := c.send(apiKey, 40_000)
	var pay map[string]any
	c.srv.Admin.Do(http.MethodPost, "/vandar/ipg/"+token+"/pay", map[string]string{"card": cardOK}, &pay)
	v := c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {token}}).want(t, 200)
	before := c.balance(access)
	c.postJSON("/v3/business/acme/transaction/"+strconvFormat(v["transId"].(float64))+"/refund", access, map[string]any{}).want(t, 200)
	if got := c.balance(access); got != before-4_000 {
		t.Fatalf("after refund %v, want %v", got, before-4_000)
	}
	c.srv.Admin.Advance("30m")
	if got := c.balance(access); got != before {
		t.Fatalf("after the failure %v, want %v back", got, before)
	}
	rows := c.report(slug, access, "?per_page=2")
	if rows[0]["status"] != float64(-6) || rows[0]["amount"] != float64(4_000) || rows[1]["status"] != float64(-3) {
		t.Fatalf("rows %v", rows)
	}
}

// TestInDoubtScenario: the shipped vandar-ipg-in-doubt scenario makes the first
// Pay in doubt whatever the card; it settles as paid 15 minutes later.
func TestInDoubtScenario(t *testing.T) {
	c := newClient(t)
	c.srv.Admin.Activate("vandar-ipg-in-doubt", "")
	token := c.send(apiKey, 60_000)
	if cb := c.payPage(token, cardOK, "123", "12/08"); cb.Query().Get("payment_status") != "FAILED" {
		t.Fatalf("callback %s", cb)
	}
	q := url.Values{"api_key": {apiKey}, "token": {token}}
	c.ipgForm("/api/v4/verify", q).want(t, 422)
	c.srv.Admin.Advance("15m")
	c.ipgForm("/api/v4/verify", q).want(t, 200)
	// Only the first Pay: the next one is normal.
	next := c.send(apiKey, 5_000)
	if cb := c.payPage(next, cardOK, "123", "12/08"); cb.Query().Get("payment_status") != "OK" {
		t.Fatalf("second payment %s", cb)
	}
}
