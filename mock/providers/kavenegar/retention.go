package kavenegar

import (
	"time"

	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// expiryKey is the scheduler item that applies --retention to the outbox.
const expiryKey = "kavenegar.retention"

// scheduleExpiry applies the retention as the virtual clock moves
// (lifecycle.Sweep: every eighth of it, at least a minute).
func (p *Provider) scheduleExpiry(s *lifecycle.Scheduler, now time.Time) {
	lifecycle.Sweep(s, expiryKey, now, p.retention, func(now time.Time) { p.expire(now) })
}

// expire drops, in every key's outbox, the finished messages created more than
// the retention before now: those whose last status has been reached and whose
// refund, if they had one, is paid. A message still moving (scheduled, queued, or
// due to fail and refund later) is kept however old. It reads only the expired
// rows (the byCreated index, oldest first), never the whole outbox.
func (p *Provider) expire(now time.Time) int {
	cutoff := lifecycle.Expired(now, p.retention)
	dropped := 0
	for _, tenant := range p.messages.Tenants() {
		p.sweep(tenant, now) // refunds due by now are paid first
		dropped += p.messages.byCreated.Expire(tenant, store.Range{To: cutoff}, func(m *message) bool {
			if m.finalAt().After(now) {
				return false
			}
			_, pending := p.refunds.Get(tenant, idKey(m.ID))
			return !pending
		}, func(r store.Row[message]) {
			if lid := r.Value.LocalID(); lid != "" {
				// The localid answers for the newest message that used it; leave
				// it when a later message took it over.
				if id, ok := p.localIDs.Get(tenant, lid); ok && id == r.Value.ID {
					p.localIDs.Delete(tenant, lid)
				}
			}
		})
	}
	return dropped
}
