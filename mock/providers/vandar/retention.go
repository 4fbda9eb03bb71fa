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
	p.payAged = store.NewIndex(p.payments, func(pay payment) string { return lifecycle.TimeKey(pay.Created, pay.Token) })
	p.refundsOf = store.NewIndex(p.refunds, func(r refundRow) string { return r.Token + "\x00" + r.ID })
	p.wallet.Retain()
	lifecycle.Sweep(d.Scheduler, expiryKey, d.Clock.Now(), d.Retention, func(now time.Time) { p.expire(now) })
}

// expire drops what is finished and older than the retention, in every
// business. The business wallet's ledger entries go too (ledger.Forget; the
// opening posting, made with a key, stays): nothing reads them back but the
// balance, which the account row holds, so the wallet does not move. The
// transaction report (§3.4) is its own table: it loses the rows of the gateway
// payments and refunds dropped (expirePayments) and keeps every other row.
func (p *Provider) expire(now time.Time) int {
	n := p.expireSettlements(now) + p.expireWithdrawals(now) + p.expirePayments(now)
	return n + p.wallet.Forget(now.Add(-p.pt.retention))
}

// expirePayments drops the gateway payments (§4) made more than the retention
// before now that are over, with their refund rows (§5) and the report rows of
// both (§3.4), as a ledger forgets its old entries: the report of gateway
// payments simply starts later. Over is: VERIFIED, FAILED (refused, canceled,
// abandoned, a token whose 20 minutes passed unpaid, an in-doubt payment
// settled as not taken) or EXPIRED (paid, not verified in time: the money went
// back to the payer), §4.6; and every refund row of it final (its plan's last
// step, DONE or FAILED) more than the retention ago, the money of a failed one
// back in the wallet, its notice no longer owed. Anything that can still
// change stays however old: a token still payable, a payment waiting for its
// verify, an in-doubt one not settled, a refund pending, a notice due. Money
// is not touched: verify and refund moved it when they ran, and the wallet's
// balance is its own row. Once dropped, the payment's token answers as unknown
// (transaction, verify), its transaction id can no longer be refunded (404), and
// a refund's payment_number may be used again.
func (p *Provider) expirePayments(now time.Time) int {
	cut := now.Add(-p.pt.retention)
	to := store.Range{To: lifecycle.TimeKey(cut, "")}
	dropped := 0
	for _, slug := range p.payments.Tenants() {
		p.settleReturns(slug, now) // failed refund rows' money comes back first
		var old []string
		p.payAged.Scan(slug, to, func(r store.Row[payment]) bool {
			if _, over := p.paymentOver(slug, r.Value, now, cut); over {
				old = append(old, r.ID)
			}
			return true
		})
		for _, token := range old {
			var gone payment
			var refunds []refundRow
			// Decided again under the payment's lock, under which a refund adds
			// its rows: none can slip in between the check and the delete.
			if !p.payments.DeleteIf(slug, token, func(pay *payment) bool {
				var over bool
				refunds, over = p.paymentOver(slug, *pay, now, cut)
				gone = *pay
				return over
			}) {
				continue
			}
			dropped++
			p.txs.Delete(slug, itoa(gone.TransID))
			for _, rf := range refunds {
				p.refunds.Delete(slug, rf.ID)
				p.txs.Delete(slug, itoa(rf.TxID))
				if rf.ReturnTx != 0 {
					p.txs.Delete(slug, itoa(rf.ReturnTx))
				}
				if rf.PaymentNumber != "" {
					if t, ok := p.refundNos.Get(slug, rf.PaymentNumber); ok && t == token {
						p.refundNos.Delete(slug, rf.PaymentNumber)
					}
				}
			}
		}
	}
	return dropped
}

// paymentOver reports whether nothing about the payment can change any more
// (see expirePayments) and every refund row of it finished before cut; with
// the refund rows.
func (p *Provider) paymentOver(slug string, pay payment, now, cut time.Time) ([]refundRow, bool) {
	switch p.effective(pay, now).State {
	case stVerified, stFailed, stExpired:
	default:
		return nil, false
	}
	var rows []refundRow
	over := true
	p.refundsOf.Scan(slug, store.Prefix(pay.Token+"\x00"), func(r store.Row[refundRow]) bool {
		rf := r.Value
		_, returning := p.returns.Get(slug, rf.ID)
		_, owed := p.refundNote.Get(slug, rf.ID)
		if rf.DoneAt.After(cut) || returning || owed {
			over = false
			return false
		}
		rows = append(rows, rf)
		return true
	})
	return rows, over
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
		dropped += p.pt.aged.Expire(slug, to, func(s *payout) bool { return s.Booked && !s.finishedAt().After(now) }, func(r store.Row[payout]) {
			s := r.Value
			if id, ok := p.pt.byTx.Get(slug, itoa(s.TxID)); ok && id == s.ID {
				p.pt.byTx.Delete(slug, itoa(s.TxID))
			}
			if id, ok := p.pt.byTrk.Get(slug, s.TrackID); ok && id == s.ID {
				p.pt.byTrk.Delete(slug, s.TrackID)
			}
		})
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
		dropped += p.wdAged.Expire(slug, to, func(w *withdrawal) bool {
			fy, fm, _ := iran.ToJalali(w.Attempts[0].Start.In(iran.Tehran))
			return fy*12+fm < month && w.over(now)
		}, func(r store.Row[withdrawal]) {
			if w := r.Value; w.TrackID != "" {
				if id, ok := p.wdTrack.Get(slug, w.TrackID); ok && id == w.ID {
					p.wdTrack.Delete(slug, w.TrackID)
				}
			}
		})
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
