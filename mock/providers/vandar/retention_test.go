package vandar_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// Issue 16 item 8: with --retention, settlements in a final state (DONE,
// FAILED) older than it go, with their track_id; one still PENDING stays; the
// wallet balance and the transaction report do not move. Without a retention
// every settlement is kept.
func TestRetentionDropsFinishedSettlements(t *testing.T) {
	for _, tt := range []struct {
		name, config string
		drop         bool
	}{
		{"24h", noRateLimits + "retention: 24h\n", true},
		{"off", noRateLimits, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, sandbanktest.WithConfig(tt.config))
			store := func(track, iban string) map[string]any {
				st := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 10000, "iban": iban, "track_id": track}).want(t, 200)
				return data(t, st)["settlement"].([]any)[0].(map[string]any)
			}
			done := store("r-done", payIBAN(t, "012", "1234567890"))
			failed := store("r-failed", payIBAN(t, "017", "9999000000001"))
			pending := store("r-pending", payIBAN(t, "017", "9999000000002"))
			c.srv.Admin.Advance("1h") // the cycle: DONE, FAILED (money back)
			balance, rows := c.balance(access), len(c.report("acme", access, "?per_page=100"))

			c.srv.Admin.Advance("26h") // past the retention and the next sweep (every 3h)
			for _, s := range []map[string]any{done, failed} {
				for _, key := range []string{s["id"].(string), s["track_id"].(string)} {
					r := c.get("/v2.1/business/acme/settlement/"+key, access)
					if gone := r.Status == 404; gone != tt.drop {
						t.Fatalf("settlement %s: %d, want dropped %v", key, r.Status, tt.drop)
					}
				}
			}
			if st := c.show(t, pending["id"].(string))["status"]; st != "PENDING" {
				t.Fatalf("the pending settlement reads %v", st)
			}
			if b, n := c.balance(access), len(c.report("acme", access, "?per_page=100")); b != balance || n != rows {
				t.Fatalf("balance %v, %d report rows; were %v, %d", b, n, balance, rows)
			}
			// A dropped settlement's track_id is free again; a kept one's is not.
			r := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 20000, "iban": payIBAN(t, "012", "1234567890"), "track_id": "r-done"})
			if ok := r.Status == 200; ok != tt.drop {
				t.Fatalf("reuse of a track_id: %d %s", r.Status, r.Raw)
			}
		})
	}
}

// Issue 16 item 8: with --retention, a settled withdrawal older than it goes
// once its Jalali month is over (until then it counts toward the mandate's
// monthly count); a withdrawal planned for later stays; the wallet does not
// move. Without a retention every withdrawal is kept.
func TestRetentionDropsSettledWithdrawals(t *testing.T) {
	for _, tt := range []struct {
		name, config string
		drop         bool
	}{
		{"24h", noRateLimits + "retention: 24h\n", true},
		{"off", noRateLimits, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, sandbanktest.WithConfig(tt.config))
			id := c.mandate("09121234567", 5, 10_000_000)
			done := wd(c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": id, "amount": 500_000, "track_id": "w-done"}).want(t, 200))["id"].(string)
			later := wd(c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": id, "amount": 500_000, "track_id": "w-later",
				"is_instant": "false", "withdrawal_date": "2027-03-01"}).want(t, 200))["id"].(string)
			c.srv.Admin.Advance("27h")
			if st := c.withdrawal(done)["status"]; st != "DONE" {
				t.Fatalf("within its month the done withdrawal reads %v", st)
			}
			balance := c.balance(access)
			c.srv.Admin.Advance("744h") // 31 days: Azar is over
			r := c.call("GET", sub+"/withdrawal/"+done, nil)
			if gone := r.Status == 404; gone != tt.drop {
				t.Fatalf("settled withdrawal after its month: %d, want dropped %v", r.Status, tt.drop)
			}
			if gone := c.call("GET", sub+"/withdrawal/track-id/w-done", nil).Status == 404; gone != tt.drop {
				t.Fatalf("its track_id: dropped %v, want %v", gone, tt.drop)
			}
			if st := c.withdrawal(later)["status"]; st != "PENDING" {
				t.Fatalf("the planned withdrawal reads %v", st)
			}
			if b := c.balance(access); b != balance {
				t.Fatalf("balance %v, was %v", b, balance)
			}
		})
	}
}

// Issue 16 item 8: with --retention, gateway payments that are over (verified
// with their refund done, failed, an unpaid token past its 20 minutes, paid
// but never verified) go once older than it, with their refund rows and
// report rows; a payment with a refund still pending stays. The balance does
// not move; a dropped token answers as unknown, its transaction id can no
// longer be refunded, a dropped refund's payment_number is free. Without a
// retention every payment is kept.
func TestRetentionDropsFinishedPayments(t *testing.T) {
	for _, tt := range []struct {
		name, config string
		drop         bool
	}{
		{"24h", noRateLimits + "retention: 24h\n", true},
		{"off", noRateLimits, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, sandbanktest.WithConfig(tt.config))
			verify := func(token string) string {
				v := c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {token}}).want(t, 200)
				return strconv.FormatInt(int64(v["transId"].(float64)), 10)
			}
			refund := func(id string, body map[string]any) reply {
				return c.postJSON("/v3/business/acme/transaction/"+id+"/refund", access, body)
			}
			done := c.send(apiKey, 200_000)
			c.payPage(done, cardOK, "123", "12/08")
			doneID := verify(done)
			refund(doneID, map[string]any{"payment_number": "rf-1"}).want(t, 200)
			bad := c.send(apiKey, 10_000)
			c.payPage(bad, cardNoFunds, "123", "12/08")
			idle := c.send(apiKey, 10_000)
			late := c.send(apiKey, 10_000)
			c.payPage(late, cardOK, "123", "12/08")
			held := c.send(apiKey, 300_000)
			c.payPage(held, cardOK, "123", "12/08")
			heldID := verify(held)

			c.srv.Admin.Advance("24h")
			// A refund made now is pending for a cycle: its payment stays.
			refund(heldID, map[string]any{"amount": 100_000}).want(t, 200)
			balance := c.balance(access)
			c.srv.Admin.Advance("4h") // past the retention and a sweep (every 3h)

			for _, token := range []string{done, bad, idle, late} {
				r := c.ipgForm("/api/v4/transaction", url.Values{"api_key": {apiKey}, "token": {token}})
				if gone := r.Status == 422; gone != tt.drop {
					t.Fatalf("payment %s: %d %s, want dropped %v", token, r.Status, r.Raw, tt.drop)
				}
			}
			if m := c.ipgForm("/api/v4/transaction", url.Values{"api_key": {apiKey}, "token": {held}}).want(t, 200); m["code"] != float64(2) {
				t.Fatalf("the payment with a pending refund: %v", m)
			}
			if b := c.balance(access); b != balance {
				t.Fatalf("balance %v, was %v", b, balance)
			}
			gateway, refunds := 0, 0
			for _, r := range c.report(slug, access, "?per_page=100") {
				switch r["channel"] {
				case "پرداخت اینترنتی":
					gateway++
				case "بازگشت وجه":
					refunds++
				}
			}
			wantGateway, wantRefunds := 5, 2
			if tt.drop {
				wantGateway, wantRefunds = 1, 1
			}
			if gateway != wantGateway || refunds != wantRefunds {
				t.Fatalf("report: %d gateway rows, %d refund rows; want %d, %d", gateway, refunds, wantGateway, wantRefunds)
			}
			// The dropped payment cannot be refunded (404); kept, it is refunded
			// in full already (422).
			if st := refund(doneID, map[string]any{}).Status; (st == 404) != tt.drop {
				t.Fatalf("refund of the dropped payment: %d", st)
			}
			// The dropped refund's payment_number is free again.
			if st := refund(heldID, map[string]any{"amount": 1000, "payment_number": "rf-1"}).Status; (st == 200) != tt.drop {
				t.Fatalf("reuse of a dropped refund's payment_number: %d", st)
			}
		})
	}
}

// Issue 16 item 8: a payment whose refund failed goes, with --retention, once
// the money came back and the notice was sent: the report loses its payment,
// refund and returned (-6) rows alike, and the balance does not move.
func TestRetentionDropsAFailedRefund(t *testing.T) {
	c := newClient(t, sandbanktest.WithConfig(noRateLimits+"retention: 24h\n"))
	notify, _ := callbackShop(t, "/notify")
	c.srv.Admin.Activate("vandar-refund-failed", "")
	token := c.send(apiKey, 40_000)
	c.srv.Admin.Do(http.MethodPost, "/vandar/ipg/"+token+"/pay", map[string]string{"card": cardOK}, nil)
	v := c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {token}}).want(t, 200)
	c.postJSON("/v3/business/acme/transaction/"+strconvFormat(v["transId"].(float64))+"/refund", access,
		map[string]any{"notify_url": notify + "/notify"}).want(t, 200)
	c.srv.Admin.Advance("1h") // failed, money back, notice sent
	rows := len(c.report(slug, access, "?per_page=100"))
	balance := c.balance(access)
	c.srv.Admin.Advance("27h")
	if got := len(c.report(slug, access, "?per_page=100")); got != rows-3 {
		t.Fatalf("%d report rows, want %d (payment, refund and return dropped)", got, rows-3)
	}
	if b := c.balance(access); b != balance {
		t.Fatalf("balance %v, was %v", b, balance)
	}
}
