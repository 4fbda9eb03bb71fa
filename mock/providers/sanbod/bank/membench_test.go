package bank

import (
	"runtime"
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

// BenchmarkStoredTransferBytes registers b.N PAYA transfers through the service
// (run it with a large -benchtime, like 20000x) and reports what each keeps on
// the heap: the transfer with its plan, its statement lines and their indexes.
func BenchmarkStoredTransferBytes(b *testing.B) {
	now := teh(2026, 3, 1, 12, 0)
	bk := newBank(b, Config{})
	c := ctx(now)
	for range 200 {
		if _, _, err := bk.AchTransfer(c, paya("1000")); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	before := heapAfterGC()
	for i := 0; i < b.N; i++ {
		if _, _, err := bk.AchTransfer(ctx(now.Add(time.Duration(i)*time.Second)), paya("1000")); err != nil {
			b.Fatal(err)
		}
	}
	after := heapAfterGC()
	b.StopTimer()
	b.ReportMetric(float64(int64(after)-int64(before))/float64(b.N), "heapB/transfer")
	runtime.KeepAlive(bk)
}
