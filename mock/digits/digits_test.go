package digits

import "testing"

func TestAll(t *testing.T) {
	for s, want := range map[string]bool{"": false, "0": true, "0912": true, "12a": false, "۱۲": false, " 1": false} {
		if All(s) != want {
			t.Errorf("All(%q) = %v", s, !want)
		}
	}
	if !Len("1234", 4) || Len("1234", 5) || Len("12a4", 4) {
		t.Error("Len")
	}
}

func TestLuhn(t *testing.T) {
	for s, want := range map[string]bool{
		"4355084355084358": true,  // a Turkish test card
		"6037991234567893": true,  // an Iranian card number
		"6037991234567890": false, // check digit off by three
		"6362144202902795": false, // Finnotech's documented bon card fails the check
		"0":                false,
		"18":               true,
		"4355a84355084358": false,
	} {
		if Luhn(s) != want {
			t.Errorf("Luhn(%q) = %v", s, !want)
		}
	}
	if LuhnDigit("603799123456789") != '3' {
		t.Error("LuhnDigit")
	}
}

func TestToASCII(t *testing.T) {
	for in, want := range map[string]string{"۱۱۱۱۱۱۱۱۱۱": "1111111111", "٠١٢٣٤٥٦٧٨٩": "0123456789", "ab۳c": "ab3c", "123": "123", "": ""} {
		if got := ToASCII(in); got != want {
			t.Errorf("ToASCII(%q) = %q, want %q", in, got, want)
		}
	}
}
