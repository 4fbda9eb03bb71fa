package vandar

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/page"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
	"github.com/sandbank-dev/sandbank/mock/webhook"
)

// Withdrawals under an active mandate (reference §11.10–§11.15). Each
// withdrawal's future is fixed when it is stored, as a list of attempts at the
// customer's bank: an attempt is INIT from its start and answers bankTime later,
// DONE or with one of the 27 error codes of §18.2; a failed attempt is retried
// (status PENDING, its code on the record) retryEvery later while attempts
// remain, and the last failed one makes the withdrawal FAILED. Instant
// withdrawals start a minute after store; scheduled ones at the start of their
// withdrawal_date (Tehran). What can change a planned future later: PUT cancel
// before the first attempt (CANCELED), revoking the mandate (the next attempt
// fails with 13), a refund (REFUND). The business wallet is credited, and
// notify_url hears the outcome, when the last attempt answers.

const (
	wdStartAfter = time.Minute     // instant: PENDING → INIT
	wdBankTime   = 4 * time.Minute // INIT → the bank's answer
	wdRetryEvery = time.Hour       // a failed attempt → the next one
	wdWagePct    = 2               // wage: 2% of the amount (200 on 10000 in the documented example)
	wdWageMax    = 50_000          // Rial
)

// wdCodes are the 27 withdrawal error codes with their verbatim messages
// (reference §18.2; 04 and 16 share their text).
var wdCodes = map[string]string{
	"01": "عدم کفایت موجودی",
	"02": "خطای سرور",
	"03": "منبع مورد نظر یافت نشد",
	"04": "محدودیت تعداد تراکنش روزانه برای این واگذاری رعایت نشده است",
	"05": "برنامه مورد نظر یافت نشد",
	"06": "توکن نامعتبر",
	"07": "سپرده نامعتبر",
	"08": "مبلغ نامعتبر است",
	"09": "حساب مقصد نامعتبر",
	"10": "واگذار کننده به عنوان مشتری بانک موردنظر ثبت نشده است",
	"11": "شماره پیگیری تکراری/نامعتبر است",
	"12": "وضعیت موسسه نامعتبر است",
	"13": "وضعیت واگذاری نامعتبر است",
	"14": "واگذاری منقضی شده است",
	"15": "زمان انجام تراکنش برای این واگذاری نامعتبر است",
	"16": "محدودیت تعداد تراکنش روزانه برای این واگذاری رعایت نشده است",
	"17": "محدودیت تعداد تراکنش ماهانه برای این واگذاری رعایت نشده است",
	"18": "زمان پیمان شروع نشده است",
	"19": "مبلغ ورودی نامعتبر است",
	"20": "ارز مبدا مقصد یکسان نیست/کد ارز مورد نظر در سیستم تعریف نشده",
	"21": "سپرده متعلق به کاربر نیست/عدم امکان دسترسی به سپرده/عدم وجود حق برداشت/برداشت امکانپذیر نیست",
	"22": "شماره سپرده نامعتبر است",
	"23": "پارامترهای ورودی به درستی وارد نشده اند",
	"24": "شماره سپرده مورد نظر وجود ندارد",
	"25": "خطای داخلی بوم",
	"26": "خطاهای داخلی پیمان",
	"27": "شناسه موسسه مورد نظر یافت نشده/نامعتبر است",
}

// MagicCustomer is a customer whose bank answers every withdrawal attempt
// with Code, recognised by the mandate's mobile or national code.
type MagicCustomer struct {
	Mobile       string `json:"mobile"`
	NationalCode string `json:"national_code"`
	Code         string `json:"error_code"`
	Message      string `json:"error_message"`
	Label        string `json:"label"`
}

var magicCustomers = []MagicCustomer{
	{"09120000001", "0010000011", "01", wdCodes["01"], "موجودی حساب ناکافی"},
	{"09120000002", "0010000021", "10", wdCodes["10"], "مشتری بانک نیست"},
	{"09120000003", "0010000038", "21", wdCodes["21"], "حق برداشت ندارد"},
	{"09120000004", "0010000046", "24", wdCodes["24"], "سپرده وجود ندارد"},
	{"09120000005", "0010000054", "07", wdCodes["07"], "سپرده نامعتبر (مسدود)"},
}

func magicCode(m mandate) string {
	for _, mc := range magicCustomers {
		if m.Mobile == mc.Mobile || (m.NationalCode != "" && m.NationalCode == mc.NationalCode) {
			return mc.Code
		}
	}
	return ""
}

// debitTables are direct debit's store tables, embedded in Provider.
type debitTables struct {
	sched       *lifecycle.Scheduler
	mandates    *store.Table[mandate]    // tenant slug: by token
	ddIDs       *store.Table[string]     // tenant slug: authorization_id → token
	withdrawals *store.Table[withdrawal] // tenant slug: by id
	wdTrack     *store.Table[string]     // tenant slug: track_id → id
	ddDue       *store.Table[time.Time]  // tenant slug: withdrawal id → when its outcome is known, until settled
	ddRefunds   *store.Table[ddRefund]   // tenant slug: by id
	ddHealth    *store.Table[bool]       // tenant "": bank code → reachable (set by the control plane)
	wdAged      *store.Index[withdrawal] // by creation time, with a retention only
}

func newDebitTables(d api.Deps) debitTables {
	return debitTables{
		sched:       d.Scheduler,
		mandates:    store.NewTable[mandate](d.Store, "vandar.dd_mandates"),
		ddIDs:       store.NewTable[string](d.Store, "vandar.dd_ids"),
		withdrawals: store.NewTable[withdrawal](d.Store, "vandar.dd_withdrawals"),
		wdTrack:     store.NewTable[string](d.Store, "vandar.dd_track_ids"),
		ddDue:       store.NewTable[time.Time](d.Store, "vandar.dd_due"),
		ddRefunds:   store.NewTable[ddRefund](d.Store, "vandar.dd_refunds"),
		ddHealth:    store.NewTable[bool](d.Store, "vandar.dd_bank_health"),
	}
}

// attempt is one try at the customer's bank: INIT from Start, answered at End
// with Code ("" = paid).
type attempt struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Code  string    `json:"code,omitempty"`
}

type withdrawal struct {
	ID            string    `json:"id"`
	Authorization string    `json:"authorization_id"`
	GatewayTxID   int64     `json:"gateway_transaction_id"`
	Amount        int64     `json:"amount"` // Rial
	Wage          int64     `json:"wage"`   // Rial
	WageType      string    `json:"wage_type"`
	TrackID       string    `json:"track_id,omitempty"`
	Description   string    `json:"description,omitempty"`
	NotifyURL     string    `json:"notify_url,omitempty"`
	Instant       bool      `json:"is_instant"`
	AutoRetry     bool      `json:"is_auto_retry"`
	MaxRetry      int       `json:"max_retry_count"`
	Date          time.Time `json:"withdrawal_date"`
	Attempts      []attempt `json:"attempts"`
	Canceled      time.Time `json:"canceled,omitzero"`
	Refunded      int64     `json:"refunded,omitempty"`
	RefundAt      time.Time `json:"refund_at,omitzero"` // when the withdrawal reads REFUND
	Settled       bool      `json:"settled,omitempty"`
	PaymentNumber string    `json:"payment_number,omitempty"`
	Created       time.Time `json:"created"`
}

func (w withdrawal) Clone() withdrawal {
	w.Attempts = slices.Clone(w.Attempts)
	return w
}

// final is when the withdrawal's outcome is known.
func (w withdrawal) final() time.Time { return w.Attempts[len(w.Attempts)-1].End }

// wdState is a withdrawal as the clock sees it.
type wdState struct {
	Status     string
	RetryCount int
	Code       string
}

func (w withdrawal) at(now time.Time) wdState {
	if !w.Canceled.IsZero() {
		return wdState{Status: "CANCELED", RetryCount: 1}
	}
	st := wdState{Status: "PENDING", RetryCount: 1}
	for i, a := range w.Attempts {
		if now.Before(a.Start) {
			break
		}
		st.RetryCount = i + 1
		if now.Before(a.End) {
			st.Status = "INIT"
			break
		}
		switch {
		case a.Code == "":
			st.Status, st.Code = "DONE", ""
		case i == len(w.Attempts)-1:
			st.Status, st.Code = "FAILED", a.Code
		default:
			st.Status, st.Code = "PENDING", a.Code
		}
	}
	if st.Status == "DONE" && !w.RefundAt.IsZero() && !now.Before(w.RefundAt) {
		st.Status = "REFUND"
	}
	return st
}

// planAttempts lays out the attempts from start: at most n, each failing with
// code ("" = paid at the first), an attempt after the mandate's end failing
// with 14 and ending the plan.
func planAttempts(start time.Time, n int, code string, expires time.Time) []attempt {
	var out []attempt
	s := start
	for k := 0; k < n; k++ {
		a := attempt{Start: s, End: s.Add(wdBankTime), Code: code}
		if !s.Before(expires) {
			a.Code = "14"
		}
		out = append(out, a)
		if a.Code == "" || a.Code == "14" {
			break
		}
		s = a.End.Add(wdRetryEvery)
	}
	return out
}

// usedInMonth counts the mandate's withdrawals whose first attempt falls in
// the Jalali month of at and which are not FAILED or CANCELED as of now: the
// monthly `count` of reference §11.2.
func (p *Provider) usedInMonth(slug, mandateID string, at time.Time) int {
	y, m, _ := iran.ToJalali(at.In(iran.Tehran))
	now := p.clock.Now()
	n := 0
	for _, it := range p.withdrawals.List(slug) {
		w := it.Value
		if w.Authorization != mandateID {
			continue
		}
		wy, wm, _ := iran.ToJalali(w.Attempts[0].Start.In(iran.Tehran))
		if wy != y || wm != m {
			continue
		}
		if st := w.at(now).Status; st == "FAILED" || st == "CANCELED" {
			continue
		}
		n++
	}
	return n
}

// --- POST {v3}/subscription/withdrawal/store ---

type wdReq struct {
	authorization, trackID, description, notifyURL string
	amount                                         int64
	instant, autoRetry, autoRetrySet               bool
	maxRetry                                       int
	date                                           time.Time
}

func boolOf(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "1", "true":
		return true, true
	case "0", "false":
		return false, true
	}
	return false, false
}

// parseWithdrawal checks the fields in the documented table's order
// (reference §11.10).
func (p *Provider) parseWithdrawal(c *api.Call) (wdReq, error) {
	in := readInput(c)
	r := wdReq{instant: true, maxRetry: 1, autoRetry: true}
	var ps problems
	str := func(name string, required bool) (string, bool) { return ddString(in, name, required, &ps) }
	if s, ok := str("authorization_id", true); ok {
		r.authorization = s
	}
	if v, present := in.get("amount"); present && (v.isList || v.odd) {
		ps = append(ps, problem{code: "DD_WD_AMOUNT"})
	} else if s, ok := str("amount", true); ok {
		if n, num := int64Of(latin(s)); !num || n < 1 {
			ps = append(ps, problem{code: "DD_WD_AMOUNT"})
		} else {
			r.amount = n
		}
	}
	// is_instant decides whether withdrawal_date is required, so it is read
	// first and reported in the table's order.
	var instantBad bool
	if s, ok := str("is_instant", false); ok {
		b, valid := boolOf(s)
		instantBad = !valid
		r.instant = b || !valid
	}
	if s, ok := str("withdrawal_date", false); ok {
		d, err := time.ParseInLocation("2006-01-02", latin(s), iran.Tehran)
		switch {
		case err != nil:
			ps = append(ps, problem{code: "DD_WD_DATE_FORMAT"})
		case !d.After(dayStart(c.Now)) && !r.instant:
			ps = append(ps, problem{code: "DD_WD_DATE_AFTER"})
		case !ddReachable(d) && !r.instant: // an instant one runs today, whatever the date
			ps = append(ps, problem{code: "DD_WD_DATE_BEFORE"})
		default:
			r.date = d
		}
	} else if _, present := in.get("withdrawal_date"); !present && !r.instant {
		ps = append(ps, problem{code: "DD_WD_DATE_REQUIRED"})
	}
	if instantBad {
		ps = append(ps, problem{code: "DD_WD_INSTANT"})
	}
	if s, ok := str("notify_url", false); ok {
		if !httpURL(s) {
			ps = append(ps, problem{code: "DD_WD_NOTIFY"})
		} else {
			r.notifyURL = s
		}
	}
	if s, ok := str("max_retry_count", false); ok {
		if n, num := int64Of(latin(s)); !num || n < 1 || n > 16 {
			ps = append(ps, problem{code: "DD_WD_RETRY"})
		} else {
			r.maxRetry = int(n)
		}
	}
	if s, ok := str("is_auto_retry", false); ok {
		if b, valid := boolOf(s); !valid {
			ps = append(ps, problem{code: "DD_WD_AUTO_RETRY"})
		} else {
			r.autoRetry, r.autoRetrySet = b, true
		}
	}
	if s, ok := str("description", false); ok {
		if len([]rune(s)) > 255 {
			ps = append(ps, problem{code: "DD_WD_DESCRIPTION"})
		} else {
			r.description = s
		}
	}
	if s, ok := str("track_id", false); ok {
		if len(s) > 255 {
			ps = append(ps, problem{code: "DD_WD_TRACK_LONG"})
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
	errMonthFull = errors.New("monthly count used")
	errTrackDup  = errors.New("track_id used")
)

func (p *Provider) runWithdrawal(c *api.Call, r wdReq) (Result, error) {
	p.ddSettle(c.Tenant, c.Now)
	m, err := p.shown(c.Tenant, r.authorization, c.Now)
	if err != nil {
		return Result{}, err
	}
	if m.State != mdActive {
		return Result{}, p.failAll(problems{{code: "DD_WD_MANDATE_INACTIVE"}})
	}
	if r.amount > m.Limit {
		return Result{}, p.failAll(problems{{code: "DD_WD_LIMIT"}})
	}
	if b, _ := bankOf(m.BankCode); !p.bankHealthy(b) {
		return Result{}, p.fail("DD_WD_BANK")
	}
	// Attempts: instant ones once (max_retry_count is forced to 1, reference
	// §11.10) unless is_auto_retry asks for retries; scheduled ones up to
	// max_retry_count unless is_auto_retry is off.
	start := c.Now.Add(wdStartAfter)
	date := dayStart(c.Now)
	if !r.instant {
		start, date = r.date, r.date
	}
	n := r.maxRetry
	if !r.autoRetry || (r.instant && !r.autoRetrySet) {
		n = 1
	}
	code := magicCode(m)
	if d := c.Decision; d.Outcome == scenario.Failure && strings.HasPrefix(d.Code, "DD_") {
		if _, ok := wdCodes[strings.TrimPrefix(d.Code, "DD_")]; ok {
			code = strings.TrimPrefix(d.Code, "DD_")
		}
	} else if d.Outcome == scenario.Success && d.Decided() {
		code = ""
	}
	wage := min(r.amount*wdWagePct/100, wdWageMax)
	w := withdrawal{
		ID: p.uuid1(c.Now), Authorization: m.ID, GatewayTxID: p.nextID(c.Now), Amount: r.amount, Wage: wage, WageType: m.WageType,
		TrackID: r.trackID, Description: r.description, NotifyURL: r.notifyURL, Instant: r.instant, AutoRetry: r.autoRetry,
		MaxRetry: n, Date: date, Attempts: planAttempts(start, n, code, m.Expires), Created: c.Now,
	}
	// The mandate's state, the monthly count and track_id are checked and
	// claimed in one step under the mandate's lock, so parallel stores cannot
	// both take the last slot, nor one slip in after a revoke.
	err = p.mandates.Update(c.Tenant, m.Token, func(x *mandate) error {
		if x.at(c.Now).State != mdActive {
			return errRevokedMand // revoked by a parallel request since it was read
		}
		if p.usedInMonth(c.Tenant, m.ID, start) >= m.Count {
			return errMonthFull
		}
		if r.trackID != "" && !p.wdTrack.Insert(c.Tenant, r.trackID, w.ID) {
			return errTrackDup
		}
		p.withdrawals.Put(c.Tenant, w.ID, w)
		return nil
	})
	switch {
	case errors.Is(err, errMonthFull):
		return Result{}, p.failAll(problems{{code: "DD_WD_COUNT"}})
	case errors.Is(err, errRevokedMand):
		return Result{}, p.failAll(problems{{code: "DD_MANDATE_REVOKED"}})
	case errors.Is(err, errTrackDup):
		return Result{}, p.failAll(problems{{code: "DD_WD_TRACK_DUP"}})
	case err != nil:
		return Result{}, err
	}
	c.SetTrackID(w.ID)
	p.scheduleSettle(c.Tenant, w)
	return Result{Message: "درخواست برداشت وجه با موفقیت ثبت شد.", Data: map[string]any{"withdrawal": p.outWithdrawal(w, c.Now)}}, nil
}

// wdOut is a withdrawal as Vandar writes it (reference §11.10, §11.11).
type wdOut struct {
	ID                   string  `json:"id"`
	AuthorizationID      string  `json:"authorization_id"`
	RetryCount           int     `json:"retry_count"`
	MaxRetryCount        int     `json:"max_retry_count"`
	GatewayTransactionID int64   `json:"gateway_transaction_id"`
	Amount               string  `json:"amount"`
	WageAmount           int64   `json:"wage_amount"`
	PaymentNumber        *string `json:"payment_number"`
	TrackID              *string `json:"track_id"`
	Status               string  `json:"status"`
	Description          *string `json:"description"`
	WithdrawalDate       string  `json:"withdrawal_date"`
	NotifyURL            *string `json:"notify_url"`
	IsInstant            bool    `json:"is_instant"`
	ErrorCode            *string `json:"error_code"`
	ErrorMessage         *string `json:"error_message"`
}

func (p *Provider) outWithdrawal(w withdrawal, now time.Time) wdOut {
	st := w.at(now)
	o := wdOut{
		ID: w.ID, AuthorizationID: w.Authorization, RetryCount: st.RetryCount, MaxRetryCount: w.MaxRetry,
		GatewayTransactionID: w.GatewayTxID, Amount: strconv.FormatInt(w.Amount, 10), WageAmount: w.Wage,
		TrackID: strp(w.TrackID), Status: st.Status, Description: strp(w.Description),
		WithdrawalDate: iran.FormatJalali(w.Date, "yyyy/MM/dd"), NotifyURL: strp(w.NotifyURL), IsInstant: w.Instant,
	}
	if st.Status == "DONE" || st.Status == "REFUND" {
		o.PaymentNumber = strp(w.PaymentNumber)
	}
	if st.Status == "FAILED" || st.Status == "CANCELED" {
		o.WageAmount = 0
	}
	if st.Code != "" {
		msg := wdCodes[st.Code]
		o.ErrorCode, o.ErrorMessage = strp(st.Code), &msg
	}
	return o
}

// --- show, by track_id, list, cancel ---

type wdIDReq struct{ id string }

func (p *Provider) parseWithdrawalID(c *api.Call) (wdIDReq, error) {
	if id := c.Param("track_id"); id != "" {
		return wdIDReq{id: id}, nil
	}
	return wdIDReq{id: c.Param("withdrawal_id")}, nil
}

func (p *Provider) showWithdrawal(c *api.Call, w withdrawal) Result {
	return Result{Message: "برداشت وجه با موفقیت به نمایش درآمد.", Data: map[string]any{"withdrawal": p.outWithdrawal(w, c.Now)}}
}

func (p *Provider) runShowWithdrawal(c *api.Call, r wdIDReq) (Result, error) {
	p.ddSettle(c.Tenant, c.Now)
	w, ok := p.withdrawals.Get(c.Tenant, r.id)
	if !ok {
		return Result{}, p.fail("DD_WD_NOT_FOUND")
	}
	return p.showWithdrawal(c, w), nil
}

func (p *Provider) runWithdrawalByTrack(c *api.Call, r wdIDReq) (Result, error) {
	p.ddSettle(c.Tenant, c.Now)
	id, ok := p.wdTrack.Get(c.Tenant, r.id)
	if !ok {
		return Result{}, p.fail("DD_WD_NOT_FOUND")
	}
	w, ok := p.withdrawals.Get(c.Tenant, id)
	if !ok {
		return Result{}, p.fail("DD_WD_NOT_FOUND")
	}
	return p.showWithdrawal(c, w), nil
}

// runWithdrawals lists withdrawals newest first; q keeps one authorization's
// (reference §11.13).
func (p *Provider) runWithdrawals(c *api.Call, r ddListReq) (page.Resource[wdOut], error) {
	p.ddSettle(c.Tenant, c.Now)
	rows := []wdOut{}
	items := p.withdrawals.List(c.Tenant)
	for i := len(items) - 1; i >= 0; i-- {
		if w := items[i].Value; r.q == "" || w.Authorization == r.q {
			rows = append(rows, p.outWithdrawal(w, c.Now))
		}
	}
	return page.NewResource(listURLs(c, r), r.request(), page.Slice(rows),
		page.ResourceOptions{MetaLinks: true}), nil
}

var errNotCancelable = errors.New("withdrawal not cancelable")

// runCancelWithdrawal cancels a scheduled withdrawal before its first attempt
// (reference §11.14).
func (p *Provider) runCancelWithdrawal(c *api.Call, r wdIDReq) (Result, error) {
	var w withdrawal
	err := p.withdrawals.Update(c.Tenant, r.id, func(x *withdrawal) error {
		if x.Instant || !x.Canceled.IsZero() || !c.Now.Before(x.Attempts[0].Start) {
			return errNotCancelable
		}
		x.Canceled = c.Now
		w = *x
		return nil
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Result{}, p.fail("DD_WD_NOT_FOUND")
	case errors.Is(err, errNotCancelable):
		return Result{}, p.fail("DD_WD_NOT_CANCELABLE")
	case err != nil:
		return Result{}, err
	}
	p.ddDue.Delete(c.Tenant, w.ID)
	if p.sched != nil {
		p.sched.Cancel(settleKey(c.Tenant, w.ID))
	}
	p.notifyWithdrawal(c.Tenant, w, c.Now)
	return Result{Message: "برداشت وجه با موفقیت لغو گردید.", Data: map[string]any{"withdrawal": map[string]string{"id": w.ID}}}, nil
}

// mandateRevoked makes the next attempt of each unfinished withdrawal of the
// mandate fail with 13 (invalid mandate status) and end it there.
func (p *Provider) mandateRevoked(slug, id string, at time.Time) {
	for _, it := range p.withdrawals.List(slug) {
		if it.Value.Authorization != id {
			continue
		}
		var changed withdrawal
		_ = p.withdrawals.Update(slug, it.ID, func(w *withdrawal) error {
			if !w.Canceled.IsZero() || w.Settled {
				return nil
			}
			for i, a := range w.Attempts {
				if !a.Start.Before(at) {
					w.Attempts[i].Code = "13"
					w.Attempts = w.Attempts[:i+1]
					changed = *w
					break
				}
			}
			return nil
		})
		if changed.ID != "" {
			p.scheduleSettle(slug, changed)
		}
	}
}

// --- settlement: the wallet and the notice when the outcome is known ---

func settleKey(slug, id string) string { return "vandar/dd/" + slug + "/" + id }

// scheduleSettle records when the withdrawal's outcome is known and asks the
// scheduler to settle it then. The due row makes settling survive a snapshot
// and restore: every direct-debit request settles what is due first.
func (p *Provider) scheduleSettle(slug string, w withdrawal) {
	due := w.final()
	p.ddDue.Put(slug, w.ID, due)
	p.bookSettle(slug, w.ID, due)
}

// bookSettle asks the scheduler to settle a withdrawal when its outcome is known.
func (p *Provider) bookSettle(slug, id string, due time.Time) {
	if p.sched != nil {
		p.sched.Add(settleKey(slug, id), due, func(now time.Time) { p.ddSettle(slug, now) })
	}
}

// ddSettle settles every withdrawal whose outcome is known by now, each once:
// a DONE one credits the business wallet (the amount less the wage when the
// business pays it) with a report row, and every one sends its notice.
func (p *Provider) ddSettle(slug string, now time.Time) {
	for _, it := range p.ddDue.List(slug) {
		if it.Value.After(now) {
			continue
		}
		id := it.ID
		var done withdrawal
		err := p.withdrawals.Update(slug, id, func(w *withdrawal) error {
			end := w.final()
			if w.Settled || end.After(now) || !p.ddDue.Delete(slug, id) {
				return nil // settled by a parallel request, or its end moved later
			}
			if w.at(end).Status == "DONE" {
				credit := w.Amount
				if w.WageType != "APPLICATION_USER" {
					credit -= w.Wage
				}
				w.PaymentNumber = p.ids.Digits(12)
				err := p.move(slug, credit, walletMeta{Kind: kindDebit, Ref: w.ID}, func(balance int64) error {
					p.addRow(slug, txRow{ID: w.GatewayTxID, UUID: w.ID, Kind: kindDebit, Ref: w.ID, Status: 1, Channel: "subscription",
						AmountRial: w.Amount, WageRial: w.Amount - credit, WalletRial: balance, Description: w.Description,
						TrackID: w.TrackID, PaymentNo: w.PaymentNumber, Created: end, Updated: end})
					return nil
				})
				if err != nil {
					return err
				}
			}
			w.Settled = true
			done = *w
			return nil
		})
		if err != nil {
			p.log.Error("vandar: withdrawal settle", "business", slug, "withdrawal", id, "err", err)
			continue
		}
		if done.ID != "" {
			p.notifyWithdrawal(slug, done, done.final())
		}
	}
}

// Report row kinds of direct debit.
const (
	kindDebit       = "subscription_withdrawal"
	kindDebitRefund = "subscription_refund"
)

// wdNotice is the withdrawal webhook's JSON body (reference §1.11, §11.15).
type wdNotice struct {
	WithdrawalID         string  `json:"withdrawal_id"`
	AuthorizationID      string  `json:"authorization_id"`
	GatewayTransactionID int64   `json:"gateway_transaction_id"`
	Status               string  `json:"status"`
	Amount               int64   `json:"amount"`
	PaymentNumber        *string `json:"payment_number"`
}

// notifyWithdrawal posts the outcome to notify_url, signed with
// X-Vandar-Signature: t=<unix>,v1=HMAC-SHA256(webhook_secret, "<t>,<body>"),
// v0=the same with the sandbox key "vandar" (reference §1.11).
func (p *Provider) notifyWithdrawal(slug string, w withdrawal, due time.Time) {
	if w.NotifyURL == "" {
		return
	}
	b, ok := p.business(slug)
	if !ok {
		return
	}
	st := w.at(due)
	body, err := json.Marshal(wdNotice{WithdrawalID: w.ID, AuthorizationID: w.Authorization, GatewayTransactionID: w.GatewayTxID,
		Status: st.Status, Amount: w.Amount, PaymentNumber: strp(w.PaymentNumber)})
	if err != nil {
		return
	}
	if p.webhooks == nil {
		p.log.Warn("vandar: no webhook sender; withdrawal notice dropped", "business", slug, "withdrawal", w.ID)
		return
	}
	secret := b.WebhookSecret
	_, err = p.webhooks.Send(webhook.Delivery{
		Provider: "vandar", Tenant: slug, Operation: "vandar.ddWithdrawalNotify", URL: w.NotifyURL,
		Body: body, ContentType: "application/json", Due: due,
		Sign: func(req *http.Request, payload []byte) {
			t := strconv.FormatInt(p.clock.Now().Unix(), 10)
			req.Header.Set("X-Vandar-Signature", "t="+t+",v1="+mac(secret, t, payload)+",v0="+mac("vandar", t, payload))
		},
	})
	if err != nil {
		p.log.Warn("vandar: withdrawal notice not scheduled", "business", slug, "withdrawal", w.ID, "err", err)
	}
}
