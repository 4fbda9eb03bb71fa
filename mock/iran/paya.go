package iran

import "time"

// payaCycles lists the PAYA cycles of a business day in order: a transfer
// registered before cutoff goes out at send; after the last cutoff it waits for
// the first cycle of the next business day.
var payaCycles = [...]struct{ cutoff, send clock }{
	{clock{3, 15}, clock{3, 45}},
	{clock{10, 15}, clock{10, 45}},
	{clock{13, 15}, clock{13, 45}},
}

// PAYASendTime returns when a PAYA transfer registered at the given time is sent:
// [13:15, 03:15) goes at 03:45, [03:15, 10:15) at 10:45 and [10:15, 13:15) at
// 13:45. A cycle that would fall on a non-business day moves to the first cycle
// (03:45) of the next business day.
func PAYASendTime(registered time.Time) time.Time {
	day := dateOf(registered)
	now := clockOf(registered).minutes()
	send := at(day.AddDate(0, 0, 1), payaCycles[0].send)
	for _, c := range payaCycles {
		// Seconds matter at the cutoff minute: 03:14:59 still makes the 03:45 cycle.
		if now < c.cutoff.minutes() {
			send = at(day, c.send)
			break
		}
	}
	if !IsBusinessDay(send) {
		send = at(NextBusinessDay(send), payaCycles[0].send)
	}
	return send
}

// NextPAYACycle returns the send time of the first PAYA cycle strictly after t
// that runs on a business day.
func NextPAYACycle(t time.Time) time.Time {
	for day := dateOf(t); ; day = day.AddDate(0, 0, 1) {
		if !IsBusinessDay(day) {
			continue
		}
		for _, c := range payaCycles {
			if s := at(day, c.send); s.After(t) {
				return s
			}
		}
	}
}
