package bank

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/sandbank-dev/sandbank/mock/digits"
	"github.com/sandbank-dev/sandbank/mock/fake"
	"github.com/sandbank-dev/sandbank/mock/ledger"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// chargeRow is one chargeCard call, keyed by its trackId. The truth of an
// in-doubt charge is computed on read from the decision fields; Final records
// it once settled, and the money moves in the same step, under the row's lock.
type chargeRow struct {
	TrackID, Deposit, Card string
	Amount                 int64
	At                     time.Time
	Tracker                int64
	Code                   string // the reply's code, "" for a success
	// In-doubt decision (Outcome unknown): fixed at charge time.
	Unknown     bool
	HasSettle   bool
	SettleAfter time.Duration
	SettleTo    scenario.Outcome
	SettleCode  string
	Held        bool   // the amount is reserved on deposit and card
	Blocked     string // a rule the charge broke: it cannot settle as success
	// Final: "" while in doubt, else success | failure.
	Final     string
	FinalCode string
	SettledAt time.Time
}

const (
	finalSuccess = "success"
	finalFailure = "failure"
	// defaultFailure answers failure decisions without a code: "transaction
	// unsuccessful".
	defaultFailure = "D80"
	// defaultUnknown answers unknown decisions without a code: "status unknown".
	defaultUnknown = "A123"
)

var (
	errDeclined  = errors.New("declined")
	errDuplicate = errors.New("duplicate")
)

func (c *chargeRow) decision() scenario.Decision {
	if !c.Unknown {
		return scenario.Decision{Outcome: scenario.Success}
	}
	d := scenario.Decision{Outcome: scenario.Unknown, Code: c.Code}
	if c.HasSettle {
		d.Settle = &scenario.Settle{After: c.SettleAfter, To: c.SettleTo, Code: c.SettleCode}
	}
	return d
}

// MarshalJSON writes the documented shapes of §6.1: the success object
// (message, card, amount, deposit, tracker, chargeState) or the business
// failure (code, message, description, deposit, card, chargeState), fields in
// the documentation's order.
func (r ChargeResult) MarshalJSON() ([]byte, error) {
	if r.Code == "" {
		return json.Marshal(struct {
			Message     string `json:"message"`
			Card        string `json:"card"`
			Amount      string `json:"amount"`
			Deposit     string `json:"deposit"`
			Tracker     int64  `json:"tracker"`
			ChargeState string `json:"chargeState"`
		}{r.Message, r.Card, r.Amount, r.Deposit, r.Tracker, r.ChargeState})
	}
	return json.Marshal(struct {
		Code        string `json:"code"`
		Message     string `json:"message"`
		Description string `json:"description"`
		Deposit     string `json:"deposit"`
		Card        string `json:"card"`
		ChargeState string `json:"chargeState"`
	}{r.Code, r.Message, r.Description, r.Deposit, r.Card, r.ChargeState})
}

// Success reports whether the reply is the success shape.
func (r ChargeResult) Success() bool { return r.Code == "" }

const successMessage = "تراکنش با موفقیت انجام شد"

func last4(card string) string {
	if len(card) <= 4 {
		return card
	}
	return card[len(card)-4:]
}

// Charge runs chargeCard. Request errors come back as *envelope.Error (HTTP 400
// VALIDATION_ERROR); business outcomes, good or bad, as a ChargeResult. See
// doc.go for the order of the checks.
func (b *Bank) Charge(tenant string, r ChargeRequest) (ChargeResult, error) {
	switch {
	case r.TrackID == "":
		return ChargeResult{}, validation("trackId is required")
	case r.Amount <= 0:
		return ChargeResult{}, validation("invalid amount")
	case !digits.All(r.Card):
		return ChargeResult{}, errInvalidCard()
	}
	dep, ok := b.w.deposits[r.Deposit]
	if !ok {
		return ChargeResult{}, errInvalidDeposit()
	}
	// A bon card is charged from an Ayandeh deposit (the token is a bank-062
	// one); other deposits, and those flagged in the fixtures, fail the
	// documented withdrawal-conditions check.
	if dep.ConditionsNotPass || dep.Bank != "062" {
		return ChargeResult{}, validation("account conditions not passed")
	}
	b.settleDue(tenant, r.Now)
	if _, dup := b.charges.Get(tenant, r.TrackID); dup {
		return ChargeResult{}, validation("trackId is duplicated")
	}

	row := chargeRow{TrackID: r.TrackID, Deposit: r.Deposit, Card: r.Card, Amount: r.Amount, At: r.Now}
	d := r.Decision
	// Magic amounts stand in for a decision only when neither a header nor a
	// scenario made one (header > scenario > magic value > default).
	if (d.Outcome == "" || d.Outcome == scenario.Success) && !d.Decided() {
		if m, ok := b.w.magic[r.Amount]; ok {
			d = m.decision()
		}
	}
	switch d.Outcome {
	case scenario.Failure:
		row.Code = d.Code
		if row.Code == "" {
			row.Code = defaultFailure
		}
		return b.fail(tenant, row)
	case scenario.Unknown:
		row.Unknown = true
		row.Code = d.Code
		if row.Code == "" {
			row.Code = defaultUnknown
		}
		if d.Settle != nil {
			row.HasSettle, row.SettleAfter, row.SettleTo, row.SettleCode = true, d.Settle.After, d.Settle.To, d.Settle.Code
		}
		return b.inDoubt(tenant, row, dep)
	}

	card, code := b.checkCard(r.Card, r.Now, dep)
	if code != "" {
		row.Code = code
		return b.fail(tenant, row)
	}
	code, err := b.post(tenant, &row, dep, card, false)
	if err != nil {
		return ChargeResult{}, err
	}
	if code != "" {
		row.Code = code
		return b.fail(tenant, row)
	}
	return ChargeResult{
		Message: successMessage, Card: last4(r.Card), Amount: strconv.FormatInt(r.Amount, 10),
		Deposit: r.Deposit, Tracker: row.Tracker, ChargeState: StateDone,
	}, nil
}

// checkCard runs the checks that need no state: service window, card number,
// card status, account detail code. Order: the service is closed before
// anything is looked at; then the card as the switch sees it (prefix, length,
// existence, status); then the source account.
func (b *Bank) checkCard(card string, now time.Time, dep *depositDef) (*bonCardDef, string) {
	if b.w.closed(now) {
		return nil, "A118"
	}
	if !isBonPrefix(card) {
		return nil, "A103"
	}
	if len(card) != 16 {
		return nil, "B04"
	}
	c, ok := b.w.bonCards[card]
	if !ok {
		return nil, "D14"
	}
	switch c.Status {
	case statusInactive:
		return nil, "B78"
	case statusExpired:
		return nil, "D33"
	case statusLost:
		return nil, "D41"
	case statusStolen:
		return nil, "D43"
	}
	if dep.NoTafsili {
		return nil, "A107"
	}
	return c, ""
}

// limitCode checks card limits (A112 per transaction, A111 balance cap, A113
// daily, A114 monthly), account limits (A115 per transaction, A116 daily count
// or amount, A117 monthly count or amount) and funds (C10 ledger balance, D51
// available balance after blocked amounts and in-doubt holds).
func limitCode(dep *depositDef, card *bonCardDef, d, k ledger.View, amount int64) string {
	if card.PerTx > 0 && amount > card.PerTx {
		return "A112"
	}
	if card.MaxBalance > 0 && k.Balance+k.Incoming+amount > card.MaxBalance {
		return "A111"
	}
	cu := usageOf(k)
	if card.DayAmount > 0 && cu.dayAmount+amount > card.DayAmount {
		return "A113"
	}
	if card.MonthAmount > 0 && cu.monthAmount+amount > card.MonthAmount {
		return "A114"
	}
	if dep.PerTx > 0 && amount > dep.PerTx {
		return "A115"
	}
	du := usageOf(d)
	if (dep.DayCount > 0 && du.dayCount+1 > dep.DayCount) || (dep.DayAmount > 0 && du.dayAmount+amount > dep.DayAmount) {
		return "A116"
	}
	if (dep.MonthCount > 0 && du.monthCount+1 > dep.MonthCount) || (dep.MonthAmount > 0 && du.monthAmount+amount > dep.MonthAmount) {
		return "A117"
	}
	if d.Balance < amount {
		return "C10"
	}
	if d.Balance-dep.Freeze-d.Held < amount {
		return "D51"
	}
	return ""
}

// post checks limits and funds and, when they pass, moves the money (reserve
// false) or reserves it (reserve true). The deposit and the card are one ledger
// transaction, and the charge row is inserted inside it, so parallel charges
// never overdraw, never lose an update and a duplicate trackId never moves
// money. It returns the declining code, if any.
func (b *Bank) post(tenant string, row *chargeRow, dep *depositDef, card *bonCardDef, reserve bool) (string, error) {
	var code string
	d, k := dep.money(), card.money()
	err := b.book.Do(tenant, row.At, []ledger.Account{d, k}, func(tx *ledger.Tx[movement]) error {
		if code = limitCode(dep, card, tx.View(d.ID), tx.View(k.ID), row.Amount); code != "" {
			return errDeclined
		}
		row.Tracker = b.next(tenant, "tracker", 10000, 90000)
		if reserve {
			row.Held = true
		} else {
			row.Final, row.FinalCode, row.SettledAt = finalSuccess, "A00", row.At
		}
		if !b.charges.Insert(tenant, row.TrackID, *row) {
			return errDuplicate
		}
		if reserve {
			// Held on both sides until it settles: out of the deposit, into the card.
			if err := tx.Hold(d.ID, row.TrackID, ledger.IRR.Of(row.Amount), true); err != nil {
				return err
			}
			return tx.HoldIn(k.ID, row.TrackID, ledger.IRR.Of(row.Amount), true)
		}
		return b.move(tx, dep, card, row)
	})
	switch {
	case errors.Is(err, errDeclined):
		return code, nil
	case errors.Is(err, errDuplicate):
		return "", validation("trackId is duplicated")
	case err != nil:
		return "", fmt.Errorf("finnotech bank: charge %s: %w", row.TrackID, err)
	}
	return "", nil
}

// move posts a charge on both sides at the transaction's time: the deposit's
// debit and the card's credit, both counted toward limits. A held charge's
// holds are captured; otherwise the money moves now.
func (b *Bank) move(tx *ledger.Tx[movement], dep *depositDef, card *bonCardDef, c *chargeRow) error {
	tenant := tx.Tenant()
	onDeposit := movement{TrackID: c.TrackID, Card: c.Card, Tracker: c.Tracker}
	onCard := movement{TrackID: c.TrackID, Tracker: c.Tracker,
		Trace:  b.next(tenant, "trace", 900000, 90000),
		RefNum: fmt.Sprintf("%010d", fake.Hash(b.seed, tenant, "refnum", c.TrackID)%10_000_000_000),
		TermID: fmt.Sprintf("0201%04d", fake.Hash(b.seed, tenant, "termid")%10000),
	}
	d, k := dep.money().ID, card.money().ID
	if c.Held {
		if _, err := tx.Capture(d, c.TrackID, onDeposit); err != nil {
			return err
		}
		_, err := tx.Capture(k, c.TrackID, onCard)
		return err
	}
	if _, err := tx.Post(d, ledger.IRR.Of(-c.Amount), true, onDeposit); err != nil {
		return err
	}
	_, err := tx.Post(k, ledger.IRR.Of(c.Amount), true, onCard)
	return err
}

// fail records a charge that moved no money and answers its business failure.
func (b *Bank) fail(tenant string, row chargeRow) (ChargeResult, error) {
	row.Final, row.FinalCode, row.SettledAt = finalFailure, row.Code, row.At
	if !b.charges.Insert(tenant, row.TrackID, row) {
		return ChargeResult{}, validation("trackId is duplicated")
	}
	return b.failure(row, b.w.failedState), nil
}

func (b *Bank) failure(row chargeRow, state string) ChargeResult {
	msg := StatusUnsuccess
	if classOf(row.Code) == ClassUnknown {
		msg = StatusUnknown
	}
	return ChargeResult{
		Code: row.Code, Message: msg, Description: description(row.Code),
		Deposit: row.Deposit, Card: last4(row.Card), Amount: strconv.FormatInt(row.Amount, 10),
		ChargeState: state,
	}
}

// inDoubt records an in-doubt charge. If the charge could succeed its amount is
// held until it settles; if a rule refuses it, it is recorded as blocked and
// can only settle as a failure with that rule's code.
func (b *Bank) inDoubt(tenant string, row chargeRow, dep *depositDef) (ChargeResult, error) {
	card, code := b.checkCard(row.Card, row.At, dep)
	if code == "" {
		var err error
		if code, err = b.post(tenant, &row, dep, card, true); err != nil {
			return ChargeResult{}, err
		}
	}
	if code != "" {
		row.Blocked = code
		if !b.charges.Insert(tenant, row.TrackID, row) {
			return ChargeResult{}, validation("trackId is duplicated")
		}
	}
	b.pending.Put(tenant, row.TrackID, row.At)
	b.settle(tenant, row.TrackID, row.At)
	return b.failure(row, StateUnknown), nil
}

// settleDue settles every in-doubt charge of the tenant whose truth is known at
// now, so balances and statements read after the settle time show it.
func (b *Bank) settleDue(tenant string, now time.Time) {
	for _, it := range b.pending.List(tenant) {
		b.settle(tenant, it.ID, now)
	}
}

// settle fixes an in-doubt charge once its decision says it is settled at now.
// The Final flag is set under the charge row's lock, and the money moves inside
// that same lock, so parallel inquiries move it exactly once.
func (b *Bank) settle(tenant, trackID string, now time.Time) {
	c, ok := b.charges.Get(tenant, trackID)
	if !ok || c.Final != "" {
		b.pending.Delete(tenant, trackID)
		return
	}
	out, code, done := c.decision().SettledAt(c.At, now)
	if !done {
		return
	}
	at := c.At
	if c.HasSettle {
		at = c.At.Add(c.SettleAfter)
	}
	err := b.charges.Update(tenant, trackID, func(c *chargeRow) error {
		if c.Final != "" {
			return errDuplicate // settled by a parallel reader
		}
		success := out == scenario.Success && c.Blocked == ""
		if c.Held {
			// The money moves at the settle time, inside the charge row's lock.
			dep, card := b.w.deposits[c.Deposit], b.w.bonCards[c.Card]
			err := b.book.Do(tenant, at, []ledger.Account{dep.money(), card.money()}, func(tx *ledger.Tx[movement]) error {
				if success {
					return b.move(tx, dep, card, c)
				}
				if _, err := tx.Release(dep.money().ID, c.TrackID); err != nil {
					return err
				}
				_, err := tx.Release(card.money().ID, c.TrackID)
				return err
			})
			if err != nil {
				return err
			}
		}
		c.SettledAt = at
		switch {
		case success:
			c.Final, c.FinalCode = finalSuccess, "A00"
		case out == scenario.Success: // blocked by a rule
			c.Final, c.FinalCode = finalFailure, c.Blocked
		default:
			c.Final, c.FinalCode = finalFailure, code
			if c.FinalCode == "" {
				c.FinalCode = defaultFailure
			}
		}
		return nil
	})
	if err == nil || errors.Is(err, errDuplicate) {
		b.pending.Delete(tenant, trackID)
	}
}

// InquiryCharge answers inquiryChargeCard for the charge sent with trackId
// chargeTrackID. A trackId no charge was made with answers, HTTP 200, the
// documentation's own example: Unsuccess, G101, transactionStatus Unknown,
// tracker null (the bank cannot tell a lost request from one never sent).
func (b *Bank) InquiryCharge(tenant, chargeTrackID string, now time.Time) (Inquiry, error) {
	if chargeTrackID == "" {
		return Inquiry{}, validation("trackId is required")
	}
	b.settle(tenant, chargeTrackID, now)
	c, ok := b.charges.Get(tenant, chargeTrackID)
	if !ok || now.Before(c.At) {
		return Inquiry{Message: StatusUnsuccess, Code: "G101", Description: description("G101"),
			TransactionStatus: StatusUnknown, TrackID: chargeTrackID}, nil
	}
	switch c.Final {
	case finalSuccess:
		tr := c.Tracker
		return Inquiry{Message: StatusSuccess, Code: "A00", Description: description("A00"),
			TransactionStatus: StatusSuccess, Tracker: &tr, TrackID: c.TrackID}, nil
	case finalFailure:
		return Inquiry{Message: StatusUnsuccess, Code: c.FinalCode, Description: description(c.FinalCode),
			TransactionStatus: StatusUnsuccess, TrackID: c.TrackID}, nil
	}
	code := c.Code
	if code == "" {
		code = "G100"
	}
	return Inquiry{Message: StatusUnknown, Code: code, Description: description(code),
		TransactionStatus: StatusUnknown, TrackID: c.TrackID}, nil
}

// ChargeInfo is a charge as the bank recorded it (for the control plane and
// tests).
type ChargeInfo struct {
	TrackID, Deposit, Card string
	Amount                 int64
	At                     time.Time
	Code                   string // the reply's code ("" success)
	Final                  string // "" in doubt, success, failure
	FinalCode              string
	Tracker                int64
}

// Charges lists a tenant's charges in the order they were made, settling those
// due at now first.
func (b *Bank) Charges(tenant string, now time.Time) []ChargeInfo {
	b.settleDue(tenant, now)
	items := b.charges.List(tenant)
	out := make([]ChargeInfo, len(items))
	for i, it := range items {
		c := it.Value
		out[i] = ChargeInfo{c.TrackID, c.Deposit, c.Card, c.Amount, c.At, c.Code, c.Final, c.FinalCode, c.Tracker}
	}
	return out
}
