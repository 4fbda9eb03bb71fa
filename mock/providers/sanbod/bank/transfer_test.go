package bank

import (
	"github.com/sandbank-dev/sandbank/mock/lifecycle"

	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/scenario"
)

func TestSATNAFloor(t *testing.T) {
	b := newBank(t, Config{})
	c := ctx(teh(2026, 10, 11, 9, 0))
	if _, _, err := b.RtgsTransfer(c, satna("149999999")); code(t, err) != "SATNA_AMOUNT_TOO_LOW" {
		t.Fatalf("149,999,999: %v", err)
	}
	if got := balance(t, b, c, depA); got != 10_000_000_000 {
		t.Fatalf("refused SATNA moved money: %d", got)
	}
	// Exactly the floor goes through: the documentation's rtgsreport example settles 150,000,000.
	res, n, err := b.RtgsTransfer(c, satna("150000000"))
	if err != nil || n != 1 || len(res) != 1 || len(res[0].ReferenceID) != 20 {
		t.Fatalf("150,000,000: %+v %d %v", res, n, err)
	}
	if got := balance(t, b, c, depA); got != 10_000_000_000-150_000_000 {
		t.Fatalf("balance %d", got)
	}
	// The floor is configuration.
	b2 := newBank(t, Config{SATNAFloor: 500_000_000})
	if _, _, err := b2.RtgsTransfer(c, satna("400000000")); code(t, err) != "SATNA_AMOUNT_TOO_LOW" {
		t.Fatalf("configured floor: %v", err)
	}
}

func TestSATNAProgressesWithinHours(t *testing.T) {
	b := newBank(t, Config{})
	reg := teh(2026, 10, 10, 13, 25) // Saturday, five minutes before closing
	c := ctx(reg)
	must[RtgsTransferResult](t)(b.RtgsTransfer(c, satna("200000000")))
	rows := must[RtgsReportResult](t)(b.RtgsReport(c, RtgsReportRequest{DepositNumber: depA}))
	if len(rows) != 1 || rows[0].Status != "SABT_SHODE" || rows[0].TransferAmount != "200000000" ||
		rows[0].SourceDepositNumber != "IR680590011981300218257004" || rows[0].DestinationDepositNumber != "IR880540126030100979988607" ||
		len(rows[0].DocNumber) != 16 {
		t.Fatalf("%+v", rows)
	}
	doc := rows[0].DocNumber
	parsian := Ctx{Tenant: "t1", ProviderCode: "054"}
	steps := []struct {
		at     time.Time
		status string
	}{
		{teh(2026, 10, 10, 13, 29), "SABT_SHODE"},
		{teh(2026, 10, 11, 8, 9), "SABT_SHODE"},
		{teh(2026, 10, 11, 8, 10), "TAEED_SHOBE_SHODE"},
		{teh(2026, 10, 11, 8, 20), "TAEED_SHOBE_SATNA"},
		{teh(2026, 10, 11, 8, 30), "ERSAL_SHODE"},
		{teh(2026, 10, 11, 8, 39), "ERSAL_SHODE"},
		{teh(2026, 10, 11, 8, 40), "TASFIYEH_SHODE"},
	}
	for _, s := range steps {
		if got := rtgsStatusOf(t, b, ctx(s.at), doc); got != s.status {
			t.Fatalf("at %s: %s, want %s", s.at, got, s.status)
		}
		parsian.Now = s.at
		want := int64(1_500_000_000)
		if s.status == "TASFIYEH_SHODE" {
			want += 200_000_000
		}
		if got := balance(t, b, parsian, "126030100979988607"); got != want {
			t.Fatalf("destination at %s: %d, want %d", s.at, got, want)
		}
	}
	// Core-banking spelling on the wire when configured.
	bc := newBank(t, Config{Spelling: "core"})
	cc := ctx(teh(2026, 10, 11, 9, 0))
	must[RtgsTransferResult](t)(bc.RtgsTransfer(cc, satna("200000000")))
	rows = must[RtgsReportResult](t)(bc.RtgsReport(ctx(teh(2026, 10, 11, 10, 0)), RtgsReportRequest{DepositNumber: depA}))
	if rows[0].Status != "TASFIYEH_SHODE" {
		t.Fatalf("core spelling: %s", rows[0].Status)
	}
	// The status list's spelling when configured ("seed" is the same table).
	for _, sp := range []string{"list", "seed"} {
		bl := newBank(t, Config{Spelling: sp})
		must[RtgsTransferResult](t)(bl.RtgsTransfer(cc, satna("200000000")))
		rows = must[RtgsReportResult](t)(bl.RtgsReport(ctx(teh(2026, 10, 11, 10, 0)), RtgsReportRequest{DepositNumber: depA}))
		if rows[0].Status != "TASFIYEH_SHODEH" {
			t.Fatalf("%s spelling: %s", sp, rows[0].Status)
		}
	}
}

func TestSATNAOutsideHoursSkipsFriday(t *testing.T) {
	b := newBank(t, Config{})
	must[RtgsTransferResult](t)(b.RtgsTransfer(ctx(teh(2026, 10, 15, 12, 30)), satna("200000000"))) // Thursday after 12:00
	rows := must[RtgsReportResult](t)(b.RtgsReport(ctx(teh(2026, 10, 17, 8, 9)), RtgsReportRequest{DepositNumber: depA}))
	if rows[0].Status != "SABT_SHODE" {
		t.Fatalf("Saturday 08:09: %s", rows[0].Status)
	}
	rows = must[RtgsReportResult](t)(b.RtgsReport(ctx(teh(2026, 10, 17, 8, 10)), RtgsReportRequest{DepositNumber: depA}))
	if rows[0].Status != "TAEED_SHOBE_SHODE" {
		t.Fatalf("Saturday 08:10: %s", rows[0].Status)
	}
}

func TestBranchRejectReturnsMoneyOnce(t *testing.T) {
	reg := teh(2026, 10, 11, 9, 0)
	for _, tc := range []struct {
		name string
		c    Ctx
		amt  string
	}{
		{"scenario timeline", withTimeline(ctx(reg), lifecycle.Spec{Status: "WAIT_FOR_BRANCH_ACCEPT", At: "0s"}, lifecycle.Spec{Status: "BRANCH_REJECT", At: "next-cycle"}), "20000"},
		{"magic amount", ctx(reg), "1120000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBank(t, Config{})
			amount, _ := strconv.ParseInt(tc.amt, 10, 64)
			res := must[AchTransferResult](t)(b.AchTransfer(tc.c, paya(tc.amt)))
			if res.TransferStatus != "WAIT_FOR_BRANCH_ACCEPT" {
				t.Fatalf("registered as %s", res.TransferStatus)
			}
			start := int64(10_000_000_000)
			if got := balance(t, b, ctx(reg), depA); got != start-amount {
				t.Fatalf("after registration %d", got)
			}
			reject := teh(2026, 10, 11, 10, 45)
			if got := achStatus(t, b, ctx(reject.Add(-time.Minute)), res.ReferenceID); got != "WAIT_FOR_BRANCH_ACCEPT" {
				t.Fatal(got)
			}
			if got := balance(t, b, ctx(reject.Add(-time.Minute)), depA); got != start-amount {
				t.Fatalf("before the rejection %d", got)
			}
			for i := 0; i < 3; i++ { // reading again never returns it twice
				if got := balance(t, b, ctx(reject.Add(time.Duration(i)*time.Hour)), depA); got != start {
					t.Fatalf("read %d after the rejection: %d", i, got)
				}
			}
			if got := achStatus(t, b, ctx(reject), res.ReferenceID); got != "BRANCH_REJECT" {
				t.Fatal(got)
			}
			st := must[StatementResult](t)(b.Statement(ctx(reject.Add(time.Hour)), StatementRequest{DepositNumber: depA}))
			if len(st) != 2 || st[1].TransferAmount != tc.amt+".0" || st[1].TransactionDate != reject.UnixMilli() ||
				st[1].Balance != strconv.FormatInt(start, 10) || st[1].ReferenceID != res.ReferenceID {
				t.Fatalf("statement %+v", st)
			}
			// The Saman destination never received it.
			if got := balance(t, b, Ctx{Tenant: "t1", Now: reject.Add(48 * time.Hour), ProviderCode: "056"}, "826-800-6040494-1"); got != 1_200_000_000 {
				t.Fatalf("destination %d", got)
			}
		})
	}
}

func TestSATNARejectByMagicAndScenario(t *testing.T) {
	reg := teh(2026, 10, 11, 9, 0)
	b := newBank(t, Config{})
	must[RtgsTransferResult](t)(b.RtgsTransfer(ctx(reg), satna("151300000"))) // HAZF_SHODE at the next step
	c := withTimeline(ctx(reg), lifecycle.Spec{Status: "SABT_SHODE", At: "0s"}, lifecycle.Spec{Status: "ADAM_TAEED_SHOBE", At: "1h"})
	must[RtgsTransferResult](t)(b.RtgsTransfer(c, satna("200000000")))
	rows := must[RtgsReportResult](t)(b.RtgsReport(ctx(reg.Add(2*time.Hour)), RtgsReportRequest{DepositNumber: depA}))
	if len(rows) != 2 || rows[0].Status != "HAZF_SHODE" || rows[1].Status != "ADAM_TAEED_SHODE" {
		t.Fatalf("%+v", rows)
	}
	if got := balance(t, b, ctx(reg.Add(2*time.Hour)), depA); got != 10_000_000_000 {
		t.Fatalf("money not returned: %d", got)
	}
}

func TestNormalTransferMovesMoneyAtOnce(t *testing.T) {
	b := newBank(t, Config{})
	now := teh(2026, 10, 11, 9, 0)
	res, n, err := b.NormalTransfer(ctx(now), NormalTransferRequest{SourceDepositNumber: depA, DestinationDepositNumber: depB, TransferAmount: "20000"})
	if err != nil || n != 1 || len(res.DocNumber) != 20 {
		t.Fatalf("%+v %d %v", res, n, err)
	}
	if a, bb := balance(t, b, ctx(now), depA), balance(t, b, ctx(now), depB); a != 10_000_000_000-20000 || bb != 5_000_020_000 {
		t.Fatalf("balances %d %d", a, bb)
	}
	// Insufficient balance moves nothing.
	if _, _, err := b.NormalTransfer(ctx(now), NormalTransferRequest{SourceDepositNumber: depB, DestinationDepositNumber: depA, TransferAmount: "99000000000"}); code(t, err) != "INSUFFICIENT_BALANCE" {
		t.Fatal(err)
	}
	if _, _, err := b.NormalTransfer(ctx(now), NormalTransferRequest{SourceDepositNumber: depA, DestinationDepositNumber: depB, TransferAmount: "1990000"}); code(t, err) != "INSUFFICIENT_BALANCE" {
		t.Fatal(err)
	}
	if got := balance(t, b, ctx(now), depB); got != 5_000_020_000 {
		t.Fatalf("refused transfer moved money: %d", got)
	}
	// The documentation's example: 119-813-2618257-1 -> 119-813-2295556-1 (مریم ایلخانی).
	res = must[NormalTransferResult](t)(b.NormalTransfer(ctx(now), NormalTransferRequest{SourceDepositNumber: depSeed, DestinationDepositNumber: "119-813-2295556-1", TransferAmount: "20000"}))
	st := must[StatementResult](t)(b.Statement(ctx(now), StatementRequest{DepositNumber: depSeed}))
	want := "انتقال وجه اینترنت بانک به سپرده 119..1 ش.پ " + res.DocNumber + "-مریم ایلخانی"
	if len(st) != 1 || st[0].Description != want || st[0].TransferAmount != "-20000.0" || st[0].Balance != "2999980000" || st[0].ChequeNumber != "0" {
		t.Fatalf("%+v", st)
	}
}

func TestScenarioFailureMovesNothing(t *testing.T) {
	b := newBank(t, Config{})
	c := ctx(teh(2026, 10, 11, 9, 0))
	c.Decision = scenario.Decision{Outcome: scenario.Failure, Code: "INSUFFICIENT_BALANCE", Rule: "header"}
	if _, _, err := b.AchTransfer(c, paya("20000")); code(t, err) != "INSUFFICIENT_BALANCE" {
		t.Fatal(err)
	}
	if got := balance(t, b, c, depA); got != 10_000_000_000 {
		t.Fatal(got)
	}
}

func TestInDoubtSettles(t *testing.T) {
	reg := teh(2026, 10, 11, 9, 0)
	for _, tc := range []struct {
		name    string
		to      scenario.Outcome
		balance int64
		rows    int
	}{{"success", scenario.Success, 10_000_000_000 - 20000, 1}, {"failure", scenario.Failure, 10_000_000_000, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBank(t, Config{})
			c := ctx(reg)
			c.Decision = scenario.Decision{Outcome: scenario.Unknown, Code: "BANK_TIMEOUT", Rule: "qa",
				Settle: &scenario.Settle{After: 10 * time.Minute, To: tc.to}}
			if _, _, err := b.AchTransfer(c, paya("20000")); code(t, err) != "BANK_TIMEOUT" {
				t.Fatal(err)
			}
			rows := must[AchReportResult](t)(b.AchReport(ctx(reg.Add(9*time.Minute)), AchReportRequest{DepositNumber: depA}))
			if len(rows) != 0 {
				t.Fatalf("in doubt yet reported: %+v", rows)
			}
			later := reg.Add(10 * time.Minute)
			rows = must[AchReportResult](t)(b.AchReport(ctx(later), AchReportRequest{DepositNumber: depA}))
			if len(rows) != tc.rows {
				t.Fatalf("settled: %+v", rows)
			}
			for i := 0; i < 2; i++ {
				if got := balance(t, b, ctx(later.Add(time.Duration(i)*time.Hour)), depA); got != tc.balance {
					t.Fatalf("balance %d, want %d", got, tc.balance)
				}
			}
		})
	}
}

func TestRetryWithSameTraceIDMovesMoneyOnce(t *testing.T) {
	b := newBank(t, Config{})
	c := ctx(teh(2026, 10, 11, 9, 0))
	c.TraceID = "a0b1"
	r1 := must[AchTransferResult](t)(b.AchTransfer(c, paya("20000")))
	r2 := must[AchTransferResult](t)(b.AchTransfer(c, paya("20000")))
	if r1 != r2 {
		t.Fatalf("%+v != %+v", r1, r2)
	}
	r3 := must[AchTransferResult](t)(b.AchTransfer(c, paya("30000"))) // another body is another transfer
	if r3.ReferenceID == r1.ReferenceID {
		t.Fatal("different amount reused the transfer")
	}
	if got := balance(t, b, c, depA); got != 10_000_000_000-50000 {
		t.Fatal(got)
	}
}

func TestConsentAndValidation(t *testing.T) {
	b := newBank(t, Config{})
	c := ctx(teh(2026, 10, 11, 9, 0))
	c.Deposits = []string{depB}
	if _, _, err := b.Statement(c, StatementRequest{DepositNumber: depA}); code(t, err) != "DEPOSIT_NOT_CONSENTED" {
		t.Fatal(err)
	}
	c = ctx(c.Now)
	for _, tc := range []struct {
		name string
		call func() error
		want string
	}{
		{"missing source", func() error { _, _, err := b.AchTransfer(c, AchTransferRequest{}); return err }, "REQUIRED_FIELD"},
		{"bad deposit", func() error {
			r := paya("1")
			r.SourceDepositNumber = "12-ab"
			_, _, err := b.AchTransfer(c, r)
			return err
		}, "INVALID_DEPOSIT_NUMBER"},
		{"unknown deposit", func() error {
			c := c
			c.Deposits = nil
			r := paya("1")
			r.SourceDepositNumber = "999-999-1-1"
			_, _, err := b.AchTransfer(c, r)
			return err
		}, "DEPOSIT_NOT_FOUND"},
		{"bad iban", func() error {
			r := paya("1")
			r.IBAN = "IR000570021380014707021101"
			_, _, err := b.AchTransfer(c, r)
			return err
		}, "INVALID_IBAN"},
		{"zero amount", func() error { _, _, err := b.AchTransfer(c, paya("0")); return err }, "INVALID_AMOUNT"},
		{"negative amount", func() error { _, _, err := b.AchTransfer(c, paya("-5")); return err }, "INVALID_AMOUNT"},
		{"huge amount", func() error { _, _, err := b.AchTransfer(c, paya("99999999999999999999999")); return err }, "INVALID_AMOUNT"},
		{"missing receiver", func() error {
			r := paya("1")
			r.ReceiverLastName = " "
			_, _, err := b.AchTransfer(c, r)
			return err
		}, "REQUIRED_FIELD"},
		{"blocked destination", func() error {
			r := paya("1")
			r.IBAN = Value(ibanOf("062", mustAcct("660-712-5000660-5")))
			_, _, err := b.AchTransfer(c, r)
			return err
		}, "DESTINATION_DEPOSIT_INACTIVE"},
		{"same deposit", func() error {
			_, _, err := b.NormalTransfer(c, NormalTransferRequest{SourceDepositNumber: depA, DestinationDepositNumber: "119-813-0218257-004", TransferAmount: "1"})
			return err
		}, "SAME_DEPOSIT"},
		{"bad order", func() error {
			_, _, err := b.Statement(c, StatementRequest{DepositNumber: depA, Order: "UP"})
			return err
		}, "INVALID_ORDER"},
		{"bad action", func() error {
			_, _, err := b.Statement(c, StatementRequest{DepositNumber: depA, Action: "X"})
			return err
		}, "INVALID_ACTION"},
		{"bad length", func() error {
			_, _, err := b.Statement(c, StatementRequest{DepositNumber: depA, Length: "0"})
			return err
		}, "INVALID_LENGTH"},
		{"bad offset", func() error {
			_, _, err := b.AchReport(c, AchReportRequest{DepositNumber: depA, Offset: "-1"})
			return err
		}, "INVALID_OFFSET"},
		{"bad date", func() error {
			_, _, err := b.RtgsReport(c, RtgsReportRequest{DepositNumber: depA, FromDateTime: "x"})
			return err
		}, "INVALID_DATE"},
		{"inverted dates", func() error {
			_, _, err := b.Statement(c, StatementRequest{DepositNumber: depA, FromDateTime: "1653187438000", ToDateTime: "1553187438000"})
			return err
		}, "INVALID_DATE_RANGE"},
	} {
		if got := code(t, tc.call()); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func mustAcct(n string) string {
	a, ok := encodeNumber(n)
	if !ok {
		panic(n)
	}
	return a
}

func TestParallelTransfersNeverOverdraw(t *testing.T) {
	b := newBank(t, Config{})
	now := teh(2026, 10, 11, 9, 0)
	// 50 goroutines each try to move a fifth of depB's 5,000,000,000: exactly five succeed.
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, refused := 0, 0
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := ctx(now)
			c.TraceID = fmt.Sprint("p", i)
			var err error
			if i%2 == 0 {
				_, _, err = b.NormalTransfer(c, NormalTransferRequest{SourceDepositNumber: depB, DestinationDepositNumber: depA, TransferAmount: "1000000000"})
			} else {
				r := paya("1000000000")
				r.SourceDepositNumber = depB
				_, _, err = b.AchTransfer(c, r)
			}
			mu.Lock()
			defer mu.Unlock()
			switch code(t, err) {
			case "":
				ok++
			case "INSUFFICIENT_BALANCE":
				refused++
			default:
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	if ok != 5 || refused != 45 {
		t.Fatalf("%d succeeded, %d refused", ok, refused)
	}
	if got := balance(t, b, ctx(now), depB); got != 0 {
		t.Fatalf("balance %d", got)
	}
	st := must[StatementResult](t)(b.Statement(ctx(now), StatementRequest{DepositNumber: depB}))
	for i, row := range st {
		if want := strconv.FormatInt(5_000_000_000-int64(i+1)*1_000_000_000, 10); row.Balance != want {
			t.Fatalf("row %d balance %s, want %s", i, row.Balance, want)
		}
	}
}

// The Sanbod documentation's achtransfer example pays from 119-813-2618257-1 to its own Sina IBAN.
func TestSeedAchExampleToOwnIBAN(t *testing.T) {
	b := newBank(t, Config{})
	reg := teh(2026, 10, 11, 9, 0)
	res := must[AchTransferResult](t)(b.AchTransfer(ctx(reg), AchTransferRequest{SourceDepositNumber: depSeed,
		IBAN: "IR410590011981302618257001", TransferAmount: "20000", ReceiverFirstName: "سارا", ReceiverLastName: "کاویانی", Description: "رستوران"}))
	if res.OwnerName != "سارا کاویانی" || res.TransferStatus != "READY_TO_TRANSFER" || res.TransactionStatus != "ACCEPTED" {
		t.Fatalf("%+v", res)
	}
	if got := balance(t, b, ctx(reg), depSeed); got != 3_000_000_000-20000 {
		t.Fatal(got)
	}
	if got := balance(t, b, ctx(teh(2026, 10, 11, 10, 45)), depSeed); got != 3_000_000_000 {
		t.Fatal(got)
	}
}

func TestRetryOfInDoubtTransfer(t *testing.T) {
	b := newBank(t, Config{})
	reg := teh(2026, 10, 11, 9, 0)
	c := ctx(reg)
	c.TraceID = "r1"
	if _, _, err := b.AchTransfer(c, paya("1970000")); code(t, err) != "BANK_TIMEOUT" { // settles as done after 10m
		t.Fatal(err)
	}
	if _, _, err := b.AchTransfer(c, paya("1970000")); code(t, err) != "BANK_TIMEOUT" {
		t.Fatalf("retry while in doubt: %v", err)
	}
	c.Now = reg.Add(10 * time.Minute)
	if _, _, err := b.AchTransfer(c, paya("1970000")); err != nil {
		t.Fatalf("retry once settled: %v", err)
	}
	if got := balance(t, b, c, depA); got != 10_000_000_000-1_970_000 {
		t.Fatalf("moved twice: %d", got)
	}
	// One that settled as failed is attempted afresh.
	c = ctx(reg)
	c.TraceID = "r2"
	if _, _, err := b.AchTransfer(c, paya("1980000")); code(t, err) != "BANK_TIMEOUT" {
		t.Fatal(err)
	}
	c.Now = reg.Add(10 * time.Minute)
	c.Decision = scenario.Decision{Outcome: scenario.Success, Rule: "header"}
	if _, _, err := b.AchTransfer(c, paya("1980000")); err != nil {
		t.Fatal(err)
	}
	if got := balance(t, b, c, depA); got != 10_000_000_000-1_970_000-1_980_000 {
		t.Fatalf("balance %d", got)
	}
}
