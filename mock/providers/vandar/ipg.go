package vandar

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/ledger"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// The payment gateway (reference §4): send → token → the hosted page at
// ipg.vandar.io/v4/{token} → the browser back at callback_url with token and
// payment_status → transaction (read-only) → verify (once, within 20 minutes).
// Amounts are Rials. The gateway authenticates by api_key in the body, never by
// Bearer.

// Payment states (reference §4.6).
const (
	stInit       = "INIT"       // after send
	stRedirected = "REDIRECTED" // the page was opened
	stPaid       = "PAID"       // paid, waiting for verify
	stInDoubt    = "IN_DOUBT"   // the bank did not answer: money taken, callback said FAILED
	stFailed     = "FAILED"     // refused, cancelled, abandoned or settled as not taken
	stVerified   = "VERIFIED"   // verified once; the wallet was credited
	stExpired    = "EXPIRED"    // paid but not verified in time; the money went back
)

type payment struct {
	Token        string    `json:"token"`
	TransID      int64     `json:"trans_id"`
	Business     string    `json:"business"`
	Amount       int64     `json:"amount"` // Rial, what the payer pays
	Wage         int64     `json:"wage"`
	CallbackURL  string    `json:"callback_url"`
	Mobile       string    `json:"mobile,omitempty"`
	FactorNumber string    `json:"factor_number,omitempty"`
	Description  string    `json:"description,omitempty"`
	NationalCode string    `json:"national_code,omitempty"`
	ValidCards   []string  `json:"valid_cards,omitempty"`
	Comment      string    `json:"comment,omitempty"`
	Port         string    `json:"port"`
	IP           string    `json:"ip,omitempty"`
	State        string    `json:"state"`
	Reason       string    `json:"reason,omitempty"` // the PAY_ code of a failure
	Created      time.Time `json:"created"`
	Paid         time.Time `json:"paid,omitempty"`
	Verified     time.Time `json:"verified,omitempty"`
	SettleAt     time.Time `json:"settle_at,omitempty"`
	SettleTo     string    `json:"settle_to,omitempty"` // success or a PAY_ code
	CardMasked   string    `json:"card_masked,omitempty"`
	CID          string    `json:"cid,omitempty"`
	RefNumber    string    `json:"ref_number,omitempty"`
	TrackingCode string    `json:"tracking_code,omitempty"`
	OTP          string    `json:"otp,omitempty"`
	OTPCard      string    `json:"otp_card,omitempty"`
	Refunded     int64     `json:"refunded"` // Rials refunded so far
	Wallet       int64     `json:"wallet"`   // the balance after verify credited it
}

// Retenant gives a payment restored into another business's tenant that business,
// which its verify and refund post to (store.Retenanter).
func (p payment) Retenant(from, to string) (payment, bool) {
	if p.Business == from {
		p.Business = to
	}
	return p, true
}

// Clone copies the slice.
func (p payment) Clone() payment {
	p.ValidCards = slices.Clone(p.ValidCards)
	return p
}

// effective is the payment as the clock sees it now: an unpaid token dies after
// the window, an in-doubt payment settles, a paid one not verified in time
// expires (and its money goes back to the payer).
func (p *Provider) effective(pay payment, now time.Time) payment {
	w := p.cfg.verifyWindow
	switch pay.State {
	case stInit, stRedirected:
		if !now.Before(pay.Created.Add(w)) {
			pay.State, pay.Reason = stFailed, "PAY_CANCELLED"
		}
	case stInDoubt:
		if !now.Before(pay.SettleAt) {
			if pay.SettleTo == "success" {
				pay.State, pay.Paid = stPaid, pay.SettleAt
			} else {
				pay.State, pay.Reason = stFailed, pay.SettleTo
			}
		}
	}
	if pay.State == stPaid && !now.Before(pay.Paid.Add(w)) {
		pay.State = stExpired
	}
	return pay
}

// code is the transaction call's "code" (reference §4.4).
func (pay payment) code() (int, string) {
	switch pay.State {
	case stPaid:
		return 1, "Confirm requierd" // sic, the documented text
	case stVerified:
		return 2, "Verified before"
	case stExpired:
		return 3, "Expired"
	case stFailed, stInDoubt:
		return 4, "Failed"
	}
	return 0, "Waiting for payment"
}

// --- POST /api/v4/send ---

type sendReq struct {
	business businessRow
	pay      payment
}

var mobilePattern = func(s string) bool {
	if len(s) != 11 || !strings.HasPrefix(s, "09") {
		return false
	}
	_, ok := int64Of(s)
	return ok
}

// apiKey resolves the body's api_key; the problems say why it does not.
func (p *Provider) apiKey(in input) (businessRow, *problem) {
	key, present, ok := in.str("api_key")
	if !present {
		return businessRow{}, &problem{code: "IPG_API_KEY_REQUIRED"}
	}
	if !ok {
		return businessRow{}, &problem{code: "IPG_API_KEY_INVALID"}
	}
	slug, found := p.credential(key)
	if !found {
		return businessRow{}, &problem{code: "IPG_API_KEY_INVALID"}
	}
	b, found := p.business(slug)
	if !found || b.APIKey != key {
		return businessRow{}, &problem{code: "IPG_API_KEY_INVALID"}
	}
	return b, nil
}

// parseSend checks every field and reports every failure at once, in the order
// of the documented example (callback before amount).
func (p *Provider) parseSend(c *api.Call) (sendReq, error) {
	in := readInput(c)
	var ps problems
	var r sendReq
	b, bad := p.apiKey(in)
	if bad != nil {
		ps = append(ps, *bad)
	}
	r.business = b
	pay := &r.pay
	if cb, present, ok := in.str("callback_url"); !present {
		ps = append(ps, problem{code: "IPG_CALLBACK_REQUIRED"})
	} else if u, err := url.Parse(cb); !ok || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(cb) >= 255 {
		ps = append(ps, problem{code: "IPG_CALLBACK_INVALID"})
	} else if b.CallbackDomain != "" && !onDomain(u.Hostname(), b.CallbackDomain) {
		ps = append(ps, problem{code: "IPG_CALLBACK_DOMAIN"})
	} else {
		pay.CallbackURL = cb
	}
	if s, present, ok := in.str("amount"); !present {
		ps = append(ps, problem{code: "IPG_AMOUNT_REQUIRED"})
	} else if n, num := int64Of(s); !ok || !num {
		if f, err := strconv.ParseFloat(s, 64); ok && err == nil && f < 1000 {
			ps = append(ps, problem{code: "IPG_AMOUNT_MIN"})
		} else {
			ps = append(ps, problem{code: "IPG_AMOUNT_NUMERIC"})
		}
	} else if n < 1000 {
		ps = append(ps, problem{code: "IPG_AMOUNT_MIN"})
	} else if n > maxWalletRial {
		ps = append(ps, problem{code: "IPG_AMOUNT_MAX"})
	} else {
		pay.Amount = n
	}
	if s, present, ok := in.str("mobile_number"); present && (!ok || !mobilePattern(s)) {
		ps = append(ps, problem{code: "IPG_MOBILE_INVALID"})
	} else {
		pay.Mobile = s
	}
	if s, present, ok := in.str("factorNumber"); present && (!ok || len(s) > 255) {
		ps = append(ps, problem{code: "IPG_FACTOR_INVALID"})
	} else {
		pay.FactorNumber = s
	}
	if s, present, ok := in.str("description"); present && (!ok || len([]rune(s)) > 255) {
		ps = append(ps, problem{code: "IPG_DESCRIPTION_LONG"})
	} else {
		pay.Description = s
	}
	if s, present, ok := in.str("national_code"); present {
		switch {
		case !ok || !iran.ValidNationalCode(s):
			ps = append(ps, problem{code: "IPG_NATIONAL_CODE"})
		case pay.Mobile == "":
			ps = append(ps, problem{code: "IPG_NATIONAL_NO_MOBILE"})
		default:
			pay.NationalCode = s
		}
	}
	if v, present := in.get("valid_card_number"); present {
		cards, okCards := cardList(v)
		switch {
		case !okCards:
			ps = append(ps, problem{code: "IPG_CARD_INVALID"})
		case len(cards) > 10:
			ps = append(ps, problem{code: "IPG_CARD_TOO_MANY"})
		default:
			pay.ValidCards = cards
		}
	}
	if s, present, ok := in.str("comment"); present && (!ok || len([]rune(s)) > 255) {
		ps = append(ps, problem{code: "IPG_COMMENT_INVALID"})
	} else {
		pay.Comment = s
	}
	pay.Port = "SAMAN"
	if s, present, ok := in.str("port"); present {
		if !ok || (s != "SAMAN" && s != "BEHPARDAKHT") {
			ps = append(ps, problem{code: "IPG_PORT_INVALID"})
		} else {
			pay.Port = s
		}
	}
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	ip := c.RealIP()
	if len(b.AllowedIPs) > 0 && !slices.Contains(b.AllowedIPs, ip) {
		return r, p.failAll(problems{{code: "IPG_IP_INVALID"}})
	}
	pay.IP = ip
	return r, nil
}

// cardList reads valid_card_number: one card, a comma-separated string, a JSON
// array or PHP valid_card_number[] fields; every card must pass Luhn.
func cardList(v value) ([]string, bool) {
	if v.odd {
		return nil, false
	}
	raw := v.list
	if !v.isList {
		raw = strings.Split(v.text, ",")
	}
	var out []string
	for _, s := range raw {
		s = strings.TrimSpace(s)
		if !iran.ValidCardLuhn(s) {
			return nil, false
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, len(out) > 0
}

func onDomain(host, domain string) bool {
	host, domain = strings.ToLower(host), strings.ToLower(domain)
	return host == domain || strings.HasSuffix(host, "."+domain)
}

type sendRes struct {
	Status int    `json:"status"`
	Token  string `json:"token"`
}

func (p *Provider) runSend(c *api.Call, r sendReq) (sendRes, error) {
	now := p.clock.Now()
	pay := r.pay
	pay.Business, pay.State, pay.Created = r.business.Name, stInit, now
	pay.Wage = p.wage(pay.Amount)
	pay.TransID = p.nextID(now)
	for {
		pay.Token = strings.ToUpper(p.ids.Alnum(15))
		// A token names its payment on the page and the control plane without
		// its business, so it must be unique across businesses.
		if _, taken := p.tokenBusiness(pay.Token); !taken && p.payments.Insert(pay.Business, pay.Token, pay) {
			break
		}
	}
	p.payOwners.remember(pay.Token, pay.Business)
	p.addRow(pay.Business, txRow{
		ID: pay.TransID, Kind: kindIPG, Ref: pay.Token, Status: 3, Channel: "ipg",
		AmountRial: pay.Amount, WageRial: pay.Wage, Description: pay.Description, Created: now,
	})
	c.Set(api.KeyTrackID, pay.Token)
	return sendRes{Status: 1, Token: pay.Token}, nil
}

// wage is the gateway's fee on amount.
func (p *Provider) wage(amount int64) int64 {
	w := int64(float64(amount) * p.cfg.wagePercent / 100)
	if p.cfg.wageMax > 0 && w > p.cfg.wageMax {
		w = p.cfg.wageMax
	}
	return w
}

// --- POST /api/v4/transaction and /api/v4/verify ---

type tokenReq struct {
	business businessRow
	token    string
}

func (p *Provider) parseToken(c *api.Call) (tokenReq, error) {
	in := readInput(c)
	var ps problems
	b, bad := p.apiKey(in)
	if bad != nil {
		ps = append(ps, *bad)
	}
	tok, present, ok := in.str("token")
	switch {
	case !present:
		ps = append(ps, problem{code: "IPG_TOKEN_REQUIRED"})
	case !ok || len(tok) > 64:
		ps = append(ps, problem{code: "IPG_TOKEN_INVALID"})
	}
	if len(ps) > 0 {
		return tokenReq{}, p.failAll(ps)
	}
	c.Set(api.KeyTrackID, tok)
	return tokenReq{business: b, token: tok}, nil
}

// find returns the business's payment of token; another business's token is as
// unknown as a made-up one.
func (p *Provider) find(r tokenReq) (payment, error) {
	pay, ok := p.payments.Get(r.business.Name, r.token)
	if !ok {
		return pay, p.failAll(problems{{code: "IPG_TOKEN_INVALID"}})
	}
	return pay, nil
}

type transactionRes struct {
	Status       int     `json:"status"`
	Amount       string  `json:"amount"`
	TransID      int64   `json:"transId"`
	RefNumber    *string `json:"refnumber"`
	TrackingCode *string `json:"trackingCode"`
	FactorNumber *string `json:"factorNumber"`
	Mobile       *string `json:"mobile"`
	Description  *string `json:"description"`
	CardNumber   *string `json:"cardNumber"`
	CID          *string `json:"CID"`
	CreatedAt    string  `json:"createdAt"`
	PaymentDate  *string `json:"paymentDate"`
	Code         int     `json:"code"`
	Message      string  `json:"message"`
}

// gregorian is the gateway's date style, Tehran wall time.
func gregorian(t time.Time) string { return t.In(iran.Tehran).Format("2006-01-02 15:04:05") }

func (p *Provider) runTransaction(c *api.Call, r tokenReq) (transactionRes, error) {
	pay, err := p.find(r)
	if err != nil {
		return transactionRes{}, err
	}
	pay = p.effective(pay, p.clock.Now())
	code, msg := pay.code()
	out := transactionRes{
		Status: 1, Amount: itoa(pay.Amount), TransID: pay.TransID, FactorNumber: strp(pay.FactorNumber),
		Mobile: strp(pay.Mobile), Description: strp(pay.Description), CreatedAt: gregorian(pay.Created), Code: code, Message: msg,
	}
	if pay.shown() {
		out.RefNumber, out.TrackingCode = strp(pay.RefNumber), strp(pay.TrackingCode)
		out.CardNumber, out.CID = strp(pay.CardMasked), strp(pay.CID)
		d := gregorian(pay.Paid)
		out.PaymentDate = &d
	}
	return out, nil
}

// shown reports whether the bank's side of the payment (card, reference,
// date) is known to the merchant: after a payment that went through.
func (pay payment) shown() bool {
	return pay.State == stPaid || pay.State == stVerified || pay.State == stExpired
}

type verifyRes struct {
	Status       int     `json:"status"`
	Amount       string  `json:"amount"`
	RealAmount   int64   `json:"realAmount"`
	Wage         string  `json:"wage"`
	TransID      int64   `json:"transId"`
	FactorNumber *string `json:"factorNumber"`
	Mobile       *string `json:"mobile"`
	Description  *string `json:"description"`
	CardNumber   string  `json:"cardNumber"`
	PaymentDate  string  `json:"paymentDate"`
	CID          *string `json:"cid"`
	Message      string  `json:"message"`
}

var (
	errAlreadyVerified = errors.New("already verified")
	errVerifyExpired   = errors.New("verify window over")
	errNotPaid         = errors.New("not paid")
)

// runVerify verifies once: under the payment's lock the state moves to VERIFIED
// and the wallet is credited with realAmount in the same step, so two parallel
// verifies cannot both succeed.
func (p *Provider) runVerify(c *api.Call, r tokenReq) (verifyRes, error) {
	if _, err := p.find(r); err != nil {
		return verifyRes{}, err
	}
	now := p.clock.Now()
	var out payment
	err := p.payments.Update(r.business.Name, r.token, func(pay *payment) error {
		*pay = p.effective(*pay, now)
		switch pay.State {
		case stVerified:
			return errAlreadyVerified
		case stExpired:
			return errVerifyExpired
		case stPaid:
		default:
			return errNotPaid
		}
		real := pay.Amount - pay.Wage
		return p.move(pay.Business, real, walletMeta{Kind: kindIPG, Ref: pay.Token}, func(balance int64) error {
			pay.State, pay.Verified, pay.Wallet = stVerified, now, balance
			out = *pay
			return p.txs.Update(pay.Business, itoa(pay.TransID), func(tx *txRow) error {
				tx.Status, tx.WalletRial, tx.Updated = 1, balance, now
				return nil
			})
		})
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Dropped by --retention since find read it.
		return verifyRes{}, p.failAll(problems{{code: "IPG_TOKEN_INVALID"}})
	case errors.Is(err, errAlreadyVerified):
		return verifyRes{}, p.failAll(problems{{code: "IPG_ALREADY_VERIFIED"}})
	case errors.Is(err, errVerifyExpired):
		return verifyRes{}, p.failAll(problems{{code: "IPG_VERIFY_EXPIRED"}})
	case errors.Is(err, errNotPaid), errors.Is(err, ledger.ErrOverflow):
		// ErrOverflow: the wallet would pass the ledger's largest balance.
		return verifyRes{}, p.failAll(problems{{code: "IPG_FAILED"}})
	case err != nil:
		return verifyRes{}, err
	}
	return verifyRes{
		Status: 1, Amount: itoa(out.Amount) + ".00", RealAmount: out.Amount - out.Wage, Wage: itoa(out.Wage),
		TransID: out.TransID, FactorNumber: strp(out.FactorNumber), Mobile: strp(out.Mobile), Description: strp(out.Description),
		CardNumber: out.CardMasked, PaymentDate: gregorian(out.Paid), CID: strp(strings.ToLower(out.CID)), Message: "ok",
	}, nil
}

// paymentRow fills a report row from its payment.
func (p *Provider) paymentRow(v *rowView, pay payment) {
	switch pay.State {
	case stVerified:
		v.Status, v.Verified = 1, 1
	case stPaid, stInit, stRedirected, stInDoubt:
		v.Status = 3
	default:
		v.Status = -1
	}
	v.Wallet = toman(pay.Wallet)
	v.FactorNumber, v.Mobile, v.CallbackURL = strp(pay.FactorNumber), strp(pay.Mobile), strp(pay.CallbackURL)
	v.APIToken, v.Port = strp(pay.Token), strp(pay.Port)
	v.Payer["ip"], v.Payer["mobile"], v.Payer["description"] = strp(pay.IP), strp(pay.Mobile), strp(pay.Description)
	if pay.shown() {
		v.RefID, v.TrackingCode, v.CardNumber = strp(pay.RefNumber), strp(pay.TrackingCode), strp(pay.CardMasked)
		v.CID = strp(pay.CID)
		d := reportTime(pay.Paid)
		v.PaymentDate = &d
		v.PaymentNumber = strp(pay.TrackingCode)
	}
	if pay.Reason != "" && pay.State == stFailed {
		rc, group := "-1", "خطای بانک"
		if pay.Reason == "PAY_CANCELLED" {
			rc, group = "-2", "خطای کاربر"
		}
		v.Logs = &txLog{TransactionID: pay.TransID, ResultCode: rc, ResultMessage: codes[pay.Reason].msg,
			LogDate: pay.Created.In(iran.Tehran).Format("2006-01-02 15:04:05"), Group: group}
	}
	if pay.Refunded > 0 {
		v.Refund = &refundSummary{Amount: pay.Amount, Refunded: pay.Refunded, Status: "REFUNDED"}
		if pay.Refunded < pay.Amount {
			v.Refund.Status = "PARTIAL"
		}
	}
}

// --- Paying: the page and the control plane's headless pay ---

// cardInput is what the payer typed (the headless pay may leave the secrets out).
type cardInput struct {
	Number, CVV2, Expiry, OTP string
	checkOTP                  bool
}

// verdict is the bank's answer to a card: "success", a PAY_ code, or
// PAY_BANK_TIMEOUT for the in-doubt case.
func (p *Provider) verdict(pay payment, in cardInput, now time.Time) string {
	if len(pay.ValidCards) > 0 && !slices.Contains(pay.ValidCards, in.Number) {
		return "PAY_CARD_NOT_ALLOWED"
	}
	mc, magic := p.cfg.cards[in.Number]
	if magic {
		switch {
		case in.CVV2 != "" && in.CVV2 != mc.CVV2:
			return "PAY_WRONG_CVV2"
		case in.Expiry != "" && !sameExpiry(in.Expiry, mc.Expiry):
			return "PAY_EXPIRED_CARD"
		case in.checkOTP && in.OTP != mc.OTP:
			return "PAY_WRONG_OTP"
		}
		if mc.Outcome == "success" && cardExpired(mc.Expiry, now) {
			return "PAY_EXPIRED_CARD"
		}
		return mc.Outcome
	}
	if in.Expiry != "" && cardExpired(in.Expiry, now) {
		return "PAY_EXPIRED_CARD"
	}
	if in.checkOTP && (pay.OTP == "" || pay.OTPCard != in.Number || in.OTP != pay.OTP) {
		return "PAY_WRONG_OTP"
	}
	return "success"
}

func sameExpiry(a, b string) bool {
	am, ay, ok1 := parseExpiry(a)
	bm, by, ok2 := parseExpiry(b)
	return ok1 && ok2 && am == bm && ay == by
}

// cardExpired compares MM/YY (Jalali year, as printed on Iranian cards) with
// today's Jalali month.
func cardExpired(exp string, now time.Time) bool {
	m, y, ok := parseExpiry(exp)
	if !ok {
		return true
	}
	ny, nm, _ := iran.ToJalali(now)
	ny %= 100
	return y < ny || (y == ny && m < nm)
}

var errPageGone = errors.New("payment page closed")

// settle applies a payment attempt: the card's verdict, unless a scenario
// decided the page route's outcome. It returns the payment after the attempt.
func (p *Provider) settle(slug, token string, in cardInput, d scenario.Decision) (payment, error) {
	now := p.clock.Now()
	var out payment
	err := p.payments.Update(slug, token, func(pay *payment) error {
		*pay = p.effective(*pay, now)
		if pay.State != stInit && pay.State != stRedirected {
			return errPageGone
		}
		// Precedence as everywhere: a header or scenario decision wins over the
		// magic card, which wins over the default.
		v := p.verdict(*pay, in, now)
		switch d.Outcome {
		case scenario.Success:
			if d.Decided() {
				v = "success"
			}
		case scenario.Failure:
			v = d.Code
			if !strings.HasPrefix(v, "PAY_") {
				v = "PAY_BANK_ERROR"
			}
		case scenario.Unknown:
			v = "PAY_BANK_TIMEOUT"
		}
		if in.Number != "" {
			pay.CardMasked = in.Number[:6] + "******" + in.Number[12:]
			h := sha256.Sum256([]byte(in.Number))
			pay.CID = strings.ToUpper(hex.EncodeToString(h[:]))
		}
		switch v {
		case "success":
			pay.State, pay.Paid = stPaid, now
			pay.RefNumber, pay.TrackingCode = p.ids.Alnum(40), p.ids.Digits(6)
		case "PAY_BANK_TIMEOUT":
			pay.State, pay.SettleAt, pay.SettleTo = stInDoubt, now.Add(p.cfg.inDoubtSettle), "success"
			pay.RefNumber, pay.TrackingCode = p.ids.Alnum(40), p.ids.Digits(6)
			if d.Outcome == scenario.Unknown && d.Settle != nil {
				pay.SettleAt = now.Add(d.Settle.After)
				if d.Settle.To != scenario.Success {
					pay.SettleTo = d.Settle.Code
					if !strings.HasPrefix(pay.SettleTo, "PAY_") {
						pay.SettleTo = "PAY_BANK_ERROR"
					}
				}
			}
		default:
			pay.State, pay.Reason = stFailed, v
		}
		out = *pay
		return nil
	})
	if err == nil {
		_ = p.txs.Update(slug, itoa(out.TransID), func(tx *txRow) error { tx.Updated = now; return nil })
	}
	return out, err
}

// cancel is the page's Cancel: the payment fails as "user left the page".
func (p *Provider) cancel(slug, token string) (payment, error) {
	now := p.clock.Now()
	var out payment
	err := p.payments.Update(slug, token, func(pay *payment) error {
		*pay = p.effective(*pay, now)
		if pay.State != stInit && pay.State != stRedirected {
			return errPageGone
		}
		pay.State, pay.Reason = stFailed, "PAY_CANCELLED"
		out = *pay
		return nil
	})
	return out, err
}

// callback is where the browser goes after the page: callback_url with token and
// payment_status OK or FAILED appended (& when it already has a query).
func callback(pay payment) string {
	status := "FAILED"
	if pay.State == stPaid {
		status = "OK"
	}
	u, err := url.Parse(pay.CallbackURL)
	if err != nil {
		return pay.CallbackURL
	}
	if u.RawQuery == "" {
		u.RawQuery = "token=" + url.QueryEscape(pay.Token) + "&payment_status=" + status
	} else {
		u.RawQuery += "&token=" + url.QueryEscape(pay.Token) + "&payment_status=" + status
	}
	return u.String()
}

// tokenBusiness finds the business of a page token.
func (p *Provider) tokenBusiness(token string) (string, bool) {
	if token == "" || len(token) > 64 {
		return "", false
	}
	return ownerOf(&p.payOwners, p.payments, token)
}
