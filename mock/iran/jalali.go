package iran

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	jalaali "github.com/jalaali/go-jalaali"

	"github.com/sandbank-dev/sandbank/mock/digits"
)

// ToJalali returns the Jalali (Solar Hijri) date of t on the Tehran calendar.
// It returns zeros for years outside the algorithm's range (about 560-3800 CE).
func ToJalali(t time.Time) (y, m, d int) {
	g := t.In(Tehran)
	jy, jm, jd, err := jalaali.ToJalaali(g.Year(), g.Month(), g.Day())
	if err != nil {
		return 0, 0, 0
	}
	return jy, int(jm), jd
}

// FromJalali returns midnight Tehran of the Jalali date y/m/d, or the zero Time
// when that date does not exist (e.g. 1404/12/30: 1404 is not a leap year).
func FromJalali(y, m, d int) time.Time {
	if !jalaali.IsValidDate(y, m, d) {
		return time.Time{}
	}
	gy, gm, gd, err := jalaali.ToGregorian(y, jalaali.Month(m), d)
	if err != nil {
		return time.Time{}
	}
	return time.Date(gy, gm, gd, 0, 0, 0, 0, Tehran)
}

var jalaliMonths = [...]string{
	"فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
	"مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
}

// FormatJalali formats t, on the Tehran calendar, with a layout built from these
// case-sensitive tokens; everything else is copied as is:
//
//	yyyy  four-digit Jalali year    (1405)
//	yy    last two digits of year   (05)
//	MM    two-digit month           (01-12)
//	dd    two-digit day             (01-31)
//	HH    two-digit hour, 24h       (00-23)
//	mm    two-digit minute          (00-59)
//	ss    two-digit second          (00-59)
//
// The providers use "yyyy/MM/dd", "yyyyMMdd", "yyyy/MM/dd HH:mm:ss", "yyMMdd" and
// "HHmmss".
func FormatJalali(t time.Time, layout string) string {
	t = t.In(Tehran)
	y, mo, d := ToJalali(t)
	var b strings.Builder
	for i := 0; i < len(layout); {
		rest := layout[i:]
		switch {
		case strings.HasPrefix(rest, "yyyy"):
			fmt.Fprintf(&b, "%04d", y)
			i += 4
		case strings.HasPrefix(rest, "yy"):
			fmt.Fprintf(&b, "%02d", y%100)
			i += 2
		case strings.HasPrefix(rest, "MM"):
			fmt.Fprintf(&b, "%02d", mo)
			i += 2
		case strings.HasPrefix(rest, "dd"):
			fmt.Fprintf(&b, "%02d", d)
			i += 2
		case strings.HasPrefix(rest, "HH"):
			fmt.Fprintf(&b, "%02d", t.Hour())
			i += 2
		case strings.HasPrefix(rest, "mm"):
			fmt.Fprintf(&b, "%02d", t.Minute())
			i += 2
		case strings.HasPrefix(rest, "ss"):
			fmt.Fprintf(&b, "%02d", t.Second())
			i += 2
		default:
			b.WriteByte(layout[i])
			i++
		}
	}
	return b.String()
}

// ParseJalali parses a Tehran wall time written as "yyyy/MM/dd" or "yyyyMMdd",
// optionally followed by " HH:mm:ss". Without a time of day it returns midnight.
// A date is one FormatJalali writes back as it was sent.
func ParseJalali(s string) (time.Time, error) {
	date, clock, hasClock := strings.Cut(s, " ")
	var ys, ms, ds string
	switch {
	case len(date) == 10 && date[4] == '/' && date[7] == '/':
		ys, ms, ds = date[:4], date[5:7], date[8:]
	case len(date) == 8:
		ys, ms, ds = date[:4], date[4:6], date[6:]
	default:
		return time.Time{}, fmt.Errorf("iran: Jalali date %q is not yyyy/MM/dd or yyyyMMdd", s)
	}
	y, m, d, ok := atoi3(ys, ms, ds)
	if !ok || !jalaali.IsValidDate(y, m, d) {
		return time.Time{}, fmt.Errorf("iran: %q is not a valid Jalali date", s)
	}
	var hh, mi, ss int
	if hasClock {
		if len(clock) != 8 || clock[2] != ':' || clock[5] != ':' {
			return time.Time{}, fmt.Errorf("iran: time of day in %q is not HH:mm:ss", s)
		}
		hh, mi, ss, ok = atoi3(clock[:2], clock[3:5], clock[6:])
		if !ok || hh > 23 || mi > 59 || ss > 59 {
			return time.Time{}, fmt.Errorf("iran: %q has an invalid time of day", s)
		}
	}
	day := FromJalali(y, m, d)
	// The calendar converts back what it made, or the date is refused: past
	// about 3177/12/28 (3799 CE) a date came back "0000/00/00", and at a few
	// year ends (1630/12/29, 2055/12/29 …) a day earlier, so an answer echoing it
	// (Sanbod's birthDate) showed another date than the one asked.
	if jy, jm, jd := ToJalali(day); jy != y || jm != m || jd != d {
		return time.Time{}, fmt.Errorf("iran: %q is not a date the Jalali calendar converts both ways", s)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), hh, mi, ss, 0, Tehran), nil
}

// atoi3 converts three fields of ASCII digits; signs and spaces are refused
// because strconv.Atoi alone would accept "+1".
func atoi3(a, b, c string) (int, int, int, bool) {
	var out [3]int
	for i, s := range [3]string{a, b, c} {
		if !digits.All(s) {
			return 0, 0, 0, false
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, 0, 0, false
		}
		out[i] = n
	}
	return out[0], out[1], out[2], true
}
