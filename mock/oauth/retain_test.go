package oauth

import (
	"errors"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/store"
)

// Issue 16 item 8: with a retention, Expire drops the tokens, codes, consent
// sessions and passwords dead for longer than it (expired, revoked, spent) and
// keeps the rest; a dropped token is unknown. Without Retain nothing goes.
func TestExpireDropsDeadRows(t *testing.T) {
	const retention = 24 * time.Hour
	for _, retained := range []bool{true, false} {
		clk := newFakeClock()
		st := store.New()
		ids := NewIDs(1)
		tokens := NewTokens(st, "tokens", clk)
		codes := NewCodes(st, "codes", clk, ids, 10*time.Minute)
		consents := NewConsents(st, "consents", clk, ids, 10*time.Minute, codes)
		otps := NewOTPs(st, "otps", clk, ids, 3*time.Minute, 6)
		if retained {
			Retain(tokens, codes, consents, otps)
		}
		t0 := clk.Now()
		tokens.RecordPair(tok("a1", "c", "access", "short", t0, time.Hour), tok("r1", "c", KindRefresh, "spent", t0, 30*24*time.Hour))
		tokens.Record(tok("a2", "c", "access", "revoked", t0, 30*24*time.Hour))
		tokens.Record(tok("a3", "c", "access", "forever", t0, 0))
		tokens.Record(tok("a4", "c", "access", "long", t0, 30*24*time.Hour))
		if _, err := tokens.Spend("spent"); err != nil {
			t.Fatal(err)
		}
		tokens.Revoke("revoked")
		code := codes.Issue(Grant{ClientID: "c"})
		s := consents.Create(Request{ClientID: "c", RedirectURI: "https://x.test/cb"})
		otps.Issue("c", "0912")

		clk.Advance(retention + 2*time.Hour)
		now := clk.Now()
		// A password re-sent just now replaces the old one under the same key:
		// it is not dead, and stays.
		otps.Issue("c", "0912")
		n := Expire(now, retention, tokens, codes, consents, otps)

		// "spent" was revoked by its Spend and "short" with it (its pair): both
		// died at t0; "revoked" too. "forever" never dies; "long" lives on.
		wantUnknown := map[string]bool{"short": retained, "spent": retained, "revoked": retained, "forever": false, "long": false}
		for v, gone := range wantUnknown {
			_, err := tokens.Check(v)
			if got := errors.Is(err, ErrTokenUnknown); got != gone {
				t.Errorf("retained %v: token %s unknown %v (%v), want %v", retained, v, got, err, gone)
			}
		}
		if _, err := codes.Redeem(code, "c", ""); errors.Is(err, ErrCodeUnknown) != retained {
			t.Errorf("retained %v: old code: %v", retained, err)
		}
		fresh := codes.Issue(Grant{ClientID: "c"}) // (purges the old code by itself)
		if _, err := codes.Redeem(fresh, "c", ""); err != nil {
			t.Errorf("retained %v: fresh code: %v", retained, err)
		}
		if _, ok := consents.Get(s.ID); ok == retained {
			t.Errorf("retained %v: old consent still there: %v", retained, ok)
		}
		if _, ok := otps.Peek("c", "0912"); !ok {
			t.Errorf("retained %v: the re-sent password was dropped", retained)
		}
		want := 0
		if retained {
			want = 5 // three tokens, a code, a consent
		}
		if n != want {
			t.Errorf("retained %v: Expire dropped %d, want %d", retained, n, want)
		}
	}
}
