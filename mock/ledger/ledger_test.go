package ledger

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/store"
)

type memo struct{ Ref string }

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, iran.Tehran)

func newBook(t testing.TB) (*store.Store, *Book[memo]) {
	t.Helper()
	st := store.New()
	return st, New[memo](st, "test")
}

var wallet = Account{ID: "w1", Opening: IRR.Of(1_000_000)}

func TestParallelPostsLeaveAnExactBalance(t *testing.T) {
	_, b := newBook(t)
	var wg sync.WaitGroup
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			amt := IRR.Of(7)
			if i%2 == 1 {
				amt = IRR.Of(-3)
			}
			if _, _, err := b.Post("t", t0, Posting[memo]{Account: wallet, Amount: amt, Meta: memo{fmt.Sprint(i)}}); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	v, err := b.Balance("t", t0, wallet)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(1_000_000 + 500*7 - 500*3); v.Balance != want {
		t.Fatalf("balance %d, want %d", v.Balance, want)
	}
	// The running balances are a chain: each entry is the previous plus its amount.
	prev, n := int64(1_000_000), 0
	_ = b.Statement("t", t0, wallet, Query{}, func(e Entry[memo]) bool {
		n++
		if e.Balance.Value != prev+e.Amount.Value || e.Seq != int64(n) {
			t.Fatalf("entry %d: %+v after balance %d", n, e, prev)
		}
		prev = e.Balance.Value
		return true
	})
	if n != 1000 || prev != v.Balance {
		t.Fatalf("%d entries ending at %d", n, prev)
	}
}

func TestSameKeyPostsOnce(t *testing.T) {
	_, b := newBook(t)
	var wg sync.WaitGroup
	ids := make([]string, 100)
	replays := make([]bool, 100)
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			e, replay, err := b.Post("t", t0, Posting[memo]{Account: wallet, Amount: IRR.Of(-100), Key: "pay-1", Meta: memo{fmt.Sprint(i)}})
			if err != nil {
				t.Error(err)
			}
			ids[i], replays[i] = e.ID, replay
		}(i)
	}
	wg.Wait()
	first := 0
	for i := range ids {
		if ids[i] != ids[0] {
			t.Fatalf("key answered entries %s and %s", ids[0], ids[i])
		}
		if !replays[i] {
			first++
		}
	}
	if first != 1 {
		t.Fatalf("%d postings were not replays, want 1", first)
	}
	if v := b.Peek("t", t0, wallet); v.Balance != 1_000_000-100 {
		t.Fatalf("balance %d: posted more than once", v.Balance)
	}
	// Another tenant's key is its own.
	if _, replay, _ := b.Post("u", t0, Posting[memo]{Account: wallet, Amount: IRR.Of(-100), Key: "pay-1"}); replay {
		t.Fatal("tenant u saw tenant t's key")
	}
	// A refused posting leaves the key free for a retry.
	_, _, err := b.Post("t", t0, Posting[memo]{Account: wallet, Amount: IRR.Of(-5_000_000), Key: "big"})
	if !errors.Is(err, ErrInsufficient) {
		t.Fatalf("overdraft: %v", err)
	}
	if _, replay, err := b.Post("t", t0, Posting[memo]{Account: wallet, Amount: IRR.Of(-5), Key: "big"}); err != nil || replay {
		t.Fatalf("retry after a refusal: replay=%v err=%v", replay, err)
	}
}

func TestUnitsAreExplicit(t *testing.T) {
	_, b := newBook(t)
	toman := Account{ID: "report", Opening: IRT.Of(100)}
	if _, _, err := b.Post("t", t0, Posting[memo]{Account: toman, Amount: IRR.Of(50)}); err != nil {
		t.Fatalf("50 IRR into a Toman account: %v", err)
	}
	if _, _, err := b.Post("t", t0, Posting[memo]{Account: toman, Amount: IRR.Of(55)}); !errors.Is(err, ErrUnit) {
		t.Fatalf("55 IRR is not a whole Toman amount: %v", err)
	}
	v, _ := b.Balance("t", t0, toman)
	if v.Unit != IRT || v.Balance != 105 {
		t.Fatalf("view %+v", v)
	}
	if a, _ := IRT.Of(12).In(IRR); a != IRR.Of(120) {
		t.Fatalf("12 IRT = %s", a)
	}
	if err := b.Do("t", t0, []Account{{ID: "x"}}, func(*Tx[memo]) error { return nil }); !errors.Is(err, ErrUnit) {
		t.Fatalf("an account without a unit: %v", err)
	}
}

func TestHoldsAndUsage(t *testing.T) {
	_, b := newBook(t)
	card := Account{ID: "card", Opening: IRR.Of(1000)}
	err := b.Do("t", t0, []Account{card}, func(tx *Tx[memo]) error {
		if err := tx.Hold("card", "h1", IRR.Of(600), true); err != nil {
			return err
		}
		if err := tx.Hold("card", "h2", IRR.Of(600), true); !errors.Is(err, ErrInsufficient) {
			t.Errorf("second hold: %v", err)
		}
		if _, err := tx.Post("card", IRR.Of(-500), true, memo{}); !errors.Is(err, ErrInsufficient) {
			t.Errorf("debit beyond available: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	v := b.Peek("t", t0, card)
	if v.Held != 600 || v.Available() != 400 || v.Usage().DayCount != 1 || v.Usage().DayAmount != 600 {
		t.Fatalf("after hold: %+v usage %+v", v, v.Usage())
	}
	// A refused transaction changes nothing, even what it did before failing.
	boom := errors.New("boom")
	if err := b.Do("t", t0, []Account{card}, func(tx *Tx[memo]) error {
		_, _ = tx.Release("card", "h1")
		return boom
	}); err != boom {
		t.Fatal(err)
	}
	if b.Peek("t", t0, card).Held != 600 {
		t.Fatal("a failed transaction released the hold")
	}
	// Capture the next day: counted once, on the day it is booked.
	next := t0.Add(24 * time.Hour)
	if err := b.Do("t", next, []Account{card}, func(tx *Tx[memo]) error {
		_, err := tx.Capture("card", "h1", memo{"captured"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	v, _ = b.Balance("t", next, card)
	if v.Balance != 400 || v.Held != 0 || v.Usage().DayCount != 1 || v.Usage().MonthCount != 1 || v.Usage().MonthAmount != 600 {
		t.Fatalf("after capture: %+v usage %+v", v, v.Usage())
	}
	if err := b.Do("t", next, []Account{card}, func(tx *Tx[memo]) error {
		_, err := tx.Release("card", "h1")
		return err
	}); !errors.Is(err, ErrNoHold) {
		t.Fatalf("release of a captured hold: %v", err)
	}
	// An incoming hold needs no funds, is not in the balance, counts as usage,
	// and its capture is a credit.
	if err := b.Do("t", next, []Account{card}, func(tx *Tx[memo]) error {
		return tx.HoldIn("card", "in1", IRR.Of(5000), true)
	}); err != nil {
		t.Fatal(err)
	}
	v, _ = b.Balance("t", next, card)
	if v.Balance != 400 || v.Incoming != 5000 || v.Available() != 400 || v.Usage().DayCount != 2 {
		t.Fatalf("after an incoming hold: %+v usage %+v", v, v.Usage())
	}
	if err := b.Do("t", next, []Account{card}, func(tx *Tx[memo]) error {
		_, err := tx.Capture("card", "in1", memo{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if v, _ = b.Balance("t", next, card); v.Balance != 5400 || v.Incoming != 0 || v.Usage().DayAmount != 5600 {
		t.Fatalf("after capturing it: %+v usage %+v", v, v.Usage())
	}
	// Usage rolls over with the Jalali month: 1 Farvardin 1405 is 21 March 2026.
	v, _ = b.Balance("t", time.Date(2026, 3, 21, 12, 0, 0, 0, iran.Tehran), card)
	if v.Usage().MonthCount != 0 {
		t.Fatalf("new month still counts %+v", v.Usage())
	}
}

func TestMoneyDueLaterAndAtomicTransfers(t *testing.T) {
	_, b := newBook(t)
	src, dst := Account{ID: "a", Opening: IRR.Of(1000)}, Account{ID: "b", Opening: IRR.Of(0)}
	err := b.Do("t", t0, []Account{src, dst}, func(tx *Tx[memo]) error {
		if _, err := tx.Post("a", IRR.Of(-300), false, memo{"out"}); err != nil {
			return err
		}
		return tx.PostAt("b", t0.Add(time.Hour), IRR.Of(300), memo{"in"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := b.Balance("t", t0.Add(59*time.Minute), dst); v.Balance != 0 {
		t.Fatalf("credit booked early: %d", v.Balance)
	}
	got, err := b.Page("t", t0.Add(2*time.Hour), dst, Query{}, 0, 10, nil)
	if err != nil || len(got) != 1 || !got[0].At.Equal(t0.Add(time.Hour)) || got[0].Balance != IRR.Of(300) || got[0].Meta.Ref != "in" {
		t.Fatalf("due credit: %+v %v", got, err)
	}
}

func TestStatementPages(t *testing.T) {
	st, b := newBook(t)
	for i := 0; i < 2000; i++ {
		at := t0.Add(time.Duration(i) * time.Minute)
		if _, _, err := b.Post("t", at, Posting[memo]{Account: wallet, Amount: IRR.Of(1), Meta: memo{fmt.Sprint(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	refs := func(es []Entry[memo]) string {
		var s []string
		for _, e := range es {
			s = append(s, e.Meta.Ref)
		}
		return fmt.Sprint(s)
	}
	now := t0.Add(48 * time.Hour)
	page, _ := b.Page("t", now, wallet, Query{From: t0.Add(100 * time.Minute), To: t0.Add(110 * time.Minute)}, 2, 3, nil)
	if got := refs(page); got != "[102 103 104]" {
		t.Fatalf("window page: %s", got)
	}
	page, _ = b.Page("t", now, wallet, Query{Reverse: true}, 0, 3, func(e *Entry[memo]) bool { return e.Seq%2 == 0 })
	if got := refs(page); got != "[1999 1997 1995]" {
		t.Fatalf("newest even entries: %s", got)
	}
	// Times never go back: a posting stamped before the last entry takes its time.
	e, _, _ := b.Post("t", t0, Posting[memo]{Account: wallet, Amount: IRR.Of(1)})
	if !e.At.Equal(t0.Add(1999 * time.Minute)) {
		t.Fatalf("late posting at %v", e.At)
	}
	// Snapshot, reset, restore: balances, entries and keys come back.
	_, _, _ = b.Post("t", now, Posting[memo]{Account: wallet, Amount: IRR.Of(-1), Key: "k"})
	snap, err := st.Snapshot("t")
	if err != nil {
		t.Fatal(err)
	}
	st.Reset("t")
	if v := b.Peek("t", t0, wallet); v.Balance != wallet.Opening.Value {
		t.Fatalf("after reset: %d", v.Balance)
	}
	if err := st.Restore("t", snap); err != nil {
		t.Fatal(err)
	}
	if v := b.Peek("t", t0, wallet); v.Balance != 1_000_000+2000 {
		t.Fatalf("after restore: %d", v.Balance)
	}
	if _, replay, _ := b.Post("t", now, Posting[memo]{Account: wallet, Amount: IRR.Of(-1), Key: "k"}); !replay {
		t.Fatal("the key did not survive restore")
	}
	page, _ = b.Page("t", now, wallet, Query{Reverse: true}, 0, 1, nil)
	if len(page) != 1 || page[0].Seq != 2002 {
		t.Fatalf("last entry after restore: %+v", page)
	}
}

func BenchmarkPostAndPage(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		_, bk := newBook(b)
		for i := 0; i < n; i++ {
			_, _, _ = bk.Post("t", t0.Add(time.Duration(i)*time.Second), Posting[memo]{Account: wallet, Amount: IRR.Of(1)})
		}
		now := t0.Add(time.Duration(n) * time.Second)
		b.Run(fmt.Sprint("post/entries=", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				_, _, _ = bk.Post("t", now, Posting[memo]{Account: wallet, Amount: IRR.Of(1)})
			}
		})
		b.Run(fmt.Sprint("page/entries=", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				_, _ = bk.Page("t", now, wallet, Query{Reverse: true}, 0, 25, nil)
			}
		})
	}
}

// TestBalancesNeverWrap: a credit past MaxBalance is ErrOverflow, whichever way
// it comes (Post, PostAt, room for an incoming hold, a Toman amount converted),
// and changes nothing. Before, eleven credits of 999,999,999,999,999,999 wrapped
// a balance negative, and the tenant's state could no longer be put back.
func TestBalancesNeverWrap(t *testing.T) {
	const big = 999_999_999_999_999_999
	for _, tc := range []struct {
		name    string
		opening int64
		do      func(tx *Tx[memo]) error
		want    error
	}{
		{"post to the brim", 0, func(tx *Tx[memo]) error { _, err := tx.Post("w", IRR.Of(MaxBalance), false, memo{}); return err }, nil},
		{"post past it", 1, func(tx *Tx[memo]) error { _, err := tx.Post("w", IRR.Of(MaxBalance), false, memo{}); return err }, ErrOverflow},
		{"eleven big credits", 0, func(tx *Tx[memo]) error {
			for range 11 {
				if _, err := tx.Post("w", IRR.Of(big), false, memo{}); err != nil {
					return err
				}
			}
			return nil
		}, ErrOverflow},
		{"the largest int64", 0, func(tx *Tx[memo]) error { _, err := tx.Post("w", IRR.Of(1<<63-1), false, memo{}); return err }, ErrOverflow},
		{"a debit from the brim", MaxBalance, func(tx *Tx[memo]) error { _, err := tx.Post("w", IRR.Of(-1), false, memo{}); return err }, nil},
		{"post at now", MaxBalance, func(tx *Tx[memo]) error { return tx.PostAt("w", t0, IRR.Of(1), memo{}) }, ErrOverflow},
		{"post later", MaxBalance, func(tx *Tx[memo]) error { return tx.PostAt("w", t0.Add(time.Hour), IRR.Of(1), memo{}) }, ErrOverflow},
		{"room for incoming", 0, func(tx *Tx[memo]) error {
			if err := tx.HoldIn("w", "h1", IRR.Of(big), false); err != nil {
				return err
			}
			return tx.HoldIn("w", "h2", IRR.Of(big), false)
		}, ErrOverflow},
		{"toman past int64", 0, func(tx *Tx[memo]) error { _, err := tx.Post("w", IRT.Of(1<<62), false, memo{}); return err }, ErrOverflow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, b := newBook(t)
			acct := Account{ID: "w", Opening: IRR.Of(tc.opening)}
			if err := b.Do("t", t0, []Account{acct}, tc.do); !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			v, err := b.Balance("t", t0.Add(2*time.Hour), acct)
			if err != nil || v.Balance < 0 || v.Balance > MaxBalance {
				t.Fatalf("balance %d (%v)", v.Balance, err)
			}
			if tc.want != nil && v.Balance != tc.opening {
				t.Fatalf("a refused transaction moved the balance to %d", v.Balance)
			}
		})
	}
}
