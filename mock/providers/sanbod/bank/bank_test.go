package bank

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

func TestFixturesAreConsistent(t *testing.T) {
	b := newBank(t, Config{})
	for _, a := range b.w.order {
		if !iran.ValidIBAN(a.IBAN) || iran.IBANBankCode(a.IBAN) != a.Bank {
			t.Errorf("%s/%s: IBAN %s", a.Bank, a.Number, a.IBAN)
		}
		if a.Opening < 1_000_000_000 {
			t.Errorf("%s/%s: opening %d below 1,000,000,000", a.Bank, a.Number, a.Opening)
		}
		for _, card := range a.Cards {
			if bk, ok := iran.CardBank(card); !ok || bk.Code != a.Bank || !iran.ValidCardLuhn(card) {
				t.Errorf("%s/%s: card %s", a.Bank, a.Number, card)
			}
		}
	}
	for _, bank := range []string{"057", "054", "059"} {
		if got := b.UserDeposits("t", bank, "0012345679"); len(got) < 3 {
			t.Errorf("UserDeposits(%s) = %+v", bank, got)
		}
	}
}

func TestValueTakesStringsAndNumbers(t *testing.T) {
	var r AchTransferRequest
	if err := json.Unmarshal([]byte(`{"transferAmount":20000,"iban":"IR1","description":null,"sourceDepositNumber":{"x":1}}`), &r); err != nil {
		t.Fatal(err)
	}
	if r.TransferAmount != "20000" || r.IBAN != "IR1" || r.Description != "" || r.SourceDepositNumber != `{"x":1}` {
		t.Fatalf("%+v", r)
	}
	if _, e := amountOf(r.SourceDepositNumber); e == nil || e.Code != "INVALID_AMOUNT" {
		t.Fatalf("object amount: %v", e)
	}
}

func TestLogin(t *testing.T) {
	b := newBank(t, Config{})
	if err := b.CheckLogin("ela", "1234", "0012345679"); err != nil {
		t.Fatal(err)
	}
	if err := b.CheckLogin("ela", "12345", "0012345679"); err != ErrBadCredentials {
		t.Fatal(err)
	}
	if err := b.CheckLogin("ela", "1234", "0012345678"); err != ErrNationalCode {
		t.Fatal(err)
	}
}

func TestPAYACycles(t *testing.T) {
	tests := []struct {
		name      string
		reg, sent time.Time
	}{
		{"13:14 goes at 13:45", teh(2026, 10, 11, 13, 14), teh(2026, 10, 11, 13, 45)},
		{"13:15 waits for 03:45", teh(2026, 10, 11, 13, 15), teh(2026, 10, 12, 3, 45)},
		{"03:15 goes at 10:45", teh(2026, 10, 11, 3, 15), teh(2026, 10, 11, 10, 45)},
		{"10:15 goes at 13:45", teh(2026, 10, 11, 10, 15), teh(2026, 10, 11, 13, 45)},
		{"Thursday 13:20 skips Friday", teh(2026, 10, 15, 13, 20), teh(2026, 10, 17, 3, 45)},
		{"holidays skipped", teh(2026, 3, 31, 14, 0), teh(2026, 4, 4, 3, 45)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBank(t, Config{})
			c := ctx(tt.reg)
			res := must[AchTransferResult](t)(b.AchTransfer(c, paya("20000")))
			if res.TransactionStatus != "ACCEPTED" || res.TransferStatus != "READY_TO_TRANSFER" || res.TransferAmount != "20000" ||
				res.OwnerName != "مهدی هاشمی" || res.IBAN != ibanSaman {
				t.Fatalf("%+v", res)
			}
			if got := achStatus(t, b, ctx(tt.sent.Add(-time.Second)), res.ReferenceID); got != "READY_TO_TRANSFER" {
				t.Fatalf("just before %s: %s", tt.sent, got)
			}
			if got := achStatus(t, b, ctx(tt.sent), res.ReferenceID); got != "PROCESSED" {
				t.Fatalf("at %s: %s", tt.sent, got)
			}
		})
	}
}

func TestResetRestoresFixtures(t *testing.T) {
	b := newBank(t, Config{})
	c := ctx(teh(2026, 10, 11, 9, 0))
	must[AchTransferResult](t)(b.AchTransfer(c, paya("20000")))
	other := c
	other.Tenant = "t2"
	must[AchTransferResult](t)(b.AchTransfer(other, paya("30000")))
	b.Reset("t1")
	if got := balance(t, b, c, depA); got != 10_000_000_000 {
		t.Fatalf("t1 after reset: %d", got)
	}
	if rows := must[AchReportResult](t)(b.AchReport(c, AchReportRequest{DepositNumber: depA})); len(rows) != 0 {
		t.Fatalf("t1 report after reset: %+v", rows)
	}
	if got := balance(t, b, other, depA); got != 10_000_000_000-30000 {
		t.Fatalf("t2 touched by t1's reset: %d", got)
	}
	b.Reset("")
	if got := balance(t, b, other, depA); got != 10_000_000_000 {
		t.Fatalf("t2 after reset all: %d", got)
	}
}

// Malformed input of every shape gets a coded error or a success, never a panic.
func TestMalformedInputNeverPanics(t *testing.T) {
	b := newBank(t, Config{})
	c := ctx(teh(2026, 10, 11, 9, 0))
	weird := []Value{"", " ", "-", ".", "..", "---", "IR", "ir00", `{"a":1}`, "[1,2]", "true", "1e9", "-1", "0",
		"99999999999999999999999999", "۱۲۳", "\x00", "119-813-218257-4", "213.8000.14707021.1", "IR660570021380014707021101",
		"5022291301984702", "0084575948", "09121234567", "1368/05/21"}
	for _, v := range weird {
		for _, w := range weird {
			calls := []func() error{
				func() error { return second(b.NormalTransfer(c, NormalTransferRequest{v, w, v})) },
				func() error { return second(b.AchTransfer(c, AchTransferRequest{v, w, v, w, v, w, v})) },
				func() error { return second(b.RtgsTransfer(c, RtgsTransferRequest{v, w, v, w, v, w})) },
				func() error { return second(b.Statement(c, StatementRequest{v, w, v, w, v, w, v})) },
				func() error { return second(b.AchReport(c, AchReportRequest{v, w, v, w, v, w, v, w, v, w, v, w, v})) },
				func() error { return second(b.RtgsReport(c, RtgsReportRequest{v, w, v, w, v, w})) },
				func() error { return second(b.DepositToIban(c, DepositToIbanRequest{v, w})) },
				func() error { return second(b.CardToIban(c, CardToIbanRequest{v})) },
				func() error { return second(b.IbanToDeposit(c, IbanToDepositRequest{v})) },
				func() error { return second(b.CardToDeposit(c, CardToDepositRequest{v})) },
				func() error { return second(b.IbanInquiry(c, IbanInquiryRequest{v})) },
				func() error { return second(b.MobileNationalID(c, MobileNationalIDRequest{v, w})) },
				func() error { return second(b.CardNationalID(c, CardNationalIDRequest{v, w, v})) },
				func() error { return second(b.Personal(c, PersonalRequest{v, w})) },
				func() error { return second(b.PersonalWithImage(c, PersonalRequest{v, w})) },
			}
			for i, call := range calls {
				if err := call(); err != nil {
					if e, ok := err.(*envelope.Error); !ok || e.Status >= 500 || !Codes().Has(e.Code) {
						t.Fatalf("call %d (%q, %q): %v", i, v, w, err)
					}
				}
			}
		}
	}
}
