package iran

import "fmt"

// These read the package's tables for its tests; nothing in sandbank needs
// them at run time, so they live here rather than in the binary.

// Banks returns every bank, in IBAN code order. The slice is a copy.
func Banks() []Bank {
	idx := banks()
	out := make([]Bank, len(idx.list))
	for i, b := range idx.list {
		out[i] = b.clone()
	}
	return out
}

// Holidays returns the known official holidays in date order. The slice is a
// copy.
func Holidays() []Holiday {
	return append([]Holiday(nil), holidays().list...)
}

// JalaliMonthName returns the Persian name of Jalali month m (1 = فروردین), or
// "" when m is out of range.
func JalaliMonthName(m int) string {
	if m < 1 || m > len(jalaliMonths) {
		return ""
	}
	return jalaliMonths[m-1]
}

// PAYACycleTimes returns the Tehran send times of the daily PAYA cycles, "HH:mm".
func PAYACycleTimes() []string {
	out := make([]string, len(payaCycles))
	for i, c := range payaCycles {
		out[i] = c.send.String()
	}
	return out
}

func (c clock) String() string { return fmt.Sprintf("%02d:%02d", c.h, c.m) }
