package iran

import (
	"fmt"

	"github.com/sandbank-dev/sandbank/mock/digits"
)

// ValidNationalCode reports whether s is a 10-digit Iranian national code
// (کد ملی) with a correct check digit.
//
// It is the pure checksum: codes of one repeated digit such as 1111111111 pass,
// because they satisfy the algorithm and one provider sandbox uses 1111111111 as
// its test login. Callers that want to refuse them must do so themselves.
func ValidNationalCode(s string) bool {
	if len(s) != 10 || !digits.All(s) {
		return false
	}
	d, err := NationalCodeCheckDigit(s[:9])
	return err == nil && d == s[9]
}

// NationalCodeCheckDigit returns the check digit, as an ASCII character '0'..'9',
// for the first nine digits of a national code.
func NationalCodeCheckDigit(first9 string) (byte, error) {
	if len(first9) != 9 || !digits.All(first9) {
		return 0, fmt.Errorf("iran: national code prefix %q is not 9 digits", first9)
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(first9[i]-'0') * (10 - i)
	}
	r := sum % 11
	if r >= 2 {
		r = 11 - r
	}
	return byte('0' + r), nil
}

// MakeNationalCode appends the check digit to first9. It returns "" when first9
// is not nine ASCII digits, so fixtures built from bad input fail loudly in
// validation rather than carrying a plausible-looking code.
func MakeNationalCode(first9 string) string {
	d, err := NationalCodeCheckDigit(first9)
	if err != nil {
		return ""
	}
	return first9 + string(d)
}
