package vandar

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Refund of a verified gateway payment to the payer's card (reference §5): the
// wallet is debited at once, the amount is split into rows of at most
// 15,000,000 Toman (150,000,000 Rial), each row is PENDING and turns DONE one
// settlement cycle later, and the business's notify_url hears of it.

const refundChunk = 150_000_000 // Rial

type refundRow struct {
	ID            string         `json:"id"`
	TxID          int64          `json:"gateway_transaction_id"` // the row's own report id
	PaymentTxID   int64          `json:"payment_transaction_id"`
	Token         string         `json:"token"`
	Amount        int64          `json:"amount"` // Rial
	Wage          int64          `json:"wage"`
	PaymentNumber string         `json:"payment_number,omitempty"`
	Description   string         `json:"description,omitempty"`
	NotifyURL     string         `json:"notify_url,omitempty"`
	Wallet        int64          `json:"wallet"` // Rial, the balance after this row
	Status        string         `json:"status"`
	Created       time.Time      `json:"created"`
	DoneAt        time.Time      `json:"done_at"` // when the outcome is known (the plan's last step)
	Plan          lifecycle.Plan `json:"plan"`
	Card          string         `json:"card"`
	// ReturnTx is the report row of the money of a failed row coming back
	// (settleReturns), so that --retention drops it with the row.
	ReturnTx int64 `json:"return_transaction_id,omitempty"`
}

// Clone copies the plan.
func (r refundRow) Clone() refundRow {
	r.Plan = slices.Clone(r.Plan)
	return r
}

// refundAt is the row as the clock sees it: the status its plan gives now.
func (p *Provider) refundAt(r refundRow, now time.Time) refundRow {
	if st, _, ok := r.Plan.StatusAt(now); ok {
		r.Status = st
	}
	return r
}

// refundPlan is a row's statuses, fixed at creation: PENDING, then DONE one
// settlement cycle later, or the scenario's timeline (PENDING, DONE, FAILED at
// durations from now). Statuses are the settlement ones (reference §5: only
// PENDING is documented).
func (p *Provider) refundPlan(c *api.Call, now time.Time) lifecycle.Plan {
	if tl := c.Decision.Timeline(); len(tl) > 0 {
		pl, err := lifecycle.Build(now, tl, nil)
		if err == nil {
			return pl
		}
		c.Response().Header().Set("X-Sandbank-Error", "vandar: timeline: "+err.Error())
	}
	return lifecycle.Plan{{Status: "PENDING", At: now}, {Status: "DONE", At: now.Add(p.cfg.refundDoneAfter)}}
}

type refundReq struct {
	txID                       int64
	amount                     int64 // 0 = the whole remaining amount
	paymentNumber, description string
	notifyURL                  string
}

func (p *Provider) parseRefund(c *api.Call) (refundReq, error) {
	var r refundReq
	id, ok := int64Of(c.Param("transaction_id"))
	if !ok {
		return r, p.fail("REFUND_TX_NOT_FOUND")
	}
	r.txID = id
	in := readInput(c)
	var ps problems
	if s, present, ok := in.str("payment_number"); present && (!ok || len(s) > 255) {
		ps = append(ps, problem{code: "REFUND_STRING"})
	} else {
		r.paymentNumber = s
	}
	if s, present, ok := in.str("amount"); present {
		n, num := int64Of(s)
		switch {
		case !ok || !num:
			ps = append(ps, problem{code: "REFUND_AMOUNT_NUMERIC"})
		case n < 1:
			ps = append(ps, problem{code: "REFUND_AMOUNT_MIN"})
		default:
			r.amount = n
		}
	}
	if s, present, ok := in.str("description"); present && (!ok || len([]rune(s)) > 255) {
		ps = append(ps, problem{code: "REFUND_DESCRIPTION"})
	} else {
		r.description = s
	}
	if s, present, ok := in.str("notify_url"); present {
		if !ok || !httpURL(s) {
			ps = append(ps, problem{code: "REFUND_NOTIFY_URL"})
		} else {
			r.notifyURL = s
		}
	}
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

type refundData struct {
	Message string       `json:"message"`
	Results []refundView `json:"results"`
}

type refundView struct {
	ID                   string  `json:"id"`
	RetryCount           string  `json:"retry_count"`
	GatewayTransactionID int64   `json:"gateway_transaction_id"`
	Amount               string  `json:"amount"`
	Wage                 int64   `json:"wage"`
	PaymentNumber        *string `json:"payment_number"`
	Status               string  `json:"status"`
	Description          *string `json:"description"`
	Wallet               string  `json:"wallet"`
	RefundDate           string  `json:"refund_date"`
	CreatedAt            string  `json:"created_at"`
}

var (
	errNotRefundable = errors.New("refund: not a verified gateway payment")
	errRefunded      = errors.New("refund: nothing left to refund")
	errRefundTooMuch = errors.New("refund: amount above what is left")
	errDupPaymentNo  = errors.New("refund: payment_number used")
)

// refundAmount is what a refund asking for asked (0 = all that is left) takes
// of paid, of which refunded is refunded already: errRefunded when nothing is
// left, errRefundTooMuch when asked is more than is left. The gateway's and
// direct debit's refunds share the rule.
func refundAmount(paid, refunded, asked int64) (int64, error) {
	left := paid - refunded
	switch {
	case left <= 0:
		return 0, errRefunded
	case asked == 0:
		return left, nil
	case asked > left:
		return 0, errRefundTooMuch
	}
	return asked, nil
}

// runRefund checks and moves the money in one step under the payment's lock:
// the remaining amount, the wallet (debited by the amount and the rows' wages)
// and the new rows, so two parallel refunds can never return more than was paid.
func (p *Provider) runRefund(c *api.Call, r refundReq) (refundData, error) {
	b, _ := p.business(c.Tenant)
	if b.RefundDisabled {
		return refundData{}, p.fail("REFUND_TOOL_INACTIVE")
	}
	tx, ok := p.txs.Get(b.Name, itoa(r.txID))
	if !ok {
		return refundData{}, p.fail("REFUND_TX_NOT_FOUND")
	}
	if tx.Kind != kindIPG {
		return refundData{}, p.failAll(problems{{code: "REFUND_NOT_REFUNDABLE"}})
	}
	now := p.clock.Now()
	plan := p.refundPlan(c, now)
	var rows []refundRow
	err := p.payments.Update(b.Name, tx.Ref, func(pay *payment) error {
		if pay.State != stVerified {
			return errNotRefundable
		}
		amount, err := refundAmount(pay.Amount, pay.Refunded, r.amount)
		if err != nil {
			return err
		}
		var parts []int64
		for rest := amount; rest > 0; rest -= min(rest, refundChunk) {
			parts = append(parts, min(rest, refundChunk))
		}
		total := amount + int64(len(parts))*p.cfg.refundWage
		rows = rows[:0]
		// payment_number is unique per business: claimed here, in the same step
		// as the money, and given back if the refund does not go through.
		if r.paymentNumber != "" && !p.refundNos.Insert(b.Name, r.paymentNumber, pay.Token) {
			return errDupPaymentNo
		}
		err = p.move(b.Name, -total, walletMeta{Kind: kindRefund, Ref: pay.Token}, func(balance int64) error {
			running := balance + total
			for _, part := range parts {
				running -= part + p.cfg.refundWage
				id := p.nextID(now)
				row := refundRow{
					ID: p.uuid1(now), TxID: id, PaymentTxID: pay.TransID, Token: pay.Token, Amount: part, Wage: p.cfg.refundWage,
					PaymentNumber: r.paymentNumber, Description: r.description, NotifyURL: r.notifyURL, Wallet: running,
					Status: plan[0].Status, Plan: plan, Created: now, DoneAt: plan.Final().At, Card: pay.CardMasked,
				}
				rows = append(rows, row)
				p.refunds.Put(b.Name, row.ID, row)
				if plan.Final().Status == "FAILED" {
					p.returns.Put(b.Name, row.ID, row.DoneAt)
				}
				p.addRow(b.Name, txRow{
					ID: id, UUID: row.ID, Kind: kindRefund, Ref: row.ID, Status: -2, Channel: "refund", AmountRial: part,
					WageRial: row.Wage, WalletRial: running, Description: r.description, PaymentNo: r.paymentNumber,
					Card: pay.CardMasked, Created: now,
				})
			}
			return nil
		})
		if err != nil {
			if r.paymentNumber != "" {
				p.refundNos.Delete(b.Name, r.paymentNumber)
			}
			return err
		}
		pay.Refunded += amount
		return nil
	})
	switch {
	case errors.Is(err, errNotRefundable):
		return refundData{}, p.failAll(problems{{code: "REFUND_NOT_REFUNDABLE"}})
	case errors.Is(err, errRefunded):
		return refundData{}, p.failAll(problems{{code: "REFUND_ALREADY"}})
	case errors.Is(err, errRefundTooMuch):
		return refundData{}, p.failAll(problems{{code: "REFUND_AMOUNT_MAX"}})
	case errors.Is(err, errDupPaymentNo):
		return refundData{}, p.failAll(problems{{code: "REFUND_PAYMENT_NUMBER"}})
	case errors.Is(err, store.ErrNotFound):
		// Dropped by --retention since its report row was read.
		return refundData{}, p.fail("REFUND_TX_NOT_FOUND")
	case errors.Is(err, errInsufficient):
		return refundData{}, p.failAll(problems{{code: "REFUND_BALANCE"}, {code: "REFUND_BALANCE", msg: "مبلغ مورد نظر برای بازگشت بیشتر از موجودی شما می باشد"}})
	case err != nil:
		return refundData{}, err
	}
	for _, row := range rows {
		p.planRefundNotice(b, row)
	}
	out := refundData{Message: "عملیات بازگشت وجه با موفقیت ثبت گردید.", Results: make([]refundView, len(rows))}
	for i, row := range rows {
		out.Results[i] = refundView{
			ID: row.ID, RetryCount: "01", GatewayTransactionID: row.TxID, Amount: strconv.FormatInt(row.Amount, 10), Wage: row.Wage,
			PaymentNumber: strp(row.PaymentNumber), Status: row.Status, Description: strp(row.Description),
			Wallet: strconv.FormatInt(row.Wallet, 10), RefundDate: jalali(now),
			CreatedAt: jalali(now),
		}
	}
	return out, nil
}

// settleReturns gives back to the wallet the money of refund rows that failed
// by now (their plan ends FAILED), each once, with a "settlement returned" row
// (status -6) dated when the row failed. It runs before the business's wallet
// is read or moved, so the balance never shows money a failed refund still
// holds.
func (p *Provider) settleReturns(slug string, now time.Time) {
	for _, it := range p.returns.List(slug) {
		if it.Value.After(now) {
			continue
		}
		id := it.ID
		_ = p.refunds.Update(slug, id, func(rf *refundRow) error {
			if !p.returns.Delete(slug, id) {
				return nil // returned by a parallel request
			}
			back := rf.Amount + rf.Wage
			return p.move(slug, back, walletMeta{Kind: kindRefundReturn, Ref: rf.ID}, func(balance int64) error {
				row := p.addRow(slug, txRow{Kind: kindRefundReturn, Ref: rf.ID, Status: -6, Channel: "refund", AmountRial: back,
					WalletRial: balance, Description: "برگشت مبلغ بازگشت وجه ناموفق", PaymentNo: rf.PaymentNumber,
					Created: rf.DoneAt, Updated: rf.DoneAt})
				rf.ReturnTx = row.ID
				return nil
			})
		})
	}
}
