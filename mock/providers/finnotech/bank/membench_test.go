package bank

import (
	"runtime"
	"strconv"
	"testing"
	"time"
)

func heapAfterGC() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkStoredChargeBytes books b.N card charges (run it with a large
// -benchtime, like 20000x) and reports what each keeps on the heap: the charge
// row, its ledger entries, their index entries and idempotency keys.
func BenchmarkStoredChargeBytes(b *testing.B) {
	bk := newBank(b)
	d := ok()
	charge := func(i int) {
		now := at("05:00:00").Add(time.Duration(i%1000)*time.Minute).AddDate(0, 0, i/1000)
		if _, err := bk.Charge("t", ChargeRequest{Deposit: payDeposit, Card: "6362144000001001", Amount: 1000,
			TrackID: strconv.Itoa(i), Now: now, Decision: d}); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 200 {
		charge(1_000_000 + i)
	}
	b.ResetTimer()
	before := heapAfterGC()
	for i := 0; i < b.N; i++ {
		charge(i)
	}
	after := heapAfterGC()
	b.StopTimer()
	b.ReportMetric(float64(int64(after)-int64(before))/float64(b.N), "heapB/charge")
	runtime.KeepAlive(bk)
}
