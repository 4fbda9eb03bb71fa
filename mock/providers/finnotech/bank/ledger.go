package bank

import (
	"time"

	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

// depositRow is one deposit's live state. The opening balance is in the
// fixtures; the row is made on first use. Posted movements live in their own
// table (one row each), so a charge copies a few words, not the whole history.
type depositRow struct {
	Balance int64
	Holds   []hold   // in-doubt charges: reserved, not yet debited
	Days    []bucket // recent days' debits, for the daily and monthly limits
}

// cardRow is one bon card's live state.
type cardRow struct {
	Balance int64
	Holds   []hold
	Days    []bucket
}

// hold reserves an in-doubt charge's amount on both sides until it settles, so
// that a charge settling as success can never overdraw the deposit or break a
// limit that later charges were checked against.
type hold struct {
	TrackID string
	Amount  int64
	At      time.Time
}

// bucket is one Jalali day's charges. Keeping the last maxDays of them is
// enough for a monthly limit and keeps limit checks O(1) in the history.
type bucket struct {
	Day    period
	Count  int64
	Amount int64
}

const maxDays = 64

// entry is one posted deposit movement (negative: debit).
type entry struct {
	Deposit string
	At      time.Time
	Amount  int64
	Balance int64 // after the movement
	TrackID string
	Card    string
	Tracker int64
}

// cardTx is one posted bon-card movement, as card/statement shows it.
type cardTx struct {
	Card      string
	At        time.Time
	Amount    int64
	Available int64
	Trace     int64
	RefNum    string
	TermID    string
	TrackID   string
	Tracker   int64
}

func (r depositRow) Clone() depositRow {
	r.Holds = append([]hold(nil), r.Holds...)
	r.Days = append([]bucket(nil), r.Days...)
	return r
}

func (r cardRow) Clone() cardRow {
	r.Holds = append([]hold(nil), r.Holds...)
	r.Days = append([]bucket(nil), r.Days...)
	return r
}

func held(hs []hold) int64 {
	var n int64
	for _, h := range hs {
		n += h.Amount
	}
	return n
}

func dropHold(hs []hold, trackID string) []hold {
	for i, h := range hs {
		if h.TrackID == trackID {
			return append(hs[:i:i], hs[i+1:]...)
		}
	}
	return hs
}

// period compares days in Tehran and months in the Jalali calendar, the way an
// Iranian bank counts its daily and monthly limits.
type period struct{ Y, M, D int }

func periodOf(t time.Time) period {
	y, m, d := iran.ToJalali(t.In(iran.Tehran))
	return period{y, m, d}
}

func (p period) sameMonth(q period) bool { return p.Y == q.Y && p.M == q.M }

// record adds one charge to the day buckets.
func record(days []bucket, at time.Time, amount int64) []bucket {
	p := periodOf(at)
	for i := len(days) - 1; i >= 0; i-- {
		if days[i].Day == p {
			days[i].Count++
			days[i].Amount += amount
			return days
		}
	}
	days = append(days, bucket{Day: p, Count: 1, Amount: amount})
	if len(days) > maxDays {
		days = append(days[:0:0], days[len(days)-maxDays:]...)
	}
	return days
}

// usage sums charges (posted and held) in now's day and month.
type usage struct{ dayCount, dayAmount, monthCount, monthAmount int64 }

func usageOf(days []bucket, holds []hold, now time.Time) usage {
	var u usage
	np := periodOf(now)
	add := func(p period, count, amount int64) {
		if p.sameMonth(np) {
			u.monthCount += count
			u.monthAmount += amount
			if p == np {
				u.dayCount += count
				u.dayAmount += amount
			}
		}
	}
	for _, b := range days {
		add(b.Day, b.Count, b.Amount)
	}
	for _, h := range holds {
		add(periodOf(h.At), 1, h.Amount)
	}
	return u
}

func (d *depositDef) row() depositRow { return depositRow{Balance: d.Opening} }
func (c *bonCardDef) row() cardRow    { return cardRow{Balance: c.Opening} }

// depositState is a copy of the deposit's live state (the opening state when it
// has not been touched).
func (b *Bank) depositState(tenant string, d *depositDef) depositRow {
	if r, ok := b.deposits.Get(tenant, d.Number); ok {
		return r
	}
	return d.row()
}

func (b *Bank) cardState(tenant string, c *bonCardDef) cardRow {
	if r, ok := b.cards.Get(tenant, c.Card); ok {
		return r
	}
	return c.row()
}

// DepositBalance answers GET .../deposits/{deposit}/balance. freezeAmount is the
// deposit's blocked amount plus the charges still in doubt; availableBalance and
// effectiveBalance are what is left to withdraw.
func (b *Bank) DepositBalance(tenant, deposit string, now time.Time) (DepositBalance, error) {
	d, ok := b.w.deposits[deposit]
	if !ok {
		return DepositBalance{}, errInvalidDeposit()
	}
	b.settleDue(tenant, now)
	r := b.depositState(tenant, d)
	freeze := d.Freeze + held(r.Holds)
	return DepositBalance{
		CurrentBalance:   r.Balance,
		AvailableBalance: r.Balance - freeze,
		EffectiveBalance: r.Balance - freeze,
		FreezeAmount:     freeze,
		Number:           d.Number,
	}, nil
}

// DepositEntry is one posted movement of a deposit's ledger.
type DepositEntry struct {
	At      time.Time
	Amount  int64 // negative: debit
	Balance int64 // after the movement
	TrackID string
	Card    string
	Tracker int64
}

// DepositStatement lists a deposit's posted movements, oldest first (for the
// control plane and tests; Finnotech's own statement services are not modelled).
func (b *Bank) DepositStatement(tenant, deposit string, now time.Time) ([]DepositEntry, error) {
	d, ok := b.w.deposits[deposit]
	if !ok {
		return nil, errInvalidDeposit()
	}
	b.settleDue(tenant, now)
	var out []DepositEntry
	for _, it := range b.depLedger.List(tenant) {
		if e := it.Value; e.Deposit == d.Number {
			out = append(out, DepositEntry{At: e.At, Amount: e.Amount, Balance: e.Balance, TrackID: e.TrackID, Card: e.Card, Tracker: e.Tracker})
		}
	}
	return out, nil
}

func validation(msg string) *envelope.Error {
	return &envelope.Error{Status: 400, Code: "VALIDATION_ERROR", Message: msg}
}

func errInvalidDeposit() *envelope.Error { return validation("invalid deposit") }
func errInvalidCard() *envelope.Error    { return validation("invalid card") }
