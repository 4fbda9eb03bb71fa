package bank

import (
	"errors"
	"github.com/sandbank-dev/sandbank/mock/digits"
	"slices"
	"strings"

	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

// Login errors, shown on the bank's login page.
var (
	ErrBadCredentials = errors.New("نام کاربری یا رمز عبور اشتباه است")
	ErrNationalCode   = errors.New("کد ملی وارد شده معتبر نیست")
)

// CheckLogin accepts the fixture logins (ela / 1234) with any checksum-valid
// national code, as Sanbod's documentation describes the test bank pages.
func (b *Bank) CheckLogin(username, password, nationalCode string) error {
	want, ok := b.w.logins[strings.TrimSpace(username)]
	if !ok || want != digits.ToASCII(password) { // the page's hint may be typed in Persian digits
		return ErrBadCredentials
	}
	if !iran.ValidNationalCode(digits.ToASCII(strings.TrimSpace(nationalCode))) {
		return ErrNationalCode
	}
	return nil
}

// UserDeposits lists, for the consent page, the deposits a logged-in user holds
// at providerCode: the test user's (Sanbod's documentation: they exist at every test bank) and
// those of the fixture person with nationalCode, if any. Balances are as last
// booked (credits falling due are booked on the next service call).
func (b *Bank) UserDeposits(tenant, providerCode, nationalCode string) []Deposit {
	nationalCode = digits.ToASCII(strings.TrimSpace(nationalCode))
	var out []Deposit
	for _, a := range b.w.order {
		if a.Bank != providerCode || (a.Owner != b.w.testUser && a.Owner != nationalCode) {
			continue
		}
		bal := b.booked(tenant, a)
		out = append(out, Deposit{Number: a.Number, IBAN: a.IBAN, Owner: b.personOf(a.Owner, "").fullName(),
			ProviderCode: a.Bank, Balance: bal, Cards: slices.Clone(a.Cards)})
	}
	return out
}

// inferOrder is where a deposit number is looked for when the call does not say
// which bank's token it carries: the documentation's own bank first.
func (b *Bank) inferOrder() []string {
	out := []string{"059"}
	for _, c := range b.w.testBanks {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	for _, a := range b.w.order {
		if !slices.Contains(out, a.Bank) {
			out = append(out, a.Bank)
		}
	}
	return out
}

// source resolves the deposit an AC call works on: well formed, consented, known
// at the token's bank, and (for transfers) active.
func (b *Bank) source(c Ctx, v Value, field string, transfer bool) (*account, *envelope.Error) {
	number := strings.TrimSpace(digits.ToASCII(string(v)))
	if number == "" {
		return nil, required(field)
	}
	acct, ok := encodeNumber(number)
	if !ok {
		return nil, fail("INVALID_DEPOSIT_NUMBER", field)
	}
	var a *account
	if c.ProviderCode != "" {
		a = b.w.accounts[c.ProviderCode+"/"+acct]
	} else {
		for _, bank := range b.inferOrder() {
			if a = b.w.accounts[bank+"/"+acct]; a != nil {
				break
			}
		}
	}
	if c.Deposits != nil && !b.consented(c, a, acct, number) {
		return nil, fail("DEPOSIT_NOT_CONSENTED", field)
	}
	if a == nil {
		return nil, fail("DEPOSIT_NOT_FOUND", field)
	}
	if transfer && a.Status != statusActive {
		return nil, fail("SOURCE_DEPOSIT_INACTIVE", field)
	}
	return a, nil
}

// consented compares by account part, so "119-813-0218257-4" and the canonical
// "119-813-218257-4" are the same consented deposit.
func (b *Bank) consented(c Ctx, a *account, acct, number string) bool {
	for _, d := range c.Deposits {
		d = strings.TrimSpace(d)
		if d == number {
			return true
		}
		if da, ok := encodeNumber(d); ok && da == acct {
			return true
		}
		if a != nil && d == a.IBAN {
			return true
		}
	}
	return false
}
