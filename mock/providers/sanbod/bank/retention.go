package bank

import (
	"time"

	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Expire drops, for every tenant, the finished transfers registered more than
// Config.Retention before now, with their retry keys, and reports how many.
// Finished is: an internal transfer (done when registered); a PAYA or SATNA
// transfer whose timeline has reached its last step and that step is a final
// status of §5.3/§5.4 (done, failed, canceled, returned); and, when it was in
// doubt, whose settle time has passed. Anything else is still moving and stays
// however old, as does a timeline a scenario ended in a status that is not
// final. Money is untouched: the debit, delivery and return were booked in the
// ledger when the transfer was registered. Statement lines older than the
// retention go too (ledger.Forget): balances, doc numbers and the balance after
// each remaining line do not change; money due later stays.
func (b *Bank) Expire(now time.Time) int {
	if b.aged == nil {
		return 0
	}
	to := lifecycle.Expired(now, b.cfg.Retention)
	dropped := 0
	for _, tenant := range b.transfers.Tenants() {
		dropped += b.aged.Expire(tenant, store.Range{To: to}, func(t *transfer) bool { return b.finished(t, now) }, func(r store.Row[transfer]) {
			var keys []string
			b.idemOf.Scan(tenant, store.Range{From: r.ID, To: r.ID + "\x00"}, func(r store.Row[string]) bool {
				keys = append(keys, r.ID)
				return true
			})
			for _, k := range keys {
				b.idem.Delete(tenant, k)
			}
		})
	}
	b.book.Forget(now.Add(-b.cfg.Retention))
	return dropped
}

func (b *Bank) finished(t *transfer, now time.Time) bool {
	if t.InDoubt && now.Before(t.SettleAt) {
		return false
	}
	if t.Plan == nil {
		return true
	}
	last := t.Plan.Final()
	return !last.At.After(now) && b.finalOf(t.Kind, last.Status) != 0
}
