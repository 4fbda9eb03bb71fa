package iran

import "strings"

const cardLen = 16

// ValidCardLuhn reports whether s is a 16-digit card number whose last digit is
// its Luhn check digit.
func ValidCardLuhn(s string) bool {
	if len(s) != cardLen || !allDigits(s) {
		return false
	}
	return luhnDigit(s[:cardLen-1]) == s[cardLen-1]
}

// luhnDigit returns the ASCII check digit for payload, which must be digits.
func luhnDigit(payload string) byte {
	sum := 0
	// The digit next to the check digit is doubled, so doubling starts at the
	// right end of the payload.
	double := true
	for i := len(payload) - 1; i >= 0; i-- {
		d := int(payload[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// MakeCard builds a 16-digit card number from a prefix (normally a 6-digit BIN),
// a body left-padded with zeros to fill 15 digits, and a Luhn check digit. It
// returns "" when the parts are not digits or together exceed 15 digits.
func MakeCard(prefix, body string) string {
	if (prefix != "" && !allDigits(prefix)) || (body != "" && !allDigits(body)) {
		return ""
	}
	pad := cardLen - 1 - len(prefix) - len(body)
	if pad < 0 || prefix+body == "" {
		return ""
	}
	payload := prefix + strings.Repeat("0", pad) + body
	return payload + string(luhnDigit(payload))
}

// CardBank returns the bank that issued a 16-digit card number, by its BIN. The
// Luhn digit is not checked, so that a simulator can name the bank of a mistyped
// card in its error.
func CardBank(card string) (Bank, bool) {
	if len(card) != cardLen || !allDigits(card) {
		return Bank{}, false
	}
	return BankByBIN(card)
}
