package lifecycle

import "time"

// SweepEvery is how often a retention sweep runs: an eighth of the retention, so
// a record outlives it by at most an eighth, and never more often than once a
// minute of virtual time, so a short retention does not turn every request into
// a sweep.
func SweepEvery(retention time.Duration) time.Duration {
	return max(retention/8, time.Minute)
}

// Sweep books fn under key to run every SweepEvery(retention) of virtual time
// from now (Scheduler.Every: a jump of the clock past several periods runs fn
// once, with the new time, and a clock moved back brings the next run back with
// it). It does nothing when retention is 0 (off) or s is nil, so a provider can
// call it unconditionally.
func Sweep(s *Scheduler, key string, now time.Time, retention time.Duration, fn func(now time.Time)) {
	if s == nil || retention <= 0 {
		return
	}
	if fn == nil {
		panic("lifecycle: Sweep with nil fn")
	}
	s.Every(key, now, SweepEvery(retention), fn)
}
