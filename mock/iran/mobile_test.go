package iran

import "testing"

func TestNormalizeMobile(t *testing.T) {
	for in, want := range map[string]string{
		"09121234567": "09121234567", "9121234567": "09121234567", "989121234567": "09121234567",
		"+989121234567": "09121234567", "00989121234567": "09121234567", " ۰۹۱۲۱۲۳۴۵۶۷ ": "09121234567",
		"٠٩١٢١٢٣٤٥٦٧": "09121234567",
		"0912123456":  "", "08121234567": "", "0912123456a": "", "": "", "+98": "", "98912123456": "",
	} {
		got, ok := NormalizeMobile(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeMobile(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
