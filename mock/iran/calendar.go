package iran

import (
	_ "embed"
	"fmt"
	"time"

	"gopkg.in/yaml.v3"
)

// Holiday is one official public holiday.
type Holiday struct {
	Date   time.Time // midnight Tehran
	Jalali string    // yyyy/MM/dd
	Name   string    // Persian description
	Source string    // "official" or "computed"; see holidays.yaml
}

//go:embed holidays.yaml
var holidaysYAML []byte

type holidayIndex struct {
	list  []Holiday
	byDay map[civilDate]int
}

// civilDate keys a Tehran calendar day; comparing time.Time values would also
// compare locations and monotonic readings.
type civilDate struct {
	y int
	m time.Month
	d int
}

func civilOf(t time.Time) civilDate {
	y, m, d := t.In(Tehran).Date()
	return civilDate{y, m, d}
}

// holidays parses holidays.yaml once, on first use.
var holidays = parseOnce(parseHolidays, holidaysYAML)

func parseHolidays(data []byte) (*holidayIndex, error) {
	var doc struct {
		Holidays []struct {
			Date   string `yaml:"date"`
			Jalali string `yaml:"jalali"`
			Name   string `yaml:"name"`
			Source string `yaml:"source"`
		} `yaml:"holidays"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("iran: holidays.yaml: %w", err)
	}
	idx := &holidayIndex{byDay: map[civilDate]int{}}
	for _, h := range doc.Holidays {
		d, err := time.ParseInLocation(time.DateOnly, h.Date, Tehran)
		if err != nil {
			return nil, fmt.Errorf("iran: holidays.yaml: %w", err)
		}
		if got := FormatJalali(d, "yyyy/MM/dd"); got != h.Jalali {
			return nil, fmt.Errorf("iran: holidays.yaml: %s is %s, not %s", h.Date, got, h.Jalali)
		}
		if h.Source != "official" && h.Source != "computed" {
			return nil, fmt.Errorf("iran: holidays.yaml: %s: unknown source %q", h.Date, h.Source)
		}
		k := civilOf(d)
		if _, dup := idx.byDay[k]; dup {
			return nil, fmt.Errorf("iran: holidays.yaml: duplicate date %s", h.Date)
		}
		idx.byDay[k] = len(idx.list)
		idx.list = append(idx.list, Holiday{Date: d, Jalali: h.Jalali, Name: h.Name, Source: h.Source})
	}
	return idx, nil
}

// IsHoliday reports whether t's Tehran calendar date is an official holiday.
// Only Jalali years 1404-1406 are known; other dates are never holidays.
func IsHoliday(t time.Time) bool {
	_, ok := holidays().byDay[civilOf(t)]
	return ok
}

// IsBusinessDay reports whether t's Tehran calendar date is neither a Friday nor
// an official holiday. Thursday counts: the interbank systems run on it.
func IsBusinessDay(t time.Time) bool {
	return t.In(Tehran).Weekday() != time.Friday && !IsHoliday(t)
}

// NextBusinessDay returns 00:00 Tehran of the first business day strictly after
// t's Tehran calendar date.
func NextBusinessDay(t time.Time) time.Time {
	d := dateOf(t)
	for {
		d = d.AddDate(0, 0, 1)
		if IsBusinessDay(d) {
			return d
		}
	}
}

// AddBusinessDays moves t by n business days, keeping its Tehran wall-clock time
// of day. Each step lands on the next (or, for negative n, previous) business
// day, so from a Friday one business day forward is Saturday. n == 0 returns t.
func AddBusinessDays(t time.Time, n int) time.Time {
	t = t.In(Tehran)
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	y, m, d := t.Date()
	for n > 0 {
		d += step
		if IsBusinessDay(time.Date(y, m, d, 0, 0, 0, 0, Tehran)) {
			n--
		}
	}
	return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), Tehran)
}

// dateOf is midnight Tehran of t's Tehran calendar date.
func dateOf(t time.Time) time.Time {
	y, m, d := t.In(Tehran).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Tehran)
}

// at is the given Tehran wall-clock time on day's date.
func at(day time.Time, c clock) time.Time {
	y, m, d := day.In(Tehran).Date()
	return time.Date(y, m, d, c.h, c.m, 0, 0, Tehran)
}

// clock is a Tehran wall-clock time of day, to the minute.
type clock struct{ h, m int }

func (c clock) minutes() int { return c.h*60 + c.m }

func clockOf(t time.Time) clock {
	t = t.In(Tehran)
	return clock{t.Hour(), t.Minute()}
}
