package ledger

import (
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/store"
)

// Issue 16 item 8: Forget drops old entries and nothing else: the balance, the
// balance after each remaining entry, money due later and keyed postings stay.
func TestForgetOldEntries(t *testing.T) {
	st := store.New()
	b := New[memo](st, "test")
	b.Retain()
	post := func(at time.Time, amt int64, key string) Entry[memo] {
		t.Helper()
		e, _, err := b.Post("t", at, Posting[memo]{Account: wallet, Amount: IRR.Of(amt), Key: key, Meta: memo{key}})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	post(t0, 100, "opening")
	for i := 1; i <= 5; i++ {
		post(t0.Add(time.Duration(i)*time.Hour), -10, "")
	}
	if err := b.Do("t", t0, []Account{wallet}, func(tx *Tx[memo]) error {
		return tx.PostAt(wallet.ID, t0.Add(48*time.Hour), IRR.Of(7), memo{"due"})
	}); err != nil {
		t.Fatal(err)
	}
	rows := func(now time.Time) []Entry[memo] {
		var out []Entry[memo]
		_ = b.Statement("t", now, wallet, Query{}, func(e Entry[memo]) bool { out = append(out, e); return true })
		return out
	}
	before := rows(t0.Add(5 * time.Hour))
	if n := b.Forget(t0.Add(3*time.Hour + time.Minute)); n != 3 {
		t.Fatalf("forgot %d entries, want the three unkeyed ones before the cutoff", n)
	}
	after := rows(t0.Add(5 * time.Hour))
	if len(after) != 3 || after[0].Meta.Ref != "opening" {
		t.Fatalf("left %+v", after)
	}
	for _, e := range after[1:] {
		if e != before[e.Seq-1] {
			t.Fatalf("entry %d changed: %+v, was %+v", e.Seq, e, before[e.Seq-1])
		}
	}
	// The keyed posting still replays, moving nothing.
	if e, replay, _ := b.Post("t", t0.Add(6*time.Hour), Posting[memo]{Account: wallet, Amount: IRR.Of(100), Key: "opening"}); !replay || e.Seq != 1 {
		t.Fatalf("replay %v, entry %+v", replay, e)
	}
	v, _ := b.Balance("t", t0.Add(49*time.Hour), wallet)
	if v.Balance != 1_000_000+100-50+7 {
		t.Fatalf("balance %d", v.Balance)
	}
	if all := rows(t0.Add(49 * time.Hour)); all[len(all)-1].Seq != 7 || all[len(all)-1].Balance.Value != v.Balance {
		t.Fatalf("the due money after forgetting: %+v", all)
	}
}

func TestForgetWithoutRetain(t *testing.T) {
	_, b := newBook(t)
	if _, _, err := b.Post("t", t0, Posting[memo]{Account: wallet, Amount: IRR.Of(1)}); err != nil {
		t.Fatal(err)
	}
	if n := b.Forget(t0.Add(time.Hour)); n != 0 {
		t.Fatalf("forgot %d", n)
	}
}
