package bank

import (
	"strconv"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/lifecycle"
)

// Issue 16 item 8: with a retention, finished transfers older than it go with
// their retry keys; one still moving stays; balances and statements stay.
func TestExpireDropsFinishedTransfers(t *testing.T) {
	const day = 24 * time.Hour
	reg := teh(2026, 10, 11, 9, 0)
	b := newBank(t, Config{Retention: day})
	c := ctx(reg)
	c.TraceID = "retry-1"
	rejected := must[AchTransferResult](t)(b.AchTransfer(withTimeline(c,
		lifecycle.Spec{Status: "WAIT_FOR_BRANCH_ACCEPT", At: "0s"}, lifecycle.Spec{Status: "BRANCH_REJECT", At: "1h"}), paya("20000")))
	moving := must[AchTransferResult](t)(b.AchTransfer(withTimeline(ctx(reg),
		lifecycle.Spec{Status: "WAIT_FOR_BRANCH_ACCEPT", At: "0s"}, lifecycle.Spec{Status: "PROCESSED", At: "960h"}), paya("30000")))
	must[NormalTransferResult](t)(b.NormalTransfer(ctx(reg), NormalTransferRequest{SourceDepositNumber: depA, DestinationDepositNumber: depB, TransferAmount: "1000"}))
	if b.transfers.Len("t1") != 3 || b.idem.Len("t1") != 1 {
		t.Fatalf("%d transfers, %d retry keys", b.transfers.Len("t1"), b.idem.Len("t1"))
	}
	stmt := func(at time.Time) StatementResult {
		return must[StatementResult](t)(b.Statement(ctx(at), StatementRequest{DepositNumber: depA}))
	}
	at := reg.Add(3 * day)
	before := balance(t, b, ctx(at), depA)
	if n := len(stmt(at)); n != 4 {
		t.Fatalf("%d statement lines before, want 3 debits and the return", n)
	}

	if n := b.Expire(reg.Add(day - time.Minute)); n != 0 {
		t.Fatalf("within the retention %d dropped", n)
	}
	if n := b.Expire(at); n != 2 {
		t.Fatalf("dropped %d, want the rejected PAYA and the internal transfer", n)
	}
	if b.transfers.Len("t1") != 1 || b.idem.Len("t1") != 0 {
		t.Fatalf("left %d transfers, %d retry keys", b.transfers.Len("t1"), b.idem.Len("t1"))
	}
	if got := achStatus(t, b, ctx(at), moving.ReferenceID); got != "WAIT_FOR_BRANCH_ACCEPT" {
		t.Fatalf("the moving transfer reads %s", got)
	}
	rows := must[AchReportResult](t)(b.AchReport(ctx(at), AchReportRequest{DepositNumber: depA, ReferenceID: Value(rejected.ReferenceID), FromRegisterDateTime: "0"}))
	if len(rows) != 0 {
		t.Fatalf("the dropped transfer still reported: %+v", rows)
	}
	// Statement lines older than the retention go too; the balance does not move.
	if got := balance(t, b, ctx(at), depA); got != before || len(stmt(at)) != 0 {
		t.Fatalf("balance %d (was %d), %d statement lines left", got, before, len(stmt(at)))
	}
	// A line booked after the forgetting continues the running balance.
	must[NormalTransferResult](t)(b.NormalTransfer(ctx(at), NormalTransferRequest{SourceDepositNumber: depA, DestinationDepositNumber: depB, TransferAmount: "500"}))
	if st := stmt(at); len(st) != 1 || st[0].Balance != strconv.FormatInt(before-500, 10) {
		t.Fatalf("statement after a new transfer: %+v", st)
	}
	before -= 500
	// The moving transfer is done on day 40 and goes after it (with the new one).
	if n := b.Expire(reg.Add(41 * day)); n != 2 || b.transfers.Len("t1") != 0 {
		t.Fatalf("dropped %d, %d left", n, b.transfers.Len("t1"))
	}
	if got := balance(t, b, ctx(reg.Add(41*day)), depA); got != before {
		t.Fatalf("balance %d after the last drop, want %d", got, before)
	}
}

// With no retention nothing is dropped.
func TestExpireOff(t *testing.T) {
	b := newBank(t, Config{})
	now := teh(2026, 10, 11, 9, 0)
	must[NormalTransferResult](t)(b.NormalTransfer(ctx(now), NormalTransferRequest{SourceDepositNumber: depA, DestinationDepositNumber: depB, TransferAmount: "1000"}))
	if n := b.Expire(now.Add(1000 * 24 * time.Hour)); n != 0 || b.transfers.Len("t1") != 1 {
		t.Fatalf("dropped %d", n)
	}
}

// A month of steady use with a day's retention holds about a day of
// transfers and statement lines, not the month's.
func TestRetentionBoundsAMonth(t *testing.T) {
	const day = 24 * time.Hour
	b := newBank(t, Config{Retention: day})
	reg := teh(2026, 10, 11, 9, 0)
	peak := 0
	for h := 0; h < 30*24; h++ {
		now := reg.Add(time.Duration(h) * time.Hour)
		for i := 0; i < 5; i++ {
			must[NormalTransferResult](t)(b.NormalTransfer(ctx(now), NormalTransferRequest{SourceDepositNumber: depA, DestinationDepositNumber: depB, TransferAmount: "1000"}))
		}
		if h%3 == 0 { // the sweep runs every eighth of the retention
			b.Expire(now)
		}
		peak = max(peak, b.transfers.Len("t1"))
	}
	if made, limit := 30*24*5, 5*(24+3+1); peak > limit {
		t.Fatalf("%d transfers held at the peak of %d made, want at most %d (a day and a sweep's worth)", peak, made, limit)
	}
	end := reg.Add(30 * day)
	if got, want := balance(t, b, ctx(end), depA), int64(10_000_000_000-30*24*5*1000); got != want {
		t.Fatalf("balance %d, want %d", got, want)
	}
	if n := len(must[StatementResult](t)(b.Statement(ctx(end), StatementRequest{DepositNumber: depA, FromDateTime: "0", Length: "100000"}))); n > 5*(24+3+1) {
		t.Fatalf("%d statement lines held", n)
	}
}
