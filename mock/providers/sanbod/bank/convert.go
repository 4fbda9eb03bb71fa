package bank

import (
	"strings"

	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

// card resolves a card number to its deposit. Seed 004's cardtoiban and
// cardtodeposit examples send an IBAN in cardNumber and answer with the card of
// that IBAN's deposit; that is honoured for deposits whose card is known.
func (b *Bank) card(v Value) (string, *account, *envelope.Error) {
	s := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, toASCIIDigits(strings.TrimSpace(string(v))))
	if s == "" {
		return "", nil, required("cardNumber")
	}
	if len(s) > 2 && strings.EqualFold(s[:2], "IR") {
		iban, ok := normIBAN(s)
		if !ok {
			return "", nil, fail("INVALID_CARD_NUMBER", "cardNumber")
		}
		a, ok := b.w.accounts[iran.IBANBankCode(iban)+"/"+iran.IBANAccountPart(iban)]
		if !ok || len(a.Cards) == 0 {
			return "", nil, fail("CARD_NOT_FOUND", "cardNumber")
		}
		return a.Cards[0], a, nil
	}
	if !iran.ValidCardLuhn(s) {
		return "", nil, fail("INVALID_CARD_NUMBER", "cardNumber")
	}
	bk, ok := iran.CardBank(s)
	if !ok {
		return "", nil, fail("CARD_NOT_FOUND", "cardNumber")
	}
	return s, b.cardAccount(s, bk), nil
}

// iban resolves an IBAN to its deposit (a fixture's or a seeded stranger's).
func (b *Bank) iban(v Value, field string) (*account, *envelope.Error) {
	s := strings.TrimSpace(string(v))
	if s == "" {
		return nil, required(field)
	}
	norm, ok := normIBAN(toASCIIDigits(s))
	if !ok {
		return nil, fail("INVALID_IBAN", field)
	}
	code := iran.IBANBankCode(norm)
	if _, ok := iran.BankByCode(code); !ok {
		return nil, fail("INVALID_IBAN", field)
	}
	return b.accountAt(code, iran.IBANAccountPart(norm)), nil
}

// providerCode accepts a bank code ("057", seed 004) or the SDK's bank enum
// ("PASARGAD").
func (b *Bank) providerCode(v Value) (string, *envelope.Error) {
	s := strings.TrimSpace(toASCIIDigits(string(v)))
	if s == "" {
		return "", required("provider")
	}
	if _, ok := iran.BankByCode(s); ok {
		return s, nil
	}
	if code, ok := b.w.byEnum[strings.ToUpper(s)]; ok {
		return code, nil
	}
	return "", fail("INVALID_PROVIDER", "provider")
}

func (b *Bank) depositToIban(c Ctx, r DepositToIbanRequest) (DepositToIbanResult, int, error) {
	number := strings.TrimSpace(toASCIIDigits(string(r.DepositNumber)))
	if number == "" {
		return DepositToIbanResult{}, 0, required("depositNumber")
	}
	bank, e := b.providerCode(r.Provider)
	if e != nil {
		return DepositToIbanResult{}, 0, e
	}
	canon, acct, ok := canonicalNumber(bank, number)
	if !ok {
		return DepositToIbanResult{}, 0, fail("INVALID_DEPOSIT_NUMBER", "depositNumber")
	}
	if e := failure(c); e != nil {
		return DepositToIbanResult{}, 0, e
	}
	return DepositToIbanResult{DepositNumber: canon, IBAN: ibanOf(bank, acct)}, 1, nil
}

func (b *Bank) ibanToDeposit(c Ctx, r IbanToDepositRequest) (IbanToDepositResult, int, error) {
	a, e := b.iban(r.IBAN, "iban")
	if e != nil {
		return IbanToDepositResult{}, 0, e
	}
	if e := failure(c); e != nil {
		return IbanToDepositResult{}, 0, e
	}
	return IbanToDepositResult{DepositNumber: a.Number, IBAN: a.IBAN}, 1, nil
}

func (b *Bank) cardToIban(c Ctx, r CardToIbanRequest) (CardToIbanResult, int, error) {
	card, a, e := b.card(r.CardNumber)
	if e != nil {
		return CardToIbanResult{}, 0, e
	}
	if e := failure(c); e != nil {
		return CardToIbanResult{}, 0, e
	}
	return CardToIbanResult{CardNumber: card, IBAN: a.IBAN}, 1, nil
}

func (b *Bank) cardToDeposit(c Ctx, r CardToDepositRequest) (CardToDepositResult, int, error) {
	card, a, e := b.card(r.CardNumber)
	if e != nil {
		return CardToDepositResult{}, 0, e
	}
	if e := failure(c); e != nil {
		return CardToDepositResult{}, 0, e
	}
	return CardToDepositResult{CardNumber: card, DepositNumber: a.Number}, 1, nil
}

func (b *Bank) ibanInquiry(c Ctx, r IbanInquiryRequest) (IbanInquiryResult, int, error) {
	a, e := b.iban(r.IBAN, "iban")
	if e != nil {
		return IbanInquiryResult{}, 0, e
	}
	if e := failure(c); e != nil {
		return IbanInquiryResult{}, 0, e
	}
	p := b.personOf(a.Owner, "")
	return IbanInquiryResult{
		IBAN: a.IBAN, BankName: b.bankName(a.Bank), DepositNumber: a.Number, DepositStatus: a.Status,
		DepositDescription: b.w.statuses[a.Status], DepositComment: "",
		OwnersInfo: []OwnerInfo{{FirstName: p.FirstName, LastName: p.LastName}},
	}, 1, nil
}
