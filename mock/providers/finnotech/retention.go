package finnotech

import (
	"time"

	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/oauth"
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
	// revoked orders the revoked tokens by revocation time; the others, whose
	// refresh token never expires, sort after every time key and are never read.
	revoked *store.Index[tokenRow]
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
		revoked: store.NewIndex(p.tokens, func(t tokenRow) string {
			if !t.Revoked {
				return "~" // above every TimeKey (hex)
			}
			return lifecycle.TimeKey(t.RevokedAt, t.ID)
		}),
	}
	oauth.Retain(p.codes, p.consents, p.otps)
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
//   - settled card charges (bank.Expire); a charge in doubt stays;
//   - tokens revoked (§2.6) with their refresh token, which died with them;
//   - authorization codes, consent sessions and SMS passwords expired
//     (oauth.Expire).
//
// A token that is not revoked stays however old, expired or not: its refresh
// token never expires and stays valid after use, as clients rely on (§2.4, and
// the reference's note on refresh-token reuse), so dropping the row would break
// a refresh the real gateway answers. Money is never forgotten.
func (p *Provider) expire(now time.Time) int {
	to := store.Range{To: lifecycle.Expired(now, p.retention)}
	n := dropScanned(p.tracks, p.aged.tracks, to, func(trackUse) bool { return true })
	n += dropScanned(p.smsOut, p.aged.smsOut, to, func(smsMessage) bool { return true })
	n += dropScanned(p.smsAuth, p.aged.smsAuth, to, func(s smsSession) bool { return !now.Before(s.SentAt.Add(smsTTL)) })
	n += p.expireRevoked(to)
	n += oauth.Expire(now, p.retention, p.codes, p.consents, p.otps)
	return n + p.bank.Expire(now, p.retention)
}

// expireRevoked drops the tokens revoked before the range's end, with the
// refresh-token entry that named them: afterwards both answer "invalid token",
// as they did revoked, and the token list (§2.6) no longer shows them.
func (p *Provider) expireRevoked(to store.Range) int {
	n := 0
	for _, tenant := range p.tokens.Tenants() {
		var old []tokenRow
		p.aged.revoked.Scan(tenant, to, func(r store.Row[tokenRow]) bool {
			old = append(old, r.Value)
			return true
		})
		for _, t := range old {
			if !p.tokens.DeleteIf(tenant, t.ID, func(v *tokenRow) bool { return v.Revoked }) {
				continue
			}
			n++
			if id, ok := p.refresh.Get(tenant, t.Refresh); ok && id == t.ID {
				p.refresh.Delete(tenant, t.Refresh)
			}
		}
	}
	return n
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
