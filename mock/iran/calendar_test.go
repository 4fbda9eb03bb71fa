package iran

import (
	"testing"
	"time"
)

// teh builds a Tehran wall time; tests state times the way providers do.
func teh(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, Tehran)
}

func TestJalaliKnownDates(t *testing.T) {
	tests := []struct {
		g       time.Time
		y, m, d int
	}{
		{teh(2026, 3, 21, 0, 0), 1405, 1, 1},
		{teh(2026, 11, 22, 12, 0), 1405, 9, 1},
		{teh(2025, 3, 21, 0, 0), 1404, 1, 1},
		{teh(2026, 3, 20, 23, 59), 1404, 12, 29},
		{teh(2028, 3, 19, 0, 0), 1406, 12, 29},
		{teh(2025, 3, 20, 0, 0), 1403, 12, 30}, // 1403 is a leap year
	}
	for _, tt := range tests {
		y, m, d := ToJalali(tt.g)
		if y != tt.y || m != tt.m || d != tt.d {
			t.Errorf("ToJalali(%s) = %d/%d/%d, want %d/%d/%d", tt.g, y, m, d, tt.y, tt.m, tt.d)
		}
		if got := FromJalali(tt.y, tt.m, tt.d); !got.Equal(dateOf(tt.g)) || got.Location() != Tehran {
			t.Errorf("FromJalali(%d/%d/%d) = %s, want %s", tt.y, tt.m, tt.d, got, dateOf(tt.g))
		}
	}
}

func TestToJalaliUsesTehranDate(t *testing.T) {
	// 21:00 UTC on 20 March 2026 is already 00:30 on 1 Farvardin in Tehran.
	utc := time.Date(2026, 3, 20, 21, 0, 0, 0, time.UTC)
	if y, m, d := ToJalali(utc); y != 1405 || m != 1 || d != 1 {
		t.Errorf("ToJalali(%s) = %d/%d/%d, want 1405/1/1", utc, y, m, d)
	}
}

func TestFromJalaliInvalid(t *testing.T) {
	for _, c := range [][3]int{{1404, 12, 30}, {1405, 13, 1}, {1405, 0, 1}, {1405, 7, 31}, {1405, 1, 0}} {
		if got := FromJalali(c[0], c[1], c[2]); !got.IsZero() {
			t.Errorf("FromJalali(%v) = %s, want zero", c, got)
		}
	}
	if got := FromJalali(1403, 12, 30); got.IsZero() {
		t.Error("FromJalali(1403/12/30) is zero, but 1403 is a leap year")
	}
}

func TestFormatJalali(t *testing.T) {
	tm := time.Date(2026, 11, 22, 9, 5, 7, 0, Tehran)
	tests := []struct{ layout, want string }{
		{"yyyy/MM/dd", "1405/09/01"},
		{"yyyyMMdd", "14050901"},
		{"yyyy/MM/dd HH:mm:ss", "1405/09/01 09:05:07"},
		{"yyMMdd", "050901"},
		{"HHmmss", "090507"},
		{"yyyy-MM-ddTHH:mm", "1405-09-01T09:05"},
		{"literal", "literal"},
	}
	for _, tt := range tests {
		if got := FormatJalali(tm, tt.layout); got != tt.want {
			t.Errorf("FormatJalali(%q) = %q, want %q", tt.layout, got, tt.want)
		}
	}
	if got := FormatJalali(tm.UTC(), "yyyy/MM/dd HH:mm"); got != "1405/09/01 09:05" {
		t.Errorf("FormatJalali of a UTC time = %q, want Tehran wall time", got)
	}
}

func TestParseJalali(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"1405/01/01", teh(2026, 3, 21, 0, 0)},
		{"14050901", teh(2026, 11, 22, 0, 0)},
		{"1405/09/01 13:45:00", teh(2026, 11, 22, 13, 45)},
		{"14050901 03:15:00", teh(2026, 11, 22, 3, 15)},
		{"1403/12/30", teh(2025, 3, 20, 0, 0)},  // a leap year's last day
		{"2378/10/10", teh(2999, 12, 31, 0, 0)}, // the clock's last day
		{"0001/01/01", time.Date(622, 3, 22, 0, 0, 0, 0, Tehran)},
	}
	for _, tt := range tests {
		got, err := ParseJalali(tt.in)
		if err != nil || !got.Equal(tt.want) || got.Location() != Tehran {
			t.Errorf("ParseJalali(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
		if err == nil && FormatJalali(got, "yyyy/MM/dd HH:mm:ss")[:10] != FormatJalali(tt.want, "yyyy/MM/dd") {
			t.Errorf("ParseJalali(%q) does not round-trip", tt.in)
		}
	}
	for _, bad := range []string{"", "1405/1/1", "1405-01-01", "1404/12/30", "14051301", "1405/01/01 24:00:00",
		"1405/01/01 1:00:00", "1405/01/01 ", "+405/01/01", "1405/01/01T10:00:00",
		// Valid to the library but not converted back as sent ("0000/00/00", a day off).
		"3177/12/29", "31771228", "1630/12/29", "2055/12/29"} {
		if got, err := ParseJalali(bad); err == nil {
			t.Errorf("ParseJalali(%q) = %s, want error", bad, got)
		}
	}
}

func TestJalaliMonthName(t *testing.T) {
	tests := []struct {
		m    int
		want string
	}{{1, "فروردین"}, {2, "اردیبهشت"}, {9, "آذر"}, {12, "اسفند"}, {0, ""}, {13, ""}}
	for _, tt := range tests {
		if got := JalaliMonthName(tt.m); got != tt.want {
			t.Errorf("JalaliMonthName(%d) = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestHolidayTable(t *testing.T) {
	all := Holidays()
	if len(all) < 70 {
		t.Fatalf("only %d holidays", len(all))
	}
	first, last := teh(2025, 3, 21, 0, 0), teh(2028, 3, 19, 0, 0)
	perYear := map[string]int{}
	for i, h := range all {
		if h.Date.Before(first) || h.Date.After(last) {
			t.Errorf("%s is outside 1404-1406", h.Jalali)
		}
		if i > 0 && !all[i-1].Date.Before(h.Date) {
			t.Errorf("holidays out of order at %s", h.Jalali)
		}
		if h.Date.Location() != Tehran || !h.Date.Equal(dateOf(h.Date)) {
			t.Errorf("%s: date %s is not midnight Tehran", h.Jalali, h.Date)
		}
		if h.Name == "" {
			t.Errorf("%s has no name", h.Jalali)
		}
		perYear[h.Jalali[:4]]++
	}
	// The official 1404 and 1405 calendars have 26 and 25 holidays.
	if perYear["1404"] != 26 || perYear["1405"] != 25 {
		t.Errorf("holidays per year = %v, want 1404:26 1405:25", perYear)
	}
	// Solar holidays are fixed in every covered year.
	for y := 1404; y <= 1406; y++ {
		for _, md := range [][2]int{{1, 1}, {1, 2}, {1, 3}, {1, 4}, {1, 12}, {1, 13}, {3, 14}, {3, 15}, {11, 22}, {12, 29}} {
			if d := FromJalali(y, md[0], md[1]); !IsHoliday(d) {
				t.Errorf("%d/%02d/%02d is not a holiday", y, md[0], md[1])
			}
		}
	}
	all[0].Name = "changed"
	if Holidays()[0].Name == "changed" {
		t.Error("Holidays returned the table itself")
	}
}

func TestBusinessDays(t *testing.T) {
	tests := []struct {
		t        time.Time
		holiday  bool
		business bool
	}{
		{teh(2026, 10, 10, 10, 0), false, true},                        // Saturday
		{teh(2026, 10, 15, 10, 0), false, true},                        // Thursday counts
		{teh(2026, 10, 16, 10, 0), false, false},                       // Friday
		{teh(2026, 3, 21, 10, 0), true, false},                         // Nowruz, 1405/01/01
		{teh(2026, 3, 24, 23, 59), true, false},                        // 1405/01/04
		{teh(2026, 3, 25, 0, 0), false, true},                          // 1405/01/05
		{teh(2026, 4, 1, 9, 0), true, false},                           // 12 Farvardin
		{teh(2026, 6, 24, 9, 0), true, false},                          // Tasua 1448
		{teh(2025, 3, 20, 9, 0), false, true},                          // before the table: only Fridays count
		{time.Date(2026, 3, 20, 21, 0, 0, 0, time.UTC), true, false},   // UTC Friday evening is Tehran Saturday 1 Farvardin
		{time.Date(2026, 3, 24, 20, 45, 0, 0, time.UTC), false, true},  // ... and this is Tehran 25 March
		{time.Date(2026, 10, 15, 21, 0, 0, 0, time.UTC), false, false}, // UTC Thursday is Tehran Friday 00:30
	}
	for _, tt := range tests {
		if got := IsHoliday(tt.t); got != tt.holiday {
			t.Errorf("IsHoliday(%s) = %v, want %v", tt.t, got, tt.holiday)
		}
		if got := IsBusinessDay(tt.t); got != tt.business {
			t.Errorf("IsBusinessDay(%s) = %v, want %v", tt.t, got, tt.business)
		}
	}
}

func TestNextBusinessDay(t *testing.T) {
	tests := []struct {
		from, want time.Time
	}{
		{teh(2026, 10, 10, 15, 0), teh(2026, 10, 11, 0, 0)},  // Sat -> Sun
		{teh(2026, 10, 15, 9, 0), teh(2026, 10, 17, 0, 0)},   // Thu -> Sat over Friday
		{teh(2026, 10, 16, 0, 0), teh(2026, 10, 17, 0, 0)},   // Fri -> Sat
		{teh(2026, 3, 19, 12, 0), teh(2026, 3, 25, 0, 0)},    // Thu before Nowruz 1405 -> 5 Farvardin
		{teh(2026, 3, 31, 12, 0), teh(2026, 4, 4, 0, 0)},     // over 12, 13 Farvardin and a Friday
		{teh(2025, 3, 20, 12, 0), teh(2025, 3, 25, 0, 0)},    // Nowruz 1404 starts on a Friday
		{teh(2026, 10, 10, 23, 59), teh(2026, 10, 11, 0, 0)}, // strictly after the date, not 24h later
	}
	for _, tt := range tests {
		got := NextBusinessDay(tt.from)
		if !got.Equal(tt.want) || got.Location() != Tehran {
			t.Errorf("NextBusinessDay(%s) = %s, want %s", tt.from, got, tt.want)
		}
	}
}

func TestAddBusinessDays(t *testing.T) {
	tests := []struct {
		from time.Time
		n    int
		want time.Time
	}{
		{teh(2026, 10, 10, 11, 30), 0, teh(2026, 10, 10, 11, 30)},
		{teh(2026, 10, 10, 11, 30), 1, teh(2026, 10, 11, 11, 30)},
		{teh(2026, 10, 14, 11, 30), 2, teh(2026, 10, 17, 11, 30)}, // Wed + 2: Thu, (Fri), Sat
		{teh(2026, 10, 16, 8, 0), 1, teh(2026, 10, 17, 8, 0)},     // from a Friday
		{teh(2026, 3, 18, 14, 0), 2, teh(2026, 3, 25, 14, 0)},     // Wed + 2: Thu 19, then Nowruz until 25
		{teh(2026, 3, 25, 14, 0), -1, teh(2026, 3, 19, 14, 0)},    // backwards over Nowruz
		{teh(2026, 10, 17, 9, 15), -1, teh(2026, 10, 15, 9, 15)},  // Sat - 1 = Thu
		{teh(2026, 10, 10, 9, 0), 5, teh(2026, 10, 15, 9, 0)},     // Sat + 5 = Thu
		{teh(2026, 10, 10, 9, 0), 6, teh(2026, 10, 17, 9, 0)},     // Sat + 6 = next Sat
	}
	for _, tt := range tests {
		got := AddBusinessDays(tt.from, tt.n)
		if !got.Equal(tt.want) || got.Location() != Tehran {
			t.Errorf("AddBusinessDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}
