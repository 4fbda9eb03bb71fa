package bank

import (
	"time"

	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/ledger"
)

// A deposit's and a bon card's money live in the ledger (mock/ledger), in
// Rial: balance, in-doubt holds, the day buckets the limits are checked
// against, and one entry per posted movement, so a charge changes a few words
// and appends a row, never copies the history.

// movement is what an entry records beside amount and balance: the charge it
// belongs to and, on the card side, what card/statement shows.
type movement struct {
	TrackID string `json:"track_id"`
	Card    string `json:"card,omitempty"`
	Tracker int64  `json:"tracker"`
	Trace   int64  `json:"trace,omitempty"`
	RefNum  string `json:"ref_num,omitempty"`
	TermID  string `json:"term_id,omitempty"`
}

func (d *depositDef) money() ledger.Account {
	return ledger.Account{ID: "deposit:" + d.Number, Opening: ledger.IRR.Of(d.Opening)}
}

func (c *bonCardDef) money() ledger.Account {
	return ledger.Account{ID: "card:" + c.Card, Opening: ledger.IRR.Of(c.Opening)}
}

// usage sums charges (posted and held) in now's day and month.
type usage struct{ dayCount, dayAmount, monthCount, monthAmount int64 }

func usageOf(v ledger.View) usage {
	u := v.Usage()
	return usage{u.DayCount, u.DayAmount, u.MonthCount, u.MonthAmount}
}

// depositState is the deposit's live state (the opening state when it has not
// been touched).
func (b *Bank) depositState(tenant string, d *depositDef) ledger.View {
	return b.book.Peek(tenant, time.Time{}, d.money())
}

func (b *Bank) cardState(tenant string, c *bonCardDef) ledger.View {
	return b.book.Peek(tenant, time.Time{}, c.money())
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
	freeze := d.Freeze + r.Held
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
	err := b.book.Statement(tenant, now, d.money(), ledger.Query{}, func(e ledger.Entry[movement]) bool {
		out = append(out, DepositEntry{At: e.At, Amount: e.Amount.Value, Balance: e.Balance.Value,
			TrackID: e.Meta.TrackID, Card: e.Meta.Card, Tracker: e.Meta.Tracker})
		return true
	})
	return out, err
}

func validation(msg string) *envelope.Error {
	return &envelope.Error{Status: 400, Code: "VALIDATION_ERROR", Message: msg}
}

func errInvalidDeposit() *envelope.Error { return validation("invalid deposit") }
func errInvalidCard() *envelope.Error    { return validation("invalid card") }
