package iran

import (
	"slices"
	"testing"
	"time"
)

func TestPAYACycleTimes(t *testing.T) {
	if got := PAYACycleTimes(); !slices.Equal(got, []string{"03:45", "10:45", "13:45"}) {
		t.Errorf("PAYACycleTimes() = %v", got)
	}
}

func TestPAYASendTime(t *testing.T) {
	// 2026-10-10 is a Saturday; that week (Mehr/Aban 1405) has no holidays.
	sec := func(tm time.Time, s int) time.Time { return tm.Add(time.Duration(s) * time.Second) }
	tests := []struct {
		name       string
		registered time.Time
		want       time.Time
	}{
		{"just after midnight", teh(2026, 10, 11, 0, 5), teh(2026, 10, 11, 3, 45)},
		{"03:14", teh(2026, 10, 11, 3, 14), teh(2026, 10, 11, 3, 45)},
		{"03:14:59", sec(teh(2026, 10, 11, 3, 14), 59), teh(2026, 10, 11, 3, 45)},
		{"03:15", teh(2026, 10, 11, 3, 15), teh(2026, 10, 11, 10, 45)},
		{"10:14", teh(2026, 10, 11, 10, 14), teh(2026, 10, 11, 10, 45)},
		{"10:15", teh(2026, 10, 11, 10, 15), teh(2026, 10, 11, 13, 45)},
		{"13:14", teh(2026, 10, 11, 13, 14), teh(2026, 10, 11, 13, 45)},
		{"13:15", teh(2026, 10, 11, 13, 15), teh(2026, 10, 12, 3, 45)},
		{"23:59", teh(2026, 10, 11, 23, 59), teh(2026, 10, 12, 3, 45)},
		{"Thursday midday runs Thursday", teh(2026, 10, 15, 11, 0), teh(2026, 10, 15, 13, 45)},
		{"Thursday night skips Friday", teh(2026, 10, 15, 20, 0), teh(2026, 10, 17, 3, 45)},
		{"Friday morning waits for Saturday", teh(2026, 10, 16, 9, 0), teh(2026, 10, 17, 3, 45)},
		{"Friday 13:15 window is Saturday 03:45", teh(2026, 10, 16, 13, 30), teh(2026, 10, 17, 3, 45)},
		{"Tuesday night before 12 Farvardin holidays", teh(2026, 3, 31, 14, 0), teh(2026, 4, 4, 3, 45)},
		{"during Nowruz", teh(2026, 3, 22, 9, 0), teh(2026, 3, 25, 3, 45)},
		{"UTC input", time.Date(2026, 10, 11, 6, 50, 0, 0, time.UTC), teh(2026, 10, 11, 13, 45)}, // 10:20 Tehran
	}
	for _, tt := range tests {
		got := PAYASendTime(tt.registered)
		if !got.Equal(tt.want) || got.Location() != Tehran {
			t.Errorf("%s: PAYASendTime(%s) = %s, want %s", tt.name, tt.registered, got, tt.want)
		}
	}
}

func TestNextPAYACycle(t *testing.T) {
	tests := []struct {
		name string
		from time.Time
		want time.Time
	}{
		{"before first", teh(2026, 10, 11, 1, 0), teh(2026, 10, 11, 3, 45)},
		{"after cutoff still before cycle", teh(2026, 10, 11, 3, 20), teh(2026, 10, 11, 3, 45)},
		{"exactly at a cycle is not after it", teh(2026, 10, 11, 3, 45), teh(2026, 10, 11, 10, 45)},
		{"between", teh(2026, 10, 11, 12, 0), teh(2026, 10, 11, 13, 45)},
		{"after last", teh(2026, 10, 11, 13, 45), teh(2026, 10, 12, 3, 45)},
		{"Thursday evening", teh(2026, 10, 15, 18, 0), teh(2026, 10, 17, 3, 45)},
		{"Friday", teh(2026, 10, 16, 2, 0), teh(2026, 10, 17, 3, 45)},
		{"Nowruz", teh(2026, 3, 19, 14, 0), teh(2026, 3, 25, 3, 45)},
	}
	for _, tt := range tests {
		got := NextPAYACycle(tt.from)
		if !got.Equal(tt.want) || got.Location() != Tehran {
			t.Errorf("%s: NextPAYACycle(%s) = %s, want %s", tt.name, tt.from, got, tt.want)
		}
	}
}

func TestPAYASendTimeIsACycle(t *testing.T) {
	// Over a span with Nowruz, Fridays and lunar holidays, every send time must
	// be a cycle on a business day and never earlier than registration.
	start := teh(2026, 3, 15, 0, 0)
	for m := 0; m < 60*24*30; m += 37 {
		reg := start.Add(time.Duration(m) * time.Minute)
		s := PAYASendTime(reg)
		if !IsBusinessDay(s) || !slices.Contains(PAYACycleTimes(), FormatJalali(s, "HH:mm")) || !s.After(reg) {
			t.Fatalf("PAYASendTime(%s) = %s", reg, s)
		}
		if n := NextPAYACycle(reg); s.Before(n) {
			t.Fatalf("PAYASendTime(%s) = %s is before the next cycle %s", reg, s, n)
		}
	}
}

func TestSATNA(t *testing.T) {
	tests := []struct {
		name string
		at   time.Time
		open bool
		next time.Time
	}{
		{"Saturday before open", teh(2026, 10, 10, 7, 59), false, teh(2026, 10, 10, 8, 0)},
		{"Saturday at open", teh(2026, 10, 10, 8, 0), true, teh(2026, 10, 10, 8, 0)},
		{"Wednesday 13:29", teh(2026, 10, 14, 13, 29), true, teh(2026, 10, 14, 13, 29)},
		{"Wednesday at close", teh(2026, 10, 14, 13, 30), false, teh(2026, 10, 15, 8, 0)},
		{"Thursday 11:59", teh(2026, 10, 15, 11, 59), true, teh(2026, 10, 15, 11, 59)},
		{"Thursday 12:00", teh(2026, 10, 15, 12, 0), false, teh(2026, 10, 17, 8, 0)},
		{"Friday", teh(2026, 10, 16, 10, 0), false, teh(2026, 10, 17, 8, 0)},
		{"Nowruz", teh(2026, 3, 22, 10, 0), false, teh(2026, 3, 25, 8, 0)},
	}
	for _, tt := range tests {
		if got := InSATNAHours(tt.at); got != tt.open {
			t.Errorf("%s: InSATNAHours(%s) = %v, want %v", tt.name, tt.at, got, tt.open)
		}
		if got := NextSATNAOpen(tt.at); !got.Equal(tt.next) || got.Location() != Tehran {
			t.Errorf("%s: NextSATNAOpen(%s) = %s, want %s", tt.name, tt.at, got, tt.next)
		}
	}
}
