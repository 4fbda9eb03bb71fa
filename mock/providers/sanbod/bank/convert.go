package bank

import (
	"github.com/sandbank-dev/sandbank/mock/digits"
	"strings"

	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

// card resolves a card number to its deposit. The Sanbod documentation's cardtoiban and
// cardtodeposit examples send an IBAN in cardNumber and answer with the card of
// that IBAN's deposit; that is honoured for deposits whose card is known.
func (b *Bank) card(v Value) (string, *account, *envelope.Error) {
	s := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, digits.ToASCII(strings.TrimSpace(string(v))))
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
	norm, ok := normIBAN(digits.ToASCII(s))
	if !ok {
		return nil, fail("INVALID_IBAN", field)
	}
	code := iran.IBANBankCode(norm)
	if _, ok := iran.BankByCode(code); !ok {
		return nil, fail("INVALID_IBAN", field)
	}
	return b.accountAt(code, iran.IBANAccountPart(norm)), nil
}

// providerCode accepts a bank code ("057", Sanbod's documentation) or the SDK's bank enum
// ("PASARGAD").
func (b *Bank) providerCode(v Value) (string, *envelope.Error) {
	s := strings.TrimSpace(digits.ToASCII(string(v)))
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

// CheckDepositToIban judges a depositToIban request in the bank's order and answers what the bank
// then does (see Act).
func (b *Bank) CheckDepositToIban(c Ctx, r DepositToIbanRequest) (Act[DepositToIbanResult], error) {
	number := strings.TrimSpace(digits.ToASCII(string(r.DepositNumber)))
	if number == "" {
		return nil, required("depositNumber")
	}
	bank, e := b.providerCode(r.Provider)
	if e != nil {
		return nil, e
	}
	canon, acct, ok := canonicalNumber(bank, number)
	if !ok {
		return nil, fail("INVALID_DEPOSIT_NUMBER", "depositNumber")
	}
	return func(c Ctx) (DepositToIbanResult, int, error) {
		return DepositToIbanResult{DepositNumber: canon, IBAN: ibanOf(bank, acct)}, 1, nil
	}, nil
}

// CheckIbanToDeposit judges a ibanToDeposit request in the bank's order and answers what the bank
// then does (see Act).
func (b *Bank) CheckIbanToDeposit(c Ctx, r IbanToDepositRequest) (Act[IbanToDepositResult], error) {
	a, e := b.iban(r.IBAN, "iban")
	if e != nil {
		return nil, e
	}
	return func(c Ctx) (IbanToDepositResult, int, error) {
		return IbanToDepositResult{DepositNumber: a.Number, IBAN: a.IBAN}, 1, nil
	}, nil
}

// CheckCardToIban judges a cardToIban request in the bank's order and answers what the bank
// then does (see Act).
func (b *Bank) CheckCardToIban(c Ctx, r CardToIbanRequest) (Act[CardToIbanResult], error) {
	card, a, e := b.card(r.CardNumber)
	if e != nil {
		return nil, e
	}
	return func(c Ctx) (CardToIbanResult, int, error) {
		return CardToIbanResult{CardNumber: card, IBAN: a.IBAN}, 1, nil
	}, nil
}

// CheckCardToDeposit judges a cardToDeposit request in the bank's order and answers what the bank
// then does (see Act).
func (b *Bank) CheckCardToDeposit(c Ctx, r CardToDepositRequest) (Act[CardToDepositResult], error) {
	card, a, e := b.card(r.CardNumber)
	if e != nil {
		return nil, e
	}
	return func(c Ctx) (CardToDepositResult, int, error) {
		return CardToDepositResult{CardNumber: card, DepositNumber: a.Number}, 1, nil
	}, nil
}

// CheckIbanInquiry judges a ibanInquiry request in the bank's order and answers what the bank
// then does (see Act).
func (b *Bank) CheckIbanInquiry(c Ctx, r IbanInquiryRequest) (Act[IbanInquiryResult], error) {
	a, e := b.iban(r.IBAN, "iban")
	if e != nil {
		return nil, e
	}
	return func(c Ctx) (IbanInquiryResult, int, error) {
		p := b.personOf(a.Owner, "")
		return IbanInquiryResult{
			IBAN: a.IBAN, BankName: b.bankName(a.Bank), DepositNumber: a.Number, DepositStatus: a.Status,
			DepositDescription: b.w.statuses[a.Status], DepositComment: "",
			OwnersInfo: []OwnerInfo{{FirstName: p.FirstName, LastName: p.LastName}},
		}, 1, nil
	}, nil
}
