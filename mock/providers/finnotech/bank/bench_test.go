package bank

import (
	"strconv"
	"testing"
	"time"
)

// BenchmarkCharge charges one deposit and card over and over, spread over the
// hours of many days, so the ledger keeps growing as it would in a long run.
func BenchmarkCharge(b *testing.B) {
	bk := newBank(b)
	d := ok()
	for i := 0; i < b.N; i++ {
		now := at("05:00:00").Add(time.Duration(i%1000)*time.Minute).AddDate(0, 0, i/1000)
		if _, err := bk.Charge("t", ChargeRequest{Deposit: payDeposit, Card: "6362144000001001", Amount: 1000,
			TrackID: strconv.Itoa(i), Now: now, Decision: d}); err != nil {
			b.Fatal(err)
		}
	}
}
