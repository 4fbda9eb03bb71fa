package iran

import (
	"strings"

	"github.com/sandbank-dev/sandbank/mock/digits"
)

// NormalizeMobile accepts the spellings of an Iranian mobile number clients send
// (09…, 9…, 989…, +989…, 00989…, in ASCII, Persian or Arabic-Indic digits, with
// surrounding space) and returns the 11-digit 09xxxxxxxxx form.
func NormalizeMobile(s string) (string, bool) {
	s = digits.ToASCII(strings.TrimSpace(s))
	switch {
	case strings.HasPrefix(s, "+98"):
		s = "0" + s[3:]
	case strings.HasPrefix(s, "0098"):
		s = "0" + s[4:]
	case strings.HasPrefix(s, "98") && len(s) == 12:
		s = "0" + s[2:]
	case strings.HasPrefix(s, "9") && len(s) == 10:
		s = "0" + s
	}
	if !strings.HasPrefix(s, "09") || !digits.Len(s, 11) {
		return "", false
	}
	return s, true
}
