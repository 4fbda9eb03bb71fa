package vandar

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/page"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Business information, users, balance and the transaction report (reference
// §3). The report is the business's wallet history: the opening balance, every
// gateway payment (paid or not), every refund row, and whatever later products
// (settlements, cash-in) record with addRow.

// Row kinds.
const (
	kindOpening = "opening"
	kindIPG     = "ipg"
	kindRefund  = "refund"
	// kindRefundReturn is the money of a failed refund row coming back.
	kindRefundReturn = "refund_return"
)

// txRow is one row of the transaction report. Gateway rows take their live
// fields from the payment (Ref is its token); the others carry their own.
type txRow struct {
	ID          int64     `json:"id"`
	UUID        string    `json:"uuid"`
	Kind        string    `json:"kind"`
	Ref         string    `json:"ref,omitempty"`
	Status      int       `json:"status"`
	Channel     string    `json:"channel"`
	AmountRial  int64     `json:"amount_rial"`
	WageRial    int64     `json:"wage_rial"`
	WalletRial  int64     `json:"wallet_rial"` // the balance after this row moved money; 0 before
	Description string    `json:"description,omitempty"`
	TrackID     string    `json:"track_id,omitempty"`
	PaymentNo   string    `json:"payment_number,omitempty"`
	Card        string    `json:"card_number,omitempty"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
}

// addRow records one report row and returns it with its id. A row that moves
// money is written inside move's record function, so it carries the balance
// after the movement (WalletRial); one that moves none (an unpaid payment, a
// failed settlement) is written directly. Status follows the report's
// enumeration (reference §3.4): 1/-1/3 transactions, 2/-2/-3/-4 settlements, 5/-5
// internal transfers, 6 subscription fees, -6 returned settlements, 4 revised.
func (p *Provider) addRow(slug string, row txRow) txRow {
	if row.Created.IsZero() {
		row.Created = p.clock.Now()
	}
	if row.Updated.IsZero() {
		row.Updated = row.Created
	}
	if row.ID == 0 {
		row.ID = p.nextID(row.Created)
	}
	if row.UUID == "" {
		row.UUID = p.uuid1(row.Created)
	}
	p.txs.Put(slug, itoa(row.ID), row)
	return row
}

// channels maps the report's channel filter to the Persian label rows carry.
var channels = map[string]string{
	"ipg": "پرداخت اینترنتی", "form": "فرم پرداخت", "p2p": "انتقال داخلی", "subscription": "پرداخت خودکار",
	"settlements": "تسویه", "cash-in": "واریز بانکی", "cash-in-by-code": "واریز شناسه\u200cدار", "refund": "بازگشت وجه",
}

// --- GET /v2/business/:business ---

type businessInfo struct {
	ID                int64          `json:"id"`
	Active            int            `json:"active"`
	BusinessName      string         `json:"business_name"`
	BusinessNameFa    string         `json:"business_name_fa"`
	LegalBusinessName *string        `json:"legal_business_name"`
	NationalID        *string        `json:"national_id"`
	BusinessType      string         `json:"business_type"`
	PhoneNumber       string         `json:"phone_number"`
	PostalCode        string         `json:"postal_code"`
	CityID            string         `json:"city_id"`
	MCCCode           string         `json:"mcc_code"`
	Address           string         `json:"address"`
	Wallet            int64          `json:"wallet"`
	DeductibleAmount  string         `json:"deductible_amount"`
	BlockedAmount     int64          `json:"blocked_amount"`
	Avatar            string         `json:"avatar"`
	StatusBox         map[string]any `json:"statusBox"`
	Status            int            `json:"status"`
	TodayTransactions int            `json:"today_transactions"`
	TodaySettlements  int            `json:"today_settlements"`
	RoleName          string         `json:"role_name"`
	Role              string         `json:"role"`
	Permissions       []string       `json:"permissions"`
	Tools             map[string]any `json:"tools"`
	// IBAN is the business's own bank account (Ayandeh), where its settlements
	// may go and from which bank cash-in pulls money; not in the documented
	// sample, added by sandbank so a client can find it.
	IBAN string `json:"iban"`
}

var roleNames = map[string]string{"owner": "مالک", "admin": "مدیر", "accountant": "حسابدار", "developer": "توسعه\u200cدهنده", "observer": "ناظر"}

type noReq struct{}

func (p *Provider) parseNone(*api.Call) (noReq, error) { return noReq{}, nil }

func (p *Provider) runBusiness(c *api.Call, _ noReq) (businessInfo, error) {
	b, _ := p.business(c.Tenant)
	wallet := toman(p.balanceAt(b.Name, c.Now))
	tool := func(on bool) map[string]any { return map[string]any{"is_enabled": on, "is_created": on} }
	// Today's payments: newest first, until the first row of an earlier day.
	today := 0
	y, m, d := iran.ToJalali(c.Now)
	p.txOrder.Scan(b.Name, store.Range{Reverse: true}, func(row store.Row[txRow]) bool {
		ty, tm, td := iran.ToJalali(row.Value.Created)
		if ty != y || tm != m || td != d {
			return false
		}
		if row.Value.Kind == kindIPG {
			today++
		}
		return true
	})
	perms := []string{"business_setting", "add_iban", "remove_iban", "view_dashboard", "create_request_forms", "view_gateway_ipgs",
		"create_gateway_ipgs", "edit_gateway_ipgs", "view_transactions_report", "view_settlements", "add_settlements", "edit_settlements", "view_request_forms"}
	if b.Role == "observer" {
		perms = []string{"view_dashboard", "view_transactions_report", "view_settlements"}
	}
	return businessInfo{
		ID: b.ID, Active: 1, BusinessName: b.Name, BusinessNameFa: b.Title, BusinessType: "personal",
		PhoneNumber: "88****22", PostalCode: "1234567890", CityID: "8-6", MCCCode: "15200002", Address: "تهران، sandbank",
		Wallet: wallet, DeductibleAmount: strconv.FormatInt(wallet, 10), Avatar: "businesses/avatars/" + b.Name + ".png",
		StatusBox: map[string]any{"payment_required": false, "national_card_photo": "accepted", "official_Newspaper": "accepted", "introduction_letter": "accepted"},
		Status:    1, TodayTransactions: today, TodaySettlements: p.todaySettlements(b.Name, c.Now), RoleName: roleNames[b.Role], Role: b.Role, Permissions: perms,
		Tools: map[string]any{
			"ipg": tool(true), "subscription": tool(false), "requestMoney": tool(true), "api": tool(true),
			"customer": tool(false), "log": tool(true), "refund": tool(!b.RefundDisabled),
		},
		IBAN: p.businessIBAN(b.Name),
	}, nil
}

// --- GET /v2/business/:business/iam ---

type iamUser struct {
	Name   string  `json:"name"`
	Avatar string  `json:"avatar"`
	Role   string  `json:"role"`
	Status int     `json:"status"`
	RoleID int     `json:"role_id"`
	ID     *string `json:"id"`
}

type iamData struct {
	Users []iamUser `json:"users"`
}

func (p *Provider) runIAM(c *api.Call, r pageNums) (iamData, error) {
	b, _ := p.business(c.Tenant)
	users := []iamUser{{Name: b.Title, Avatar: "https://vandar.io/storage/users/default.png", Role: roleNames[b.Role] + " کسب و کار", Status: 1, RoleID: roles[b.Role]}}
	start := (r.page - 1) * r.perPage
	if start >= len(users) {
		return iamData{Users: []iamUser{}}, nil
	}
	return iamData{Users: users[start:min(len(users), start+r.perPage)]}, nil
}

// --- GET /v2/business/:business/balance ---

type balanceData struct {
	Wallet   int64  `json:"wallet"`
	Currency string `json:"currency"`
}

func (p *Provider) runBalance(c *api.Call, _ noReq) (balanceData, error) {
	return balanceData{Wallet: toman(p.balanceAt(c.Tenant, c.Now)), Currency: "Toman"}, nil
}

// --- GET /v3/business/:business/transaction ---

type reportReq struct {
	from, to            time.Time // Jalali days, inclusive; zero = open
	statusKind, status  string
	channel, formID     string
	refID, tracking, id string
	trackID, factor     string
	perPage             int
	startAfter          int64
	q, searchField      string
}

var (
	statusSets = map[string][]int{"succeed": {1, 2, 5}, "failed": {-1, -3, -6}, "pending": {3, -2}, "canceled": {-4}}
	kindSets   = map[string][]int{"transactions": {1, -1, 3, 5, -5, 6, 4}, "settlements": {2, -2, -3, -4, -6}}
	searchable = []string{"description", "ref_id", "tracking_code", "transaction_id", "factor_number", "iban", "mobile_number", "api_token", "card_number", "form_id", "payment_number"}
)

func (p *Provider) parseReport(c *api.Call) (reportReq, error) {
	in := readInput(c)
	r := reportReq{perPage: 10}
	var ps problems
	text := func(name string) string {
		s, _, ok := in.str(name)
		if !ok {
			ps = append(ps, problem{code: "VALIDATION", field: name, msg: name + " باید رشته باشد."})
		}
		return s
	}
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"fromDate", &r.from}, {"toDate", &r.to}} {
		s := text(f.name)
		if s == "" {
			continue
		}
		t, ok := parseReportDate(s)
		if !ok {
			ps = append(ps, problem{code: "REPORT_DATE", field: f.name})
			continue
		}
		*f.dst = t
	}
	enum := func(name, code string, allowed func(string) bool) string {
		s := text(name)
		if s != "" && !allowed(s) {
			ps = append(ps, problem{code: code})
		}
		return s
	}
	r.statusKind = enum("statusKind", "REPORT_STATUS_KIND", func(s string) bool { _, ok := kindSets[s]; return ok })
	r.status = enum("status", "REPORT_STATUS", func(s string) bool { _, ok := statusSets[s]; return ok })
	r.channel = enum("channel", "REPORT_CHANNEL", func(s string) bool { _, ok := channels[s]; return ok })
	r.formID = text("formId")
	r.refID, r.tracking, r.id = text("ref_id"), text("tracking_code"), text("id")
	r.trackID, r.factor = text("track_id"), text("factor_number")
	if s := text("per_page"); s != "" {
		n, ok := int64Of(s)
		switch {
		case !ok || n < 1:
			ps = append(ps, problem{code: "REPORT_PER_PAGE", msg: "per_page باید عدد صحیح بزرگتر از صفر باشد."})
		case n > 100:
			ps = append(ps, problem{code: "REPORT_PER_PAGE"})
		default:
			r.perPage = int(n)
		}
	}
	if s := text("start_after"); s != "" {
		n, ok := int64Of(s)
		if !ok {
			ps = append(ps, problem{code: "REPORT_START_AFTER"})
		}
		r.startAfter = n
	}
	r.q = text("q")
	r.searchField = enum("search_field", "REPORT_SEARCH_FIELD", func(s string) bool { return slices.Contains(searchable, s) })
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

// parseReportDate reads a Jalali YYYYMMDD (14000102) or the v2 era's YYMMDD
// (980703, the 1300s).
func parseReportDate(s string) (time.Time, bool) {
	if len(s) == 6 {
		s = "13" + s
	}
	if len(s) != 8 {
		return time.Time{}, false
	}
	if _, ok := int64Of(s); !ok {
		return time.Time{}, false
	}
	t, err := iran.ParseJalali(s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// report is the cursor page (reference §1.10 style 3): newest first, has_more,
// start_after = the id of the last row of the previous page.
type report struct {
	Status  int       `json:"status"`
	HasMore bool      `json:"has_more"`
	Data    []rowView `json:"data"`
}

func (report) flatA() {}

func (p *Provider) runReport(c *api.Call, r reportReq) (report, error) {
	after := ""
	if r.startAfter > 0 {
		after = itoa(r.startAfter)
	}
	cur := page.NewCursor(func(after string, limit int) []rowView {
		return p.reportRows(c.Tenant, after, limit, c.Now, r.match)
	}, after, r.perPage)
	return report{Status: 1, HasMore: cur.HasMore, Data: cur.Data}, nil
}

// reportRows is up to limit rows that keep accepts, newest first, older than
// the row id after ("" = from the newest): a seek in the report's index, then
// one step per row read, whatever the history holds.
func (p *Provider) reportRows(slug, after string, limit int, now time.Time, keep func(rowView, txRow) bool) []rowView {
	rg := store.Range{Reverse: true}
	if before, ok := int64Of(after); ok {
		rg.To = txKey(before)
	}
	var out []rowView
	p.txOrder.Scan(slug, rg, func(row store.Row[txRow]) bool {
		if v := p.view(slug, row.Value, now); keep(v, row.Value) {
			out = append(out, v)
		}
		return len(out) < limit
	})
	return out
}

// txKey orders report rows by id.
func txKey(id int64) string { return fmt.Sprintf("%020d", id) }

func (r reportReq) match(v rowView, tx txRow) bool {
	day := tx.Created.In(iran.Tehran)
	if !r.from.IsZero() && day.Before(r.from) {
		return false
	}
	if !r.to.IsZero() && !day.Before(r.to.AddDate(0, 0, 1)) {
		return false
	}
	if r.status != "" && !slices.Contains(statusSets[r.status], v.Status) {
		return false
	}
	if r.statusKind != "" && !slices.Contains(kindSets[r.statusKind], v.Status) {
		return false
	}
	if r.channel != "" && v.Channel != channels[r.channel] {
		return false
	}
	if r.formID != "" {
		return false // no payment forms in sandbank
	}
	eq := func(want string, got *string) bool { return want == "" || (got != nil && *got == want) }
	if !eq(r.refID, v.RefID) || !eq(r.tracking, v.TrackingCode) || !eq(r.factor, v.FactorNumber) {
		return false
	}
	if r.id != "" && r.id != itoa(v.ID) {
		return false
	}
	if r.trackID != "" && r.trackID != tx.TrackID {
		return false
	}
	if r.q != "" {
		fields := map[string]string{
			"description": deref(v.Description), "ref_id": deref(v.RefID), "tracking_code": deref(v.TrackingCode),
			"transaction_id": itoa(v.ID), "factor_number": deref(v.FactorNumber), "mobile_number": deref(v.Mobile),
			"api_token": deref(v.APIToken), "card_number": deref(v.CardNumber), "payment_number": deref(v.PaymentNumber),
		}
		if r.searchField != "" {
			return strings.Contains(fields[r.searchField], r.q)
		}
		for _, s := range fields {
			if strings.Contains(s, r.q) {
				return true
			}
		}
		return false
	}
	return true
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func strp(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// rowView is one report row with every documented field (reference §3.4).
type rowView struct {
	ID                   int64          `json:"id"`
	UUID                 string         `json:"uuid"`
	Amount               int64          `json:"amount"`
	Wage                 int64          `json:"wage"`
	Status               int            `json:"status"`
	RefID                *string        `json:"ref_id"`
	TrackingCode         *string        `json:"tracking_code"`
	CardNumber           *string        `json:"card_number"`
	CID                  *string        `json:"cid"`
	Verified             int            `json:"verified"`
	Channel              string         `json:"channel"`
	PaymentDate          *string        `json:"payment_date"`
	PaymentNumber        *string        `json:"payment_number"`
	CreatedAt            string         `json:"created_at"`
	UpdatedAt            string         `json:"updated_at"`
	EffectiveTimeStamp   int64          `json:"effective_time_stamp"`
	Wallet               int64          `json:"wallet"`
	Result               *string        `json:"result"`
	Description          *string        `json:"description"`
	FactorNumber         *string        `json:"factorNumber"`
	Mobile               *string        `json:"mobile"`
	CallbackURL          *string        `json:"callback_url"`
	FormTitle            *string        `json:"form_title"`
	Settlement           any            `json:"settlement"`
	SettlementPort       *string        `json:"settlement_port"`
	Comments             []any          `json:"comments"`
	APIToken             *string        `json:"api_token"`
	Logs                 *txLog         `json:"logs"`
	RevisedTransactionID *int64         `json:"revised_transaction_id"`
	Refund               *refundSummary `json:"refund"`
	RefundDetailIDs      []string       `json:"refund_detail_ids"`
	Port                 *string        `json:"port"`
	Payer                map[string]any `json:"payer"`
	Receiver             map[string]any `json:"receiver"`
	ReceiptURL           *string        `json:"receipt_url"`
	TimePrediction       map[string]any `json:"time_prediction"`
}

type txLog struct {
	TransactionID int64  `json:"transaction_id"`
	ResultCode    string `json:"result_code"`
	ResultMessage string `json:"result_message"`
	LogDate       string `json:"log_date"`
	Group         string `json:"group"`
}

type refundSummary struct {
	Amount   int64  `json:"amount"`
	Status   string `json:"status"`
	Refunded int64  `json:"refunded_amount"`
}

// reportTime is the list's "17:46:57 - 1401/3/7" (no zero padding in the date).
func reportTime(t time.Time) string {
	t = t.In(iran.Tehran)
	y, m, d := iran.ToJalali(t)
	return t.Format("15:04:05") + " - " + strconv.Itoa(y) + "/" + strconv.Itoa(m) + "/" + strconv.Itoa(d)
}

func (p *Provider) view(slug string, tx txRow, now time.Time) rowView {
	v := rowView{
		ID: tx.ID, UUID: tx.UUID, Amount: toman(tx.AmountRial), Wage: toman(tx.WageRial), Status: tx.Status,
		Channel: channels[tx.Channel], CreatedAt: reportTime(tx.Created), UpdatedAt: reportTime(tx.Updated),
		EffectiveTimeStamp: tx.Created.Unix(), Wallet: toman(tx.WalletRial), Description: strp(tx.Description),
		Comments: []any{}, RefundDetailIDs: []string{}, PaymentNumber: strp(tx.PaymentNo), CardNumber: strp(tx.Card),
		Payer: map[string]any{"ip": nil, "iban": nil, "name": nil, "slug": nil, "avatar": nil, "legal_name": nil, "business_owner": nil,
			"email": nil, "phone": nil, "address": nil, "mobile": nil, "additional_fields": nil, "description": nil},
		Receiver: map[string]any{"name": nil, "legal_name": nil, "slug": nil, "avatar": nil, "business_owner": nil, "iban": nil, "bank_name": nil},
		TimePrediction: map[string]any{"settlement_done_time_prediction": nil, "settlement_cancelable_time": nil, "is_settlement_paya_report_finally": nil,
			"settlement_paya_report_finally_time": nil, "is_after_time_prediction": nil, "p2p_time_prediction": nil},
	}
	switch tx.Kind {
	case kindIPG:
		pay, ok := p.payments.Get(slug, tx.Ref)
		if !ok {
			break
		}
		pay = p.effective(pay, now)
		p.paymentRow(&v, pay)
	case kindRefund:
		if rf, ok := p.refunds.Get(slug, tx.Ref); ok {
			rf = p.refundAt(rf, now)
			switch rf.Status {
			case "DONE":
				v.Status = 2
			case "FAILED":
				v.Status = -3
			default:
				v.Status = -2
			}
			v.TimePrediction["settlement_done_time_prediction"] = reportTime(rf.DoneAt)
		}
	case kindDebitRefund:
		p.ddRefundRow(slug, tx, &v, now) // debit_refund.go
	}
	return v
}
