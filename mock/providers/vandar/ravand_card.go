package vandar

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/digits"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
)

// Delivery, card status and the card pages (reference §15.2 post tracking,
// §15.4): the issued card goes by post (registered → approved → carrying →
// delivered on the virtual clock); once delivered the cardholder activates it
// on a hosted page reached by a one-time link; PIN change, blocking and
// banking need an active card.

// postStates are the documented state_string_code values.
var postStates = []string{"registered", "rejected", "cancelled", "approved", "carrying", "delivered", "failed", "not_found"}

// postMessages are the state_message texts: delivered, failed and not_found
// as documented, the others ours.
var postMessages = map[string]string{
	"registered": "ثبت شده",
	"rejected":   "رد شده",
	"cancelled":  "لغو شده",
	"approved":   "پذیرش شده",
	"carrying":   "در حال توزیع",
	"delivered":  "تحویل به مشتری",
	"failed":     "ناموفق",
	"not_found":  "مرسوله یافت نشد",
}

// rejectionMessages are the rejection_message of the two refused states
// (failed as documented).
var rejectionMessages = map[string]string{
	"rejected": "نشانی گیرنده ناقص است و مرسوله پذیرش نشد",
	"failed":   "بعد از مراجعه سفیر حضور نداشتند مجدد هم برگشتند نبودند مرجوع شد",
}

// postPlan is the card's postal plan from issue: the normal way to delivered,
// or the way a magic postal code names.
func postPlan(start time.Time, end string) lifecycle.Plan {
	step := func(st string, d time.Duration) lifecycle.Step { return lifecycle.Step{Status: st, At: start.Add(d)} }
	switch end {
	case "rejected", "cancelled":
		return lifecycle.Plan{step("registered", 0), step(end, rvPostApprove)}
	case "failed":
		return lifecycle.Plan{step("registered", 0), step("approved", rvPostApprove), step("carrying", rvPostCarry), step("failed", rvPostDeliver+24*time.Hour)}
	case "not_found":
		return lifecycle.Plan{step("not_found", 0)}
	}
	return lifecycle.Plan{step("registered", 0), step("approved", rvPostApprove), step("carrying", rvPostCarry), step("delivered", rvPostDeliver)}
}

// postAt is the card's postal state at t and since when.
func (h cardholder) postAt(t time.Time) (string, time.Time) {
	st, since, ok := h.Post.StatusAt(t)
	if !ok {
		return "registered", h.IssueAt
	}
	return st, since
}

func (h cardholder) delivered(t time.Time) bool {
	st, _ := h.postAt(t)
	return h.issued(t) && st == "delivered"
}

// --- post tracking and status ---

type cardQuery struct {
	holderReq
	card string
}

// parseCardQuery reads ?card_number= (required, 16 digits).
func (p *Provider) parseCardQuery(c *api.Call) (cardQuery, error) {
	hr, err := p.parseHolder(c)
	if err != nil {
		return cardQuery{}, err
	}
	in := readInput(c)
	s, present, ok := in.str("card_number")
	switch {
	case !present:
		return cardQuery{}, p.failAll(problems{rvRequired("card_number")})
	case !ok || !digits.Len(s, 16):
		return cardQuery{}, p.failAll(problems{rvProblem("card_number", "card_number باید ۱۶ رقم باشد.")})
	}
	return cardQuery{holderReq: hr, card: s}, nil
}

// issuedCard checks that the request is finalized (400 otherwise) and that the
// card is this cardholder's issued card (404 otherwise).
func (p *Provider) issuedCard(r cardQuery, now time.Time) error {
	switch {
	case !r.holder.finalized():
		return p.fail("RV_NOT_FINALIZED")
	case !r.holder.issued(now) || r.card != r.holder.Card:
		return p.fail("RV_NOT_FOUND")
	}
	return nil
}

type postData struct {
	State            string  `json:"state_string_code"`
	Message          string  `json:"state_message"`
	TrackingCode     *string `json:"post_tracking_code"`
	RejectionMessage *string `json:"rejection_message"`
	DoDateTime       string  `json:"do_date_time"`
}

// runPostTracking answers the card's postal state as the clock sees it. A
// scenario timeline (statuses from postStates) replaces the plan from now,
// once per card.
func (p *Provider) runPostTracking(c *api.Call, r cardQuery) (Result, error) {
	if err := p.issuedCard(r, c.Now); err != nil {
		return Result{}, err
	}
	h := r.holder
	if tl := c.Decision.Timeline(); len(tl) > 0 && !h.PostForced {
		pl, err := lifecycle.Build(c.Now, tl, nil)
		if err != nil {
			c.Response().Header().Set("X-Sandbank-Error", "vandar: timeline: "+err.Error())
		} else {
			_ = p.rv.holders.Update(c.Tenant, h.ID, func(x *cardholder) error {
				if !x.PostForced {
					x.Post, x.PostForced = pl, true
				}
				h = *x
				return nil
			})
		}
	}
	st, since := h.postAt(c.Now)
	d := postData{State: st, Message: postMessages[st], DoDateTime: jalali(since)}
	switch st {
	case "approved", "carrying", "delivered":
		code := "20118032" + h.BankID + h.Card[6:15] // 24 digits, the documented sample's head
		d.TrackingCode = &code
	case "rejected", "failed":
		m := rejectionMessages[st]
		d.RejectionMessage = &m
	}
	return Result{Message: rvRead, Data: d}, nil
}

type statusData struct {
	CardNumber    string `json:"card_number"`
	Status        string `json:"status"`
	PostState     string `json:"post_state"`
	PINChanged    bool   `json:"pin_changed"`
	IssuedAt      string `json:"issued_at"`
	IBANNumber    string `json:"iban_number"`
	AccountNumber string `json:"account_number"`
}

// cardStatus is INACTIVE until the activation page is completed, then ACTIVE,
// or BLOCKED after the block page.
func (h cardholder) cardStatus() string {
	if h.State == "" {
		return "INACTIVE"
	}
	return h.State
}

func (p *Provider) runCardStatus(c *api.Call, r cardQuery) (Result, error) {
	if err := p.issuedCard(r, c.Now); err != nil {
		return Result{}, err
	}
	h := r.holder
	st, _ := h.postAt(c.Now)
	return Result{Message: rvRead, Data: statusData{CardNumber: h.Card, Status: h.cardStatus(), PostState: st, PINChanged: h.PINChanged,
		IssuedAt: jalali(h.IssueAt), IBANNumber: h.IBAN, AccountNumber: h.Account}}, nil
}

// --- card action tokens ---

type cardAction struct{ op, path, sum, title, button, done string }

var cardActions = []cardAction{
	{"Activate", "activate", "activate the delivered card", "فعال\u200cسازی کارت", "فعال\u200cسازی", "کارت شما با موفقیت فعال شد."},
	{"ChangePin", "change-pin", "change the card's first PIN", "تغییر رمز اول کارت", "ثبت رمز جدید", "رمز اول کارت با موفقیت تغییر کرد."},
	{"Block", "block", "block the card", "مسدودسازی کارت", "مسدود کن", "کارت شما مسدود شد."},
}

func actionOf(path string) cardAction {
	for _, a := range cardActions {
		if a.path == path {
			return a
		}
	}
	return cardActions[0]
}

// The page's link lives 15 minutes and opens once to completion.
const rvPageTTL = 15 * time.Minute

// cardPage is one link: the action it carries, for which card.
type cardPage struct {
	Token    string    `json:"token"`
	Business string    `json:"business"`
	Holder   string    `json:"cardholder_id"`
	Action   string    `json:"action"`
	OTP      string    `json:"otp,omitempty"` // activation's code, "sent" to the mobile
	Expires  time.Time `json:"expires_at"`
	Used     bool      `json:"used"`
}

type cardTokenReq struct {
	cardQuery
	action string
}

// parseCardToken takes an optional card_number (it must then be the card's).
func (p *Provider) parseCardToken(action string) func(c *api.Call) (cardTokenReq, error) {
	return func(c *api.Call) (cardTokenReq, error) {
		hr, err := p.parseHolder(c)
		if err != nil {
			return cardTokenReq{}, err
		}
		r := cardTokenReq{cardQuery: cardQuery{holderReq: hr}, action: action}
		in := readInput(c)
		if s, present, ok := in.str("card_number"); present {
			if !ok || !digits.Len(s, 16) {
				return r, p.failAll(problems{rvProblem("card_number", "card_number باید ۱۶ رقم باشد.")})
			}
			r.card = s
		}
		return r, nil
	}
}

// allowed reports whether the card is in the state an action needs:
// activation once delivered and never activated; PIN change and block on an
// active card.
func (h cardholder) allowed(action string, now time.Time) bool {
	if !h.issued(now) {
		return false
	}
	if action == "activate" {
		return h.State == "" && h.delivered(now)
	}
	return h.State == "ACTIVE"
}

type tokenData struct {
	CardholderID string `json:"cardholder_id"`
	Token        string `json:"token"`
	URL          string `json:"url"`
	ExpiresAt    string `json:"expires_at"`
}

func (p *Provider) runCardToken(c *api.Call, r cardTokenReq) (Result, error) {
	h := r.holder
	if r.card != "" && r.card != h.Card {
		return Result{}, p.fail("RV_NOT_FOUND")
	}
	if !h.allowed(r.action, c.Now) {
		return Result{}, p.fail("RV_STEP_NOT_ALLOWED")
	}
	pg := cardPage{Token: p.ids.Alnum(40), Business: c.Tenant, Holder: h.ID, Action: r.action, Expires: c.Now.Add(rvPageTTL)}
	if r.action == "activate" {
		pg.OTP = p.ids.Digits(6)
	}
	p.rv.pages.Put(c.Tenant, pg.Token, pg)
	link := strings.TrimSuffix(api.Base(c), "/") + "/v1/redirect/card/" + r.action + "/" + pg.Token
	return Result{Message: rvDone, Data: tokenData{h.ID, pg.Token, link, jalali(pg.Expires)}}, nil
}

// --- the hosted pages ---

var (
	rvPageOnce sync.Once
	rvPageTpl  *template.Template
	rvPageErr  error
)

func ravandPage() (*template.Template, error) {
	rvPageOnce.Do(func() { rvPageTpl, rvPageErr = template.ParseFS(pageFS, "pages/ravand.html") })
	return rvPageTpl, rvPageErr
}

type blockReason struct{ Key, Label string }

var blockReasons = []blockReason{{"lost", "مفقود شدن کارت"}, {"stolen", "سرقت کارت"}, {"damaged", "خرابی کارت"}, {"other", "سایر"}}

type rvCardView struct {
	Title, Bank, Design, Masked, Action, Button string
	Error, Notice, Done                         string
	Reasons                                     []blockReason
}

type pageIn struct {
	page   cardPage
	holder cardholder
	do     string
	fields map[string]string
}

// parseCardPage finds an open link of the action; any other token is the 404
// page (a used, expired or unknown link).
func (p *Provider) parseCardPage(action string) func(c *api.Call) (pageIn, error) {
	return func(c *api.Call) (pageIn, error) {
		slug, pg, ok := p.rv.pages.Find(c.Param("token"))
		if !ok || pg.Used || pg.Action != action || !c.Now.Before(pg.Expires) {
			return pageIn{}, p.fail("RV_PAGE_NOT_FOUND")
		}
		h, ok := p.rv.holders.Get(slug, pg.Holder)
		if !ok {
			return pageIn{}, p.fail("RV_PAGE_NOT_FOUND")
		}
		c.SetTrackID(pg.Token)
		in := pageIn{page: pg, holder: h, fields: map[string]string{}}
		if c.Request().Method == http.MethodPost {
			v := readInput(c)
			for _, k := range []string{"do", "last4", "otp", "pin", "pin_confirm", "reason"} {
				s, _, _ := v.str(k)
				in.fields[k] = latin(s)
			}
			in.do = in.fields["do"]
		}
		return in, nil
	}
}

func (p *Provider) rvCardView(pg cardPage, h cardholder) rvCardView {
	a := actionOf(pg.Action)
	design := "کارت اختصاصی"
	if cfg, ok := p.rv.config.Get(pg.Business, "config"); ok && cfg.CardTitle != "" {
		design = cfg.CardTitle
	}
	bank := ravandData().providers[h.Provider].bank.NameFa
	v := rvCardView{Title: a.title, Bank: bank, Design: design, Masked: h.Card[:4] + " " + h.Card[4:6] + "•• •••• " + h.Card[12:],
		Action: pg.Action, Button: a.button, Reasons: blockReasons}
	if pg.Action == "activate" {
		v.Notice = "کد فعال\u200cسازی به شماره همراه دارنده کارت ارسال شد (محیط آزمایشی: " + pg.OTP + ")."
	}
	return v
}

func (p *Provider) runCardPage(c *api.Call, in pageIn) (api.Written, error) {
	v := p.rvCardView(in.page, in.holder)
	show := func(v rvCardView) (api.Written, error) {
		tpl, err := ravandPage()
		if err != nil {
			return api.Written{}, err
		}
		var b bytes.Buffer
		if err := tpl.Execute(&b, v); err != nil {
			return api.Written{}, err
		}
		return api.Written{}, c.OK(http.StatusOK, b.Bytes())
	}
	if c.Request().Method != http.MethodPost {
		return show(v)
	}
	if in.do == "cancel" {
		if err := p.usePage(in.page); err != nil {
			return api.Written{}, p.fail("RV_PAGE_NOT_FOUND")
		}
		return p.pageDone(c, in.page, "CANCELLED", v, "عملیات لغو شد.", show)
	}
	if msg := checkPageForm(in); msg != "" {
		v.Error = msg
		return show(v)
	}
	err := p.completePage(in.page, in.fields, c.Now)
	switch {
	case errors.Is(err, errPageUsed):
		return api.Written{}, p.fail("RV_PAGE_NOT_FOUND")
	case errors.Is(err, errStep):
		v.Error = codes["RV_STEP_NOT_ALLOWED"].msg
		v.Done = ""
		return p.pageDone(c, in.page, "FAILED", v, codes["RV_STEP_NOT_ALLOWED"].msg, show)
	case err != nil:
		return api.Written{}, err
	}
	return p.pageDone(c, in.page, "OK", v, actionOf(in.page.Action).done, show)
}

// pageDone ends a page: back to set-config's callback_url (with action,
// cardholder_id and status) when there is one, else the page's own answer.
func (p *Provider) pageDone(c *api.Call, pg cardPage, status string, v rvCardView, msg string, show func(rvCardView) (api.Written, error)) (api.Written, error) {
	if cfg, ok := p.rv.config.Get(pg.Business, "config"); ok && cfg.CallbackURL != "" {
		u, err := url.Parse(cfg.CallbackURL)
		if err == nil {
			q := u.Query()
			q.Set("action", pg.Action)
			q.Set("cardholder_id", pg.Holder)
			q.Set("status", status)
			u.RawQuery = q.Encode()
			return api.Written{}, c.Redirect(http.StatusFound, u.String())
		}
	}
	v.Done = msg
	return show(v)
}

// checkPageForm is the page's own form check.
func checkPageForm(in pageIn) string {
	f := in.fields
	switch in.page.Action {
	case "activate":
		if f["last4"] != in.holder.Card[12:] {
			return "چهار رقم آخر کارت درست نیست."
		}
		if f["otp"] != in.page.OTP {
			return "کد فعال\u200cسازی درست نیست."
		}
	case "change-pin":
		return checkPIN(f["pin"], f["pin_confirm"])
	case "block":
		for _, r := range blockReasons {
			if r.Key == f["reason"] {
				return ""
			}
		}
		return "علت مسدودی را انتخاب کنید."
	}
	return ""
}

func checkPIN(pin, confirm string) string {
	if len(pin) != 4 || !allDigits(pin) {
		return "رمز باید ۴ رقم باشد."
	}
	if pin != confirm {
		return "تکرار رمز با رمز یکسان نیست."
	}
	if strings.Count(pin, pin[:1]) == 4 || strings.Contains("0123456789", pin) || strings.Contains("9876543210", pin) {
		return "رمز ساده است؛ رمز دیگری انتخاب کنید."
	}
	return ""
}

var errPageUsed = errors.New("page used")

// usePage spends a link once, atomically with the check.
func (p *Provider) usePage(pg cardPage) error {
	return p.rv.pages.Update(pg.Business, pg.Token, func(x *cardPage) error {
		if x.Used {
			return errPageUsed
		}
		x.Used = true
		return nil
	})
}

// completePage spends the link and applies its action to the card, whose
// state is checked again at this moment.
func (p *Provider) completePage(pg cardPage, fields map[string]string, now time.Time) error {
	if err := p.usePage(pg); err != nil {
		return err
	}
	return p.rv.holders.Update(pg.Business, pg.Holder, func(h *cardholder) error {
		if !h.allowed(pg.Action, now) {
			return errStep
		}
		switch pg.Action {
		case "activate":
			h.State = "ACTIVE"
		case "change-pin":
			h.PINChanged = true
		case "block":
			h.State = "BLOCKED"
		}
		return nil
	})
}
