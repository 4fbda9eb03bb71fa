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

// TimeKey orders records by a time (to the nanosecond), then by id: the key of
// the creation- or finish-time index a sweep reads its expired rows from. Times
// of any sign order correctly (the sign bit is flipped).
func TimeKey(t time.Time, id string) string {
	b := make([]byte, 0, 24+len(id))
	b = appendHex(b, uint64(t.Unix())^1<<63, 16)
	b = appendHex(b, uint64(t.Nanosecond()), 8)
	return string(append(b, id...))
}

// Expired is the upper bound (exclusive) of the TimeKeys older than the
// retention at now: a sweep scans store.Range{To: Expired(now, retention)}.
func Expired(now time.Time, retention time.Duration) string {
	return TimeKey(now.Add(-retention), "")
}

func appendHex(b []byte, u uint64, n int) []byte {
	const hex = "0123456789abcdef"
	for shift := 4 * (n - 1); shift >= 0; shift -= 4 {
		b = append(b, hex[u>>uint(shift)&15])
	}
	return b
}
