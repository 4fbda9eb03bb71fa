package iran

import "time"

// satnaHours is the assumed SATNA (RTGS) window per weekday, on business days
// only. The Central Bank publishes and moves these hours; this table is the one
// place to follow it. Friday has no window.
var satnaHours = map[time.Weekday]struct{ open, close clock }{
	time.Saturday:  {clock{8, 0}, clock{13, 30}},
	time.Sunday:    {clock{8, 0}, clock{13, 30}},
	time.Monday:    {clock{8, 0}, clock{13, 30}},
	time.Tuesday:   {clock{8, 0}, clock{13, 30}},
	time.Wednesday: {clock{8, 0}, clock{13, 30}},
	time.Thursday:  {clock{8, 0}, clock{12, 0}},
}

// InSATNAHours reports whether SATNA accepts transfers at t: a business day,
// within [open, close) of that weekday's window.
func InSATNAHours(t time.Time) bool {
	t = t.In(Tehran)
	w, ok := satnaHours[t.Weekday()]
	if !ok || !IsBusinessDay(t) {
		return false
	}
	open, close := at(t, w.open), at(t, w.close)
	return !t.Before(open) && t.Before(close)
}

// NextSATNAOpen returns the earliest moment at or after t when SATNA accepts
// transfers: t itself when it is within hours, otherwise the opening time of the
// next window.
func NextSATNAOpen(t time.Time) time.Time {
	t = t.In(Tehran)
	if InSATNAHours(t) {
		return t
	}
	for day := dateOf(t); ; day = day.AddDate(0, 0, 1) {
		w, ok := satnaHours[day.Weekday()]
		if !ok || !IsBusinessDay(day) {
			continue
		}
		if open := at(day, w.open); open.After(t) {
			return open
		}
	}
}
