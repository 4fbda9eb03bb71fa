package bank

import (
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/fixtures"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Issue 16 item 8: settled charges older than the retention go; one still in
// doubt stays with its hold; balances and statements do not move.
func TestExpireDropsSettledCharges(t *testing.T) {
	b, err := New(store.New(), fixtures.FS, 42)
	if err != nil {
		t.Fatal(err)
	}
	b.Retain()
	const day = 24 * time.Hour
	charge(t, b, "t", "ok1", payDeposit, seedCard, 1000, noon, ok())
	charge(t, b, "t", "fail1", payDeposit, seedCard, 1000, noon, scenario.Decision{Outcome: scenario.Failure, Code: "D80", Rule: "header"})
	charge(t, b, "t", "doubt1", payDeposit, seedCard, 2000, noon, unknown("A106", 40*day, scenario.Success, ""))
	charge(t, b, "t", "young", payDeposit, seedCard, 3000, noon.Add(2*day), ok())

	before := depBalance(t, b, "t", payDeposit, noon.Add(3*day))
	if n := b.Expire(noon.Add(day-time.Second), day); n != 0 {
		t.Fatalf("within the retention %d charges dropped", n)
	}
	if n := b.Expire(noon.Add(3*day), day); n != 2 {
		t.Fatalf("dropped %d charges, want the two settled ones made before the cutoff", n)
	}
	for id, want := range map[string]string{"ok1": "Unknown", "fail1": "Unknown", "doubt1": "Unknown", "young": "Success"} {
		if in := inquiry(t, b, "t", id, noon.Add(3*day)); in.TransactionStatus != want {
			t.Errorf("%s: %s, want %s", id, in.TransactionStatus, want)
		}
	}
	if in := inquiry(t, b, "t", "ok1", noon.Add(3*day)); in.Code != "G101" {
		t.Errorf("a dropped charge answers %s, want G101 (never seen)", in.Code)
	}
	after := depBalance(t, b, "t", payDeposit, noon.Add(3*day))
	if after != before || after.FreezeAmount != 2000 {
		t.Fatalf("balance moved: %+v, was %+v", after, before)
	}
	// The deposit's statement keeps the entries of the last day only; the
	// balance after each is unchanged.
	entries, _ := b.DepositStatement("t", payDeposit, noon.Add(3*day))
	if len(entries) != 1 || entries[0].TrackID != "young" || entries[0].Balance != after.CurrentBalance {
		t.Fatalf("deposit statement %+v, want only the young charge's debit, balance %d", entries, after.CurrentBalance)
	}
	// The in-doubt charge settles on day 40 and goes at the next sweep after.
	if n := b.Expire(noon.Add(41*day), day); n != 2 {
		t.Fatalf("dropped %d, want the settled in-doubt charge and the young one", n)
	}
	if got := len(b.Charges("t", noon.Add(41*day))); got != 0 {
		t.Fatalf("%d charges left", got)
	}
	if cardBalance(t, b, "t", seedCard, noon.Add(41*day)) != "6000" {
		t.Fatal("card balance changed")
	}
}

// Without Retain (retention off) nothing is dropped.
func TestExpireOff(t *testing.T) {
	b := newBank(t)
	charge(t, b, "t", "ok1", payDeposit, seedCard, 1000, noon, ok())
	if n := b.Expire(noon.Add(1000*time.Hour), time.Hour); n != 0 || len(b.Charges("t", noon)) != 1 {
		t.Fatalf("dropped %d without an index", n)
	}
}
