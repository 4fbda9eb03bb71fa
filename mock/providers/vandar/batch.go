package vandar

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/form"
	"github.com/sandbank-dev/sandbank/mock/page"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Batch settlement on batch.vandar.io (reference §7, the 2021 batch page):
// a batch_id and a list of items (amount Rial 50,000–500,000,000, iban,
// track_id, type, payment_number, description). Each item is checked on its
// own: a valid one becomes a settlement at once (SUBMITTED, the wallet
// debited, its transaction_id set; it then follows the 30-minute cycle like
// any settlement), a bad one is FAILED with its error_message, and the reply
// counts them. The batch_id is not checked against the SHA-512 of the items
// (PHP's json_encode cannot be reproduced faithfully); it must be unique.
// [inferred] The reply adds "errors" (per item, Laravel keys such as
// "batches_settlement.1.amount") when an item failed.

const (
	batchMin = 50_000
	batchMax = 500_000_000
)

func init() {
	addCodes(map[string]codeDef{
		"BATCH_ID_REQUIRED":    {status: 422, shape: shapeLaravel, field: "batch_id", msg: "وارد کردن batch_id الزامی است"},
		"BATCH_ID_DUPLICATE":   {status: 422, shape: shapeLaravel, field: "batch_id", msg: "batch_id تکراری است."},
		"BATCH_ITEMS_REQUIRED": {status: 422, shape: shapeLaravel, field: "batches_settlement", msg: "وارد کردن batches_settlement الزامی است"},
		"BATCH_ITEMS_ARRAY":    {status: 422, shape: shapeLaravel, field: "batches_settlement", msg: "batches_settlement باید آرایه باشد."},
	})
}

type batchRow struct {
	ID      string    `json:"batch_id"`
	Seq     int64     `json:"seq"`
	Total   int       `json:"total"`
	Init    int       `json:"init"`
	Sent    int       `json:"submitted"`
	Failed  int       `json:"failed"`
	Amount  int64     `json:"amount"` // Rial, submitted items
	Created time.Time `json:"created"`
}

type batchItem struct {
	ID            string `json:"id"`
	Batch         string `json:"batch"`
	Pos           int    `json:"pos"`
	TrackID       string `json:"track_id"`
	PaymentNumber string `json:"payment_number"`
	Amount        int64  `json:"amount"`
	IBAN          string `json:"iban"`
	Status        string `json:"status"`
	Type          string `json:"type"`
	TxID          int64  `json:"transaction_id"`
	Error         string `json:"error_message"`
	Description   string `json:"description"`
}

type batchReq struct {
	id    string
	items []map[string]any
	ok    []bool // false: the item was not an object
}

func (p *Provider) parseBatch(c *api.Call) (batchReq, error) {
	var r batchReq
	vals, _ := form.Parse(c.Request(), form.Options{Query: true, NullBody: true})
	var ps problems
	id := ""
	if v := vals.All("batch_id"); len(v) > 0 && (v[0].Type == form.Text || v[0].Type == form.Number) {
		id = strings.TrimSpace(v[0].Text)
	}
	if id == "" || len(id) > 255 {
		ps = append(ps, problem{code: "BATCH_ID_REQUIRED"})
	}
	r.id = id
	raw := vals.All("batches_settlement")
	switch {
	case len(raw) == 0:
		ps = append(ps, problem{code: "BATCH_ITEMS_REQUIRED"})
	case raw[0].Type != form.Array:
		ps = append(ps, problem{code: "BATCH_ITEMS_ARRAY"})
	default:
		var items []json.RawMessage
		dec := json.NewDecoder(strings.NewReader(raw[0].Text))
		if dec.Decode(&items) != nil || len(items) == 0 {
			ps = append(ps, problem{code: "BATCH_ITEMS_REQUIRED"})
			break
		}
		if len(items) > 1000 {
			ps = append(ps, problem{code: "BATCH_ITEMS_ARRAY", msg: "batches_settlement نباید بیشتر از 1000 آیتم داشته باشد."})
			break
		}
		for _, it := range items {
			var m map[string]any
			d := json.NewDecoder(strings.NewReader(string(it)))
			d.UseNumber()
			ok := d.Decode(&m) == nil && m != nil
			r.items = append(r.items, m)
			r.ok = append(r.ok, ok)
		}
	}
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

func anyText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x), true
	case json.Number:
		return x.String(), true
	}
	return "", false
}

// checkItem validates one item; the messages are settlement/store's.
func checkItem(m map[string]any, ok bool) (settleReq, []string) {
	r := settleReq{typ: "ACH"}
	if !ok {
		return r, []string{"-:هر آیتم batches_settlement باید یک شیء باشد."}
	}
	var errs []string
	s, isText := anyText(m["amount"])
	n, num := int64Of(s)
	switch {
	case m["amount"] == nil:
		errs = append(errs, "amount:وارد کردن amount الزامی است")
	case !isText || !num:
		errs = append(errs, "amount:amount باید عدد صحیح باشد.")
	case n < batchMin:
		errs = append(errs, "amount:amount نباید کوچکتر از 50000 باشد.")
	case n > batchMax:
		errs = append(errs, "amount:amount نباید بزرگتر از 500000000 باشد.")
	default:
		r.amount, r.amountToman = n, n/10
	}
	if s, isText := anyText(m["iban"]); m["iban"] == nil || s == "" {
		errs = append(errs, "iban:وارد کردن iban الزامی است")
	} else if !isText || !validDestIBAN(s) {
		errs = append(errs, "iban:شماره شبا قابل قبول نیست.")
	} else {
		r.iban = strings.ToUpper(s)
	}
	if s, isText := anyText(m["track_id"]); !isText || s == "" {
		errs = append(errs, "track_id:وارد کردن track_id الزامی است")
	} else {
		r.trackID = s
	}
	if v, there := m["type"]; there && v != nil {
		if s, _ := anyText(v); s == "ACH" || s == "A2A" {
			r.typ = s
		} else {
			errs = append(errs, "type:type انتخاب شده معتبر نیست.")
		}
	}
	if v, there := m["payment_number"]; there && v != nil {
		s, _ := anyText(v)
		if _, num := int64Of(s); !num {
			errs = append(errs, "payment_number:payment_number باید عدد صحیح باشد.")
		} else {
			r.paymentNumber = s
		}
	}
	if v, there := m["description"]; there && v != nil {
		s, isText := anyText(v)
		if !isText || len([]rune(s)) > 256 {
			errs = append(errs, "description:description نباید بیشتر از 256 کاراکتر باشد.")
		} else {
			r.description = s
		}
	}
	return r, errs
}

type batchStatus struct {
	Total     int `json:"total_count"`
	Init      int `json:"init_count"`
	Submitted int `json:"submitted_count"`
	Failed    int `json:"failed_count"`
}

type batchView struct {
	BatchID     string              `json:"batch_id"`
	Status      batchStatus         `json:"status"`
	TotalAmount int64               `json:"total_amount"`
	CreatedAt   int64               `json:"created_at"`
	Errors      map[string][]string `json:"errors,omitempty"`
}

func batchOut(b batchRow) batchView {
	return batchView{BatchID: b.ID, Status: batchStatus{Total: b.Total, Init: b.Init, Submitted: b.Sent, Failed: b.Failed},
		TotalAmount: b.Amount, CreatedAt: b.Created.Unix()}
}

func (p *Provider) runBatch(c *api.Call, r batchReq) (batchView, error) {
	bz, _ := p.business(c.Tenant)
	now := p.clock.Now()
	row := batchRow{ID: r.id, Seq: p.nextID(now), Total: len(r.items), Created: now}
	if !p.pt.batch.Insert(bz.Name, r.id, row) {
		return batchView{}, p.failAll(problems{{code: "BATCH_ID_DUPLICATE"}})
	}
	errs := map[string][]string{}
	seen := map[string]bool{}
	for i, m := range r.items {
		req, bad := checkItem(m, r.ok[i])
		if req.trackID != "" && seen[req.trackID] {
			bad = append(bad, "track_id:track_id تکراری است.")
		}
		seen[req.trackID] = true
		it := batchItem{ID: p.uuid1(now), Batch: r.id, Pos: i, TrackID: req.trackID, PaymentNumber: req.paymentNumber, Amount: req.amount,
			IBAN: req.iban, Type: req.typ, Description: req.description, Status: "SUBMITTED"}
		if s, _ := anyText(m["amount"]); it.Amount == 0 {
			it.Amount, _ = int64Of(s)
		}
		if s, _ := anyText(m["iban"]); it.IBAN == "" {
			it.IBAN = s
		}
		if len(bad) == 0 {
			s, err := p.pay(nil, bz, req, "batch", now)
			switch {
			case errors.Is(err, errInsufficient):
				bad = append(bad, "amount:عدم کفایت موجودی (کسری موجودی)")
			case errors.Is(err, errStlTrackDup):
				bad = append(bad, "track_id:این شماره پیگیری از قبل ثبت شده است.")
			case errors.Is(err, errA2ANone):
				bad = append(bad, "type:"+codes["SETTLEMENT_A2A_BANK"].msg)
			case errors.Is(err, errA2ALimit):
				bad = append(bad, "amount:"+codes["SETTLEMENT_A2A_LIMIT"].msg)
			case err != nil:
				bad = append(bad, "amount:خطایی رخ داده است. لطفاً مجدداً تلاش کنید")
			default:
				it.TxID = s.TxID
			}
		}
		if len(bad) > 0 {
			it.Status = "FAILED"
			var msgs []string
			for _, e := range bad {
				field, msg, _ := strings.Cut(e, ":")
				k := "batches_settlement." + strconv.Itoa(i)
				if field != "-" {
					k += "." + field
				}
				errs[k] = append(errs[k], msg)
				msgs = append(msgs, msg)
			}
			it.Error = strings.Join(msgs, " ")
			row.Failed++
		} else {
			row.Sent++
			row.Amount += it.Amount
		}
		p.pt.items.Put(bz.Name, it.ID, it)
	}
	p.pt.batch.Put(bz.Name, r.id, row)
	out := batchOut(row)
	if len(errs) > 0 {
		out.Errors = errs
	}
	return out, nil
}

func (p *Provider) runBatches(c *api.Call, r pageNums) (page.Resource[batchView], error) {
	rows := newestFirst(p.pt.bOrder, c.Tenant, batchOut)
	u := page.URLs{Path: "http://batch.vandar.io/api/v1/business/" + c.Tenant + "/batches"}
	return page.NewResource(u, r.request(), page.Slice(rows), page.ResourceOptions{}), nil
}

type batchDetailReq struct {
	pageNums
	id, status string
}

func (p *Provider) parseBatchDetail(c *api.Call) (batchDetailReq, error) {
	lr, err := p.parsePageNums("SETTLEMENT_PAGE")(c)
	if err != nil {
		return batchDetailReq{}, err
	}
	r := batchDetailReq{pageNums: lr, id: c.Param("batch_id")}
	in := readInput(c)
	if s, present, ok := in.str("status"); present {
		if !ok || (s != "INIT" && s != "SUBMITTED" && s != "FAILED") {
			return r, p.failAll(problems{{code: "VALIDATION", field: "status", msg: "status انتخاب شده معتبر نیست."}})
		}
		r.status = s
	}
	return r, nil
}

type itemView struct {
	ID            string  `json:"id"`
	TrackID       string  `json:"track_id"`
	PaymentNumber *string `json:"payment_number"`
	Amount        string  `json:"amount"`
	IBAN          string  `json:"iban"`
	Status        string  `json:"status"`
	Type          string  `json:"type"`
	TransactionID *int64  `json:"transaction_id"`
	ErrorMessage  *string `json:"error_message"`
	Description   *string `json:"description"`
}

func (p *Provider) runBatchDetail(c *api.Call, r batchDetailReq) (page.Resource[itemView], error) {
	if _, ok := p.pt.batch.Get(c.Tenant, r.id); !ok {
		return page.Resource[itemView]{}, p.fail("BATCH_NOT_FOUND")
	}
	var rows []itemView
	p.pt.iOrder.Scan(c.Tenant, store.Prefix(r.id+"/"), func(row store.Row[batchItem]) bool {
		it := row.Value
		if r.status != "" && it.Status != r.status {
			return true
		}
		v := itemView{ID: it.ID, TrackID: it.TrackID, PaymentNumber: strp(it.PaymentNumber), Amount: strconv.FormatInt(it.Amount, 10),
			IBAN: it.IBAN, Status: it.Status, Type: it.Type, ErrorMessage: strp(it.Error), Description: strp(it.Description)}
		if it.TxID != 0 {
			id := it.TxID
			v.TransactionID = &id
		}
		rows = append(rows, v)
		return true
	})
	u := page.URLs{Path: "http://batch.vandar.io/api/v1/business/" + c.Tenant + "/batch-settlements/" + r.id}
	return page.NewResource(u, r.request(), page.Slice(rows), page.ResourceOptions{}), nil
}
