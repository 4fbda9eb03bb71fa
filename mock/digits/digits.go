// Package digits holds the checks on numeric wire strings that every provider
// needs: card numbers, national codes, mobiles, amounts. It knows no provider and
// no country.
package digits

import "strings"

// All reports whether s is non-empty and made only of ASCII digits. Persian and
// Arabic-Indic digits are rejected on purpose: the providers' wire formats carry
// ASCII.
func All(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Len reports whether s is exactly n ASCII digits.
func Len(s string, n int) bool { return len(s) == n && All(s) }

// Luhn reports whether s is ASCII digits whose last one is the mod-10 (Luhn)
// check digit of the rest.
func Luhn(s string) bool {
	return len(s) >= 2 && All(s) && LuhnDigit(s[:len(s)-1]) == s[len(s)-1]
}

// LuhnDigit returns the ASCII check digit for payload, which must be digits.
func LuhnDigit(payload string) byte {
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

// ToASCII rewrites Persian (۰-۹) and Arabic-Indic (٠-٩) digits as ASCII ones and
// leaves everything else alone. It is for what people type into the bank pages,
// whose hints show Persian digits; wire formats stay ASCII-only (All).
func ToASCII(s string) string {
	for _, r := range s {
		if r >= '۰' && r <= '۹' || r >= '٠' && r <= '٩' {
			return strings.Map(func(r rune) rune {
				switch {
				case r >= '۰' && r <= '۹':
					return '0' + (r - '۰')
				case r >= '٠' && r <= '٩':
					return '0' + (r - '٠')
				}
				return r
			}, s)
		}
	}
	return s
}
