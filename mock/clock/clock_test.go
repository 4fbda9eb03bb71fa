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
