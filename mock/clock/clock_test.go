package clock_test

import (
	"sync"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

// fakeWall is a machine clock the test moves by hand.
type fakeWall struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeWall) now() time.Time      { f.mu.Lock(); defer f.mu.Unlock(); return f.t }
func (f *fakeWall) add(d time.Duration) { f.mu.Lock(); f.t = f.t.Add(d); f.mu.Unlock() }
func tehran(s string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02 15:04", s, iran.Tehran)
	return t
}
func newClock() (*clock.Virtual, *fakeWall) {
	w := &fakeWall{t: time.Date(2026, 11, 22, 6, 30, 0, 0, time.UTC)} // 10:00 in Tehran
	return clock.NewVirtual(w.now), w
}

func TestRunsWithWallAndReportsTehran(t *testing.T) {
	v, w := newClock()
	if got := v.Now(); got.Location() != iran.Tehran || got.Hour() != 10 {
		t.Fatalf("now = %v", got)
	}
	w.add(time.Minute)
	if got := v.Now(); !got.Equal(tehran("2026-11-22 10:01")) {
		t.Fatalf("running clock did not follow the wall: %v", got)
	}
	if _, off := v.Now().Zone(); off != 3*3600+1800 {
		t.Fatalf("Tehran offset %d", off)
	}
}

func TestSetAdvanceFreeze(t *testing.T) {
	v, w := newClock()
	v.Set(tehran("2026-12-01 08:00"))
	w.add(time.Hour)
	if got := v.Now(); !got.Equal(tehran("2026-12-01 09:00")) {
		t.Fatalf("after set and an hour of wall: %v", got)
	}
	v.Freeze(true)
	w.add(time.Hour)
	if got := v.Now(); !got.Equal(tehran("2026-12-01 09:00")) || !v.Frozen() {
		t.Fatalf("frozen clock moved: %v", got)
	}
	if _, err := v.Advance(90 * time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := v.Now(); !got.Equal(tehran("2026-12-01 10:30")) {
		t.Fatalf("advance while frozen: %v", got)
	}
	if _, err := v.Advance(-time.Second); err == nil {
		t.Fatal("negative advance accepted")
	}
	v.Freeze(false)
	w.add(time.Minute)
	if got := v.Now(); !got.Equal(tehran("2026-12-01 10:31")) {
		t.Fatalf("unfrozen clock did not resume from where it stood: %v", got)
	}
}

func TestJumps(t *testing.T) {
	v, _ := newClock()
	v.Freeze(true)
	// Thursday 2026-11-26 14:00: the next PAYA cycle is Saturday's 03:45 (Friday is the weekend).
	v.Set(tehran("2026-11-26 14:00"))
	got, err := v.Jump("next-paya-cycle")
	if err != nil || !got.Equal(tehran("2026-11-28 03:45")) {
		t.Fatalf("next-paya-cycle = %v, %v", got, err)
	}
	got, _ = v.Jump("next-paya-cycle")
	if !got.Equal(tehran("2026-11-28 10:45")) {
		t.Fatalf("second jump = %v", got)
	}
	v.Set(tehran("2026-11-26 14:00"))
	got, _ = v.Jump("next-business-day")
	if !got.Equal(tehran("2026-11-28 00:00")) {
		t.Fatalf("next-business-day = %v", got)
	}
	if _, err := v.Jump("tomorrow"); err == nil {
		t.Fatal("unknown jump accepted")
	}
}

func TestWatchersSeeEveryChange(t *testing.T) {
	v, _ := newClock()
	var seen []time.Time
	v.Watch(func(now time.Time) { seen = append(seen, now) })
	v.Set(tehran("2026-11-22 12:00"))
	v.Advance(time.Hour)
	v.Jump("next-business-day")
	if len(seen) != 3 || !seen[1].Equal(tehran("2026-11-22 13:00")) {
		t.Fatalf("watcher saw %v", seen)
	}
}

func TestConcurrentUse(t *testing.T) {
	v, _ := newClock()
	v.Freeze(true)
	start := v.Now()
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); v.Advance(time.Second); _ = v.Now() }()
	}
	wg.Wait()
	if got := v.Now().Sub(start); got != 100*time.Second {
		t.Fatalf("lost advances: %v", got)
	}
}

// Issue 16 item 7: a move outside 1900–2999 is refused and leaves the clock where it
// was; a running clock set far ahead keeps running from there (an offset from the
// wall would saturate at about 292 years and stop near 2319).
func TestRangeIsEnforced(t *testing.T) {
	v, w := newClock()
	start := v.Now()
	for name, move := range map[string]func() (time.Time, error){
		"set 3000":       func() (time.Time, error) { return v.Set(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)) },
		"set 1899":       func() (time.Time, error) { return v.Set(time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)) },
		"set year 10000": func() (time.Time, error) { return v.Set(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)) },
	} {
		if _, err := move(); err != clock.ErrRange {
			t.Errorf("%s: err = %v, want ErrRange", name, err)
		}
		if got := v.Now(); !got.Equal(start) {
			t.Errorf("%s moved the clock to %v", name, got)
		}
	}
	v.Set(time.Date(2900, 1, 1, 0, 0, 0, 0, iran.Tehran))
	if _, err := v.Advance(time.Duration(1<<63 - 1)); err != clock.ErrRange {
		t.Errorf("advance by the longest duration from 2900: err = %v", err)
	}
	v.Set(time.Date(2999, 12, 31, 12, 0, 0, 0, iran.Tehran))
	if _, err := v.Jump("next-business-day"); err != clock.ErrRange {
		t.Errorf("jump past 2999: err = %v", err)
	}
	if _, err := v.Advance(24 * time.Hour); err != clock.ErrRange {
		t.Errorf("advance past 2999: err = %v", err)
	}

	far := time.Date(2900, 6, 1, 10, 0, 0, 0, iran.Tehran)
	if _, err := v.Set(far); err != nil {
		t.Fatal(err)
	}
	w.add(time.Hour)
	if got := v.Now(); !got.Equal(far.Add(time.Hour)) {
		t.Fatalf("running clock set to %v reads %v an hour later", far, got)
	}
	if _, err := v.Set(clock.Earliest); err != nil {
		t.Fatalf("the earliest time itself is refused: %v", err)
	}
	w.add(time.Minute)
	if got := v.Now(); !got.Equal(clock.Earliest.Add(time.Minute)) {
		t.Fatalf("clock set to 1900 reads %v a minute later", got)
	}
}
