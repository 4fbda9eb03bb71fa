package vandar

import (
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// expiryKey is the scheduler item that applies --retention.
const expiryKey = "vandar.retention"

// retain turns --retention on (nothing when it is 0 or there is no
// scheduler): the creation-time indexes are made here, before any row is
// stored, and the sweep is booked on the virtual clock (lifecycle.Sweep).
func (p *Provider) retain(d api.Deps) {
	if d.Retention <= 0 || d.Scheduler == nil {
		return
	}
	p.pt.retention = d.Retention
	p.pt.aged = store.NewIndex(p.pt.rows, func(s payout) string { return lifecycle.TimeKey(s.Created, s.ID) })
	p.wdAged = store.NewIndex(p.withdrawals, func(w withdrawal) string { return lifecycle.TimeKey(w.Created, w.ID) })
	p.wallet.Retain()
	lifecycle.Sweep(d.Scheduler, expiryKey, d.Clock.Now(), d.Retention, func(now time.Time) { p.expire(now) })
}

// expire drops what is finished and older than the retention, in every
// business. The business wallet's ledger entries go too (ledger.Forget; the
// opening posting, made with a key, stays): nothing reads them back but the
// balance, which the account row holds, so the wallet does not move; the
// transaction report (§3) is its own table and is kept whole.
func (p *Provider) expire(now time.Time) int {
	n := p.expireSettlements(now) + p.expireWithdrawals(now)
	return n + p.wallet.Forget(now.Add(-p.pt.retention))
}

// expireSettlements drops the settlements (§6) made more than the retention
// before now whose final state (DONE, FAILED or CANCELED, §6.6) has come and
// been booked: the money given back and the notice queued. The transaction_id
// and track_id that found them go too, so a show answers 404 and the track_id
// may be used again. A settlement still PENDING (a later cycle, or the
// never-answering magic IBAN) stays however old. The wallet, its statement
// rows (the transactions report) and its balance are not touched.
func (p *Provider) expireSettlements(now time.Time) int {
	to := store.Range{To: lifecycle.Expired(now, p.pt.retention)}
	dropped := 0
	for _, slug := range p.pt.rows.Tenants() {
		p.settleDue(slug, now) // final states due by now are booked first
		var old []payout
		p.pt.aged.Scan(slug, to, func(r store.Row[payout]) bool {
			if s := r.Value; s.Booked && !s.finishedAt().After(now) {
				old = append(old, s)
			}
			return true
		})
		for _, s := range old {
			if !p.pt.rows.Delete(slug, s.ID) {
				continue
			}
			dropped++
			if id, ok := p.pt.byTx.Get(slug, itoa(s.TxID)); ok && id == s.ID {
				p.pt.byTx.Delete(slug, itoa(s.TxID))
			}
			if id, ok := p.pt.byTrk.Get(slug, s.TrackID); ok && id == s.ID {
				p.pt.byTrk.Delete(slug, s.TrackID)
			}
		}
	}
	return dropped
}

// finishedAt is when the settlement reached its final state: its cancel, or
// its plan's last step.
func (s payout) finishedAt() time.Time {
	if !s.CanceledAt.IsZero() {
		return s.CanceledAt
	}
	return s.Plan.Final().At
}

// expireWithdrawals drops the direct-debit withdrawals (§11.10–§11.15) made
// more than the retention before now that are over: canceled, or settled
// (DONE with the wallet credited, or FAILED after the last retry, §11.15) and
// not in the middle of a refund (§11.16), with their track_id. Two more
// conditions keep what a later request still reads: a withdrawal whose first
// attempt falls in the current Jalali month stays, since it counts toward its
// mandate's monthly count (§11.2); and a refund row of the report keeps its own
// record (refunds are not dropped). A withdrawal not yet settled, or planned
// for later, stays however old; mandates, the wallet and its report stay.
// Once dropped, a DONE withdrawal can no longer be refunded (404).
func (p *Provider) expireWithdrawals(now time.Time) int {
	to := store.Range{To: lifecycle.Expired(now, p.pt.retention)}
	y, m, _ := iran.ToJalali(now.In(iran.Tehran))
	month := y*12 + m
	dropped := 0
	for _, slug := range p.withdrawals.Tenants() {
		p.ddSettle(slug, now) // outcomes known by now are settled first
		var old []withdrawal
		p.wdAged.Scan(slug, to, func(r store.Row[withdrawal]) bool {
			w := r.Value
			fy, fm, _ := iran.ToJalali(w.Attempts[0].Start.In(iran.Tehran))
			if fy*12+fm < month && w.over(now) {
				old = append(old, w)
			}
			return true
		})
		for _, w := range old {
			if !p.withdrawals.Delete(slug, w.ID) {
				continue
			}
			dropped++
			if w.TrackID != "" {
				if id, ok := p.wdTrack.Get(slug, w.TrackID); ok && id == w.ID {
					p.wdTrack.Delete(slug, w.TrackID)
				}
			}
		}
	}
	return dropped
}

// over reports whether nothing about the withdrawal can change after now but a
// new refund: canceled, or settled with any refund already done.
func (w withdrawal) over(now time.Time) bool {
	if !w.Canceled.IsZero() {
		return !w.Canceled.After(now)
	}
	return w.Settled && !w.final().After(now) && !w.RefundAt.After(now)
}
