package oauth

import (
	"time"

	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Retainable is one of this package's tables (Tokens, Codes, Consents, OTPs)
// whose dead rows a --retention sweep drops: Retain orders its rows by the time
// they die, Expire drops those dead longer than the retention.
type Retainable interface {
	retain()
	expire(before time.Time) int
}

// Retain makes, on each table, the index by time of death that Expire reads,
// so a sweep reads only the rows it drops. Call it with the tables, before any
// row is stored (store.NewIndex panics on a table with rows), and only when a
// retention is set: without it a row costs no index entry.
func Retain(tables ...Retainable) {
	for _, t := range tables {
		t.retain()
	}
}

// Expire drops, from each table given to Retain, the rows dead for longer
// than retention at now, and reports how many: tokens expired or revoked,
// codes, consent sessions and one-time passwords expired (a used code or
// password, a decided session, expires too, later than it died). It is the
// sweep a provider books with lifecycle.Sweep, next to its own records. A
// dropped token, code, session or password is unknown afterwards, as one never
// issued: a client that sends it is told so, not that it expired.
func Expire(now time.Time, retention time.Duration, tables ...Retainable) int {
	before := now.Add(-retention)
	n := 0
	for _, t := range tables {
		n += t.expire(before)
	}
	return n
}

// dropDead deletes, in every tenant, the rows of ix keyed before `before`
// whose dead, called under the row's lock, still says so: a row re-issued
// under the same key since the scan (a re-sent password) stays.
func dropDead[T any](t *store.Table[T], ix *store.Index[T], before time.Time, dead func(*T) bool) int {
	if ix == nil {
		return 0
	}
	to := store.Range{To: lifecycle.TimeKey(before, "")}
	n := 0
	for _, tenant := range t.Tenants() {
		var old []string
		ix.Scan(tenant, to, func(r store.Row[T]) bool {
			old = append(old, r.ID)
			return true
		})
		for _, id := range old {
			if t.DeleteIf(tenant, id, dead) {
				n++
			}
		}
	}
	return n
}

// diesAt is when a token stops working: revoked, or expired, whichever came
// first; zero when it works until revoked.
func (t TokenInfo) diesAt() time.Time {
	at := t.Expires
	if t.Revoked && (at.IsZero() || t.RevokedAt.Before(at)) {
		at = t.RevokedAt
	}
	return at
}

func (r *Tokens) retain() {
	r.aged = store.NewIndex(r.table, func(t TokenInfo) string {
		if !t.Revoked && t.Expires.IsZero() {
			return lifecycle.Never
		}
		return lifecycle.TimeKey(t.diesAt(), t.Value)
	})
}

func (r *Tokens) expire(before time.Time) int {
	return dropDead(r.table, r.aged, before, func(t *TokenInfo) bool {
		at := t.diesAt()
		return (t.Revoked || !at.IsZero()) && at.Before(before)
	})
}

func (c *Codes) retain() {
	c.aged = store.NewIndex(c.table, func(r codeRow) string { return lifecycle.TimeKey(r.Expires, "") })
}

func (c *Codes) expire(before time.Time) int {
	return dropDead(c.table, c.aged, before, func(r *codeRow) bool { return r.Expires.Before(before) })
}

func (c *Consents) retain() {
	c.aged = store.NewIndex(c.table, func(s Session) string { return lifecycle.TimeKey(s.Expires, s.ID) })
}

func (c *Consents) expire(before time.Time) int {
	return dropDead(c.table, c.aged, before, func(s *Session) bool { return s.Expires.Before(before) })
}

func (o *OTPs) retain() {
	o.aged = store.NewIndex(o.table, func(r otpRow) string { return lifecycle.TimeKey(r.Expires, "") })
}

func (o *OTPs) expire(before time.Time) int {
	return dropDead(o.table, o.aged, before, func(r *otpRow) bool { return r.Expires.Before(before) })
}
