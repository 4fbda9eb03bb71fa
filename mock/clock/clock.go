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

// Virtual is a clock that runs at real speed from an offset, or stands still when
// frozen. It is safe for concurrent use.
type Virtual struct {
	mu       sync.RWMutex
	wall     func() time.Time
	offset   time.Duration
	frozen   bool
	at       time.Time // the time while frozen
	watchers []func(time.Time)
}

// NewVirtual returns a running clock that agrees with wall (time.Now when nil).
func NewVirtual(wall func() time.Time) *Virtual {
	if wall == nil {
		wall = time.Now
	}
	return &Virtual{wall: wall}
}

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
	return v.wall().Add(v.offset).In(iran.Tehran)
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

func (v *Virtual) change(fn func(now time.Time) time.Time) time.Time {
	v.mu.Lock()
	t := fn(v.nowLocked())
	if v.frozen {
		v.at = t
	} else {
		v.offset = t.Sub(v.wall())
	}
	ws := append([]func(time.Time){}, v.watchers...)
	v.mu.Unlock()
	now := t.In(iran.Tehran)
	for _, w := range ws {
		w(now)
	}
	return now
}

// Set moves the clock to t, forwards or backwards. A frozen clock stays frozen.
func (v *Virtual) Set(t time.Time) time.Time {
	return v.change(func(time.Time) time.Time { return t })
}

// ErrBackwards rejects a negative Advance: moving back is Set's job, said on purpose.
var ErrBackwards = errors.New("clock: advance must not be negative")

// Advance moves the clock forward by d.
func (v *Virtual) Advance(d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, ErrBackwards
	}
	return v.change(func(now time.Time) time.Time { return now.Add(d) }), nil
}

// Freeze stops (true) or restarts (false) the clock at its current time.
func (v *Virtual) Freeze(on bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if on == v.frozen {
		return
	}
	now := v.nowLocked()
	v.frozen = on
	if on {
		v.at = now
	} else {
		v.offset = now.Sub(v.wall())
	}
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
	return v.change(fn), nil
}
