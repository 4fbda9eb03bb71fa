package iran

// allDigits reports whether s is non-empty and made only of ASCII digits;
// Persian and Arabic-Indic digits are rejected on purpose, since the providers'
// wire formats carry ASCII.
func allDigits(s string) bool {
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
