package ledger

import (
	"encoding/json"
	"strings"
	"testing"
)

// Issue 16 item 6: a state restore refuses an account no postings could reach (a
// negative balance, a negative hold, more held than the balance), and a refused
// restore leaves the account as it was.
func TestRestoreRefusesImpossibleAccounts(t *testing.T) {
	st, b := newBook(t)
	if _, _, err := b.Post("t", t0, Posting[memo]{Account: wallet, Amount: IRR.Of(-100)}); err != nil {
		t.Fatal(err)
	}
	snap, err := st.Snapshot("t")
	if err != nil {
		t.Fatal(err)
	}
	good := string(snap["test.accounts"])
	if !strings.Contains(good, `"balance":999900`) {
		t.Fatalf("snapshot %s", good)
	}
	for _, bad := range []string{
		strings.Replace(good, `"balance":999900`, `"balance":-1`, 1),
		strings.Replace(good, `"balance":999900`, `"balance":5,"holds":[{"id":"h","amount":-3}]`, 1),
		strings.Replace(good, `"balance":999900`, `"balance":5,"holds":[{"id":"h","amount":9}]`, 1),
	} {
		snap["test.accounts"] = json.RawMessage(bad)
		if err := st.Restore("t", snap); err == nil {
			t.Errorf("restored %s", bad)
		}
		if v, _ := b.Balance("t", t0, wallet); v.Balance != 999_900 {
			t.Fatalf("refused restore changed the balance to %d", v.Balance)
		}
	}
	snap["test.accounts"] = json.RawMessage(strings.Replace(good, `"balance":999900`, `"balance":0`, 1))
	if err := st.Restore("t", snap); err != nil {
		t.Fatal(err)
	}
}
