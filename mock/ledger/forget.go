package ledger

import (
	"time"

	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Retain orders the entries by time alone, and the idempotency keys by the
// entry they name, so that Forget reads only the entries it drops. Call it
// once, before any posting (store.NewIndex panics on a table with rows);
// without it Forget drops nothing and an entry costs no extra index entry.
func (b *Book[M]) Retain() {
	b.aged = store.NewIndex(b.entries, func(e Entry[M]) string { return lifecycle.TimeKey(e.At, e.ID) })
	b.keyOf = store.NewIndex(b.keys, func(id string) string { return id })
}

// Forget drops, in every tenant, the entries booked before `before`, and
// reports how many. It can, because nothing is derived from old entries: an
// entry carries the balance after it, and the account row its balance, holds,
// sequence and the day buckets limits count, so balances, limits and the
// balance after each remaining entry stay exactly as they were; a statement
// simply starts later. Money due later is a row of its own and is never
// touched. An entry made by a keyed posting stays with its key, however old:
// a retry with that key must still find it and move nothing (Post); each
// Forget reads such entries again, so a book whose postings are mostly keyed
// should not Retain.
func (b *Book[M]) Forget(before time.Time) int {
	if b.aged == nil {
		return 0
	}
	to := lifecycle.TimeKey(before, "")
	n := 0
	for _, tenant := range b.entries.Tenants() {
		var old []string
		b.aged.Scan(tenant, store.Range{To: to}, func(r store.Row[Entry[M]]) bool {
			keyed := false
			b.keyOf.Scan(tenant, store.Range{From: r.ID, To: r.ID + "\x00"}, func(store.Row[string]) bool {
				keyed = true
				return false
			})
			if !keyed {
				old = append(old, r.ID)
			}
			return true
		})
		for _, id := range old {
			if b.entries.Delete(tenant, id) {
				n++
			}
		}
	}
	return n
}
