package iran

import "testing"

func TestNationalCode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"0012345679", true},
		{"1234567891", true},
		{"1111111111", true}, // sum 54, 54%11 = 10, check 1: passes, kept for the sandbox login
		{"0000000000", true},
		{"0012345678", false},
		{"1234567890", false},
		{"123456789", false},
		{"12345678911", false},
		{"12345a7891", false},
		{"۱۲۳۴۵۶۷۸۹۱", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidNationalCode(tt.code); got != tt.want {
			t.Errorf("ValidNationalCode(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestNationalCodeCheckDigit(t *testing.T) {
	tests := []struct {
		first9  string
		want    byte
		wantErr bool
	}{
		{"001234567", '9', false}, // sum 112, r 2 -> 9
		{"123456789", '1', false}, // sum 210, r 1 -> 1
		{"000000000", '0', false},
		{"12345678", 0, true},
		{"12345678x", 0, true},
	}
	for _, tt := range tests {
		got, err := NationalCodeCheckDigit(tt.first9)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("NationalCodeCheckDigit(%q) = %q, %v; want %q, err %v", tt.first9, got, err, tt.want, tt.wantErr)
		}
	}
	if got := MakeNationalCode("001234567"); got != "0012345679" {
		t.Errorf("MakeNationalCode = %q", got)
	}
	if got := MakeNationalCode("0012"); got != "" {
		t.Errorf("MakeNationalCode(short) = %q, want empty", got)
	}
	for _, p := range []string{"000000001", "987654321", "555000111", "100000000"} {
		if c := MakeNationalCode(p); !ValidNationalCode(c) {
			t.Errorf("MakeNationalCode(%q) = %q does not validate", p, c)
		}
	}
}

const pasargadIBAN = "IR660570021380014707021101"

func TestValidIBAN(t *testing.T) {
	tests := []struct {
		iban string
		want bool
	}{
		{pasargadIBAN, true},
		{"ir660570021380014707021101", true},
		{"IR66 0570 0213 8001 4707 0211 01", true},
		{"IR240150000001177301920207", true},
		{"IR670570021380014707021101", false}, // wrong check digits
		{"IR660570021380014707021102", false}, // one account digit changed
		{"IR660570021380014707021110", false}, // two digits swapped
		{"DE660570021380014707021101", false},
		{"IR66057002138001470702110", false},
		{"IR6605700213800147070211011", false},
		{"IR66057002138001470702110X", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidIBAN(tt.iban); got != tt.want {
			t.Errorf("ValidIBAN(%q) = %v, want %v", tt.iban, got, tt.want)
		}
	}
}

func TestMakeIBAN(t *testing.T) {
	tests := []struct {
		code, account string
		want          string
		wantErr       bool
	}{
		{"057", "0021380014707021101", pasargadIBAN, false},
		{"057", "21380014707021101", pasargadIBAN, false}, // left-padded
		{"015", "1177301920207", "IR240150000001177301920207", false},
		{"57", "1", "", true},
		{"0570", "1", "", true},
		{"057", "12345678901234567890", "", true},
		{"057", "12a", "", true},
	}
	for _, tt := range tests {
		got, err := MakeIBAN(tt.code, tt.account)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("MakeIBAN(%q, %q) = %q, %v; want %q, err %v", tt.code, tt.account, got, err, tt.want, tt.wantErr)
		}
	}
	for _, b := range Banks() {
		iban, err := MakeIBAN(b.Code, "42")
		if err != nil || !ValidIBAN(iban) || IBANBankCode(iban) != b.Code {
			t.Errorf("MakeIBAN(%q, 42) = %q, %v: not a valid IBAN of that bank", b.Code, iban, err)
		}
	}
}

func TestIBANParts(t *testing.T) {
	tests := []struct {
		iban, code, account string
	}{
		{pasargadIBAN, "057", "0021380014707021101"},
		{"ir66 0570 0213 8001 4707 0211 01", "057", "0021380014707021101"},
		{"IR670570021380014707021101", "057", "0021380014707021101"}, // bad checksum, still parsed
		{"IR6605700213", "", ""},
		{"XX660570021380014707021101", "", ""},
	}
	for _, tt := range tests {
		if got := IBANBankCode(tt.iban); got != tt.code {
			t.Errorf("IBANBankCode(%q) = %q, want %q", tt.iban, got, tt.code)
		}
		if got := IBANAccountPart(tt.iban); got != tt.account {
			t.Errorf("IBANAccountPart(%q) = %q, want %q", tt.iban, got, tt.account)
		}
	}
	if b, ok := BankByCode(IBANBankCode(pasargadIBAN)); !ok || b.Key != "pasargad" {
		t.Errorf("bank of %s = %+v, %v; want pasargad", pasargadIBAN, b, ok)
	}
}

func TestCardLuhn(t *testing.T) {
	tests := []struct {
		card string
		want bool
	}{
		{"4111111111111111", true},
		{"6037990000000006", true},
		{"6104337000000008", true}, // payload sum 22 -> 8, worked by hand
		{"6104337000000004", false},
		{"6037990000000007", false},
		{"4111111111111112", false},
		{"411111111111111", false},
		{"41111111111111111", false},
		{"6037 9900 0000 0006", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidCardLuhn(tt.card); got != tt.want {
			t.Errorf("ValidCardLuhn(%q) = %v, want %v", tt.card, got, tt.want)
		}
	}
}

func TestMakeCard(t *testing.T) {
	tests := []struct {
		prefix, body, want string
	}{
		{"603799", "0", "6037990000000006"},
		{"610433", "700000000", "6104337000000008"},
		{"610433", "7000000", "6104330070000008"}, // body is left-padded, not the prefix
		{"411111", "111111111", "4111111111111111"},
		{"603799", "1234567890", ""}, // 16 payload digits
		{"60379x", "1", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := MakeCard(tt.prefix, tt.body); got != tt.want {
			t.Errorf("MakeCard(%q, %q) = %q, want %q", tt.prefix, tt.body, got, tt.want)
		}
	}
	for _, b := range Banks() {
		for _, bin := range b.BINs {
			card := MakeCard(bin, "123456789")
			if !ValidCardLuhn(card) {
				t.Errorf("MakeCard(%s) = %q fails Luhn", bin, card)
			}
			if got, ok := CardBank(card); !ok || got.Key != b.Key {
				t.Errorf("CardBank(%s) = %q, %v; want %q", card, got.Key, ok, b.Key)
			}
		}
	}
}
