package vandar

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/digits"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

// The hosted payment page, ipg.vandar.io/v4/{token} (reference §4.2): an RTL
// Persian card form (card number, CVV2, expiry, dynamic password with a "send
// code" step, no captcha) with Pay and Cancel. It serves while the payment is
// open; after payment, cancel or expiry the token is a 404 page. Paying or
// cancelling sends the browser to callback_url?token=…&payment_status=OK|FAILED.

//go:embed pages/*.html
var pageFS embed.FS

type pages struct {
	pay, missing *template.Template
}

func newPages() (*pages, error) {
	pay, err := template.ParseFS(pageFS, "pages/pay.html")
	if err != nil {
		return nil, err
	}
	missing, err := template.ParseFS(pageFS, "pages/notfound.html")
	if err != nil {
		return nil, err
	}
	return &pages{pay: pay, missing: missing}, nil
}

func (pg *pages) notFound(msg string) ([]byte, error) {
	var b bytes.Buffer
	err := pg.missing.Execute(&b, msg)
	return b.Bytes(), err
}

type payView struct {
	Merchant, AmountRial, Description string
	Error, Notice                     string
	Card, CVV2, Month, Year           string
	Cards                             []MagicCard
}

func (p *Provider) render(pay payment, v payView) ([]byte, error) {
	b, _ := p.business(pay.Business)
	v.Merchant, v.AmountRial, v.Description = b.Title, groupDigits(pay.Amount), pay.Description
	for _, n := range p.cfg.cardOrder {
		v.Cards = append(v.Cards, p.cfg.cards[n])
	}
	var buf bytes.Buffer
	err := p.pages.pay.Execute(&buf, v)
	return buf.Bytes(), err
}

func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

type pageReq struct {
	slug, token string
	action      string
	card        cardInput
	view        payView
}

// parsePage finds the open payment of the token; anything else is the 404 page.
func (p *Provider) parsePage(c *api.Call) (pageReq, error) {
	token := c.Param("token")
	slug, ok := p.tokenBusiness(token)
	if !ok {
		return pageReq{}, p.fail("PAGE_NOT_FOUND")
	}
	pay, ok := p.payments.Get(slug, token)
	if !ok {
		return pageReq{}, p.fail("PAGE_NOT_FOUND")
	}
	if pay = p.effective(pay, c.Now); pay.State != stInit && pay.State != stRedirected {
		return pageReq{}, p.fail("PAGE_NOT_FOUND")
	}
	c.Set(api.KeyTrackID, token)
	r := pageReq{slug: slug, token: token}
	if c.Request().Method != http.MethodPost {
		return r, nil
	}
	in := readInput(c)
	get := func(name string) string { s, _, _ := in.str(name); return s }
	r.action = get("action")
	number := strings.NewReplacer(" ", "", "-", "").Replace(latin(get("card")))
	r.view = payView{Card: number, CVV2: latin(get("cvv2")), Month: latin(get("month")), Year: latin(get("year"))}
	r.card = cardInput{Number: number, CVV2: r.view.CVV2, OTP: latin(get("otp")), checkOTP: true}
	if r.view.Month != "" || r.view.Year != "" {
		r.card.Expiry = pad2(r.view.Month) + "/" + pad2(r.view.Year)
	}
	return r, nil
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// runPage answers the page: the HTML form, or the redirect to callback_url. A
// forced PAY_ failure or unknown (Outcomes.InReply) is the bank's answer to Pay,
// recorded on the payment; the browser still goes back to the shop.
func (p *Provider) runPage(c *api.Call, r pageReq) (api.Written, error) {
	pay, _ := p.payments.Get(r.slug, r.token)
	show := func(v payView) (api.Written, error) {
		b, err := p.render(pay, v)
		if err != nil {
			return api.Written{}, err
		}
		return api.Written{}, c.OK(http.StatusOK, b)
	}
	redirect := func(done payment) (api.Written, error) {
		return api.Written{}, c.Redirect(http.StatusFound, callback(done))
	}
	if c.Request().Method != http.MethodPost {
		_ = p.payments.Update(r.slug, r.token, func(x *payment) error {
			if x.State == stInit {
				x.State = stRedirected
			}
			return nil
		})
		return show(payView{})
	}
	switch r.action {
	case "cancel":
		done, err := p.cancel(r.slug, r.token)
		if err != nil {
			return api.Written{}, p.fail("PAGE_NOT_FOUND")
		}
		return redirect(done)
	case "otp":
		v := r.view
		if !iran.ValidCardLuhn(r.card.Number) {
			v.Error = "شماره کارت معتبر نیست."
			return show(v)
		}
		otp := p.ids.Digits(6)
		if mc, ok := p.cfg.cards[r.card.Number]; ok {
			otp = mc.OTP
		}
		err := p.payments.Update(r.slug, r.token, func(x *payment) error {
			x.OTP, x.OTPCard = otp, r.card.Number
			return nil
		})
		if err != nil {
			return api.Written{}, p.fail("PAGE_NOT_FOUND")
		}
		v.Notice = "رمز پویا به شماره همراه دارنده کارت ارسال شد (محیط آزمایشی: " + otp + ")."
		return show(v)
	case "pay":
		v := r.view
		if msg := checkCardForm(r); msg != "" {
			v.Error = msg
			return show(v)
		}
		done, err := p.settle(r.slug, r.token, r.card, c.Decision)
		if errors.Is(err, errPageGone) {
			return api.Written{}, p.fail("PAGE_NOT_FOUND")
		}
		if err != nil {
			return api.Written{}, err
		}
		return redirect(done)
	}
	v := r.view
	v.Error = "یکی از گزینه\u200cهای پرداخت یا انصراف را انتخاب کنید."
	return show(v)
}

// checkCardForm is the page's own form check, before the bank sees anything.
func checkCardForm(r pageReq) string {
	switch {
	case !iran.ValidCardLuhn(r.card.Number):
		return "شماره کارت معتبر نیست."
	case len(r.card.CVV2) < 3 || len(r.card.CVV2) > 4 || !allDigits(r.card.CVV2):
		return "CVV2 باید ۳ یا ۴ رقم باشد."
	case r.card.Expiry == "":
		return "تاریخ انقضای کارت را وارد کنید."
	}
	if _, _, ok := parseExpiry(r.card.Expiry); !ok {
		return "تاریخ انقضای کارت معتبر نیست."
	}
	if r.card.OTP == "" {
		return "رمز پویا را وارد کنید؛ ابتدا «دریافت رمز پویا» را بزنید."
	}
	return ""
}

func allDigits(s string) bool {
	_, ok := int64Of(s)
	return ok
}

// latin turns Persian and Arabic-Indic digits into ASCII: a payer types with a
// Persian keyboard.
func latin(s string) string { return digits.ToASCII(strings.TrimSpace(s)) }
