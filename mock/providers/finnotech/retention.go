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
	// idle orders the tokens by when they were last of use: revocation, or
	// the later of the access token's expiry and the last refresh.
	idle *store.Index[tokenRow]
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
		idle: store.NewIndex(p.tokens, func(t tokenRow) string {
			if t.Revoked {
				return lifecycle.TimeKey(t.RevokedAt, t.ID)
			}
			return lifecycle.TimeKey(t.idleSince(), t.ID)
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
//   - tokens revoked (§2.6) with their refresh token, which died with them,
//     and tokens idle for the retention: the access token expired and its
//     refresh token unused that long;
//   - authorization codes, consent sessions and SMS passwords expired
//     (oauth.Expire).
//
// A refresh token never expires and stays valid after use, as clients rely on
// (§2.4, and the reference's note on refresh-token reuse), so a token in use is
// kept however old; only one unused for the whole retention after its access
// token expired is forgotten, else a client that refreshes for ever would grow
// the token table for ever. Money is never forgotten.
func (p *Provider) expire(now time.Time) int {
	to := store.Range{To: lifecycle.Expired(now, p.retention)}
	n := dropScanned(p.tracks, p.aged.tracks, to, func(trackUse) bool { return true })
	n += dropScanned(p.smsOut, p.aged.smsOut, to, func(smsMessage) bool { return true })
	n += dropScanned(p.smsAuth, p.aged.smsAuth, to, func(s smsSession) bool { return !now.Before(s.SentAt.Add(smsTTL)) })
	n += p.expireIdle(to, now.Add(-p.retention))
	n += oauth.Expire(now, p.retention, p.codes, p.consents, p.otps)
	return n + p.bank.Expire(now, p.retention)
}

// expireIdle drops the tokens revoked, or idle, before cutoff (the range's
// end), with the refresh-token entry that named them: afterwards both answer
// "invalid token", and the token list (§2.6) no longer shows them. The check
// is made again under the row's lock, so a refresh just made keeps its token.
func (p *Provider) expireIdle(to store.Range, cutoff time.Time) int {
	n := 0
	for _, tenant := range p.tokens.Tenants() {
		n += p.aged.idle.Expire(tenant, to, func(v *tokenRow) bool {
			if v.Revoked {
				return v.RevokedAt.Before(cutoff)
			}
			return v.idleSince().Before(cutoff)
		}, func(r store.Row[tokenRow]) {
			if id, ok := p.refresh.Get(tenant, r.Value.Refresh); ok && id == r.ID {
				p.refresh.Delete(tenant, r.Value.Refresh)
			}
		})
	}
	return n
}

// dropScanned deletes, in every tenant, the rows of r in ix that done accepts.
func dropScanned[T any](t *store.Table[T], ix *store.Index[T], r store.Range, done func(T) bool) int {
	n := 0
	for _, tenant := range t.Tenants() {
		n += ix.Expire(tenant, r, func(v *T) bool { return done(*v) }, nil)
	}
	return n
}
