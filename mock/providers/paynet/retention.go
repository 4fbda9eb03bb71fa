package paynet

import (
	"time"

	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// expiryKey is the scheduler item that applies --retention.
const expiryKey = "paynet.retention"

// retain turns the retention on (nothing when it is 0 or there is no
// scheduler): the index is made here, before any session is stored, and the
// sweep is booked on the virtual clock (lifecycle.Sweep).
func (p *Provider) retain(s *lifecycle.Scheduler, now time.Time, retention time.Duration) {
	if retention <= 0 || s == nil {
		return
	}
	p.retention = retention
	p.otpsAged = store.NewIndex(p.otps, func(r otpRow) string { return lifecycle.TimeKey(r.SentAt, r.SessionID) })
	lifecycle.Sweep(s, expiryKey, now, retention, func(now time.Time) { p.expire(now) })
}

// expire drops, for every key, the OTP sessions (§3.5, §3.6) last sent more
// than the retention before now that can no longer be used: consumed by a
// card/save, or never verified and past otp_expire. A verified session not yet
// used stays, since card/save still accepts it. Stored cards and their owners
// are never dropped: Paynet keeps no charges or other finished records.
func (p *Provider) expire(now time.Time) int {
	to := store.Range{To: lifecycle.Expired(now, p.retention)}
	dropped := 0
	for _, tenant := range p.otps.Tenants() {
		// A send_otp may reuse the session id after the scan read it: Expire
		// judges it again as it deletes, so a session just sent stays.
		dropped += p.otpsAged.Expire(tenant, to, func(v *otpRow) bool {
			return dead(*v, now) && !v.SentAt.After(now.Add(-p.retention))
		}, nil)
	}
	return dropped
}

// dead reports whether a session can no longer be used at now.
func dead(v otpRow, now time.Time) bool {
	return v.Used || !v.Verified && !now.Before(v.Expires)
}
