package finnotech_test

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// TestHowItIsChecked is the acceptance list, done by a client that knows
// only the provider documents (plus the sandbox logins and the control plane).
func TestHowItIsChecked(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "qa-app")

	// A CC token and the card list of a mobile.
	cc := c.ccToken("card:list:get", "card:information:get", "oak:card-balance:get")
	r := c.bearer(cc, "GET", "/mpg/v2/clients/qa-app/cards?mobile=09121234567&trackId=list-1", nil)
	cards, _ := r.field("result.cardDetailList").([]any)
	if r.Status != 200 || r.str("trackId") != "list-1" || r.str("result.result") != "0" || r.str("result.mobile") != "09121234567" || len(cards) != 3 {
		t.Fatalf("card list: %d %s", r.Status, r.Raw)
	}
	if first := cards[0].(map[string]any); first["lastFourDigits"] != "1111" || first["bankName"] == "" {
		t.Errorf("first card %v", first)
	}

	// The authorize dance with redirects off, and the code exchange.
	redirect := "https://qa.example/cb"
	q := url.Values{"client_id": {"qa-app"}, "response_type": {"code"}, "redirect_uri": {redirect}, "bank": {"062"}, "state": {"s"},
		"scope": {"oak:card-charge:execute,oak:card-charge-inquiry:get,oak:valid-card:get,oak:balance:get"}}
	session := location(t, c.do("GET", "/dev/v2/oauth2/authorize?"+q.Encode(), nil)).Query().Get("session")
	consent := location(t, c.do("POST", srv.URL+"/finnotech/dev/v2/oauth2/bank/login", url.Values{"session": {session}, "username": {"1111111111"}, "password": {"1111111111"}}))
	back := location(t, c.do("POST", consent.String(), url.Values{"session": {session}, "action": {"approve"}, "deposits": {"0211111111111", "0200000000010"}}))
	tok := c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": back.Query().Get("code"), "bank": "062", "redirect_uri": redirect})
	if tok.Status != 200 {
		t.Fatalf("exchange: %d %s", tok.Status, tok.Raw)
	}
	code := tok.str("result.value")
	charge := func(deposit, track, card string, amount any, headers ...string) reply {
		t.Helper()
		return c.bearer(code, "POST", "/oak/v2/clients/qa-app/deposits/"+deposit+"/chargeCard?trackId="+track, map[string]any{"amount": amount, "card": card}, headers...)
	}
	depositBalance := func() (current, available int64) {
		t.Helper()
		r := c.bearer(code, "GET", "/oak/v2/clients/qa-app/deposits/0211111111111/balance", nil)
		if r.Status != 200 {
			t.Fatalf("deposit balance: %d %s", r.Status, r.Raw)
		}
		return int64(r.field("result.currentBalance").(float64)), int64(r.field("result.availableBalance").(float64))
	}
	reads := 0
	cardBalance := func(card string) string {
		t.Helper()
		reads++
		r := c.bearer(cc, "POST", "/oak/v2/clients/qa-app/card/balance?trackId=cb-"+strconv.Itoa(reads), map[string]any{"card": card})
		if r.Status != 200 {
			t.Fatalf("card balance: %d %s", r.Status, r.Raw)
		}
		return r.str("result.balance")
	}

	// A charge; the deposit falls and the card rises by the amount.
	dep0, _ := depositBalance()
	card0 := cardBalance("6362144202902795")
	r = charge("0211111111111", "qa-charge-1", "6362144202902795", "20000") // amount as a string: accepted
	if r.Status != 200 || r.str("result.chargeState") != "DONE" || r.str("result.amount") != "20000" {
		t.Fatalf("charge: %d %s", r.Status, r.Raw)
	}
	if dep1, _ := depositBalance(); dep1 != dep0-20000 {
		t.Errorf("deposit %d → %d", dep0, dep1)
	}
	if card1 := cardBalance("6362144202902795"); card0 != "0" || card1 != "20000" {
		t.Errorf("card balance %s → %s", card0, card1)
	}

	// A103: not a bon card. HTTP 200, status DONE, the code inside result.
	r = charge("0211111111111", "qa-a103", "6037991234567890", 20000)
	if r.Status != 200 || r.str("status") != "DONE" || r.str("result.code") != "A103" || r.str("result.chargeState") != "UNKNOWN" || r.str("result.message") != "Unsuccess" {
		t.Errorf("A103: %d %s", r.Status, r.Raw)
	}
	// C10: the magic deposit holds 100,000 Rials.
	r = charge("0200000000010", "qa-c10", "6362144202902795", 200000)
	if r.Status != 200 || r.str("result.code") != "C10" {
		t.Errorf("C10: %d %s", r.Status, r.Raw)
	}
	// A deposit the user did not grant.
	if r = charge("0200000000051", "qa-dep", "6362144202902795", 1000); r.Status != 400 || r.str("error.message") != "invalid deposit" {
		t.Errorf("deposit not granted: %d %s", r.Status, r.Raw)
	}
	// Duplicate trackId: the first request's id again.
	r = charge("0211111111111", "qa-charge-1", "6362144202902795", 20000)
	if r.Status != 400 || r.str("error.code") != "VALIDATION_ERROR" || r.str("error.message") != "trackId is duplicated" ||
		r.str("trackId") != "qa-charge-1" || r.str("responseCode") != "FN-BRFH-40001210001" {
		t.Errorf("duplicate: %d %s", r.Status, r.Raw)
	}
	if dep2, _ := depositBalance(); dep2 != dep0-20000 {
		t.Errorf("refused charges moved money: %d", dep0-dep2)
	}

	// A106 forced by scenario (picked with a header for this one request): in
	// doubt, the inquiry says Unknown until the settle time, then Success, and the
	// money moved exactly once.
	cur0, _ := depositBalance()
	r = charge("0211111111111", "qa-a106", "6362144202902795", 30000, "X-Sandbank-Scenario", "finnotech-charge-unknown")
	if r.Status != 200 || r.str("result.code") != "A106" || r.str("result.chargeState") != "UNKNOWN" || r.Header.Get("X-Sandbank-Rule") != "finnotech-charge-unknown#1" {
		t.Fatalf("A106: %d %s %s", r.Status, r.Raw, r.Header.Get("X-Sandbank-Rule"))
	}
	inquire := func(track string) reply {
		t.Helper()
		r := c.bearer(code, "POST", "/oak/v2/clients/qa-app/inquiryChargeCard?trackId=inq-"+track+"-"+srv.Admin.Now().Format("150405"), map[string]any{"trackId": track})
		if r.Status != 200 || r.str("result.transactionStatus") != r.str("inquiry.transactionStatus") {
			t.Fatalf("inquiry: %d %s", r.Status, r.Raw)
		}
		return r
	}
	if r := inquire("qa-a106"); r.str("result.transactionStatus") != "Unknown" {
		t.Errorf("before settle: %s", r.Raw)
	}
	if cur, _ := depositBalance(); cur != cur0 {
		t.Errorf("in-doubt charge moved money before it settled: %d → %d", cur0, cur)
	}
	srv.Admin.Advance("10m")
	if r := inquire("qa-a106"); r.str("result.transactionStatus") != "Success" || r.str("result.code") != "A00" {
		t.Errorf("after settle: %s", r.Raw)
	}
	srv.Admin.Advance("1m")
	inquire("qa-a106")
	if cur, _ := depositBalance(); cur != cur0-30000 {
		t.Errorf("settled charge moved %d, want 30000 once", cur0-cur)
	}

	// The same by the outcome header alone, settling as a failure: Unknown, then
	// Unsuccess with the settle code, and no money moved at all.
	cur0, _ = depositBalance()
	r = charge("0211111111111", "qa-a106-hdr", "6362144202902795", 40000, "X-Sandbank-Outcome", "unknown:A106; settle=failure:A211@5m")
	if r.Status != 200 || r.str("result.code") != "A106" || r.str("result.chargeState") != "UNKNOWN" || r.Header.Get("X-Sandbank-Rule") != "header" {
		t.Fatalf("A106 by header: %d %s %s", r.Status, r.Raw, r.Header.Get("X-Sandbank-Error"))
	}
	if r := inquire("qa-a106-hdr"); r.str("result.transactionStatus") != "Unknown" {
		t.Errorf("header, before settle: %s", r.Raw)
	}
	srv.Admin.Advance("5m")
	if r := inquire("qa-a106-hdr"); r.str("result.transactionStatus") != "Unsuccess" || r.str("result.code") != "A211" {
		t.Errorf("header, after settle: %s", r.Raw)
	}
	if cur, _ := depositBalance(); cur != cur0 {
		t.Errorf("a charge settled as failed moved %d", cur0-cur)
	}

	// The night window, on the virtual clock: 23:30 Tehran.
	night := time.Date(2026, 3, 1, 23, 30, 0, 0, iran.Tehran)
	srv.Admin.SetClock(night)
	r = charge("0211111111111", "qa-night", "6362144202902795", 20000)
	if r.Status != 200 || r.str("result.code") != "A118" {
		t.Errorf("night: %d %s", r.Status, r.Raw)
	}
	// Forced by the outcome header, a failure code is a business failure too.
	srv.Admin.SetClock(night.Add(6 * time.Hour))
	r = charge("0211111111111", "qa-forced", "6362144202902795", 20000, "X-Sandbank-Outcome", "failure:D91")
	if r.Status != 200 || r.str("result.code") != "D91" {
		t.Errorf("forced D91: %d %s", r.Status, r.Raw)
	}
	r = charge("0211111111111", "qa-forced-gw", "6362144202902795", 20000, "X-Sandbank-Outcome", "failure:REQUEST_TIME_OUT")
	if r.Status != 408 || r.str("error.code") != "REQUEST_TIME_OUT" || r.str("responseCode") != "FN-BRFH-40801210008" {
		t.Errorf("forced 408: %d %s", r.Status, r.Raw)
	}
	// Every request of the run is in the journal under its trackId.
	if e := srv.Admin.Journal("track_id=qa-a106"); len(e) != 1 || e[0].Operation != "finnotech.chargeCard" || e[0].Tenant != "qa-app" {
		t.Errorf("journal %+v", e)
	}
}
