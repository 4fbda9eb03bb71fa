package iran

import (
	"strings"

	"github.com/sandbank-dev/sandbank/mock/digits"
)

const cardLen = 16

// ValidCardLuhn reports whether s is a 16-digit card number whose last digit is
// its Luhn check digit.
func ValidCardLuhn(s string) bool {
	if len(s) != cardLen || !digits.All(s) {
		return false
	}
	return digits.LuhnDigit(s[:cardLen-1]) == s[cardLen-1]
}

// MakeCard builds a 16-digit card number from a prefix (normally a 6-digit BIN),
// a body left-padded with zeros to fill 15 digits, and a Luhn check digit. It
// returns "" when the parts are not digits or together exceed 15 digits.
func MakeCard(prefix, body string) string {
	if (prefix != "" && !digits.All(prefix)) || (body != "" && !digits.All(body)) {
		return ""
	}
	pad := cardLen - 1 - len(prefix) - len(body)
	if pad < 0 || prefix+body == "" {
		return ""
	}
	payload := prefix + strings.Repeat("0", pad) + body
	return payload + string(digits.LuhnDigit(payload))
}

// CardBank returns the bank that issued a 16-digit card number, by its BIN. The
// Luhn digit is not checked, so that a simulator can name the bank of a mistyped
// card in its error.
func CardBank(card string) (Bank, bool) {
	if len(card) != cardLen || !digits.All(card) {
		return Bank{}, false
	}
	return BankByBIN(card)
}
