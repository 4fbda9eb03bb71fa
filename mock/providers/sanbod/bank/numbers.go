package bank

import (
	"github.com/sandbank-dev/sandbank/mock/digits"
	"strings"

	"github.com/sandbank-dev/sandbank/mock/iran"
)

// Deposit numbers and the 19-digit account part of an IBAN (IR kk BBB <19 digits>)
// convert both ways by the bank's number style. Two styles are known from Sanbod's documentation:
//
//	dash (Sina, the default):  119-813-2618257-1   <-> 00 119 813 02618257 001
//	dot  (Pasargad):           213.8000.14707021.1 <-> 00 213 800 14707021 1 01
//
// and an account part that fits neither is written as its digits without leading
// zeros (Parsian's 126030100979988607 <-> 0126030100979988607). Decoding then
// encoding an account part always gives it back, so IBAN -> deposit -> IBAN is exact;
// a deposit number has one canonical spelling, the decoding of its account part.

type numberStyle uint8

const (
	styleDash numberStyle = iota
	styleDot
)

// bankStyle lists the banks whose own numbers are not dashed.
var bankStyle = map[string]numberStyle{"057": styleDot}

const acctLen = 19

// encodeNumber turns a deposit number into an IBAN account part; ok is false for
// a number no style can hold.
func encodeNumber(number string) (string, bool) {
	number = strings.TrimSpace(number)
	switch {
	case strings.Contains(number, "."):
		p := strings.Split(number, ".")
		// The dot style keeps three digits of the four-digit type; the fourth and
		// the third must be 0 so the type can be restored and told apart from a
		// dashed number (whose third group may end in anything).
		if len(p) != 4 || !digitsIn(p[0], 3, 3) || !digitsIn(p[1], 4, 4) || p[1][2:] != "00" || !digitsIn(p[2], 8, 8) || !digitsIn(p[3], 1, 1) {
			return "", false
		}
		return "00" + p[0] + p[1][:3] + p[2] + p[3] + "01", true
	case strings.Contains(number, "-"):
		p := strings.Split(number, "-")
		if len(p) != 4 || !digitsIn(p[0], 3, 3) || !digitsIn(p[1], 3, 3) || !digitsIn(p[2], 1, 8) || !digitsIn(p[3], 1, 3) {
			return "", false
		}
		return "00" + p[0] + p[1] + pad(p[2], 8) + pad(p[3], 3), true
	case digitsIn(number, 1, acctLen):
		return pad(number, acctLen), true
	}
	return "", false
}

// decodeAccount is the canonical deposit number of an account part at bank.
func decodeAccount(bank, acct string) string {
	if len(acct) != acctLen {
		return ""
	}
	if acct[:2] == "00" {
		if bankStyle[bank] == styleDot && acct[7] == '0' && acct[17:] == "01" {
			return acct[2:5] + "." + acct[5:8] + "0." + acct[8:16] + "." + acct[16:17]
		}
		return acct[2:5] + "-" + acct[5:8] + "-" + trimZeros(acct[8:16]) + "-" + trimZeros(acct[16:19])
	}
	return trimZeros(acct)
}

// canonicalNumber is the bank's spelling of number and its account part.
func canonicalNumber(bank, number string) (canon, acct string, ok bool) {
	acct, ok = encodeNumber(number)
	if !ok {
		return "", "", false
	}
	return decodeAccount(bank, acct), acct, true
}

// ibanOf builds the IBAN of an account part at bank.
func ibanOf(bank, acct string) string {
	s, err := iran.MakeIBAN(bank, acct)
	if err != nil {
		return ""
	}
	return s
}

// normIBAN strips spaces (the documentation's ibantodeposit example pads the value) and
// upper-cases the country code; ok is false unless the result passes mod-97.
func normIBAN(s string) (string, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if len(s) >= 2 && strings.EqualFold(s[:2], "IR") {
		s = "IR" + s[2:]
	}
	if !iran.ValidIBAN(s) {
		return "", false
	}
	return s, true
}

// digitsIn is s of min to max ASCII digits.
func digitsIn(s string, min, max int) bool { return len(s) >= min && len(s) <= max && digits.All(s) }

func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

func trimZeros(s string) string {
	t := strings.TrimLeft(s, "0")
	if t == "" {
		return "0"
	}
	return t
}

// maskDeposit is how statement descriptions show a deposit: "119..1".
func maskDeposit(n string) string {
	if len(n) < 5 {
		return n
	}
	return n[:3] + ".." + n[len(n)-1:]
}
