package paynet

import "strings"

const (
	brandVisa   = "VISA"
	brandMaster = "MASTERCARD"
	brandAmex   = "AMEX"
	brandTroy   = "TROY"
	otherBank   = "ZDGR" // Paynet's "Diğer Banka" code, for BINs outside the table
)

// brandOf names the scheme by prefix: Troy 9792, Amex 34/37, Visa 4,
// Mastercard 51-55 and 2221-2720 (and the 58 and 67 Maestro ranges Turkish
// banks issue as Mastercard). Anything else is not a card Paynet stores.
func brandOf(num string) string {
	switch {
	case strings.HasPrefix(num, "9792"):
		return brandTroy
	case strings.HasPrefix(num, "34"), strings.HasPrefix(num, "37"):
		return brandAmex
	case strings.HasPrefix(num, "4"):
		return brandVisa
	case num[0] == '5' && num[1] >= '1' && num[1] <= '5', strings.HasPrefix(num, "58"), strings.HasPrefix(num, "67"):
		return brandMaster
	case num[0] == '2':
		p := (int(num[1]-'0')*10+int(num[2]-'0'))*10 + int(num[3]-'0')
		if p >= 221 && p <= 720 {
			return brandMaster
		}
	}
	return ""
}

// cardInfo is what the BIN table says about a number.
type cardInfo struct {
	bin, brand, typ string
	bank            Bank
}

// lookup resolves a number's programme, brand and type. A BIN outside the table
// is "Diğer Banka", an individual credit card, with the brand from the prefix.
func (s *settings) lookup(num string) (cardInfo, bool) {
	brand := brandOf(num)
	if brand == "" {
		return cardInfo{}, false
	}
	bin := num[:6]
	if b, ok := s.bins[bin]; ok {
		if b.Brand != "" {
			brand = b.Brand
		}
		return cardInfo{bin: bin, brand: brand, typ: b.Type, bank: s.banks[b.Bank]}, true
	}
	return cardInfo{bin: bin, brand: brand, typ: "cc", bank: s.banks[otherBank]}, true
}

// maskNumber keeps the first 6 and last 4 digits. The official list sample hides
// a 16-digit number behind eight stars (434678********0002); "length" mode hides
// one star per digit as the SDK's fixtures do.
func (s *settings) maskNumber(num string) string {
	hidden := len(num) - 10
	if s.fixedMask {
		hidden = 8
	}
	return num[:6] + strings.Repeat("*", hidden) + num[len(num)-4:]
}

// maskHolder keeps two letters at each end (RQ*****QR in the official sample);
// names of four letters or fewer keep only the first.
func maskHolder(name string) string {
	r := []rune(name)
	if len(r) <= 4 {
		if len(r) == 0 {
			return ""
		}
		return string(r[:1]) + strings.Repeat("*", len(r)-1)
	}
	return string(r[:2]) + strings.Repeat("*", len(r)-4) + string(r[len(r)-2:])
}
