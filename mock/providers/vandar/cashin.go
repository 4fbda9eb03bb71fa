package vandar

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/page"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Cash-in and Avand (reference §9, §10; Vandar's API list and the 2022
// cash-in page). Every business has one bank account of its own at Ayandeh
// (businessIBAN): bank cash-in pulls money from it into the wallet, Avand
// shows its balance and statement, and settlements to that IBAN land in it.
//
// Bank cash-in (documented): a deposit is split into rows of at most
// 100,000,000 Toman, each INIT, DONE at the next 30-minute cycle when the
// wallet is credited (a report row, channel "cash-in"). Cash-in by code
// (unverified layer: no bodies are public): the business's 15-digit code;
// money paid with it credits the wallet at once (channel "cash-in-by-code"),
// money paid with a wrong code is a suspicious payment, credited only when
// the business accepts it. The control plane's POST /_sandbox/vandar/cash-in
// is how money arrives in tests.

const (
	cashInChunk      = 1_000_000_000  // Rial: 100,000,000 Toman per row
	bankOpeningRial  = 50_000_000_000 // the business's bank account at start
	kindCashIn       = "cash_in"
	kindCashInByCode = "cash_in_code"
)

func init() {
	addCodes(map[string]codeDef{
		"CASHIN_IBAN_REQUIRED":   {status: 422, shape: shapeLaravel, field: "iban", msg: "وارد کردن iban الزامی است"},
		"CASHIN_IBAN_INVALID":    {status: 422, shape: shapeLaravel, field: "iban", msg: "شماره شبا قابل قبول نیست."},
		"CASHIN_IBAN_NOT_FOUND":  {status: 422, shape: shapeLaravel, field: "iban", msg: "شماره شبا یافت نشد!"},
		"CASHIN_AMOUNT_REQUIRED": {status: 422, shape: shapeLaravel, field: "amount", msg: "وارد کردن amount الزامی است"},
		"CASHIN_AMOUNT_NUMERIC":  {status: 422, shape: shapeLaravel, field: "amount", msg: "amount باید عدد باشد."},
		"CASHIN_AMOUNT_BALANCE":  {status: 422, shape: shapeLaravel, field: "amount", msg: "موجودی حساب بانکی کافی نیست."},
		"CASHIN_TRACK_REQUIRED":  {status: 422, shape: shapeLaravel, field: "track_id", msg: "وارد کردن track_id الزامی است"},
		"CASHIN_TRACK_DUPLICATE": {status: 422, shape: shapeLaravel, field: "track_id", msg: "این شماره پیگیری از قبل ثبت شده است."},
		"CASHIN_TOOL_INACTIVE":   {status: 422, shape: shapeErrorMap, msg: "ابزار واریز بانکی برای شما فعال نیست"},
		"CASHIN_FAILED":          {status: 500, shape: shapeErrorMap, msg: "خطایی رخ داده است. در صورت اطمینان از عدم برداشت مجدد تلاش کنید."},
		"CASHIN_STATUS":          {status: 422, shape: shapeLaravel, field: "status", msg: "status انتخاب شده معتبر نیست."},
		"CASHIN_NOT_FOUND":       {status: 404, shape: shapeMessage, msg: "خطای 404 رخ داده است."},
		"CASHIN_ALREADY_DONE":    {status: 422, shape: shapeError, msg: "این واریز قبلا بررسی شده است."},
		"AVAND_IBAN_NOT_FOUND":   {status: 404, shape: shapeMessage, msg: "حساب مورد نظر یافت نشد."},
	})
	catchUps = append(catchUps, (*Provider).cashInDue)
}

// cashInRow is one cash-in: a bank deposit row, a payment by code, or a
// suspicious payment.
type cashInRow struct {
	ID          string    `json:"id"`
	TxID        int64     `json:"transaction_id"`
	Kind        string    `json:"kind"` // account, code
	Amount      int64     `json:"amount"`
	IBAN        string    `json:"iban"` // the account the money came from
	Code        string    `json:"code,omitempty"`
	TrackID     string    `json:"track_id,omitempty"`
	Description string    `json:"description,omitempty"`
	Comment     string    `json:"comment,omitempty"`
	Status      string    `json:"status"` // INIT, DONE, FAILED
	Created     time.Time `json:"created"`
	DoneAt      time.Time `json:"done_at"`
	Booked      bool      `json:"booked"`
}

// suspicious is a payment with a code that is not the business's.
type suspicious struct {
	ID      string    `json:"id"`
	Amount  int64     `json:"amount"`
	IBAN    string    `json:"iban"`
	Code    string    `json:"code"`
	Status  string    `json:"status"` // PENDING, ACCEPTED, REJECTED
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	TxID    int64     `json:"transaction_id,omitempty"`
}

// cashInCode is the business's 15-digit deposit code.
func (p *Provider) cashInCode(slug string) string {
	return "10" + businessAccount(p.seed, "code/"+slug)
}

// credit books a completed cash-in on the wallet with its report row.
func (p *Provider) credit(slug string, r cashInRow, channel, desc string, at time.Time) error {
	return p.move(slug, r.Amount, walletMeta{Kind: kindCashIn, Ref: r.ID}, func(balance int64) error {
		p.addRow(slug, txRow{ID: r.TxID, UUID: r.ID, Kind: kindCashIn, Ref: r.ID, Status: 1, Channel: channel, AmountRial: r.Amount,
			WalletRial: balance, Description: desc, TrackID: r.TrackID, Created: at, Updated: at})
		return nil
	})
}

// cashInDue completes the bank deposits whose cycle has come.
// scheduleCashIn books a deposit's landing when the clock reaches it (lazily
// anyway, on the business's next read).
func (p *Provider) scheduleCashIn(slug string, row cashInRow) {
	if p.sched != nil {
		p.sched.Add("vandar/cash-in/"+slug+"/"+row.ID, row.DoneAt, func(now time.Time) { p.cashInDue(slug, now) })
	}
}

func (p *Provider) cashInDue(slug string, now time.Time) {
	if p.pt.cashIn.Len(slug) == 0 {
		return
	}
	var due []string
	p.pt.cOrder.Scan(slug, store.Range{}, func(r store.Row[cashInRow]) bool {
		if r.Value.Status == "INIT" && !r.Value.DoneAt.After(now) {
			due = append(due, r.Value.ID)
		}
		return true
	})
	for _, id := range due {
		var row cashInRow
		if p.pt.cashIn.Update(slug, id, func(r *cashInRow) error {
			if r.Status != "INIT" {
				return errNotQueued
			}
			r.Status, r.Booked = "DONE", true
			row = *r
			return nil
		}) != nil {
			continue
		}
		// The report row is the movement: numbered when the money lands, so the
		// report's order (by id) is the order the wallet moved in.
		row.TxID = 0
		_ = p.credit(slug, row, "cash-in", "واریز بانکی از حساب "+row.IBAN, row.DoneAt)
	}
}

// bankBalance is the business's own account: its opening, plus settlements
// paid to it, less what bank cash-in took from it (every row not FAILED).
func (p *Provider) bankBalance(slug string, now time.Time) (balance int64, lines []avandLine) {
	iban := p.businessIBAN(slug)
	b, _ := p.business(slug)
	lines = append(lines, avandLine{at: b.CreatedAt, amount: bankOpeningRial, typ: "deposit", desc: "موجودی اولیه حساب (sandbank)", code: "0"})
	for _, s := range p.visible(slug, now) {
		if s.IBAN != iban || s.statusAt(now) != "DONE" {
			continue
		}
		f, _ := s.final()
		lines = append(lines, avandLine{at: f.At, amount: s.Amount, typ: "deposit", desc: "تسویه وندار " + s.TrackID, code: strconv.FormatInt(s.TxID, 10)})
	}
	for _, it := range p.pt.cashIn.List(slug) {
		r := it.Value
		if r.Kind != "account" || r.Status == "FAILED" || r.IBAN != iban {
			continue
		}
		lines = append(lines, avandLine{at: r.Created, amount: -r.Amount, typ: "withdraw", desc: "واریز بانکی به کیف پول وندار", code: strconv.FormatInt(r.TxID, 10)})
	}
	slices.SortStableFunc(lines, func(a, b avandLine) int { return a.at.Compare(b.at) })
	for i := range lines {
		balance += lines[i].amount
		lines[i].balance = balance
	}
	return balance, lines
}

type avandLine struct {
	at      time.Time
	amount  int64
	typ     string
	desc    string
	code    string
	balance int64
}

// --- GET /v3/business/:business/cash-in/account ---

type cashAccount struct {
	AccountNumber      string              `json:"account_number"`
	AccountDescription string              `json:"account_description"`
	ID                 *string             `json:"id"`
	IBAN               string              `json:"IBAN"`
	AccountOwner       []map[string]string `json:"account_owner"`
	BankName           string              `json:"bank_name"`
}

type cashAccounts struct {
	Data []cashAccount `json:"data"`
}

func (p *Provider) runCashAccounts(c *api.Call, _ noReq) (cashAccounts, error) {
	b, _ := p.business(c.Tenant)
	return cashAccounts{Data: []cashAccount{{AccountNumber: businessAccount(p.seed, b.Name), AccountDescription: "حساب فعال است",
		IBAN: p.businessIBAN(b.Name), AccountOwner: []map[string]string{{"firstName": b.Title, "lastName": "(sandbank)"}}, BankName: "آینده"}}}, nil
}

// --- POST cash-in/account/balance and deposit ---

type cashReq struct {
	iban, trackID, description, comment string
	amount                              int64
}

// parseCash reads iban (always) and, for a deposit, amount and track_id.
func (p *Provider) parseCash(deposit bool) func(c *api.Call) (cashReq, error) {
	return func(c *api.Call) (cashReq, error) {
		in := readInput(c)
		var r cashReq
		var ps problems
		switch s, present, ok := in.str("iban"); {
		case !present:
			ps = append(ps, problem{code: "CASHIN_IBAN_REQUIRED"})
		case !ok || !iran.ValidIBAN(strings.ToUpper(s)):
			ps = append(ps, problem{code: "CASHIN_IBAN_INVALID"}, problem{code: "CASHIN_IBAN_NOT_FOUND"})
		case strings.ToUpper(s) != p.businessIBAN(c.Tenant):
			ps = append(ps, problem{code: "CASHIN_IBAN_NOT_FOUND"})
		default:
			r.iban = strings.ToUpper(s)
		}
		if deposit {
			switch s, present, ok := in.str("amount"); {
			case !present:
				ps = append(ps, problem{code: "CASHIN_AMOUNT_REQUIRED"})
			default:
				n, num := int64Of(s)
				if !ok || !num || n < 1 {
					ps = append(ps, problem{code: "CASHIN_AMOUNT_NUMERIC"})
				} else {
					r.amount = n
				}
			}
			switch s, present, ok := in.str("track_id"); {
			case !present || !ok:
				ps = append(ps, problem{code: "CASHIN_TRACK_REQUIRED"})
			default:
				r.trackID = s
			}
			r.description, _, _ = in.str("description")
			r.comment, _, _ = in.str("comment")
		}
		if len(ps) > 0 {
			return r, p.failAll(ps)
		}
		return r, nil
	}
}

type bankBalanceData struct {
	Balance          int64 `json:"balance"`
	AvailableBalance int64 `json:"available_balance"`
}

func (p *Provider) runCashBalance(c *api.Call, _ cashReq) (bankBalanceData, error) {
	now := c.Now
	p.catchUp(c.Tenant, now)
	bal, _ := p.bankBalance(c.Tenant, now)
	return bankBalanceData{Balance: bal, AvailableBalance: bal}, nil
}

type depositRow struct {
	GatewayTransactionID int64  `json:"gateway_transaction_id"`
	Amount               int64  `json:"amount"`
	AmountToman          int64  `json:"amount_toman"`
	Wage                 int64  `json:"wage"`
	WageToman            int64  `json:"wage_toman"`
	Status               string `json:"status"`
	IBAN                 string `json:"iban"`
	ReceiptURL           string `json:"receipt_url"`
}

type depositData struct {
	Status  int                     `json:"status"`
	Message string                  `json:"message"`
	Data    map[string][]depositRow `json:"data"`
}

func (depositData) flatA() {}

func (p *Provider) runCashDeposit(c *api.Call, r cashReq) (depositData, error) {
	slug := c.Tenant
	now := p.clock.Now()
	p.catchUp(slug, now)
	if bal, _ := p.bankBalance(slug, now); bal < r.amount {
		return depositData{}, p.failAll(problems{{code: "CASHIN_AMOUNT_BALANCE"}})
	}
	first := p.uuid1(now)
	if !p.pt.cTrk.Insert(slug, r.trackID, first) {
		return depositData{}, p.failAll(problems{{code: "CASHIN_TRACK_DUPLICATE"}})
	}
	out := depositData{Status: 1, Message: "تراکنش های واریزبانکی با موفقیت ثبت شد", Data: map[string][]depositRow{"cash_in": {}}}
	id := first
	for rest := r.amount; rest > 0; rest -= min(rest, cashInChunk) {
		part := min(rest, cashInChunk)
		row := cashInRow{ID: id, TxID: p.nextID(now), Kind: "account", Amount: part, IBAN: r.iban, TrackID: r.trackID,
			Description: r.description, Comment: r.comment, Status: "INIT", Created: now, DoneAt: nextCycle(now)}
		p.pt.cashIn.Put(slug, row.ID, row)
		p.scheduleCashIn(slug, row)
		out.Data["cash_in"] = append(out.Data["cash_in"], depositRow{GatewayTransactionID: row.TxID, Amount: part, AmountToman: toman(part),
			Status: "INIT", IBAN: r.iban, ReceiptURL: receiptURL(row.ID)})
		id = p.uuid1(now)
	}
	return out, nil
}

// --- cash-in by code ---

type codeData struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (codeData) flatA() {}

func (p *Provider) runCashCode(c *api.Call, _ noReq) (codeData, error) {
	return codeData{Status: 1, Code: p.cashInCode(c.Tenant), Message: "شناسه واریز کسب و کار"}, nil
}

type codeTxView struct {
	ID            string `json:"id"`
	TransactionID int64  `json:"transaction_id"`
	Amount        int64  `json:"amount"`
	AmountToman   int64  `json:"amount_toman"`
	Code          string `json:"code"`
	SourceIBAN    string `json:"source_iban"`
	Status        string `json:"status"`
	CreatedAt     string `json:"created_at"`
}

func (p *Provider) runCodeTxs(c *api.Call, r pageNums) (page.Resource[codeTxView], error) {
	var rows []codeTxView
	p.pt.cOrder.Scan(c.Tenant, store.Range{Reverse: true}, func(row store.Row[cashInRow]) bool {
		x := row.Value
		if x.Kind == "code" {
			rows = append(rows, codeTxView{ID: x.ID, TransactionID: x.TxID, Amount: x.Amount, AmountToman: toman(x.Amount), Code: x.Code,
				SourceIBAN: x.IBAN, Status: x.Status, CreatedAt: jalali(x.Created)})
		}
		return true
	})
	u := page.URLs{Path: "https://api.vandar.io/v3/business/" + c.Tenant + "/cash-in/pic/transactions"}
	return page.NewResource(u, r.request(), page.Slice(rows), page.ResourceOptions{MetaLinks: true}), nil
}

type suspView struct {
	ID            string `json:"id"`
	Amount        int64  `json:"amount"`
	AmountToman   int64  `json:"amount_toman"`
	Code          string `json:"code"`
	SourceIBAN    string `json:"source_iban"`
	Status        string `json:"status"`
	TransactionID *int64 `json:"transaction_id"`
	CreatedAt     string `json:"created_at"`
}

func suspOut(s suspicious) suspView {
	v := suspView{ID: s.ID, Amount: s.Amount, AmountToman: toman(s.Amount), Code: s.Code, SourceIBAN: s.IBAN, Status: s.Status,
		CreatedAt: jalali(s.Created)}
	if s.TxID != 0 {
		id := s.TxID
		v.TransactionID = &id
	}
	return v
}

func (p *Provider) runSuspicious(c *api.Call, r pageNums) (page.Resource[suspView], error) {
	rows := newestFirst(p.pt.sOrder, c.Tenant, suspOut)
	u := page.URLs{Path: "https://api.vandar.io/v3/business/" + c.Tenant + "/cash-in/suspicious-payment"}
	return page.NewResource(u, r.request(), page.Slice(rows), page.ResourceOptions{MetaLinks: true}), nil
}

type suspReq struct {
	id     string
	accept bool
}

func (p *Provider) parseSuspAction(c *api.Call) (suspReq, error) {
	r := suspReq{id: c.Param("id")}
	in := readInput(c)
	s, _, _ := in.str("status")
	switch strings.ToLower(s) {
	case "accept", "accepted", "resolved", "approve", "approved":
		r.accept = true
	case "reject", "rejected":
	default:
		return r, p.failAll(problems{{code: "CASHIN_STATUS"}})
	}
	return r, nil
}

type suspData struct {
	Status  int      `json:"status"`
	Message string   `json:"message"`
	Data    suspView `json:"data"`
}

func (suspData) flatA() {}

func (p *Provider) runSuspAction(c *api.Call, r suspReq) (suspData, error) {
	slug := c.Tenant
	now := p.clock.Now()
	var s suspicious
	err := p.pt.susp.Update(slug, r.id, func(x *suspicious) error {
		if x.Status != "PENDING" {
			return errNotQueued
		}
		x.Status, x.Updated = "REJECTED", now
		if r.accept {
			x.Status, x.TxID = "ACCEPTED", p.nextID(now)
		}
		s = *x
		return nil
	})
	if err != nil {
		if _, ok := p.pt.susp.Get(slug, r.id); !ok {
			return suspData{}, p.fail("CASHIN_NOT_FOUND")
		}
		return suspData{}, p.fail("CASHIN_ALREADY_DONE")
	}
	msg := "واریز مشکوک رد شد و به حساب مبدا بازگشت داده می\u200cشود."
	if r.accept {
		row := cashInRow{ID: s.ID, TxID: s.TxID, Kind: "code", Amount: s.Amount, IBAN: s.IBAN, Code: s.Code, Status: "DONE", Created: now, DoneAt: now, Booked: true}
		p.pt.cashIn.Put(slug, row.ID, row)
		if err := p.credit(slug, row, "cash-in-by-code", "واریز شناسه\u200cدار (تایید واریز مشکوک)", now); err != nil {
			return suspData{}, err
		}
		msg = "واریز مشکوک تایید شد و به کیف پول اضافه شد."
	}
	return suspData{Status: 1, Message: msg, Data: suspOut(s)}, nil
}

// --- Avand ---

type avandBalance struct {
	IBAN             string `json:"iban"`
	Balance          int64  `json:"balance"`
	AvailableBalance int64  `json:"available_balance"`
	Date             string `json:"date"`
}

type ibanReq struct{ iban string }

func (p *Provider) parseAvandIBAN(c *api.Call) (ibanReq, error) {
	iban := strings.ToUpper(strings.TrimSpace(c.Param("iban")))
	if iban != p.businessIBAN(c.Tenant) {
		return ibanReq{}, p.fail("AVAND_IBAN_NOT_FOUND")
	}
	return ibanReq{iban: iban}, nil
}

func (p *Provider) runAvandBalance(c *api.Call, r ibanReq) (avandBalance, error) {
	now := c.Now
	p.catchUp(c.Tenant, now)
	bal, _ := p.bankBalance(c.Tenant, now)
	return avandBalance{IBAN: r.iban, Balance: bal, AvailableBalance: bal, Date: jalali(now)}, nil
}

type statementView struct {
	TrackingCode string `json:"tracking_code"`
	Amount       int64  `json:"amount"`
	Type         string `json:"type"`
	Balance      int64  `json:"balance"`
	Description  string `json:"description"`
	Date         string `json:"date"`
	IBAN         string `json:"iban"`
}

func (p *Provider) runAvandStatement(c *api.Call, r pageNums) (page.Resource[statementView], error) {
	now := p.clock.Now()
	p.catchUp(c.Tenant, now)
	_, lines := p.bankBalance(c.Tenant, now)
	iban := p.businessIBAN(c.Tenant)
	rows := make([]statementView, 0, len(lines))
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		rows = append(rows, statementView{TrackingCode: l.code, Amount: max(l.amount, -l.amount), Type: l.typ, Balance: l.balance,
			Description: l.desc, Date: jalali(l.at), IBAN: iban})
	}
	u := page.URLs{Path: "https://api.vandar.io/v3/business/" + c.Tenant + "/settlement/account/statement"}
	return page.NewResource(u, r.request(), page.Slice(rows), page.ResourceOptions{MetaLinks: true}), nil
}

// --- control plane: POST /_sandbox/vandar/cash-in ---

// adminCashIn simulates money arriving: {"business","amount" (Rial),
// "iban"? (the payer's account), "code"?}. With the business's code (or no
// code) it is credited at once; with another code it is a suspicious payment.
func (p *Provider) adminCashIn(c echo.Context) error {
	var req struct {
		Business string `json:"business"`
		Amount   int64  `json:"amount"`
		IBAN     string `json:"iban"`
		Code     string `json:"code"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return c.JSON(http.StatusBadRequest, adminError{"body: " + err.Error()})
	}
	b, ok := p.business(strings.TrimSpace(req.Business))
	if !ok {
		return c.JSON(http.StatusNotFound, adminError{"business: unknown"})
	}
	if req.Amount <= 0 || req.Amount > 1_000_000_000_000_000 {
		return c.JSON(http.StatusBadRequest, adminError{"amount: a positive number of Rials"})
	}
	iban := strings.ToUpper(strings.TrimSpace(req.IBAN))
	if iban == "" {
		iban, _ = iran.MakeIBAN("017", "1"+businessAccount(p.seed, "payer/"+b.Name)[:12])
	} else if !iran.ValidIBAN(iban) {
		return c.JSON(http.StatusBadRequest, adminError{"iban: not a valid IBAN (mod-97)"})
	}
	p.ensureWallet(b.Name)
	now := p.clock.Now()
	code := strings.TrimSpace(req.Code)
	if code != "" && code != p.cashInCode(b.Name) {
		s := suspicious{ID: p.uuid1(now), Amount: req.Amount, IBAN: iban, Code: code, Status: "PENDING", Created: now, Updated: now}
		p.pt.susp.Put(b.Name, s.ID, s)
		return c.JSON(http.StatusOK, map[string]any{"suspicious": suspOut(s), "wallet": toman(p.balance(b.Name))})
	}
	if code == "" {
		code = p.cashInCode(b.Name)
	}
	row := cashInRow{ID: p.uuid1(now), TxID: p.nextID(now), Kind: "code", Amount: req.Amount, IBAN: iban, Code: code, Status: "DONE",
		Created: now, DoneAt: now, Booked: true}
	p.pt.cashIn.Put(b.Name, row.ID, row)
	if err := p.credit(b.Name, row, "cash-in-by-code", "واریز شناسه\u200cدار از "+iban, now); err != nil {
		return c.JSON(http.StatusInternalServerError, adminError{err.Error()})
	}
	return c.JSON(http.StatusOK, map[string]any{"cash_in": map[string]any{"id": row.ID, "transaction_id": row.TxID, "amount": row.Amount,
		"code": code, "iban": iban, "status": row.Status}, "wallet": toman(p.balance(b.Name))})
}
