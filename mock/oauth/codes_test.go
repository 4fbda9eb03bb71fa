package oauth

import (
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/store"
)

func testGrant() Grant {
	return Grant{
		ClientID: "drops", RedirectURI: "https://www.drops.com/return", Subject: "0012345678",
		Scopes: Scopes{"oak:statement:get"}, Deposits: []string{"0302876214008"},
		Data: map[string]string{"bank": "062"},
	}
}

func TestCodesRedeem(t *testing.T) {
	type step struct {
		advance          time.Duration
		client, redirect string
		want             error
	}
	const cb = "https://www.drops.com/return"
	tests := []struct {
		name  string
		steps []step
	}{
		{"success", []step{{client: "drops", redirect: cb}}},
		{"redirect check skipped", []step{{client: "drops"}}},
		{"second redeem is used", []step{{client: "drops", redirect: cb}, {client: "drops", redirect: cb, want: ErrCodeUsed}}},
		{"another client cannot see a used code", []step{{client: "drops", redirect: cb}, {client: "evil", redirect: cb, want: ErrCodeUnknown}}},
		{"wrong client does not consume", []step{{client: "evil", redirect: cb, want: ErrCodeUnknown}, {client: "drops", redirect: cb}}},
		{"wrong redirect does not consume", []step{{client: "drops", redirect: cb + "/x", want: ErrRedirectMismatch}, {client: "drops", redirect: cb}}},
		{"redirect compared exactly", []step{{client: "drops", redirect: "https://WWW.drops.com/return", want: ErrRedirectMismatch}}},
		{"valid just before expiry", []step{{advance: 10*time.Minute - time.Second, client: "drops", redirect: cb}}},
		{"expired at ttl", []step{{advance: 10 * time.Minute, client: "drops", redirect: cb, want: ErrCodeExpired}}},
		{"another client cannot see an expired code", []step{{advance: 11 * time.Minute, client: "evil", want: ErrCodeUnknown}}},
		{"used stays used after expiry", []step{{client: "drops"}, {advance: 11 * time.Minute, client: "drops", want: ErrCodeUsed}}},
		{"forgotten long after expiry", []step{{advance: 21 * time.Minute, client: "drops", want: ErrCodeUnknown}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			codes := NewCodes(store.New(), "codes", clk, NewIDs(1), 10*time.Minute)
			code := codes.Issue(testGrant())
			if len(code) != 16 {
				t.Fatalf("code %q", code)
			}
			for i, s := range tt.steps {
				clk.Advance(s.advance)
				if s.advance > 20*time.Minute {
					codes.Issue(Grant{ClientID: "drops"}) // purging happens on Issue
				}
				g, err := codes.Redeem(code, s.client, s.redirect)
				if !errors.Is(err, s.want) {
					t.Fatalf("step %d: Redeem error = %v, want %v", i, err, s.want)
				}
				if err == nil && !reflect.DeepEqual(g, testGrant()) {
					t.Fatalf("step %d: grant = %+v", i, g)
				}
			}
		})
	}
}

func TestCodesUnknownAndReset(t *testing.T) {
	st := store.New()
	codes := NewCodes(st, "codes", newFakeClock(), NewIDs(1), time.Minute)
	if _, err := codes.Redeem("nope", "drops", ""); !errors.Is(err, ErrCodeUnknown) {
		t.Fatalf("unknown: %v", err)
	}
	code := codes.Issue(testGrant())
	st.Reset("drops")
	if _, err := codes.Redeem(code, "drops", ""); !errors.Is(err, ErrCodeUnknown) {
		t.Fatalf("after reset: %v", err)
	}
}

func TestCodesGrantIsCopied(t *testing.T) {
	codes := NewCodes(store.New(), "codes", newFakeClock(), NewIDs(1), time.Minute)
	g := testGrant()
	code := codes.Issue(g)
	g.Deposits[0], g.Scopes[0], g.Data["bank"] = "x", "x", "x"
	got, err := codes.Redeem(code, "drops", "")
	if err != nil || !reflect.DeepEqual(got, testGrant()) {
		t.Fatalf("Redeem = %+v, %v; caller's later edits leaked in", got, err)
	}
}

func TestCodesSingleUseUnderConcurrency(t *testing.T) {
	codes := NewCodes(store.New(), "codes", newFakeClock(), NewIDs(1), time.Minute)
	code := codes.Issue(testGrant())
	var ok, used atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 50 {
		wg.Go(func() {
			<-start
			_, err := codes.Redeem(code, "drops", "https://www.drops.com/return")
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrCodeUsed):
				used.Add(1)
			default:
				t.Errorf("unexpected %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if ok.Load() != 1 || used.Load() != 49 {
		t.Fatalf("%d succeeded, %d saw used; want 1 and 49", ok.Load(), used.Load())
	}
}

// TestCodesCheckBeforeSpend: a provider's own check that fails leaves the code for
// the right request; one that passes spends it.
func TestCodesCheckBeforeSpend(t *testing.T) {
	codes := NewCodes(store.New(), "codes", newFakeClock(), NewIDs(1), time.Minute)
	code := codes.Issue(testGrant())
	wrongBank := errors.New("wrong bank")
	if _, err := codes.RedeemIf(code, "drops", "", func(Grant) error { return wrongBank }); !errors.Is(err, wrongBank) {
		t.Fatalf("failed check: %v", err)
	}
	g, err := codes.RedeemIf(code, "drops", "", func(g Grant) error {
		if g.Data["bank"] != "062" {
			return wrongBank
		}
		return nil
	})
	if err != nil || g.Subject != testGrant().Subject {
		t.Fatalf("passing check: %+v, %v", g, err)
	}
	if _, err := codes.Redeem(code, "drops", ""); !errors.Is(err, ErrCodeUsed) {
		t.Fatalf("after spending: %v", err)
	}
}
