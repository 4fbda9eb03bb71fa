package vandar

import (
	"errors"
	"strconv"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/page"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Refunds of successful withdrawals to the customer's account (the seed's
// subscription/refunds; reference §11.16 found no bodies, so the request and
// answer follow the withdrawal's family B and are sandbank's): the business
// wallet is debited at once, the refund is PENDING and turns DONE one
// settlement cycle later, and the withdrawal reads REFUND from then.

type ddRefund struct {
	ID              string    `json:"id"`
	WithdrawalID    string    `json:"withdrawal_id"`
	AuthorizationID string    `json:"authorization_id"`
	TxID            int64     `json:"gateway_transaction_id"`
	Amount          int64     `json:"amount"` // Rial
	Description     string    `json:"description,omitempty"`
	TrackID         string    `json:"track_id,omitempty"`
	Created         time.Time `json:"created"`
	DoneAt          time.Time `json:"done_at"`
}

func (r ddRefund) status(now time.Time) string {
	if now.Before(r.DoneAt) {
		return "PENDING"
	}
	return "DONE"
}

type ddRefundOut struct {
	ID                   string  `json:"id"`
	WithdrawalID         string  `json:"withdrawal_id"`
	AuthorizationID      string  `json:"authorization_id"`
	GatewayTransactionID int64   `json:"gateway_transaction_id"`
	Amount               string  `json:"amount"`
	Status               string  `json:"status"`
	Description          *string `json:"description"`
	TrackID              *string `json:"track_id"`
	RefundDate           string  `json:"refund_date"`
	CreatedAt            string  `json:"created_at"`
}

func outRefund(r ddRefund, now time.Time) ddRefundOut {
	return ddRefundOut{ID: r.ID, WithdrawalID: r.WithdrawalID, AuthorizationID: r.AuthorizationID, GatewayTransactionID: r.TxID,
		Amount: strconv.FormatInt(r.Amount, 10), Status: r.status(now), Description: strp(r.Description), TrackID: strp(r.TrackID),
		RefundDate: jalali(r.DoneAt), CreatedAt: jalali(r.Created)}
}

type ddRefundReq struct {
	withdrawalID, description, trackID string
	amount                             int64
}

func (p *Provider) parseDDRefund(c *api.Call) (ddRefundReq, error) {
	in := readInput(c)
	var r ddRefundReq
	var ps problems
	if s, ok := ddString(in, "withdrawal_id", true, &ps); ok {
		r.withdrawalID = s
	}
	if s, present, ok := in.str("amount"); present {
		if n, num := int64Of(latin(s)); !ok || !num || n < 1 {
			ps = append(ps, problem{code: "REFUND_AMOUNT_NUMERIC"})
		} else {
			r.amount = n
		}
	}
	if s, present, ok := in.str("description"); present {
		if !ok || len([]rune(s)) > 255 {
			ps = append(ps, problem{code: "REFUND_DESCRIPTION"})
		} else {
			r.description = s
		}
	}
	if s, present, ok := in.str("track_id"); present {
		if !ok || len(s) > 255 {
			ps = append(ps, ddNotString("track_id"))
		} else {
			r.trackID = s
		}
	}
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

var (
	errWdNotDone = errors.New("withdrawal not done")
)

// runDDRefund checks and moves the money in one step under the withdrawal's
// lock, so parallel refunds never return more than was withdrawn.
func (p *Provider) runDDRefund(c *api.Call, r ddRefundReq) (Result, error) {
	p.ddSettle(c.Tenant, c.Now)
	var rf ddRefund
	err := p.withdrawals.Update(c.Tenant, r.withdrawalID, func(w *withdrawal) error {
		if w.at(c.Now).Status != "DONE" || !w.Settled {
			return errWdNotDone
		}
		amount, err := refundAmount(w.Amount, w.Refunded, r.amount)
		if err != nil {
			return err
		}
		rf = ddRefund{ID: p.uuid1(c.Now), WithdrawalID: w.ID, AuthorizationID: w.Authorization, TxID: p.nextID(c.Now), Amount: amount,
			Description: r.description, TrackID: r.trackID, Created: c.Now, DoneAt: c.Now.Add(p.cfg.refundDoneAfter)}
		err = p.move(c.Tenant, -amount, walletMeta{Kind: kindDebitRefund, Ref: rf.ID}, func(balance int64) error {
			p.addRow(c.Tenant, txRow{ID: rf.TxID, UUID: rf.ID, Kind: kindDebitRefund, Ref: rf.ID, Status: -2, Channel: "refund",
				AmountRial: amount, WalletRial: balance, Description: r.description, TrackID: r.trackID, Created: c.Now})
			return nil
		})
		if err != nil {
			return err
		}
		p.ddRefunds.Put(c.Tenant, rf.ID, rf)
		w.Refunded += amount
		if w.RefundAt.IsZero() {
			w.RefundAt = rf.DoneAt
		}
		return nil
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Result{}, p.fail("DD_WD_NOT_FOUND")
	case errors.Is(err, errWdNotDone):
		return Result{}, p.failAll(problems{{code: "DD_REFUND_NOT_DONE"}})
	case errors.Is(err, errRefunded):
		return Result{}, p.failAll(problems{{code: "DD_REFUND_ALREADY"}})
	case errors.Is(err, errRefundTooMuch):
		return Result{}, p.failAll(problems{{code: "DD_REFUND_AMOUNT_MAX"}})
	case errors.Is(err, errInsufficient):
		return Result{}, p.failAll(problems{{code: "REFUND_BALANCE"}})
	case err != nil:
		return Result{}, err
	}
	c.SetTrackID(rf.ID)
	return Result{Message: "عملیات بازگشت وجه با موفقیت ثبت گردید.", Data: map[string]any{"refund": outRefund(rf, c.Now)}}, nil
}

// ddRefundRow shows a refund's report row with its status now: a settlement
// out, pending (-2) until the refund is done (2), as the gateway refunds' rows.
func (p *Provider) ddRefundRow(slug string, tx txRow, v *rowView, now time.Time) {
	rf, ok := p.ddRefunds.Get(slug, tx.Ref)
	if !ok {
		return
	}
	v.Status = -2
	if rf.status(now) == "DONE" {
		v.Status = 2
	}
	v.TimePrediction["settlement_done_time_prediction"] = reportTime(rf.DoneAt)
}

type ddRefundIDReq struct{ id string }

func (p *Provider) parseDDRefundID(c *api.Call) (ddRefundIDReq, error) {
	return ddRefundIDReq{id: c.Param("refund_id")}, nil
}

func (p *Provider) runShowDDRefund(c *api.Call, r ddRefundIDReq) (Result, error) {
	rf, ok := p.ddRefunds.Get(c.Tenant, r.id)
	if !ok {
		return Result{}, p.fail("DD_REFUND_NOT_FOUND")
	}
	return Result{Message: "بازگشت وجه با موفقیت به نمایش درآمد.", Data: map[string]any{"refund": outRefund(rf, c.Now)}}, nil
}

func (p *Provider) runDDRefunds(c *api.Call, r ddListReq) (page.Resource[ddRefundOut], error) {
	rows := []ddRefundOut{}
	items := p.ddRefunds.List(c.Tenant)
	for i := len(items) - 1; i >= 0; i-- {
		if rf := items[i].Value; r.q == "" || rf.WithdrawalID == r.q || rf.AuthorizationID == r.q {
			rows = append(rows, outRefund(rf, c.Now))
		}
	}
	return page.NewResource(listURLs(c, r), r.request(), page.Slice(rows),
		page.ResourceOptions{MetaLinks: true}), nil
}
