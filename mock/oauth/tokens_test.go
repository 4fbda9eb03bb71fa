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

func tok(id, client, kind, value string, issued time.Time, ttl time.Duration) TokenInfo {
	t := TokenInfo{ID: id, ClientID: client, Kind: kind, Grant: "client_credentials",
		Scopes: Scopes{"card:list:get"}, Subject: "0012345678", Issued: issued, Value: value}
	if ttl > 0 {
		t.Expires = issued.Add(ttl)
	}
	return t
}

func ids(ts []TokenInfo) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func TestTokensList(t *testing.T) {
	clk := newFakeClock()
	r := NewTokens(store.New(), "tokens", clk)
	t0 := clk.Now()
	r.Record(tok("c", "drops", "access", "vc", t0.Add(2*time.Second), 15*time.Minute))
	r.Record(tok("a", "drops", "access", "va", t0, 10*24*time.Hour))
	r.Record(tok("", "drops", "refresh", "opaque-refresh", t0, 0))
	r.Record(tok("b", "other", "access", "vb", t0.Add(time.Second), time.Hour))
	r.Record(tok("d", "drops", "access", "vd", t0.Add(3*time.Second), time.Hour))
	r.Revoke("vd")

	tests := []struct {
		name           string
		advance        time.Duration
		client         string
		includeExpired bool
		want           []string
	}{
		{"active of drops, by issue time then id", 0, "drops", false, []string{"a", "opaque-refresh", "c"}},
		{"with inactive", 0, "drops", true, []string{"a", "opaque-refresh", "c", "d"}},
		{"every client", 0, "", false, []string{"a", "opaque-refresh", "b", "c"}},
		{"other client", 0, "other", false, []string{"b"}},
		{"15 minute token expired", 15*time.Minute + 2*time.Second, "drops", false, []string{"a", "opaque-refresh"}},
		{"expired still listed on request", 0, "drops", true, []string{"a", "opaque-refresh", "c", "d"}},
		{"10 day token expired, refresh never", 10 * 24 * time.Hour, "", false, []string{"opaque-refresh"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk.Advance(tt.advance)
			if got := ids(r.List(tt.client, tt.includeExpired)); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("List = %v, want %v", got, tt.want)
			}
		})
	}
	all := r.List("drops", true)
	if !all[3].Revoked || all[0].Revoked {
		t.Fatalf("Revoked flags wrong: %+v", all)
	}
}

func TestTokensRevokeAndCheck(t *testing.T) {
	clk := newFakeClock()
	r := NewTokens(store.New(), "tokens", clk)
	r.Record(tok("j1", "drops", "access", "jwt-1", clk.Now(), time.Hour))
	r.Record(tok("", "drops", "refresh", "rt-1", clk.Now(), 0))

	tests := []struct {
		name   string
		revoke string
		found  bool
		check  string
		want   error
	}{
		{"live access", "", false, "jwt-1", nil},
		{"live refresh", "", false, "rt-1", nil},
		{"check is by value only", "", false, "j1", ErrTokenUnknown},
		{"unknown", "nope", false, "nope", ErrTokenUnknown},
		{"revoke by id is not a thing", "j1", false, "jwt-1", nil},
		{"revoke by value", "jwt-1", true, "jwt-1", ErrTokenRevoked},
		{"revoke again is fine", "jwt-1", true, "jwt-1", ErrTokenRevoked},
		{"revoke opaque by value", "rt-1", true, "rt-1", ErrTokenRevoked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.revoke != "" {
				if got := r.Revoke(tt.revoke); got != tt.found {
					t.Fatalf("Revoke = %v, want %v", got, tt.found)
				}
			}
			if _, err := r.Check(tt.check); !errors.Is(err, tt.want) {
				t.Fatalf("Check = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestTokensExpiryAndLookup(t *testing.T) {
	clk := newFakeClock()
	r := NewTokens(store.New(), "tokens", clk)
	in := tok("j1", "drops", "access", "jwt-1", clk.Now(), 15*time.Minute)
	r.Record(in)
	in.Scopes[0] = "changed"
	got, ok := r.ByValue("jwt-1")
	if !ok || got.Scopes[0] != "card:list:get" || got.Value != "jwt-1" {
		t.Fatalf("ByValue = %+v, %v", got, ok)
	}
	got.Scopes[0] = "changed"
	if v, ok := r.ByValue("jwt-1"); !ok || v.ID != "j1" || v.Scopes[0] != "card:list:get" {
		t.Fatalf("ByValue = %+v, %v", v, ok)
	}
	if _, ok := r.ByValue("j1"); ok {
		t.Fatal("ByValue matched an id")
	}
	clk.Advance(15*time.Minute - time.Second)
	if _, err := r.Check("jwt-1"); err != nil {
		t.Fatalf("before expiry: %v", err)
	}
	clk.Advance(time.Second)
	if _, err := r.Check("jwt-1"); !errors.Is(err, ErrExpired) {
		t.Fatalf("at expiry: %v", err)
	}
}

func TestTokensResetIsTheStores(t *testing.T) {
	clk := newFakeClock()
	st := store.New()
	r := NewTokens(st, "tokens", clk)
	r.Record(tok("a", "drops", "access", "va", clk.Now(), time.Hour))
	r.Record(tok("b", "other", "access", "vb", clk.Now(), time.Hour))
	snap, err := st.Snapshot("drops")
	if err != nil {
		t.Fatal(err)
	}
	st.Reset("drops")
	if _, ok := r.ByValue("va"); ok {
		t.Fatal("a tenant reset kept its token")
	}
	if got := ids(r.List("", true)); !reflect.DeepEqual(got, []string{"b"}) {
		t.Fatalf("after a tenant reset: %v", got)
	}
	if err := st.Restore("drops", snap); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Check("va"); err != nil {
		t.Fatalf("restored token: %v", err)
	}
	st.ResetAll()
	if got := r.List("", true); len(got) != 0 || r.Revoke("vb") {
		t.Fatalf("after ResetAll: %v", got)
	}
}

// TestTokensSpendOnce is the rotation a refresh grant needs: of 100 parallel
// spends of one token exactly one succeeds (Sanbod minted two pairs when checking
// and revoking were two steps).
func TestTokensSpendOnce(t *testing.T) {
	clk := newFakeClock()
	r := NewTokens(store.New(), "tokens", clk)
	r.Record(tok("r1", "drops", "refresh", "rt", clk.Now(), time.Hour))
	var ok, revoked atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 100 {
		wg.Go(func() {
			<-start
			_, err := r.Spend("rt")
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrTokenRevoked):
				revoked.Add(1)
			default:
				t.Errorf("unexpected %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if ok.Load() != 1 || revoked.Load() != 99 {
		t.Fatalf("%d spends succeeded, %d saw revoked; want 1 and 99", ok.Load(), revoked.Load())
	}
	clk.Advance(2 * time.Hour)
	r.Record(tok("r2", "drops", "refresh", "rt2", clk.Now().Add(-2*time.Hour), time.Hour))
	if _, err := r.Spend("rt2"); !errors.Is(err, ErrExpired) {
		t.Fatalf("spending an expired token: %v", err)
	}
	if _, err := r.Spend("nope"); !errors.Is(err, ErrTokenUnknown) {
		t.Fatalf("spending an unknown token: %v", err)
	}
}

// TestTokensRevokePair: revoking either token of a pair revokes both, in one step
// as seen by a racing Spend: of a refresh racing the revoke of its access token,
// either the refresh wins (and its new pair is its own) or it is refused, never a
// spend after the access token was seen revoked.
func TestTokensRevokePair(t *testing.T) {
	clk := newFakeClock()
	r := NewTokens(store.New(), "tokens", clk)
	r.RecordPair(tok("a1", "drops", "access", "at1", clk.Now(), time.Hour), tok("r1", "drops", KindRefresh, "rt1", clk.Now(), time.Hour))
	if !r.Revoke("at1") {
		t.Fatal("revoke of a known token")
	}
	if _, err := r.Check("rt1"); !errors.Is(err, ErrTokenRevoked) {
		t.Fatalf("refresh token of a revoked access token: %v", err)
	}
	r.RecordPair(tok("a2", "drops", "access", "at2", clk.Now(), time.Hour), tok("r2", "drops", KindRefresh, "rt2", clk.Now(), time.Hour))
	r.Revoke("rt2")
	if err := r.Status("at2"); !errors.Is(err, ErrTokenRevoked) {
		t.Fatalf("access token of a revoked refresh token: %v", err)
	}
	// A token recorded alone revokes alone; a pair whose other half is gone too.
	r.Record(tok("a3", "drops", "access", "at3", clk.Now(), time.Hour))
	first, again := r.Revoke("at3"), r.Revoke("at3")
	if !first || !again {
		t.Fatal("revoking a lone token (twice)")
	}

	for range 200 {
		r.RecordPair(tok("a", "drops", "access", "at", clk.Now(), time.Hour), tok("r", "drops", KindRefresh, "rt", clk.Now(), time.Hour))
		var spent error
		var accessAtSpend error
		var wg sync.WaitGroup
		start := make(chan struct{})
		wg.Go(func() { <-start; r.Revoke("at") })
		wg.Go(func() {
			<-start
			accessAtSpend = r.Status("at")
			_, spent = r.Spend("rt")
		})
		close(start)
		wg.Wait()
		if accessAtSpend != nil && spent == nil {
			t.Fatal("a refresh spent its token after its access token was seen revoked")
		}
		if r.Status("at") == nil || r.Status("rt") == nil {
			t.Fatal("after the revoke a token of the pair still works")
		}
	}
}
