package vandar_test

import (
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
