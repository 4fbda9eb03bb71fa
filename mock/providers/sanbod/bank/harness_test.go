package bank

import (
	"github.com/sandbank-dev/sandbank/mock/lifecycle"

	"errors"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/fixtures"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
)

const (
	testBank  = "059"
	depA      = "119-813-218257-4"
	depB      = "119-813-218257-5"
	depSeed   = "119-813-2618257-1"
	ibanSaman = "IR630560082680006040494001" // fixture: مهدی هاشمی at Saman
)

func newBank(t testing.TB, cfg Config) *Bank {
	t.Helper()
	b, err := New(store.New(), fixtures.FS, 42, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// teh is a Tehran wall time.
func teh(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, iran.Tehran)
}

// ctx is an AC call of the test tenant at 059 with every test deposit consented.
func ctx(now time.Time) Ctx {
	return Ctx{Tenant: "t1", Now: now, ProviderCode: testBank, Deposits: []string{depA, depB, depSeed},
		Decision: scenario.Default(), TraceID: ""}
}

func withTimeline(c Ctx, steps ...lifecycle.Spec) Ctx {
	c.Decision = scenario.Decision{Outcome: scenario.Success, Rule: "qa", Steps: steps}
	return c
}

func code(t testing.TB, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var e *envelope.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *envelope.Error", err)
	}
	if e.Status < 400 || e.Message == "" || len(e.Fields) != 1 {
		t.Fatalf("error %+v lacks status, message or one field", e)
	}
	return e.Code
}

func must[T any](t testing.TB) func(T, int, error) T {
	return func(v T, _ int, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func balance(t testing.TB, b *Bank, c Ctx, number string) int64 {
	t.Helper()
	a, e := b.source(c, Value(number), "depositNumber", false)
	if e != nil {
		t.Fatal(e)
	}
	v, err := b.book.Balance(c.Tenant, c.Now, a.money())
	if err != nil {
		t.Fatal(err)
	}
	return v.Balance
}

func paya(amount string) AchTransferRequest {
	return AchTransferRequest{SourceDepositNumber: depA, IBAN: ibanSaman, TransferAmount: Value(amount),
		ReceiverFirstName: "مهدی", ReceiverLastName: "هاشمی", Description: "رستوران"}
}

func satna(amount string) RtgsTransferRequest {
	return RtgsTransferRequest{SourceDepositNumber: depA, DestinationIBAN: "IR880540126030100979988607",
		TransferAmount: Value(amount), ReceiverFirstName: "سارا", ReceiverLastName: "کاویانی", Description: "رستوران"}
}

func achStatus(t testing.TB, b *Bank, c Ctx, ref string) string {
	t.Helper()
	rows := must[AchReportResult](t)(b.AchReport(c, AchReportRequest{DepositNumber: depA, ReferenceID: Value(ref),
		FromRegisterDateTime: "0"}))
	if len(rows) != 1 {
		t.Fatalf("achreport for %s: %d rows", ref, len(rows))
	}
	return rows[0].Status
}

func rtgsStatusOf(t testing.TB, b *Bank, c Ctx, ref string) string {
	t.Helper()
	rows := must[RtgsReportResult](t)(b.RtgsReport(c, RtgsReportRequest{DepositNumber: depA, FromDateTime: "0"}))
	for _, r := range rows {
		if r.DocNumber == ref {
			return r.Status
		}
	}
	t.Fatalf("rtgsreport: no %s in %+v", ref, rows)
	return ""
}
