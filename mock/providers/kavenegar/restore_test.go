package kavenegar

import (
	"testing"

	"github.com/sandbank-dev/sandbank/mock/store"
)

// Issue 16 item 6: a restore refuses an account with negative credit.
func TestRestoreRefusesNegativeCredit(t *testing.T) {
	st := store.New()
	accts := store.NewTable[account](st, "kavenegar.accounts")
	accts.Insert("t", "k", account{Key: "k", Credit: 10})
	err := st.Restore("t", store.Snapshot{"kavenegar.accounts": []byte(`[{"id":"k","value":{"key":"k","credit":-5}}]`)})
	if err == nil {
		t.Fatal("negative credit restored")
	}
	if a, _ := accts.Get("t", "k"); a.Credit != 10 {
		t.Fatalf("refused restore changed credit to %d", a.Credit)
	}
	if err := st.Restore("t", store.Snapshot{"kavenegar.accounts": []byte(`[{"id":"k","value":{"key":"k","credit":0}}]`)}); err != nil {
		t.Fatal(err)
	}
}
