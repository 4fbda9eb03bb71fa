package lifecycle

import (
	"testing"
	"time"
)

func TestSweepRebooksItself(t *testing.T) {
	s := NewScheduler()
	var runs []time.Time
	Sweep(s, "ret", t0, 24*time.Hour, func(now time.Time) { runs = append(runs, now) })
	if due, ok := s.NextDue(); !ok || !due.Equal(t0.Add(3*time.Hour)) {
		t.Fatalf("first sweep due %v, %v; want an eighth of the retention after now", due, ok)
	}
	s.RunDue(t0.Add(3 * time.Hour))
	s.RunDue(t0.Add(6 * time.Hour))
	if len(runs) != 2 {
		t.Fatalf("%d runs, want 2", len(runs))
	}
	// A jump over many periods runs it once, at the new time, and books the next
	// from there.
	far := t0.Add(30 * 24 * time.Hour)
	if n := s.RunDue(far); n != 1 {
		t.Fatalf("a jump ran %d sweeps, want 1", n)
	}
	if !runs[2].Equal(far) {
		t.Fatalf("ran at %v, want %v", runs[2], far)
	}
	if due, _ := s.NextDue(); !due.Equal(far.Add(3 * time.Hour)) {
		t.Fatalf("next sweep due %v", due)
	}
}

func TestSweepFloorAndOff(t *testing.T) {
	if d := SweepEvery(time.Second); d != time.Minute {
		t.Fatalf("SweepEvery(1s) = %v, want the one-minute floor", d)
	}
	s := NewScheduler()
	Sweep(s, "off", t0, 0, func(time.Time) { t.Fatal("ran with retention off") })
	Sweep(nil, "nil", t0, time.Hour, func(time.Time) {})
	if len(s.Pending()) != 0 {
		t.Fatal("retention 0 booked a sweep")
	}
}

func TestTimeKeyOrder(t *testing.T) {
	times := []time.Time{
		time.Date(1901, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999, time.UTC),
		time.Unix(0, 0),
		t0, t0.Add(time.Nanosecond), t0.Add(time.Second),
		time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for i := 1; i < len(times); i++ {
		if a, b := TimeKey(times[i-1], "z"), TimeKey(times[i], "a"); a >= b {
			t.Errorf("TimeKey(%v) = %q is not before TimeKey(%v) = %q", times[i-1], a, times[i], b)
		}
	}
	if TimeKey(t0, "") >= TimeKey(t0, "a") || Expired(t0.Add(time.Hour), time.Hour) > TimeKey(t0, "") {
		t.Error("Expired does not bound the keys made at the cutoff")
	}
}

// A clock moved back (a jump to the past, or a --data-dir start whose saved
// clock is earlier than the one the sweep was booked on) brings the next sweep
// back to at most a period ahead; it used to wait for the clock to get back to
// where it had been.
func TestSweepFollowsTheClockBack(t *testing.T) {
	s := NewScheduler()
	var runs []time.Time
	Sweep(s, "ret", t0, 8*time.Hour, func(now time.Time) { runs = append(runs, now) })
	s.RunDue(t0)
	back := t0.Add(-365 * 24 * time.Hour)
	s.RunDue(back)
	if due, _ := s.NextDue(); !due.Equal(back.Add(time.Hour)) {
		t.Fatalf("after the clock went back a year the next sweep is due %v, want %v", due, back.Add(time.Hour))
	}
	s.RunDue(back.Add(time.Hour))
	if len(runs) != 1 || !runs[0].Equal(back.Add(time.Hour)) {
		t.Fatalf("runs %v", runs)
	}
	// A one-shot Add on the key ends the repetition.
	s.Add("ret", back.Add(2*time.Hour), func(now time.Time) { runs = append(runs, now) })
	s.RunDue(back.Add(10 * time.Hour))
	s.RunDue(back.Add(20 * time.Hour))
	if len(runs) != 2 || len(s.Pending()) != 0 {
		t.Fatalf("runs %v, pending %v", runs, s.Pending())
	}
}

// The first RunDue may already be earlier than the time the sweep was booked
// on: a --data-dir start books sweeps at the start-up clock and then puts back
// the saved, earlier one.
func TestSweepBookedBeforeAnEarlierClock(t *testing.T) {
	s := NewScheduler()
	ran := 0
	Sweep(s, "ret", t0, 8*time.Hour, func(time.Time) { ran++ })
	saved := t0.Add(-300 * 24 * time.Hour)
	s.RunDue(saved)
	s.RunDue(saved.Add(2 * time.Hour))
	if ran != 1 {
		t.Fatalf("%d sweeps two hours after the saved clock, want 1", ran)
	}
}
