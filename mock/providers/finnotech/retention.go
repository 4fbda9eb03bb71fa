package finnotech

import (
	"time"

	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// expiryKey is the scheduler item that applies --retention.
const expiryKey = "finnotech.retention"

// agedIndexes order the per-request records by creation time, so that a sweep
// reads only the expired ones. They exist only with a retention: without one a
// record costs no index entry.
type agedIndexes struct {
	tracks  *store.Index[trackUse]
	smsOut  *store.Index[smsMessage]
	smsAuth *store.Index[smsSession]
}

// retain turns the retention on (nothing when it is 0 or there is no
// scheduler): the indexes are made here, before any row is stored, and the
// sweep is booked on the virtual clock (lifecycle.Sweep).
func (p *Provider) retain(s *lifecycle.Scheduler, now time.Time, retention time.Duration) {
	if retention <= 0 || s == nil {
		return
	}
	p.retention = retention
	p.aged = agedIndexes{
		tracks:  store.NewIndex(p.tracks, func(u trackUse) string { return lifecycle.TimeKey(u.At, "") }),
		smsOut:  store.NewIndex(p.smsOut, func(m smsMessage) string { return lifecycle.TimeKey(m.At, m.TrackID) }),
		smsAuth: store.NewIndex(p.smsAuth, func(s smsSession) string { return lifecycle.TimeKey(s.SentAt, "") }),
	}
	p.bank.Retain()
	lifecycle.Sweep(s, expiryKey, now, retention, func(now time.Time) { p.expire(now) })
}

// expire drops what is finished and older than the retention, in every
// client's records:
//   - consumed trackIds (§4): after the retention a trackId may be sent again;
//   - SMS outbox messages: the password in them expired 3 minutes after sending
//     (§2.3);
//   - SMS logins never verified: past their 3 minutes they can only answer
//     "expired", so they answer "invalid" instead once dropped;
//   - settled card charges (bank.Expire); a charge in doubt stays.
//
// Tokens, refresh tokens and balances stay: a refresh token renews an expired
// access token (§2.4), and money is never forgotten. Authorization codes,
// consents and OTPs purge themselves (package oauth).
func (p *Provider) expire(now time.Time) int {
	to := store.Range{To: lifecycle.Expired(now, p.retention)}
	n := dropScanned(p.tracks, p.aged.tracks, to, func(trackUse) bool { return true })
	n += dropScanned(p.smsOut, p.aged.smsOut, to, func(smsMessage) bool { return true })
	n += dropScanned(p.smsAuth, p.aged.smsAuth, to, func(s smsSession) bool { return !now.Before(s.SentAt.Add(smsTTL)) })
	return n + p.bank.Expire(now, p.retention)
}

// dropScanned deletes, in every tenant, the rows of r in ix that done accepts.
// Rows are collected first and deleted after the scan, so the scan never
// walks a block it is changing.
func dropScanned[T any](t *store.Table[T], ix *store.Index[T], r store.Range, done func(T) bool) int {
	n := 0
	for _, tenant := range t.Tenants() {
		var old []string
		ix.Scan(tenant, r, func(row store.Row[T]) bool {
			if done(row.Value) {
				old = append(old, row.ID)
			}
			return true
		})
		for _, id := range old {
			if t.Delete(tenant, id) {
				n++
			}
		}
	}
	return n
}
