package lifecycle

import (
	"encoding/binary"
	"time"
)

// Index keys (store.NewIndex) for times and numbers: byte strings that compare
// as the values do, negatives included (the sign bit is flipped), in fixed
// width so what follows them (an id) breaks ties. Binary rather than hex: every
// stored row keeps its keys, and these are half the size.

// AppendIntKey appends n's key: 8 bytes.
func AppendIntKey(b []byte, n int64) []byte {
	return binary.BigEndian.AppendUint64(b, uint64(n)^1<<63)
}

// IntKey is n's key.
func IntKey(n int64) string { return string(AppendIntKey(make([]byte, 0, 8), n)) }

// AppendTimeKey appends t's key, to the nanosecond: 12 bytes.
func AppendTimeKey(b []byte, t time.Time) []byte {
	return binary.BigEndian.AppendUint32(AppendIntKey(b, t.Unix()), uint32(t.Nanosecond()))
}

// TimeKey orders records by a time, then by id: the key of the creation- or
// finish-time index a sweep reads its expired rows from.
func TimeKey(t time.Time, id string) string {
	return string(append(AppendTimeKey(make([]byte, 0, 12+len(id)), t), id...))
}

// Never is the key of a row that does not expire by itself: above every
// TimeKey of a time the clock can reach (years 1900–2999: their first byte is
// 0x7f or 0x80), so no sweep reads it.
const Never = "\xff"

// Expired is the upper bound (exclusive) of the TimeKeys older than the
// retention at now: a sweep scans store.Range{To: Expired(now, retention)}.
func Expired(now time.Time, retention time.Duration) string {
	return TimeKey(now.Add(-retention), "")
}
