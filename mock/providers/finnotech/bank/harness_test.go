package bank

import (
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
	seedCard   = "6362144202902795"
	payDeposit = "0211111111111" // first Ayandeh deposit of sandbox user 1111111111
)

func newBank(t testing.TB) *Bank {
	t.Helper()
	b, err := New(store.New(), fixtures.FS, 42)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// at is a Tehran wall time on a business day of the test calendar.
func at(hhmmss string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", "2026-11-22 "+hhmmss, iran.Tehran)
	if err != nil {
		panic(err)
	}
	return t
}

var noon = at("12:00:00")

func ok() scenario.Decision { return scenario.Default() }

func charge(t testing.TB, b *Bank, tenant, id, dep, card string, amount int64, now time.Time, d scenario.Decision) ChargeResult {
	t.Helper()
	r, err := b.Charge(tenant, ChargeRequest{Deposit: dep, Card: card, Amount: amount, TrackID: id, Now: now, Decision: d})
	if err != nil {
		t.Fatalf("charge %s: %v", id, err)
	}
	return r
}

func envErr(t testing.TB, err error, status int, code, msg string) {
	t.Helper()
	var e *envelope.Error
	if !errors.As(err, &e) {
		t.Fatalf("want *envelope.Error %d %s %q, got %v", status, code, msg, err)
	}
	if e.Status != status || e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("got %d %s %q, want %d %s %q", e.Status, e.Code, e.Message, status, code, msg)
	}
}

func depBalance(t testing.TB, b *Bank, tenant, dep string, now time.Time) DepositBalance {
	t.Helper()
	r, err := b.DepositBalance(tenant, dep, now)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func cardBalance(t testing.TB, b *Bank, tenant, card string, now time.Time) string {
	t.Helper()
	r, err := b.CardBalance(tenant, card, now)
	if err != nil {
		t.Fatal(err)
	}
	return r.Balance
}

func inquiry(t testing.TB, b *Bank, tenant, id string, now time.Time) Inquiry {
	t.Helper()
	r, err := b.InquiryCharge(tenant, id, now)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
