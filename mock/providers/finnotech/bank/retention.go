package bank

import (
	"time"

	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Retain orders the charges and the ledger's entries by time so that Expire
// reads only the expired ones. Call it once, before any charge is made
// (store.NewIndex panics on a table with rows); without it Expire drops nothing
// and a charge costs no index entry.
func (b *Bank) Retain() {
	b.byAt = store.NewIndex(b.charges, func(c chargeRow) string { return lifecycle.TimeKey(c.At, c.TrackID) })
	b.book.Retain()
}

// Expire drops, for every tenant, the settled charges (success or failure,
// §6.1's final chargeState) made more than retention before now, and reports how
// many. A charge still in doubt is kept however old: its money is held and an
// inquiry may still settle it. A dropped charge's trackId answers
// inquiryChargeCard as never seen (G101) and may be charged again. The deposit
// and card statements (§6.6) lose their entries older than the retention too
// (ledger.Forget); balances, limits and the balance after each remaining entry
// do not change.
func (b *Bank) Expire(now time.Time, retention time.Duration) int {
	if b.byAt == nil || retention <= 0 {
		return 0
	}
	to := lifecycle.Expired(now, retention)
	dropped := 0
	for _, tenant := range b.charges.Tenants() {
		b.settleDue(tenant, now) // in-doubt charges due by now settle first
		dropped += b.byAt.Expire(tenant, store.Range{To: to}, func(c *chargeRow) bool { return c.Final != "" }, nil)
	}
	b.book.Forget(now.Add(-retention))
	return dropped
}
