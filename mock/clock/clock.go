// Package clock is the only place sandbank reads wall time. Everything else takes a
// Clock, so tests and QA can set, freeze and advance time and status machines move
// at once without sleeping.
package clock

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sandbank-dev/sandbank/mock/iran"
)

// Clock tells the time, in Asia/Tehran.
type Clock interface{ Now() time.Time }

// Wall is the machine's time, for the few places that must measure real elapsed
// time (the journal's wall stamp, latency injection) rather than simulated time.
func Wall() time.Time { return time.Now() }

// Virtual is a clock that runs at real speed from an anchor, or stands still when
// frozen. It is safe for concurrent use.
//
// A running clock is kept as "at was the time when the wall read since", not as an
// offset from the wall: a time.Duration saturates at about 292 years, so an offset
// would silently stop a clock set far ahead (to 2319 instead of 2900).
type Virtual struct {
	mu       sync.RWMutex
	wall     func() time.Time
	frozen   bool
	at       time.Time // the time while frozen; the time at since while running
	since    time.Time // wall reading at which a running clock stood at at
	watchers []func(time.Time)
}

// NewVirtual returns a running clock that agrees with wall (time.Now when nil).
func NewVirtual(wall func() time.Time) *Virtual {
	if wall == nil {
		wall = time.Now
	}
	now := wall()
	return &Virtual{wall: wall, at: now, since: now}
}

// The range the clock may be moved within. Outside it, times stop encoding (JSON and
// RFC 3339 need a four-digit year) and durations between them and the wall overflow;
// no test needs a bank in 1850 or 3100. The years are Tehran's, as the clock reads.
var (
	Earliest = time.Date(1900, 1, 1, 0, 0, 0, 0, iran.Tehran)
	Latest   = time.Date(3000, 1, 1, 0, 0, 0, 0, iran.Tehran).Add(-time.Nanosecond)
)

// ErrRange refuses a move that would leave the clock outside Earliest–Latest.
var ErrRange = errors.New("clock: time out of range (years 1900 to 2999)")

// InRange reports whether t is a time the clock may be moved to.
func InRange(t time.Time) bool { return !t.Before(Earliest) && !t.After(Latest) }

// Now is the virtual time in Tehran.
func (v *Virtual) Now() time.Time {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.nowLocked()
}

func (v *Virtual) nowLocked() time.Time {
	if v.frozen {
		return v.at.In(iran.Tehran)
	}
	return v.at.Add(v.wall().Sub(v.since)).In(iran.Tehran)
}

// Frozen reports whether the clock stands still.
func (v *Virtual) Frozen() bool {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.frozen
}

// Watch registers fn to be called with the new time after every Set, Advance or
// Jump, outside the clock's lock. It is how due callbacks fire when time is moved.
func (v *Virtual) Watch(fn func(time.Time)) {
	v.mu.Lock()
	v.watchers = append(v.watchers, fn)
	v.mu.Unlock()
}

// change moves the clock to what fn makes of the current time, unless that is out of
// range (ErrRange, nothing changes). fn is given ok=false for a move that overflowed.
func (v *Virtual) change(fn func(now time.Time) (time.Time, bool)) (time.Time, error) {
	v.mu.Lock()
	t, ok := fn(v.nowLocked())
	if !ok || !InRange(t) {
		v.mu.Unlock()
		return time.Time{}, ErrRange
	}
	v.at = t
	if !v.frozen {
		v.since = v.wall()
	}
	ws := append([]func(time.Time){}, v.watchers...)
	v.mu.Unlock()
	now := t.In(iran.Tehran)
	for _, w := range ws {
		w(now)
	}
	return now, nil
}

// Set moves the clock to t, forwards or backwards. A frozen clock stays frozen.
// A t outside Earliest–Latest is refused with ErrRange.
func (v *Virtual) Set(t time.Time) (time.Time, error) {
	return v.change(func(time.Time) (time.Time, bool) { return t, true })
}

// ErrBackwards rejects a negative Advance: moving back is Set's job, said on purpose.
var ErrBackwards = errors.New("clock: advance must not be negative")

// Advance moves the clock forward by d, refusing (ErrRange) to pass Latest.
func (v *Virtual) Advance(d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, ErrBackwards
	}
	return v.change(func(now time.Time) (time.Time, bool) { t := now.Add(d); return t, !t.Before(now) })
}

// Freeze stops (true) or restarts (false) the clock at its current time.
func (v *Virtual) Freeze(on bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if on == v.frozen {
		return
	}
	v.at = v.nowLocked()
	v.since = v.wall()
	v.frozen = on
}

// JumpNames lists the names Jump accepts.
func JumpNames() []string { return []string{"next-business-day", "next-paya-cycle"} }

// Jump moves the clock forward to a named point: the start of the next business
// day, or the send time of the next PAYA cycle.
func (v *Virtual) Jump(name string) (time.Time, error) {
	var fn func(time.Time) time.Time
	switch name {
	case "next-business-day":
		fn = iran.NextBusinessDay
	case "next-paya-cycle":
		fn = iran.NextPAYACycle
	default:
		return time.Time{}, fmt.Errorf("clock: unknown jump %q (want one of %v)", name, JumpNames())
	}
	return v.change(func(now time.Time) (time.Time, bool) { return fn(now), true })
}
