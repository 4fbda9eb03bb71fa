package bank

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/lifecycle"
)

// The state-scaling benchmarks put n past PAYA transfers on one deposit (straight
// into the bank's state: registering 100k through the service would itself be
// the thing measured), then time what a long-lived deposit is asked: a new
// transfer, a report page and a statement page. Their cost must follow the page,
// not the history.

var depositSizes = []int{0, 1_000, 10_000, 100_000}

func BenchmarkDepositScaling(b *testing.B) {
	for _, n := range depositSizes {
		now := teh(2026, 3, 1, 12, 0)
		bk := newBank(b, Config{})
		fillDeposit(b, bk, ctx(now), n)
		later := ctx(now.Add(time.Hour))
		b.Run("achreport/transfers="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, _, err := bk.AchReport(later, AchReportRequest{DepositNumber: depA, Length: "25"}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("statement/transfers="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, _, err := bk.Statement(later, StatementRequest{DepositNumber: depA, Length: "25", Order: "DESC"}); err != nil {
					b.Fatal(err)
				}
			}
		})
		// The transfers made here come last, so the reports above saw n only.
		b.Run("achtransfer/transfers="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, _, err := bk.AchTransfer(ctx(now), paya("1000")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// fillDeposit books n PAYA transfers of 1,000 rials from depA, one a second up
// to c.Now, with their plans and statement lines.
func fillDeposit(b *testing.B, bk *Bank, c Ctx, n int) {
	b.Helper()
	a, e := bk.source(c, depA, "depositNumber", false)
	if e != nil {
		b.Fatal(e)
	}
	first := c.Now.Add(-time.Duration(n) * time.Second)
	for i := 0; i < n; i++ {
		at := first.Add(time.Duration(i) * time.Second)
		plan, err := lifecycle.Build(at, bk.w.payaPlan, bk.resolver(kindPaya))
		if err != nil {
			b.Fatal(err)
		}
		t := transfer{ID: fmt.Sprintf("B%09d", i), Kind: kindPaya, Bank: a.Bank, SourceKey: a.key(), Source: a.Number,
			SourceIBAN: a.IBAN, Dest: ibanSaman, DestOwner: "مهدی هاشمی", Amount: 1000, Registered: at,
			Ref: fmt.Sprintf("14041210%s2%06d", a.Bank, i), Plan: plan}
		if !bk.transfers.Insert(c.Tenant, t.ID, t) {
			b.Fatal("duplicate transfer")
		}
		if err := bk.debit(c.Tenant, a, at, t.Amount, "انتقال وجه پایا", t.Ref); err != nil {
			b.Fatal(err)
		}
	}
}
