package finnotech_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// TestRestoreIntoAnotherClient: a snapshot of client drops (a CODE token, a charge
// that moved its deposit's balance, a pending consent) put into client other:
// other's own credentials see the balance and can finish the consent, and none of
// drops's tokens acts as other, even once drops is reset.
func TestRestoreIntoAnotherClient(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	a, b := newClient(t, srv, "drops"), newClient(t, srv, "other")
	const dep = "0211111111111"
	balance := func(c *client, tok string) (int, int64) {
		r := c.bearer(tok, "GET", "/oak/v2/clients/"+c.id+"/deposits/"+dep+"/balance/", nil)
		if r.Status != 200 {
			return r.Status, 0
		}
		return r.Status, int64(r.field("result.availableBalance").(float64))
	}
	tokA, res := a.codeToken("062", "1111111111", "", "oak:balance:get", "oak:card-charge:execute")
	refreshA := res.str("result.refreshToken")
	ccA := a.ccToken("oak:card-balance:get")
	if r := a.bearer(tokA, "POST", "/oak/v2/clients/drops/deposits/"+dep+"/chargeCard?trackId=retenant-1", map[string]any{"amount": 20000, "card": "6362144202902795"}); r.Status != 200 {
		t.Fatalf("charge: %d %s", r.Status, r.Raw)
	}
	_, balA := balance(a, tokA)
	session := pendingConsent(a, "https://app.example/return")

	// Before the restore other's deposit has not moved.
	tokB, _ := b.codeToken("062", "1111111111", "", "oak:balance:get")
	if _, bal := balance(b, tokB); bal != balA+20000 {
		t.Fatalf("other's balance before the restore %d, want %d", bal, balA+20000)
	}

	var snap json.RawMessage
	if st := srv.Admin.Do("GET", "/state/drops", nil, &snap); st != 200 {
		t.Fatalf("snapshot: %d", st)
	}
	var put map[string]any
	if st := srv.Admin.Do("PUT", "/state/other", snap, &put); st != 200 {
		t.Fatalf("restore into other: %d", st)
	}
	// Tokens stay with the client they were issued to; nothing restored names drops.
	moved, _ := json.Marshal(put["tables"])
	if strings.Contains(string(moved), `"drops"`) || strings.Contains(string(moved), tokA) {
		t.Fatalf("restored state still names drops or holds its token: %s", moved)
	}
	if _, ok := put["tables"].(map[string]any)["finnotech.tokens"]; ok {
		t.Fatal("drops's tokens were restored into other")
	}

	// other's own token (tokB died with the restore: a token issued after the
	// snapshot) fails; a fresh one sees the restored balance.
	if st, _ := balance(b, tokB); st != 403 {
		t.Fatalf("other's token from before the restore: %d", st)
	}
	tokB, _ = b.codeToken("062", "1111111111", "", "oak:balance:get")
	if st, bal := balance(b, tokB); st != 200 || bal != balA {
		t.Fatalf("other after the restore: %d balance %d, want %d", st, bal, balA)
	}

	// drops's tokens never act as other, before or after drops is reset.
	for _, reset := range []bool{false, true} {
		if reset {
			srv.Admin.Reset("drops")
		}
		if r := a.bearer(tokA, "GET", "/oak/v2/clients/other/deposits/"+dep+"/balance/", nil); r.Status != 403 {
			t.Fatalf("drops's token on other's path (reset %v): %d %s", reset, r.Status, r.Raw)
		}
		if r := a.bearer(ccA, "POST", "/oak/v2/clients/other/card/balance", map[string]any{"card": "6362144202902795"}); r.Status != 403 {
			t.Fatalf("drops's client-credentials token on other's path (reset %v): %d %s", reset, r.Status, r.Raw)
		}
		if r := b.tokenCall(map[string]any{"grant_type": "refresh_token", "token_type": "CODE", "bank": "062", "refresh_token": refreshA}); r.Status != 400 {
			t.Fatalf("drops's refresh token with other's credentials (reset %v): %d %s", reset, r.Status, r.Raw)
		}
	}
	if st, _ := balance(a, tokA); st != 403 {
		t.Fatalf("drops's token after drops's reset: %d", st)
	}

	// The pending consent came over as other's: approved, its code is other's to
	// exchange (drops is reset, so the session id is other's alone).
	code, st := approve(b, session)
	if st != 200 {
		t.Fatalf("restored consent: %d", st)
	}
	if r := b.tokenCall(map[string]any{"grant_type": "authorization_code", "code": code, "bank": "062", "redirect_uri": "https://app.example/return"}); r.Status != 200 {
		t.Fatalf("code of the restored consent with other's credentials: %d %s", r.Status, r.Raw)
	}
}
