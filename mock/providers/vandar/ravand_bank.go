package vandar

import (
	"errors"
	"slices"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/ledger"
)

// Card banking (reference §15.4; bodies undocumented, so every field here is
// sandbank's and documented in the README and openapi/vandar.yaml): the card's
// account in Rials with a statement of running balances, and transfers
// (internal, PAYA, SATNA, POL) confirmed by an OTP. A confirmed transfer
// debits the account at once; PAYA settles on the next interbank cycle and
// SATNA when its window is open (mock/iran), internal and POL at once. An
// internal transfer to another card of the same business credits it.

// A card's account is one account of the engine's ledger (mock/ledger) per
// cardholder, in Rials: every movement is one ledger step (the balance check
// and the entry with its running balance), an internal transfer between two
// cards of the business one step over both accounts.

// cardMeta is what a card's statement line says.
type cardMeta struct {
	Description string `json:"description"`
	Reference   string `json:"reference"`
}

func cardAcct(holder string) ledger.Account {
	return ledger.Account{ID: "card/" + holder, Opening: ledger.IRR.Of(0)}
}

var errShort = errors.New("account short")

// moveCard changes a card's account by delta Rials, refusing to go below zero.
func (p *Provider) moveCard(slug, holder string, delta int64, at time.Time, desc, ref string) (int64, error) {
	e, _, err := p.rv.book.Post(slug, at, ledger.Posting[cardMeta]{Account: cardAcct(holder), Amount: ledger.IRR.Of(delta),
		Meta: cardMeta{desc, ref}})
	if errors.Is(err, ledger.ErrInsufficient) {
		return 0, errShort
	}
	return e.Balance.Value, err
}

func (p *Provider) cardBalance(slug, holder string, now time.Time) int64 {
	v, err := p.rv.book.Balance(slug, now, cardAcct(holder))
	if err != nil {
		return 0
	}
	return v.Balance
}

// parseBanking finds the cardholder; the card must be active (checked in Run,
// after validation).
func (p *Provider) parseBanking(c *api.Call) (holderReq, error) { return p.parseHolder(c) }

func (p *Provider) active(h cardholder, now time.Time) error {
	if !h.issued(now) || h.State != "ACTIVE" {
		return p.fail("RV_STEP_NOT_ALLOWED")
	}
	return nil
}

type accountData struct {
	AccountNumber    string `json:"account_number"`
	IBANNumber       string `json:"iban_number"`
	CardNumber       string `json:"card_number"`
	Balance          int64  `json:"balance"`
	AvailableBalance int64  `json:"available_balance"`
	Currency         string `json:"currency"`
	Status           string `json:"status"`
}

func (p *Provider) accountOf(slug string, h cardholder, now time.Time) accountData {
	b := p.cardBalance(slug, h.ID, now)
	return accountData{AccountNumber: h.Account, IBANNumber: h.IBAN, CardNumber: h.Card, Balance: b, AvailableBalance: b, Currency: "IRR", Status: h.State}
}

func (p *Provider) runAccountsInfo(c *api.Call, r holderReq) (Result, error) {
	if err := p.active(r.holder, c.Now); err != nil {
		return Result{}, err
	}
	return Result{Message: rvRead, Data: []accountData{p.accountOf(c.Tenant, r.holder, c.Now)}}, nil
}

type cardBalanceData struct {
	AccountNumber    string `json:"account_number"`
	Balance          int64  `json:"balance"`
	AvailableBalance int64  `json:"available_balance"`
	Currency         string `json:"currency"`
}

func (p *Provider) runBalance2(c *api.Call, r holderReq) (Result, error) {
	if err := p.active(r.holder, c.Now); err != nil {
		return Result{}, err
	}
	a := p.accountOf(c.Tenant, r.holder, c.Now)
	return Result{Message: rvRead, Data: cardBalanceData{a.AccountNumber, a.Balance, a.AvailableBalance, "IRR"}}, nil
}

// --- statement ---

type statementReq struct {
	holderReq
	from, to      time.Time // zero: open
	page, perPage int64
}

func (p *Provider) parseStatement(c *api.Call) (statementReq, error) {
	hr, err := p.parseHolder(c)
	if err != nil {
		return statementReq{}, err
	}
	r := statementReq{holderReq: hr, page: 1, perPage: 20}
	in := readInput(c)
	var ps problems
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"from_date", &r.from}, {"to_date", &r.to}} {
		if s, present, ok := in.str(f.name); present {
			t, valid := validJalaliDate(s)
			if !ok || !valid {
				ps = append(ps, rvProblem(f.name, f.name+" باید تاریخ شمسی به فرمت Y/m/d باشد."))
				continue
			}
			*f.dst = t
		}
	}
	for _, f := range []struct {
		name     string
		dst      *int64
		min, max int64
	}{{"page", &r.page, 1, 1 << 30}, {"per_page", &r.perPage, 1, 100}} {
		if s, present, ok := in.str(f.name); present {
			n, num := int64Of(s)
			if !ok || !num || n < f.min || n > f.max {
				ps = append(ps, rvProblem(f.name, f.name+" معتبر نیست."))
				continue
			}
			*f.dst = n
		}
	}
	if !r.from.IsZero() && !r.to.IsZero() && r.to.Before(r.from) {
		ps = append(ps, rvProblem("to_date", "to_date نباید پیش از from_date باشد."))
	}
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

type statementLine struct {
	ID          int64  `json:"id"`
	Date        string `json:"date"`
	Type        string `json:"type"`
	Amount      int64  `json:"amount"`
	Balance     int64  `json:"balance"`
	Description string `json:"description"`
	Reference   string `json:"reference"`
}

type statementData struct {
	AccountNumber string          `json:"account_number"`
	Transactions  []statementLine `json:"transactions"`
	CurrentPage   int64           `json:"current_page"`
	PerPage       int64           `json:"per_page"`
	Total         int64           `json:"total"`
	LastPage      int64           `json:"last_page"`
}

// runStatement lists the account's lines newest first, within the Jalali days
// asked (to_date inclusive).
func (p *Provider) runStatement(c *api.Call, r statementReq) (Result, error) {
	if err := p.active(r.holder, c.Now); err != nil {
		return Result{}, err
	}
	q := ledger.Query{From: r.from, Reverse: true}
	if !r.to.IsZero() {
		q.To = r.to.AddDate(0, 0, 1)
	}
	// One pass over the window: the page's lines kept, the rest counted.
	page := []statementLine{}
	var total int64
	start := (r.page - 1) * r.perPage
	err := p.rv.book.Statement(c.Tenant, c.Now, cardAcct(r.holder.ID), q, func(e ledger.Entry[cardMeta]) bool {
		if total >= start && total < start+r.perPage {
			kind, amt := "credit", e.Amount.Value
			if amt < 0 {
				kind, amt = "debit", -amt
			}
			page = append(page, statementLine{e.Seq, jalali(e.At), kind, amt, e.Balance.Value, e.Meta.Description, e.Meta.Reference})
		}
		total++
		return true
	})
	if err != nil {
		return Result{}, err
	}
	last := max(1, (total+r.perPage-1)/r.perPage)
	return Result{Message: rvRead, Data: statementData{r.holder.Account, page, r.page, r.perPage, total, last}}, nil
}

// --- transfers ---

// Transfer kinds and their limits in Rials (ours: the bank's rules are not
// documented): PAYA and POL up to 1,500,000,000, SATNA from 1,500,000,000.
const (
	rvMinTransfer   = 10_000
	rvPayaMax       = 1_500_000_000
	rvSatnaMin      = 1_500_000_000
	rvTransferMax   = 100_000_000_000
	rvOTPTTL        = 2 * time.Minute
	rvOTPAttempts   = 3
	rvSatnaSettling = 5 * time.Minute
)

var transferTypes = []string{"internal", "paya", "satna", "pol"}

type transfer struct {
	ID          string    `json:"transfer_id"`
	Holder      string    `json:"cardholder_id"`
	Type        string    `json:"type"`
	Amount      int64     `json:"amount"`
	Destination string    `json:"destination"`
	OwnerName   string    `json:"owner_name,omitempty"`
	ReasonID    int64     `json:"reason_id,omitempty"`
	Description string    `json:"description,omitempty"`
	TrackID     string    `json:"track_id,omitempty"`
	OTP         string    `json:"otp"`
	OTPExpires  time.Time `json:"otp_expires_at"`
	OTPSent     int       `json:"otp_sent"`
	Attempts    int       `json:"attempts"`
	Status      string    `json:"status"` // OTP_SENT, PENDING (see DoneAt), FAILED
	Created     time.Time `json:"created_at"`
	Confirmed   time.Time `json:"confirmed_at"`
	DoneAt      time.Time `json:"done_at"`
	Reference   string    `json:"reference,omitempty"`
}

// statusAt is the transfer's status as the clock sees it.
func (t transfer) statusAt(now time.Time) string {
	if t.Status == "PENDING" && !now.Before(t.DoneAt) {
		return "DONE"
	}
	return t.Status
}

type transferReq struct {
	holderReq
	t transfer
}

func (p *Provider) parseTransfer(c *api.Call) (transferReq, error) {
	hr, err := p.parseHolder(c)
	if err != nil {
		return transferReq{}, err
	}
	r := transferReq{holderReq: hr}
	in := readInput(c)
	var ps problems
	kind, present, ok := in.str("type")
	switch {
	case !present:
		ps = append(ps, rvRequired("type"))
	case !ok || !slices.Contains(transferTypes, kind):
		ps = append(ps, rvProblem("type", "type باید یکی از internal، paya، satna یا pol باشد."))
	default:
		r.t.Type = kind
	}
	if s, present, ok := in.str("amount"); !present {
		ps = append(ps, rvRequired("amount"))
	} else if n, num := int64Of(s); !ok || !num || n < rvMinTransfer || n > rvTransferMax {
		ps = append(ps, rvProblem("amount", "amount باید عددی بین 10000 و 100000000000 ریال باشد."))
	} else {
		switch {
		case (kind == "paya" || kind == "pol") && n > rvPayaMax:
			ps = append(ps, rvProblem("amount", "amount برای "+kind+" نباید بیشتر از 1500000000 ریال باشد."))
		case kind == "satna" && n < rvSatnaMin:
			ps = append(ps, rvProblem("amount", "amount برای satna نباید کمتر از 1500000000 ریال باشد."))
		}
		r.t.Amount = n
	}
	if s, present, ok := in.str("destination"); !present {
		ps = append(ps, rvRequired("destination"))
	} else if kind == "internal" {
		if !ok || !iran.ValidCardLuhn(s) {
			ps = append(ps, rvProblem("destination", "destination برای انتقال داخلی باید شماره کارت معتبر باشد."))
		} else if b, _ := iran.CardBank(s); b.Key != hr.provider.bank.Key {
			ps = append(ps, rvProblem("destination", "destination باید کارت همین بانک باشد."))
		} else {
			r.t.Destination = s
		}
	} else if !ok || !iran.ValidIBAN(s) {
		ps = append(ps, rvProblem("destination", "destination باید شماره شبای معتبر باشد."))
	} else {
		r.t.Destination = s
	}
	if s, present, ok := in.str("reason_id"); present || (kind != "" && kind != "internal") {
		n, num := int64Of(s)
		if _, known := ravandData().byID["reasons"][n]; !present {
			ps = append(ps, rvRequired("reason_id"))
		} else if !ok || !num || !known {
			ps = append(ps, rvProblem("reason_id", "reason_id انتخاب شده معتبر نیست."))
		} else {
			r.t.ReasonID = n
		}
	}
	for _, f := range []struct {
		name string
		max  int
		dst  *string
	}{{"owner_name", 100, &r.t.OwnerName}, {"description", 255, &r.t.Description}, {"track_id", 64, &r.t.TrackID}} {
		if s, present, ok := in.str(f.name); present {
			if !ok || len([]rune(s)) > f.max {
				ps = append(ps, rvProblem(f.name, f.name+" باید رشته\u200cای حداکثر "+itoa(int64(f.max))+" کاراکتری باشد."))
				continue
			}
			*f.dst = s
		}
	}
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

type transferData struct {
	TransferID   string  `json:"transfer_id"`
	Type         string  `json:"type"`
	Amount       int64   `json:"amount"`
	Destination  string  `json:"destination"`
	Status       string  `json:"status"`
	OTPExpiresAt string  `json:"otp_expires_at,omitempty"`
	CreatedAt    string  `json:"created_at"`
	DoneAt       *string `json:"done_at"`
	Reference    *string `json:"reference"`
	TrackID      *string `json:"track_id"`
}

func (t transfer) data(now time.Time) transferData {
	d := transferData{TransferID: t.ID, Type: t.Type, Amount: t.Amount, Destination: t.Destination, Status: t.statusAt(now), CreatedAt: jalali(t.Created)}
	if d.Status == "OTP_SENT" {
		d.OTPExpiresAt = jalali(t.OTPExpires)
	}
	if d.Status == "DONE" {
		s := jalali(t.DoneAt)
		d.DoneAt = &s
	}
	if t.Reference != "" && d.Status != "OTP_SENT" {
		ref := t.Reference
		d.Reference = &ref
	}
	if t.TrackID != "" {
		tr := t.TrackID
		d.TrackID = &tr
	}
	return d
}

// runTransfer registers the transfer and sends its OTP; nothing moves until
// confirm-otp. The balance is checked now and again at confirm.
func (p *Provider) runTransfer(c *api.Call, r transferReq) (Result, error) {
	if err := p.active(r.holder, c.Now); err != nil {
		return Result{}, err
	}
	if p.cardBalance(c.Tenant, r.holder.ID, c.Now) < r.t.Amount {
		return Result{}, p.fail("RV_INSUFFICIENT")
	}
	t := r.t
	t.ID, t.Holder, t.Created, t.Status = p.uuid4(), r.holder.ID, c.Now, "OTP_SENT"
	t.OTP, t.OTPExpires, t.OTPSent = p.ids.Digits(6), c.Now.Add(rvOTPTTL), 1
	p.rv.transfers.Put(c.Tenant, t.ID, t)
	c.SetTrackID(t.ID)
	return Result{Message: "کد تایید به شماره همراه دارنده کارت ارسال شد.", Data: t.data(c.Now)}, nil
}

type transferRef struct {
	holderReq
	id  string
	otp string
}

// parseTransferRef reads transfer_id (required) of this cardholder.
func (p *Provider) parseTransferRef(c *api.Call) (transferRef, error) {
	hr, err := p.parseHolder(c)
	if err != nil {
		return transferRef{}, err
	}
	in := readInput(c)
	s, present, ok := in.str("transfer_id")
	switch {
	case !present:
		return transferRef{}, p.failAll(problems{rvRequired("transfer_id")})
	case !ok || len(s) > 64:
		return transferRef{}, p.failAll(problems{rvProblem("transfer_id", "transfer_id معتبر نیست.")})
	}
	return transferRef{holderReq: hr, id: s}, nil
}

func (p *Provider) parseConfirm(c *api.Call) (transferRef, error) {
	r, err := p.parseTransferRef(c)
	if err != nil {
		var ps problems
		in := readInput(c)
		if _, present, _ := in.str("otp"); !present && errors.As(err, &ps) {
			return r, p.failAll(append(ps, rvRequired("otp")))
		}
		return r, err
	}
	in := readInput(c)
	s, present, ok := in.str("otp")
	switch {
	case !present:
		return r, p.failAll(problems{rvRequired("otp")})
	case !ok || len(s) != 6 || !allDigits(s):
		return r, p.failAll(problems{rvProblem("otp", "otp باید ۶ رقم باشد.")})
	}
	r.otp = s
	return r, nil
}

// transferOf is this cardholder's transfer, 404 otherwise.
func (p *Provider) transferOf(slug string, r transferRef) (transfer, error) {
	t, ok := p.rv.transfers.Get(slug, r.id)
	if !ok || t.Holder != r.holder.ID {
		return t, p.fail("RV_NOT_FOUND")
	}
	return t, nil
}

func (p *Provider) runRetryOTP(c *api.Call, r transferRef) (Result, error) {
	if err := p.active(r.holder, c.Now); err != nil {
		return Result{}, err
	}
	if _, err := p.transferOf(c.Tenant, r); err != nil {
		return Result{}, err
	}
	var out transfer
	err := p.rv.transfers.Update(c.Tenant, r.id, func(t *transfer) error {
		if t.Status != "OTP_SENT" {
			return errClosed
		}
		t.OTP, t.OTPExpires, t.Attempts = p.ids.Digits(6), c.Now.Add(rvOTPTTL), 0
		t.OTPSent++
		out = *t
		return nil
	})
	if errors.Is(err, errClosed) {
		return Result{}, p.fail("RV_TRANSFER_CLOSED")
	}
	if err != nil {
		return Result{}, err
	}
	return Result{Message: "کد تایید به شماره همراه دارنده کارت ارسال شد.", Data: out.data(c.Now)}, nil
}

var errClosed = errors.New("transfer closed")

// runConfirm checks the OTP and, when right, debits the account and sets the
// transfer on its way, in one step under the transfer's lock. Three wrong
// codes fail the transfer.
func (p *Provider) runConfirm(c *api.Call, r transferRef) (Result, error) {
	if err := p.active(r.holder, c.Now); err != nil {
		return Result{}, err
	}
	if _, err := p.transferOf(c.Tenant, r); err != nil {
		return Result{}, err
	}
	var (
		out  transfer
		code string
	)
	err := p.rv.transfers.Update(c.Tenant, r.id, func(t *transfer) error {
		switch {
		case t.Status != "OTP_SENT":
			code = "RV_TRANSFER_CLOSED"
			return nil
		case !c.Now.Before(t.OTPExpires):
			code = "RV_OTP_EXPIRED"
			return nil
		case t.OTP != r.otp:
			t.Attempts++
			if t.Attempts >= rvOTPAttempts {
				t.Status = "FAILED"
			}
			code = "RV_OTP_INVALID"
			return nil
		}
		ref := p.ids.Digits(12)
		// An internal transfer to another card of the business credits it in
		// the same ledger step.
		accts := []ledger.Account{cardAcct(t.Holder)}
		dest, internal := p.rv.cards.Get(c.Tenant, t.Destination)
		internal = internal && t.Type == "internal" && dest != t.Holder
		if internal {
			accts = append(accts, cardAcct(dest))
		}
		err := p.rv.book.Do(c.Tenant, c.Now, accts, func(tx *ledger.Tx[cardMeta]) error {
			if _, err := tx.Post(accts[0].ID, ledger.IRR.Of(-t.Amount), false, cardMeta{transferLabel(t.Type) + " به " + t.Destination, ref}); err != nil {
				return err
			}
			if internal {
				_, err := tx.Post(accts[1].ID, ledger.IRR.Of(t.Amount), false, cardMeta{"انتقال داخلی از کارت " + r.holder.Card, ref})
				return err
			}
			return nil
		})
		if errors.Is(err, ledger.ErrInsufficient) {
			code = "RV_INSUFFICIENT"
			return nil
		}
		if err != nil {
			return err
		}
		t.Status, t.Confirmed, t.Reference = "PENDING", c.Now, ref
		switch t.Type {
		case "paya":
			t.DoneAt = iran.PAYASendTime(c.Now)
		case "satna":
			t.DoneAt = iran.NextSATNAOpen(c.Now).Add(rvSatnaSettling)
		default:
			t.DoneAt = c.Now
		}
		out = *t
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	if code != "" {
		return Result{}, p.fail(code)
	}
	return Result{Message: rvDone, Data: out.data(c.Now)}, nil
}

func transferLabel(kind string) string {
	switch kind {
	case "paya":
		return "انتقال پایا"
	case "satna":
		return "انتقال ساتنا"
	case "pol":
		return "انتقال پل"
	}
	return "انتقال داخلی"
}

func (p *Provider) runTransferInquiry(c *api.Call, r transferRef) (Result, error) {
	if err := p.active(r.holder, c.Now); err != nil {
		return Result{}, err
	}
	t, err := p.transferOf(c.Tenant, r)
	if err != nil {
		return Result{}, err
	}
	return Result{Message: rvRead, Data: t.data(c.Now)}, nil
}

type payaSatnaData struct {
	TransferID  string  `json:"transfer_id"`
	Type        string  `json:"type"`
	Amount      int64   `json:"amount"`
	IBAN        string  `json:"iban"`
	Bank        string  `json:"bank_name"`
	Status      string  `json:"status"`
	CycleAt     *string `json:"cycle_at"`
	TraceNumber *string `json:"trace_number"`
}

// runPayaSatnaInquiry follows a PAYA or SATNA transfer on the interbank
// calendar: cycle_at is when its cycle (or SATNA window) sends it.
func (p *Provider) runPayaSatnaInquiry(c *api.Call, r transferRef) (Result, error) {
	if err := p.active(r.holder, c.Now); err != nil {
		return Result{}, err
	}
	t, err := p.transferOf(c.Tenant, r)
	if err != nil {
		return Result{}, err
	}
	if t.Type != "paya" && t.Type != "satna" {
		return Result{}, p.fail("RV_NOT_FOUND")
	}
	d := payaSatnaData{TransferID: t.ID, Type: t.Type, Amount: t.Amount, IBAN: t.Destination, Status: t.statusAt(c.Now)}
	if b, ok := iran.BankByCode(iran.IBANBankCode(t.Destination)); ok {
		d.Bank = b.NameFa
	}
	if !t.DoneAt.IsZero() {
		s := jalali(t.DoneAt)
		d.CycleAt = &s
	}
	if d.Status == "DONE" {
		tr := t.Reference
		d.TraceNumber = &tr
	}
	return Result{Message: rvRead, Data: d}, nil
}
