package vandar

import (
	"errors"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/page"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Queued settlement (Vandar's API list: "registered while the wallet is
// short, sent to the bank once it grows"). No request or response body is
// public (reference §8): unverified layer. Fields are settlement/store's
// (amount Toman); the row is {"id","track_id","amount","iban","status",
// "transaction_id","created_at"}, status QUEUED → SUBMITTED (a real
// settlement was made, its transaction_id shown) | CANCELED. Queued
// settlements are sent first in, first out, whenever money comes into the
// wallet (a verified payment, a cash-in, money given back).

func init() {
	addCodes(map[string]codeDef{
		"QUEUED_NOT_FOUND":    {status: 404, shape: shapeMessage, msg: "خطای 404 رخ داده است."},
		"QUEUED_ID_REQUIRED":  {status: 422, shape: shapeLaravel, field: "id", msg: "وارد کردن id الزامی است"},
		"QUEUED_NOT_CANCELED": {status: 422, shape: shapeError, msg: "این تسویه در نوبت قابل لغو نیست."},
	})
	afterCredits = append(afterCredits, (*Provider).releaseQueued)
}

type queuedRow struct {
	ID            string    `json:"id"`
	Seq           int64     `json:"seq"`
	TrackID       string    `json:"track_id"`
	Amount        int64     `json:"amount"` // Rial
	IBAN          string    `json:"iban"`
	PaymentNumber string    `json:"payment_number,omitempty"`
	Description   string    `json:"description,omitempty"`
	NotifyURL     string    `json:"notify_url,omitempty"`
	Type          string    `json:"type"`
	Status        string    `json:"status"` // QUEUED, SENDING (claimed), SUBMITTED, CANCELED
	Settlement    string    `json:"settlement,omitempty"`
	TxID          int64     `json:"transaction_id,omitempty"`
	Created       time.Time `json:"created"`
	Submitted     time.Time `json:"submitted,omitzero"`
}

type queuedView struct {
	ID            string  `json:"id"`
	TrackID       string  `json:"track_id"`
	Amount        int64   `json:"amount"` // Toman, as requested
	IBAN          string  `json:"iban"`
	PaymentNumber *string `json:"payment_number"`
	Description   *string `json:"description"`
	Status        string  `json:"status"`
	TransactionID *int64  `json:"transaction_id"`
	SettlementID  *string `json:"settlement_id"`
	CreatedAt     string  `json:"created_at"`
	SubmittedAt   *string `json:"submitted_at"`
}

func queuedOut(q queuedRow) queuedView {
	v := queuedView{ID: q.ID, TrackID: q.TrackID, Amount: toman(q.Amount), IBAN: q.IBAN, PaymentNumber: strp(q.PaymentNumber),
		Description: strp(q.Description), Status: q.Status, SettlementID: strp(q.Settlement),
		CreatedAt: jalali(q.Created)}
	if v.Status == "SENDING" {
		v.Status = "QUEUED"
	}
	if q.TxID != 0 {
		id := q.TxID
		v.TransactionID = &id
		s := jalali(q.Submitted)
		v.SubmittedAt = &s
	}
	return v
}

type queuedData struct {
	Queued queuedView `json:"queued_settlement"`
}

func (p *Provider) runQueue(c *api.Call, r settleReq) (queuedData, error) {
	b, _ := p.business(c.Tenant)
	now := p.clock.Now()
	if id, ok := p.pt.qTrk.Get(b.Name, r.trackID); ok {
		q, _ := p.pt.queued.Get(b.Name, id)
		if q.Amount != r.amount || q.IBAN != r.iban {
			return queuedData{}, p.failAll(problems{{code: "SETTLEMENT_TRACK_DUPLICATE"}})
		}
		return queuedData{Queued: queuedOut(q)}, nil
	}
	if _, used := p.pt.byTrk.Get(b.Name, r.trackID); used {
		return queuedData{}, p.failAll(problems{{code: "SETTLEMENT_TRACK_DUPLICATE"}})
	}
	q := queuedRow{ID: p.uuid1(now), Seq: p.nextID(now), TrackID: r.trackID, Amount: r.amount, IBAN: r.iban, PaymentNumber: r.paymentNumber,
		Description: r.description, NotifyURL: r.notifyURL, Type: r.typ, Status: "QUEUED", Created: now}
	if !p.pt.qTrk.Insert(b.Name, r.trackID, q.ID) {
		return queuedData{}, p.failAll(problems{{code: "SETTLEMENT_TRACK_DUPLICATE"}})
	}
	p.pt.queued.Put(b.Name, q.ID, q)
	p.releaseQueued(b.Name)
	q, _ = p.pt.queued.Get(b.Name, q.ID)
	return queuedData{Queued: queuedOut(q)}, nil
}

var errNotQueued = errors.New("queued: not waiting")

// releaseQueued sends waiting settlements, oldest first, while the wallet
// holds enough; the first that does not fit waits, and so do those after it.
func (p *Provider) releaseQueued(slug string) {
	if p.pt.queued.Len(slug) == 0 {
		return
	}
	var waiting []queuedRow
	p.pt.qOrder.Scan(slug, store.Range{}, func(r store.Row[queuedRow]) bool {
		if r.Value.Status == "QUEUED" {
			waiting = append(waiting, r.Value)
		}
		return true
	})
	b, ok := p.business(slug)
	if !ok {
		return
	}
	for _, q := range waiting {
		if p.balance(slug) < q.Amount {
			return
		}
		if p.pt.queued.Update(slug, q.ID, func(r *queuedRow) error {
			if r.Status != "QUEUED" {
				return errNotQueued
			}
			r.Status = "SENDING"
			return nil
		}) != nil {
			continue
		}
		now := p.clock.Now()
		s, err := p.pay(nil, b, settleReq{amount: q.Amount, amountToman: toman(q.Amount), iban: q.IBAN, trackID: q.TrackID,
			paymentNumber: q.PaymentNumber, description: q.Description, notifyURL: q.NotifyURL, typ: q.Type}, "queued", now)
		_ = p.pt.queued.Update(slug, q.ID, func(r *queuedRow) error {
			if err != nil {
				r.Status = "QUEUED"
				return nil
			}
			r.Status, r.Settlement, r.TxID, r.Submitted = "SUBMITTED", s.ID, s.TxID, now
			return nil
		})
		if err != nil {
			return
		}
	}
}

func (p *Provider) runQueuedList(c *api.Call, r pageNums) (page.Resource[queuedView], error) {
	p.catchUp(c.Tenant, p.clock.Now())
	rows := newestFirst(p.pt.qOrder, c.Tenant, queuedOut)
	u := page.URLs{Path: "https://api.vandar.io/v3/business/" + c.Tenant + "/settlement/queued"}
	return page.NewResource(u, r.request(), page.Slice(rows), page.ResourceOptions{MetaLinks: true}), nil
}

func (p *Provider) parseQueuedID(c *api.Call) (idReq, error) {
	if id := c.Param("id"); id != "" {
		return idReq{id: id}, nil
	}
	in := readInput(c)
	s, present, ok := in.str("id")
	if !present || !ok {
		return idReq{}, p.failAll(problems{{code: "QUEUED_ID_REQUIRED"}})
	}
	return idReq{id: s}, nil
}

func (p *Provider) queuedByID(slug, id string) (queuedRow, bool) {
	if q, ok := p.pt.queued.Get(slug, id); ok {
		return q, true
	}
	if k, ok := p.pt.qTrk.Get(slug, id); ok {
		return p.pt.queued.Get(slug, k)
	}
	return queuedRow{}, false
}

func (p *Provider) runQueuedShow(c *api.Call, r idReq) (queuedData, error) {
	p.catchUp(c.Tenant, p.clock.Now())
	q, ok := p.queuedByID(c.Tenant, r.id)
	if !ok {
		return queuedData{}, p.fail("QUEUED_NOT_FOUND")
	}
	return queuedData{Queued: queuedOut(q)}, nil
}

type queuedCancelData struct {
	Status  int        `json:"status"`
	Message string     `json:"message"`
	Data    queuedData `json:"data"`
}

func (queuedCancelData) flatA() {}

func (p *Provider) runQueuedCancel(c *api.Call, r idReq) (queuedCancelData, error) {
	q, ok := p.queuedByID(c.Tenant, strings.TrimSpace(r.id))
	if !ok {
		return queuedCancelData{}, p.fail("QUEUED_NOT_FOUND")
	}
	err := p.pt.queued.Update(c.Tenant, q.ID, func(row *queuedRow) error {
		if row.Status != "QUEUED" {
			return errNotQueued
		}
		row.Status = "CANCELED"
		q = *row
		return nil
	})
	if err != nil {
		return queuedCancelData{}, p.fail("QUEUED_NOT_CANCELED")
	}
	return queuedCancelData{Status: 1, Message: "تسویه در نوبت لغو شد.", Data: queuedData{Queued: queuedOut(q)}}, nil
}
