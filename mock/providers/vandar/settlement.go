package vandar

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/page"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Settlement: a payout from the business wallet to any IBAN (reference §6,
// docs.vandar.io settlement). The request amount is Toman (≥ 5000), the store
// reply Rial with amount_toman, the list Toman, the notice Rial (§1.8).
//
// State (reference §6.6): the wallet is debited at store; a settlement is
// PENDING until the next 30-minute bank cycle (the wall clock's :00 and :30 in
// Tehran), then DONE, or FAILED with the money given back; is_instant goes to
// the bank at once (DONE in the reply) and can never be cancelled; a PENDING
// one can be cancelled (DELETE) before its cycle, money given back. The notice
// (form POST to notify_url, §6.7) goes out when the final state is known.
// State is the plan fixed at store, read lazily at the virtual clock's now;
// the side effects of the final state (money back, the notice, the report
// row's status) are booked once, by the scheduler when the clock reaches them
// or by the next read (catchUp), whichever comes first.

const (
	settleMinToman = 5000
	settleCycle    = 30 * time.Minute
	kindSettlement = "settlement"
	kindSettleBack = "settlement_return"
)

// Magic IBANs (README): settlements to failIBAN fail at their cycle, to
// pendingIBAN stay PENDING (the bank never answers).
var (
	failIBAN, _    = iran.MakeIBAN("017", "9999000000001")
	pendingIBAN, _ = iran.MakeIBAN("017", "9999000000002")
)

func init() {
	addCodes(settlementCodes)
	catchUps = append(catchUps, (*Provider).settleDue)
}

// settlementCodes: the documented insufficient-balance texts ([CASHIER]
// SettlementTest) and duplicate track_id text (cash-in page); the other
// Laravel texts are ours in Laravel's Persian wording.
var settlementCodes = map[string]codeDef{
	"SETTLEMENT_AMOUNT_REQUIRED":  {status: 422, shape: shapeLaravel, field: "amount", msg: "وارد کردن amount الزامی است"},
	"SETTLEMENT_AMOUNT_INTEGER":   {status: 422, shape: shapeLaravel, field: "amount", msg: "amount باید عدد صحیح باشد."},
	"SETTLEMENT_AMOUNT_MIN":       {status: 422, shape: shapeLaravel, field: "amount", msg: "amount نباید کوچکتر از 5000 باشد."},
	"SETTLEMENT_BALANCE":          {status: 422, shape: shapeLaravel, field: "amount", msg: "عدم کفایت موجودی (کسری موجودی)"},
	"SETTLEMENT_IBAN_REQUIRED":    {status: 422, shape: shapeLaravel, field: "iban", msg: "وارد کردن iban الزامی است"},
	"SETTLEMENT_IBAN_INVALID":     {status: 422, shape: shapeLaravel, field: "iban", msg: "شماره شبا قابل قبول نیست."},
	"SETTLEMENT_TRACK_REQUIRED":   {status: 422, shape: shapeLaravel, field: "track_id", msg: "وارد کردن track_id الزامی است"},
	"SETTLEMENT_TRACK_DUPLICATE":  {status: 422, shape: shapeLaravel, field: "track_id", msg: "این شماره پیگیری از قبل ثبت شده است."},
	"SETTLEMENT_PAYMENT_NUMBER":   {status: 422, shape: shapeLaravel, field: "payment_number", msg: "payment_number باید عدد صحیح باشد."},
	"SETTLEMENT_NOTIFY_URL":       {status: 422, shape: shapeLaravel, field: "notify_url", msg: "notify_url معتبر نیست."},
	"SETTLEMENT_DESCRIPTION":      {status: 422, shape: shapeLaravel, field: "description", msg: "description نباید بیشتر از 256 کاراکتر باشد."},
	"SETTLEMENT_IS_INSTANT":       {status: 422, shape: shapeLaravel, field: "is_instant", msg: "is_instant باید true یا false باشد."},
	"SETTLEMENT_TYPE":             {status: 422, shape: shapeLaravel, field: "type", msg: "type انتخاب شده معتبر نیست."},
	"SETTLEMENT_A2A_BANK":         {status: 422, shape: shapeLaravel, field: "type", msg: "انتقال حساب به حساب (A2A) برای بانک مقصد فعال نیست."},
	"SETTLEMENT_A2A_LIMIT":        {status: 422, shape: shapeLaravel, field: "amount", msg: "سقف روزانه انتقال حساب به حساب (A2A) برای بانک مقصد پر شده است."},
	"SETTLEMENT_PAGE":             {status: 422, shape: shapeLaravel, field: "page", msg: "page باید عدد صحیح بزرگتر از صفر باشد."},
	"SETTLEMENT_NOT_FOUND":        {status: 404, shape: shapeMessage, msg: "خطای 404 رخ داده است."},
	"SETTLEMENT_CANCEL_FINAL":     {status: 422, shape: shapeError, msg: "این تسویه در وضعیت فعلی قابل لغو نیست."},
	"SETTLEMENT_CANCEL_INSTANT":   {status: 422, shape: shapeError, msg: "تسویه آنی قابل لغو نیست."},
	"SETTLEMENT_CANCEL_CYCLE":     {status: 422, shape: shapeError, msg: "تسویه به بانک ارسال شده و قابل لغو نیست."},
	"SETTLEMENT_BANK_UNAVAILABLE": {status: 503, shape: shapeMessage, msg: "ارتباط با بانک مقصد برقرار نیست؛ لطفاً دقایقی دیگر تلاش کنید."},
}

// payout is one settlement (from store, a batch item or a queued settlement).
type payout struct {
	ID            string         `json:"id"`
	IbanID        string         `json:"iban_id"`
	TxID          int64          `json:"transaction_id"`
	Amount        int64          `json:"amount"` // Rial
	IBAN          string         `json:"iban"`
	TrackID       string         `json:"track_id"`
	PaymentNumber string         `json:"payment_number,omitempty"`
	Description   string         `json:"description,omitempty"`
	NotifyURL     string         `json:"notify_url,omitempty"`
	Instant       bool           `json:"is_instant"`
	Type          string         `json:"type"`
	Wallet        int64          `json:"wallet"` // Rial, the balance after the debit
	Created       time.Time      `json:"created"`
	Visible       time.Time      `json:"visible"` // an in-doubt store shows from its settle time
	Plan          lifecycle.Plan `json:"plan"`
	CanceledAt    time.Time      `json:"canceled_at,omitzero"`
	Booked        bool           `json:"booked"` // the final state's side effects are done
	Source        string         `json:"source"` // store, batch, queued
	RefCode       string         `json:"ref_code,omitempty"`
}

// Clone copies the plan.
func (s payout) Clone() payout {
	s.Plan = slices.Clone(s.Plan)
	return s
}

// statusAt is the status as the clock sees it.
func (s payout) statusAt(now time.Time) string {
	if !s.CanceledAt.IsZero() && !now.Before(s.CanceledAt) {
		return "CANCELED"
	}
	st, _, ok := s.Plan.StatusAt(now)
	if !ok {
		return "INIT"
	}
	return st
}

// final is the plan's last step when it is a final state (DONE or FAILED).
func (s payout) final() (lifecycle.Step, bool) {
	f := s.Plan.Final()
	return f, f.Status == "DONE" || f.Status == "FAILED"
}

// payoutTables is the product's state, all under the business's tenant.
type payoutTables struct {
	rows   *store.Table[payout]    // uuid → settlement
	order  *store.Index[payout]    // by transaction id
	byTx   *store.Table[string]    // transaction_id → uuid
	byTrk  *store.Table[string]    // track_id → uuid
	due    *store.Table[time.Time] // uuid → when its final state is booked
	queued *store.Table[queuedRow] // queued settlements by id
	qOrder *store.Index[queuedRow]
	qTrk   *store.Table[string] // queued track_id → id
	batch  *store.Table[batchRow]
	bOrder *store.Index[batchRow]
	items  *store.Table[batchItem] // batch item id → item
	iOrder *store.Index[batchItem] // by batch then position
	cashIn *store.Table[cashInRow] // cash-in rows by id
	cOrder *store.Index[cashInRow]
	cTrk   *store.Table[string] // deposit track_id → id
	susp   *store.Table[suspicious]
	sOrder *store.Index[suspicious]

	retention time.Duration        // 0: settlements are kept for ever
	aged      *store.Index[payout] // by creation time, with a retention only
}

func newPayoutTables(st *store.Store) *payoutTables {
	t := &payoutTables{
		rows:   store.NewTable[payout](st, "vandar.settlements"),
		byTx:   store.NewTable[string](st, "vandar.settlement_tx"),
		byTrk:  store.NewTable[string](st, "vandar.settlement_track"),
		due:    store.NewTable[time.Time](st, "vandar.settlement_due"),
		queued: store.NewTable[queuedRow](st, "vandar.settlement_queued"),
		qTrk:   store.NewTable[string](st, "vandar.settlement_queued_track"),
		batch:  store.NewTable[batchRow](st, "vandar.batches"),
		items:  store.NewTable[batchItem](st, "vandar.batch_items"),
		cashIn: store.NewTable[cashInRow](st, "vandar.cash_in"),
		cTrk:   store.NewTable[string](st, "vandar.cash_in_track"),
		susp:   store.NewTable[suspicious](st, "vandar.cash_in_suspicious"),
	}
	t.order = store.NewIndex(t.rows, func(s payout) string { return txKey(s.TxID) })
	t.qOrder = store.NewIndex(t.queued, func(q queuedRow) string { return fmt.Sprintf("%020d", q.Seq) })
	t.bOrder = store.NewIndex(t.batch, func(b batchRow) string { return fmt.Sprintf("%020d", b.Seq) })
	t.iOrder = store.NewIndex(t.items, func(i batchItem) string { return fmt.Sprintf("%s/%06d", i.Batch, i.Pos) })
	t.cOrder = store.NewIndex(t.cashIn, func(r cashInRow) string { return txKey(r.TxID) })
	t.sOrder = store.NewIndex(t.susp, func(s suspicious) string { return s.ID })
	return t
}

// nextCycle is the first :00 or :30 strictly after t (Tehran wall clock: the
// reference's example, stored 15:39:36, predicts 16:00:00).
func nextCycle(t time.Time) time.Time {
	t = t.In(iran.Tehran)
	c := t.Truncate(settleCycle)
	if !c.After(t) {
		c = c.Add(settleCycle)
	}
	return c
}

// resolveCycle resolves a timeline's "next-cycle" keyword.
func resolveCycle(kw string, start, prev time.Time) (time.Time, error) {
	if kw == "next-cycle" {
		return nextCycle(prev), nil
	}
	return time.Time{}, fmt.Errorf("unknown keyword %q (next-cycle)", kw)
}

// payoutPlan is a settlement's statuses, fixed when it is made: the scenario's
// timeline, or PENDING then DONE at the next cycle (FAILED to failIBAN, no end
// to pendingIBAN); instant: DONE at once.
func (p *Provider) payoutPlan(c *api.Call, now time.Time, iban string, instant bool) lifecycle.Plan {
	if c != nil {
		if tl := c.Decision.Timeline(); len(tl) > 0 {
			pl, err := lifecycle.Build(now, tl, resolveCycle)
			if err == nil {
				return pl
			}
			c.Response().Header().Set("X-Sandbank-Error", "vandar: timeline: "+err.Error())
		}
	}
	final := "DONE"
	switch iban {
	case failIBAN:
		final = "FAILED"
	case pendingIBAN:
		return lifecycle.Plan{{Status: "PENDING", At: now}}
	}
	if instant {
		return lifecycle.Plan{{Status: final, At: now}}
	}
	return lifecycle.Plan{{Status: "PENDING", At: now}, {Status: final, At: nextCycle(now)}}
}

// --- POST /v3/business/:business/settlement/store ---

type settleReq struct {
	amount        int64 // Rial
	amountToman   int64
	iban          string
	trackID       string
	paymentNumber string
	notifyURL     string
	description   string
	instant       bool
	typ           string
}

// parseSettle reads the store fields in the documented order; queued
// settlements take the same fields.
func (p *Provider) parseSettle(c *api.Call) (settleReq, error) {
	in := readInput(c)
	r := settleReq{typ: "ACH"}
	var ps problems
	switch s, present, ok := in.str("amount"); {
	case !present:
		ps = append(ps, problem{code: "SETTLEMENT_AMOUNT_REQUIRED"})
	default:
		n, num := int64Of(s)
		// The request unit is Toman unless the config says Rial (reference §17
		// item 1); the minimum is 5000 Toman either way.
		toRial, minimum, minMsg := int64(10), int64(settleMinToman), ""
		if p.cfg.settlementRial {
			toRial, minimum, minMsg = 1, settleMinToman*10, "amount نباید کوچکتر از 50000 باشد."
		}
		switch {
		case !ok || !num:
			ps = append(ps, problem{code: "SETTLEMENT_AMOUNT_INTEGER"})
		case n < minimum:
			ps = append(ps, problem{code: "SETTLEMENT_AMOUNT_MIN", msg: minMsg})
		case n > 1_000_000_000_000:
			ps = append(ps, problem{code: "SETTLEMENT_BALANCE"})
		default:
			r.amount = n * toRial
			r.amountToman = toman(r.amount)
		}
	}
	switch s, present, ok := in.str("iban"); {
	case !present:
		ps = append(ps, problem{code: "SETTLEMENT_IBAN_REQUIRED"})
	case !ok || !validDestIBAN(s):
		ps = append(ps, problem{code: "SETTLEMENT_IBAN_INVALID"})
	default:
		r.iban = strings.ToUpper(s)
	}
	switch s, present, ok := in.str("track_id"); {
	case !present:
		ps = append(ps, problem{code: "SETTLEMENT_TRACK_REQUIRED"})
	case !ok || len(s) > 255:
		ps = append(ps, problem{code: "SETTLEMENT_TRACK_REQUIRED", msg: "track_id باید رشته باشد."})
	default:
		r.trackID = s
	}
	if s, present, ok := in.str("payment_number"); present {
		if _, num := int64Of(s); !ok || !num {
			ps = append(ps, problem{code: "SETTLEMENT_PAYMENT_NUMBER"})
		} else {
			r.paymentNumber = s
		}
	}
	if s, present, ok := in.str("notify_url"); present {
		if !ok || !httpURL(s) {
			ps = append(ps, problem{code: "SETTLEMENT_NOTIFY_URL"})
		} else {
			r.notifyURL = s
		}
	}
	if s, present, ok := in.str("description"); present {
		if !ok || len([]rune(s)) > 256 {
			ps = append(ps, problem{code: "SETTLEMENT_DESCRIPTION"})
		} else {
			r.description = s
		}
	}
	if v, present := in.get("is_instant"); present {
		switch t := strings.ToLower(strings.TrimSpace(v.text)); {
		case v.isList:
			ps = append(ps, problem{code: "SETTLEMENT_IS_INSTANT"})
		case t == "1" || t == "true":
			r.instant = true
		case t == "0" || t == "false":
		default:
			ps = append(ps, problem{code: "SETTLEMENT_IS_INSTANT"})
		}
	}
	if s, present, ok := in.str("type"); present {
		if !ok || (s != "ACH" && s != "A2A") {
			ps = append(ps, problem{code: "SETTLEMENT_TYPE"})
		} else {
			r.typ = s
		}
	}
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

// validDestIBAN: IR + 24 digits, mod-97, a bank Iran knows.
func validDestIBAN(s string) bool {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 26 || !iran.ValidIBAN(s) {
		return false
	}
	_, ok := iran.BankByCode(iran.IBANBankCode(s))
	return ok
}

// settleView is a settlement as the store reply shows it (reference §6.1).
type settleView struct {
	ID                   string         `json:"id"`
	IbanID               string         `json:"iban_id"`
	TransactionID        int64          `json:"transaction_id"`
	Amount               int64          `json:"amount"`
	AmountToman          int64          `json:"amount_toman"`
	WageToman            int64          `json:"wage_toman"`
	PaymentNumber        any            `json:"payment_number"`
	Status               string         `json:"status"`
	Wallet               string         `json:"wallet"`
	Description          *string        `json:"description"`
	SettlementDate       string         `json:"settlement_date"`
	SettlementTime       string         `json:"settlement_time"`
	SettlementDateJalali string         `json:"settlement_date_jalali"`
	DoneTimePrediction   string         `json:"settlement_done_time_prediction"`
	IsInstant            bool           `json:"is_instant"`
	Prediction           map[string]any `json:"prediction"`
	ReceiptURL           string         `json:"receipt_url"`
	Type                 string         `json:"type"`
	TrackID              string         `json:"track_id"`
	IBAN                 string         `json:"iban"`
}

type settleData struct {
	Settlement []settleView `json:"settlement"`
}

func (p *Provider) storeView(s payout, now time.Time) settleView {
	c := s.Created.In(iran.Tehran)
	pred := nextCycle(s.Created)
	if f, ok := s.final(); ok {
		pred = f.At
	}
	predT := pred.In(iran.Tehran)
	y, m, d := iran.ToJalali(predT)
	extra := "امروز"
	if cy, cm, cd := iran.ToJalali(c); cy != y || cm != m || cd != d {
		extra = "فردا"
	}
	return settleView{
		ID: s.ID, IbanID: s.IbanID, TransactionID: s.TxID, Amount: s.Amount, AmountToman: toman(s.Amount),
		PaymentNumber: paymentNo(s.PaymentNumber), Status: s.statusAt(now), Wallet: strconv.FormatInt(toman(s.Wallet), 10),
		Description: strp(s.Description), SettlementDate: c.Format("2006-01-02"), SettlementTime: c.Format("15:04:05"),
		SettlementDateJalali: iran.FormatJalali(c, "yyyy/MM/dd"), DoneTimePrediction: iran.FormatJalali(predT, "yyyy/MM/dd") + " " + predT.Format("15:04:05"),
		IsInstant: s.Instant, Prediction: map[string]any{"date": fmt.Sprintf("%d/%d/%d", y, m, d), "time": predT.Format("15:04:05"), "extra": extra},
		ReceiptURL: receiptURL(s.ID), Type: s.Type, TrackID: s.TrackID, IBAN: s.IBAN,
	}
}

var errStlTrackDup = errors.New("settlement: track_id used for another settlement")

func (p *Provider) runSettle(c *api.Call, r settleReq) (settleData, error) {
	b, _ := p.business(c.Tenant)
	now := p.clock.Now()
	s, err := p.pay(c, b, r, "store", now)
	switch {
	case errors.Is(err, errInsufficient):
		return settleData{}, p.failAll(problems{{code: "SETTLEMENT_BALANCE"}, {code: "SETTLEMENT_BALANCE", msg: "مبلغ مورد نظر برای تسویه بیشتر از موجودی شما می باشد"}})
	case errors.Is(err, errStlTrackDup):
		return settleData{}, p.failAll(problems{{code: "SETTLEMENT_TRACK_DUPLICATE"}})
	case errors.Is(err, errA2ANone):
		return settleData{}, p.failAll(problems{{code: "SETTLEMENT_A2A_BANK"}})
	case errors.Is(err, errA2ALimit):
		return settleData{}, p.failAll(problems{{code: "SETTLEMENT_A2A_LIMIT"}})
	case err != nil:
		return settleData{}, err
	}
	return settleData{Settlement: []settleView{p.storeView(s, now)}}, nil
}

// pay makes a settlement: the wallet debited, the report row, the plan and its
// due booking. A track_id already used answers the first settlement when the
// amount and IBAN agree (a retry never pays twice) and errStlTrackDup otherwise.
// An in-doubt call that settles as failed does nothing.
func (p *Provider) pay(c *api.Call, b businessRow, r settleReq, source string, now time.Time) (payout, error) {
	p.catchUp(b.Name, now)
	amount := r.amount
	if id, ok := p.pt.byTrk.Get(b.Name, r.trackID); ok {
		first, _ := p.pt.rows.Get(b.Name, id)
		if first.Amount == amount && first.IBAN == r.iban {
			return first, nil
		}
		return payout{}, errStlTrackDup
	}
	if r.typ == "A2A" {
		if err := p.checkA2A(b.Name, r, now); err != nil {
			return payout{}, err
		}
	}
	visible := now
	if c != nil {
		if !c.Decision.Commits() {
			return p.draft(b, r, now, nil), nil // answered, the reply lost, nothing done
		}
		visible = c.Decision.VisibleAt(now)
	}
	plan := p.payoutPlan(c, now, r.iban, r.instant)
	s := p.draft(b, r, now, plan)
	s.Visible, s.Source = visible, source
	if !p.pt.byTrk.Insert(b.Name, r.trackID, s.ID) {
		// A parallel store took the track_id: answer it when it is the same
		// settlement and already recorded.
		if id, ok := p.pt.byTrk.Get(b.Name, r.trackID); ok {
			if first, ok := p.pt.rows.Get(b.Name, id); ok && first.Amount == amount && first.IBAN == r.iban {
				return first, nil
			}
		}
		return payout{}, errStlTrackDup
	}
	err := p.move(b.Name, -amount, walletMeta{Kind: kindSettlement, Ref: s.ID}, func(balance int64) error {
		s.Wallet = balance
		p.pt.rows.Put(b.Name, s.ID, s)
		p.pt.byTx.Put(b.Name, itoa(s.TxID), s.ID)
		p.addRow(b.Name, txRow{ID: s.TxID, UUID: s.ID, Kind: kindSettlement, Ref: s.ID, Status: -2, Channel: "settlements",
			AmountRial: amount, WalletRial: balance, Description: r.description, TrackID: r.trackID, PaymentNo: r.paymentNumber, Created: now})
		return nil
	})
	if err != nil {
		p.pt.byTrk.Delete(b.Name, r.trackID)
		return payout{}, err
	}
	if f, ok := s.final(); ok {
		p.pt.due.Put(b.Name, s.ID, f.At)
		p.schedule(b.Name, s.ID, f.At)
	}
	return s, nil
}

// draft is a new settlement's row before any money moves.
func (p *Provider) draft(b businessRow, r settleReq, now time.Time, plan lifecycle.Plan) payout {
	return payout{
		ID: p.uuid1(now), IbanID: p.ibanID(b.Name, r.iban), TxID: p.nextID(now), Amount: r.amount, IBAN: r.iban,
		TrackID: r.trackID, PaymentNumber: r.paymentNumber, Description: r.description, NotifyURL: r.notifyURL,
		Instant: r.instant, Type: r.typ, Created: now, Visible: now, Plan: plan,
	}
}

// ibanID is a stable v1-looking id per destination IBAN of a business.
func (p *Provider) ibanID(slug, iban string) string {
	h := businessAccount(p.seed, slug+"/"+iban) + businessAccount(p.seed, iban+"/"+slug)
	return "0835" + h[:4] + "-f998-11eb-8c11-" + h[8:20]
}

// schedule books the final state when the clock reaches it (lazily anyway).
func (p *Provider) schedule(slug, id string, at time.Time) {
	if p.sched == nil {
		return
	}
	p.sched.Add("vandar/settlement/"+slug+"/"+id, at, func(now time.Time) { p.settleDue(slug, now) })
}

// settleDue books every settlement whose final state has come by now: a
// FAILED one's money back (a -6 row), the report row's status, the notice.
func (p *Provider) settleDue(slug string, now time.Time) {
	for _, it := range p.pt.due.List(slug) {
		if it.Value.After(now) {
			continue
		}
		p.book(slug, it.ID)
	}
}

// book does a settlement's final-state side effects once.
func (p *Provider) book(slug, id string) {
	if !p.pt.due.Delete(slug, id) {
		return // booked by a parallel request
	}
	s, ok := p.pt.rows.Get(slug, id)
	if !ok || s.Booked {
		return
	}
	at, status := s.CanceledAt, "CANCELED"
	if at.IsZero() {
		f, _ := s.final()
		at, status = f.At, f.Status
	}
	var revised int64
	if status != "DONE" {
		_ = p.move(slug, s.Amount, walletMeta{Kind: kindSettleBack, Ref: s.ID}, func(balance int64) error {
			revised = p.addRow(slug, txRow{Kind: kindSettleBack, Ref: s.ID, Status: -6, Channel: "settlements", AmountRial: s.Amount,
				WalletRial: balance, Description: "برگشت مبلغ تسویه " + map[string]string{"FAILED": "ناموفق", "CANCELED": "لغو شده"}[status],
				TrackID: s.TrackID, PaymentNo: s.PaymentNumber, Created: at, Updated: at}).ID
			return nil
		})
	}
	rowStatus := map[string]int{"DONE": 2, "FAILED": -3, "CANCELED": -4}[status]
	_ = p.txs.Update(slug, itoa(s.TxID), func(r *txRow) error { r.Status, r.Updated = rowStatus, at; return nil })
	_ = p.pt.rows.Update(slug, id, func(r *payout) error {
		r.Booked = true
		if status == "DONE" {
			r.RefCode = iran.FormatJalali(at, "yyyyMMdd") + p.ids.Digits(10)
		}
		s = *r
		return nil
	})
	b, _ := p.business(slug)
	p.notifySettlement(b, s, status, at, revised)
}

// --- GET /v2.1/business/:business/settlement (and /v4 alias) ---

// listRow is a settlement as the v2.1 list and show print it (reference §6.2):
// amount and wallet Toman, the id under gateway_transaction_id.
type listRow struct {
	ID                   string  `json:"id"`
	IbanID               string  `json:"iban_id"`
	GatewayTransactionID int64   `json:"gateway_transaction_id"`
	Amount               int64   `json:"amount"`
	PaymentNumber        any     `json:"payment_number"`
	Status               string  `json:"status"`
	Wallet               int64   `json:"wallet"`
	SettlementDate       string  `json:"settlement_date"`
	Description          *string `json:"description"`
	TrackID              string  `json:"track_id"`
	IBAN                 string  `json:"iban"`
	IsInstant            bool    `json:"is_instant"`
	RefCode              *string `json:"ref_code"`
}

type listData struct {
	Wallet           int64                     `json:"wallet"`
	BlockedAmount    int64                     `json:"blocked_amount"`
	DeductibleAmount int64                     `json:"deductible_amount"`
	Currency         string                    `json:"currency"`
	Settlements      page.LengthAware[listRow] `json:"settlements"`
}

func (p *Provider) listRow(s payout, now time.Time) listRow {
	st := s.statusAt(now)
	ref := ""
	if st == "DONE" {
		ref = s.RefCode
	}
	return listRow{ID: s.ID, IbanID: s.IbanID, GatewayTransactionID: s.TxID, Amount: toman(s.Amount), PaymentNumber: paymentNo(s.PaymentNumber),
		Status: st, Wallet: toman(s.Wallet), SettlementDate: s.Created.In(iran.Tehran).Format("2006-01-02"),
		Description: strp(s.Description), TrackID: s.TrackID, IBAN: s.IBAN, IsInstant: s.Instant, RefCode: strp(ref)}
}

// visible is the business's settlements newest first, as reads see them now.
func (p *Provider) visible(slug string, now time.Time) []payout {
	var out []payout
	p.pt.order.Scan(slug, store.Range{Reverse: true}, func(r store.Row[payout]) bool {
		if !r.Value.Visible.After(now) {
			out = append(out, r.Value)
		}
		return true
	})
	return out
}

func (p *Provider) runStlList(c *api.Call, r pageNums) (listData, error) {
	b, _ := p.business(c.Tenant)
	now := p.clock.Now()
	wallet := toman(p.balance(b.Name))
	all := p.visible(b.Name, now)
	rows := make([]listRow, len(all))
	for i, s := range all {
		rows[i] = p.listRow(s, now)
	}
	version := "v2.1"
	if strings.Contains(c.Path(), "/v4/") {
		version = "v4"
	}
	u := page.URLs{Path: "https://api.vandar.io/" + version + "/business/" + b.Name + "/settlement"}
	return listData{Wallet: wallet, DeductibleAmount: wallet, Currency: "Toman",
		Settlements: page.NewLengthAware(u, r.request(), page.Slice(rows))}, nil
}

// --- GET /v2.1/business/:business/settlement/:settlement_id ---

type idReq struct{ id string }

func (p *Provider) parseSettlementID(c *api.Call) (idReq, error) {
	for _, name := range []string{"settlement_id", "transaction_id", "track_id"} {
		if v := c.Param(name); v != "" {
			return idReq{id: v}, nil
		}
	}
	return idReq{}, p.fail("SETTLEMENT_NOT_FOUND")
}

// findPayout resolves a settlement by uuid, transaction id or track_id.
func (p *Provider) findPayout(slug, id string, now time.Time) (payout, bool) {
	key, ok := id, false
	if _, found := p.pt.rows.Get(slug, id); found {
		ok = true
	} else if k, found := p.pt.byTx.Get(slug, id); found {
		key, ok = k, true
	} else if k, found := p.pt.byTrk.Get(slug, id); found {
		key, ok = k, true
	}
	if !ok {
		return payout{}, false
	}
	s, found := p.pt.rows.Get(slug, key)
	if !found || s.Visible.After(now) {
		return payout{}, false
	}
	return s, true
}

type showData struct {
	Settlement listRow `json:"settlement"`
}

func (p *Provider) runShow(c *api.Call, r idReq) (showData, error) {
	now := p.clock.Now()
	p.catchUp(c.Tenant, now)
	s, ok := p.findPayout(c.Tenant, r.id, now)
	if !ok {
		return showData{}, p.fail("SETTLEMENT_NOT_FOUND")
	}
	return showData{Settlement: p.listRow(s, now)}, nil
}

// --- DELETE /v2.1/business/:business/settlement/:transaction_id ---

type cancelData struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
}

func (cancelData) flatA() {}

var (
	errCancelInstant = errors.New("settlement: instant")
	errCancelFinal   = errors.New("settlement: final")
)

func (p *Provider) runCancel(c *api.Call, r idReq) (cancelData, error) {
	slug := c.Tenant
	now := p.clock.Now()
	p.catchUp(slug, now)
	s, ok := p.findPayout(slug, r.id, now)
	if !ok {
		return cancelData{}, p.fail("SETTLEMENT_NOT_FOUND")
	}
	err := p.pt.rows.Update(slug, s.ID, func(row *payout) error {
		switch st := row.statusAt(now); {
		case row.Instant:
			return errCancelInstant
		case st != "PENDING" && st != "INIT":
			return errCancelFinal
		}
		row.CanceledAt = now
		return nil
	})
	switch {
	case errors.Is(err, errCancelInstant):
		return cancelData{}, p.fail("SETTLEMENT_CANCEL_INSTANT")
	case errors.Is(err, errCancelFinal):
		return cancelData{}, p.fail("SETTLEMENT_CANCEL_FINAL")
	case err != nil:
		return cancelData{}, err
	}
	p.pt.due.Put(slug, s.ID, now)
	if p.sched != nil {
		p.sched.Cancel("vandar/settlement/" + slug + "/" + s.ID)
	}
	p.book(slug, s.ID)
	return cancelData{Status: 1, Message: "درخواست تسویه شما از دستور پرداخت خارج شد و وجه تسویه به حساب شما برگشت داده شد"}, nil
}

// --- GET /v3/business/:business/settlement/banks ---

type bankLimit struct {
	TimeLimit   []map[string]string `json:"time_limit"`
	AmountLimit map[string]int64    `json:"amount_limit"`
}

type bankA2A struct {
	Limit      bankLimit `json:"limit"`
	IsActive   bool      `json:"is_active"`
	HasAbility bool      `json:"has_ability"`
	IsHealthy  bool      `json:"is_healthy"`
}

type bankRow struct {
	Name string  `json:"name"`
	Code string  `json:"code"`
	A2A  bankA2A `json:"a2a"`
}

type banksData struct {
	Message string    `json:"message"`
	Data    []bankRow `json:"data"`
}

// settlementBanks are the banks of the reference's §18.1 list (its Persian
// names from mock/iran without the word "بانک"; the three of the documented
// sample exactly as shown) with their A2A daily limit in Rial (0: no A2A).
var settlementBanks = []struct {
	code  string
	total int64
	night bool
}{
	{"017", 235000, false}, {"019", 25000000, true}, {"013", 0, false}, {"012", 500000000, false}, {"018", 500000000, false},
	{"054", 500000000, false}, {"056", 500000000, false}, {"062", 1000000000, false}, {"055", 500000000, false},
	{"057", 500000000, false}, {"059", 500000000, false}, {"053", 500000000, false}, {"061", 500000000, false},
	{"011", 0, false}, {"014", 0, false}, {"015", 0, false}, {"016", 0, false}, {"020", 0, false}, {"021", 0, false},
	{"022", 0, false}, {"051", 0, false}, {"052", 0, false}, {"058", 0, false}, {"060", 0, false}, {"063", 0, false},
	{"064", 0, false}, {"065", 0, false}, {"066", 0, false}, {"069", 0, false}, {"070", 0, false}, {"073", 0, false},
	{"075", 0, false}, {"078", 0, false}, {"079", 0, false}, {"080", 0, false}, {"095", 0, false},
}

// documentedBankNames are the names the reference's banks sample prints.
var documentedBankNames = map[string]string{"017": "ملی", "019": "صادرات", "013": "رفاه"}

func bankName(code string) string {
	if n, ok := documentedBankNames[code]; ok {
		return n
	}
	b, ok := iran.BankByCode(code)
	if !ok {
		return code
	}
	return strings.TrimPrefix(b.NameFa, "بانک ")
}

// a2aUsed is what A2A settlements of this business to a bank took today
// (Tehran's day), those that failed or were cancelled not counted.
func (p *Provider) a2aUsed(slug string, now time.Time) map[string]int64 {
	used := map[string]int64{}
	today := ledgerDay(now)
	for _, s := range p.visible(slug, now) {
		if ledgerDay(s.Created) != today {
			break // newest first: an earlier day ends the scan
		}
		if st := s.statusAt(now); s.Type == "A2A" && st != "CANCELED" && st != "FAILED" {
			used[iran.IBANBankCode(s.IBAN)] += s.Amount
		}
	}
	return used
}

var (
	errA2ANone  = errors.New("settlement: no A2A to this bank")
	errA2ALimit = errors.New("settlement: A2A daily limit")
)

// checkA2A: an A2A settlement needs a destination bank with A2A and room in
// its daily limit (reference §6.1, §6.5).
func (p *Provider) checkA2A(slug string, r settleReq, now time.Time) error {
	code := iran.IBANBankCode(r.iban)
	for _, b := range settlementBanks {
		if b.code != code {
			continue
		}
		if b.total == 0 {
			return errA2ANone
		}
		if p.a2aUsed(slug, now)[code]+r.amount > b.total {
			return errA2ALimit
		}
		return nil
	}
	return errA2ANone
}

type banksReq struct{ ability, healthy, active *bool }

func (p *Provider) parseBanks(c *api.Call) (banksReq, error) {
	in := readInput(c)
	var r banksReq
	var ps problems
	for _, f := range []struct {
		name string
		dst  **bool
	}{{"has_a2a_bank_ability", &r.ability}, {"is_a2a_bank_healthy", &r.healthy}, {"is_a2a_bank_active", &r.active}} {
		s, present, ok := in.str(f.name)
		if !present {
			continue
		}
		var v bool
		switch strings.ToLower(s) {
		case "1", "true":
			v = true
		case "0", "false":
		default:
			_ = ok
			ps = append(ps, problem{code: "VALIDATION", field: f.name, msg: f.name + " باید true یا false باشد."})
			continue
		}
		*f.dst = &v
	}
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

func (p *Provider) runStlBanks(c *api.Call, r banksReq) (banksData, error) {
	now := p.clock.Now()
	used := p.a2aUsed(c.Tenant, now)
	out := banksData{Message: "وضعیت بانک\u200cها در حال حاضر به این صورت است.", Data: []bankRow{}}
	for _, b := range settlementBanks {
		a2a := b.total > 0
		row := bankRow{Name: bankName(b.code), Code: b.code, A2A: bankA2A{IsActive: a2a, HasAbility: a2a, IsHealthy: a2a,
			Limit: bankLimit{TimeLimit: []map[string]string{},
				AmountLimit: map[string]int64{"total": b.total, "used": min(used[b.code], b.total), "remained": max(0, b.total-used[b.code])}}}}
		if b.night {
			row.A2A.Limit.TimeLimit = []map[string]string{{"start_time": "23:30", "end_time": "06:00"}}
		}
		if (r.ability != nil && *r.ability != row.A2A.HasAbility) || (r.healthy != nil && *r.healthy != row.A2A.IsHealthy) ||
			(r.active != nil && *r.active != row.A2A.IsActive) {
			continue
		}
		out.Data = append(out.Data, row)
	}
	return out, nil
}

func ledgerDay(t time.Time) string { return iran.FormatJalali(t.In(iran.Tehran), "yyyyMMdd") }

// notifySettlement sends the settlement notice (reference §6.7) when the
// final state is known: form-data, amount Rial, ref_code for a paid one,
// revised_transaction_id the report row that gave a failed or cancelled one's
// money back. The
// refund notice's X-Vandar-Signature is added the same way (webhook.go).
func (p *Provider) notifySettlement(b businessRow, s payout, status string, at time.Time, revised int64) {
	if s.NotifyURL == "" {
		return
	}
	ref := ""
	if status == "DONE" {
		ref = s.RefCode
	}
	fields := [][2]string{
		{"id", s.ID}, {"iban_id", s.IbanID}, {"transaction_id", strconv.FormatInt(s.TxID, 10)},
		{"amount", strconv.FormatInt(s.Amount, 10)}, {"payment_number", s.PaymentNumber}, {"status", status},
		{"settlement_date", at.In(iran.Tehran).Format("2006-01-02")},
		{"settlement_date_jalali", iran.FormatJalali(at, "yyyy/MM/dd")},
		{"revised_transaction_id", ""}, {"ref_code", ref},
	}
	if revised != 0 {
		fields[8][1] = strconv.FormatInt(revised, 10) // the row that gave the money back
	}
	p.sendForm(b, "vandar.settlementNotify", s.NotifyURL, fields, at)
}

// paymentNo is payment_number as the documented bodies print it: null or a
// number (the request field is an integer).
func paymentNo(s string) any {
	if n, ok := int64Of(s); ok {
		return n
	}
	if s == "" {
		return nil
	}
	return s
}

// receiptURL is a vand.ar short link, distinct per row.
func receiptURL(id string) string {
	tail := strings.ReplaceAll(id, "-", "")
	return "https://vand.ar/" + tail[len(tail)-5:]
}

// todaySettlements counts the business's settlements made today (Tehran),
// for the business information's today_settlements.
func (p *Provider) todaySettlements(slug string, now time.Time) int {
	n, today := 0, ledgerDay(now)
	p.pt.order.Scan(slug, store.Range{Reverse: true}, func(r store.Row[payout]) bool {
		if ledgerDay(r.Value.Created) != today {
			return false
		}
		if !r.Value.Visible.After(now) {
			n++
		}
		return true
	})
	return n
}
