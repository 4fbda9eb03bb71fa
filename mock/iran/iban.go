package iran

import (
	"fmt"
	"strings"

	"github.com/sandbank-dev/sandbank/mock/digits"
)

// An Iranian IBAN (شبا) is IR, two check digits, the three-digit bank code and a
// 19-digit account part (whose first digit is conventionally 0), 26 characters in
// all. For example IR66 057 0021380014707021101 is Bank Pasargad (057).
const (
	ibanLen        = 26
	ibanBankStart  = 4
	ibanAcctStart  = 7
	ibanAccountLen = 19
)

// normalizeIBAN strips spaces and upper-cases the country prefix, the two ways
// users and sandboxes commonly vary an otherwise valid IBAN.
func normalizeIBAN(s string) string {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) >= 2 && strings.EqualFold(s[:2], "IR") {
		s = "IR" + s[2:]
	}
	return s
}

// wellFormedIBAN reports the shape IR + 24 digits, without the checksum.
func wellFormedIBAN(s string) bool {
	return len(s) == ibanLen && s[:2] == "IR" && digits.All(s[2:])
}

// ValidIBAN reports whether s is an Iranian IBAN with correct check digits
// (ISO 13616 mod 97). Spaces are ignored and the IR prefix may be lower case.
func ValidIBAN(s string) bool {
	s = normalizeIBAN(s)
	if !wellFormedIBAN(s) {
		return false
	}
	return mod97(s[4:]+irDigits+s[2:4]) == 1
}

// irDigits is "IR" in the ISO 13616 letter encoding (I=18, R=27).
const irDigits = "1827"

// mod97 reduces a decimal string modulo 97 digit by digit, since a 26-digit
// number does not fit in a uint64.
func mod97(digits string) int {
	r := 0
	for i := 0; i < len(digits); i++ {
		r = (r*10 + int(digits[i]-'0')) % 97
	}
	return r
}

// MakeIBAN builds a valid IBAN from a three-digit bank code and an account part
// of up to 19 digits, which is left-padded with zeros.
func MakeIBAN(bankCode, account string) (string, error) {
	if len(bankCode) != 3 || !digits.All(bankCode) {
		return "", fmt.Errorf("iran: bank code %q is not 3 digits", bankCode)
	}
	if len(account) > ibanAccountLen || !digits.All(account) {
		return "", fmt.Errorf("iran: IBAN account part %q is not 1 to %d digits", account, ibanAccountLen)
	}
	bban := bankCode + strings.Repeat("0", ibanAccountLen-len(account)) + account
	check := 98 - mod97(bban+irDigits+"00")
	return fmt.Sprintf("IR%02d%s", check, bban), nil
}

// IBANBankCode returns the three-digit bank code of an IBAN, or "" if s is not
// shaped like one. The check digits are not verified, so that a simulator can
// still name the bank of a mistyped IBAN in its error.
func IBANBankCode(s string) string {
	s = normalizeIBAN(s)
	if !wellFormedIBAN(s) {
		return ""
	}
	return s[ibanBankStart:ibanAcctStart]
}

// IBANAccountPart returns the 19-digit account part of an IBAN, or "" if s is
// not shaped like one. As with IBANBankCode, the check digits are not verified.
func IBANAccountPart(s string) string {
	s = normalizeIBAN(s)
	if !wellFormedIBAN(s) {
		return ""
	}
	return s[ibanAcctStart:]
}
