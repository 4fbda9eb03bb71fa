package sanbod

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/consentui"
	"github.com/sandbank-dev/sandbank/mock/oauth"
)

// pageAuth names the tenant of a page request (the session's client) for the
// journal; an unknown session is reported by the handler.
func (p *Provider) pageAuth(c echo.Context) (string, error) {
	if s, ok := p.consents.Get(c.Param("session")); ok {
		return s.Request.ClientID, nil
	}
	return "", nil
}

// session returns the consent session of the page, still open.
func (p *Provider) session(c echo.Context) (oauth.Session, error) {
	s, ok := p.consents.Get(c.Param("session"))
	switch {
	case !ok:
		return s, p.fail("SESSION_UNKNOWN")
	case s.Status == oauth.StatusExpired:
		return s, p.fail("SESSION_EXPIRED")
	case s.Status == oauth.StatusApproved || s.Status == oauth.StatusDenied:
		return s, p.fail("SESSION_DONE")
	}
	return s, nil
}

func sessionError(err error, p *Provider) error {
	switch {
	case errors.Is(err, oauth.ErrSessionExpired):
		return p.fail("SESSION_EXPIRED")
	case errors.Is(err, oauth.ErrSessionDone):
		return p.fail("SESSION_DONE")
	case errors.Is(err, oauth.ErrSessionUnknown):
		return p.fail("SESSION_UNKNOWN")
	}
	return nil
}

// loginPage serves the bank login form (GET) and checks it (POST): username ela,
// password 1234 and any checksum-valid national code, as the documentation's test table says.
func (p *Provider) loginPage() api.Op[oauth.Session, api.Written] {
	return api.Op[oauth.Session, api.Written]{Parse: p.openSession, Run: api.Writes(p.runLoginPage)}
}

// openSession is the pages' Parse: the session in the path must be open.
func (p *Provider) openSession(c *api.Call) (oauth.Session, error) { return p.session(c) }

func (p *Provider) runLoginPage(c *api.Call, s oauth.Session) error {
	page := p.loginView(c, s)
	if c.Request().Method == http.MethodGet {
		return html(c, consentui.Login, page)
	}
	user := strings.TrimSpace(c.FormValue("username"))
	pass := c.FormValue("password")
	nc := strings.TrimSpace(c.FormValue("national_code"))
	page.Fields[0].Value, page.Fields[2].Value = user, nc
	if err := p.bank.CheckLogin(user, pass, nc); err != nil {
		page.Error = err.Error()
		return html(c, consentui.Login, page)
	}
	deposits := p.bank.UserDeposits(s.Request.ClientID, s.Request.Bank, nc)
	numbers := make([]string, len(deposits))
	for i, d := range deposits {
		numbers[i] = d.Number
	}
	if _, err := p.consents.Login(s.ID, nc, numbers); err != nil {
		if e := sessionError(err, p); e != nil {
			return e
		}
		page.Error = "ورود ناموفق بود؛ دوباره تلاش کنید."
		return html(c, consentui.Login, page)
	}
	return c.Redirect(http.StatusFound, api.Base(c)+consentPath(s.ID))
}

func (p *Provider) loginView(c echo.Context, s oauth.Session) consentui.Page {
	name, color := brand(s.Request.Bank)
	cl, _ := p.client(s.Request.ClientID)
	return consentui.Page{
		Title:  "ورود به سامانه " + name,
		Brand:  name,
		Color:  color,
		Intro:  "برای اتصال برنامه «" + cl.Name + "» به حساب\u200cهای خود، وارد شوید. " + faSandboxHint,
		Action: api.Base(c) + loginPath(s.ID),
		Fields: []consentui.Field{
			{Name: "username", Label: "نام کاربری", Type: "text", Autocomplete: "username"},
			{Name: "password", Label: "رمز عبور", Type: "password", Autocomplete: "current-password"},
			{Name: "national_code", Label: "کد ملی", Type: "text"},
		},
		Submit: "ورود",
	}
}

// consentPage lists the requested scopes and the user's deposits (GET) and records
// the decision (POST action=approve with deposits=…, or action=deny), answering
// 302 to redirect_uri with code and state, or error=access_denied and state.
func (p *Provider) consentPage() api.Op[oauth.Session, api.Written] {
	return api.Op[oauth.Session, api.Written]{Parse: p.openSession, Run: api.Writes(p.runConsentPage)}
}

func (p *Provider) runConsentPage(c *api.Call, s oauth.Session) error {
	var err error
	if s.Status != oauth.StatusLoggedIn {
		return c.Redirect(http.StatusFound, api.Base(c)+loginPath(s.ID))
	}
	page := p.consentView(c, s)
	if c.Request().Method == http.MethodGet {
		return html(c, consentui.Consent, page)
	}
	var redirect string
	switch c.FormValue("action") {
	case "deny":
		redirect, err = p.consents.Deny(s.ID)
	case "approve":
		form, _ := c.FormParams()
		chosen := form["deposits"]
		if len(chosen) == 0 {
			page.Error = "حداقل یک سپرده را انتخاب کنید."
			return html(c, consentui.Consent, page)
		}
		for i := range page.Deposits {
			page.Deposits[i].Checked = slices.Contains(chosen, page.Deposits[i].Value)
		}
		redirect, err = p.consents.Approve(s.ID, chosen)
		if errors.Is(err, oauth.ErrNotOffered) {
			page.Error = "سپرده انتخاب\u200cشده متعلق به شما نیست."
			return html(c, consentui.Consent, page)
		}
	default:
		page.Error = "یکی از گزینه\u200cهای تأیید یا انصراف را انتخاب کنید."
		return html(c, consentui.Consent, page)
	}
	if err != nil {
		if e := sessionError(err, p); e != nil {
			return e
		}
		return p.fail("REDIRECT_URI_INVALID")
	}
	return c.Redirect(http.StatusFound, redirect)
}

func (p *Provider) consentView(c echo.Context, s oauth.Session) consentui.Page {
	name, color := brand(s.Request.Bank)
	cl, _ := p.client(s.Request.ClientID)
	page := consentui.Page{
		Title:  "تأیید دسترسی — " + name,
		Brand:  name,
		Color:  color,
		Intro:  "سرویس\u200cها، سپرده\u200cها و کارت\u200cهایی را که برنامه می\u200cتواند به آن\u200cها دسترسی داشته باشد بررسی و تأیید کنید.",
		Action: api.Base(c) + consentPath(s.ID),
		Client: cl.Name,
		Submit: "تأیید و ادامه",
		Deny:   "انصراف",
	}
	for _, sc := range s.Request.Scopes {
		page.Scopes = append(page.Scopes, consentui.Option{Value: sc, Label: acScopes[sc], Detail: sc})
	}
	for _, d := range p.bank.UserDeposits(s.Request.ClientID, s.Request.Bank, s.User) {
		if !slices.Contains(s.Deposits, d.Number) {
			continue
		}
		page.Deposits = append(page.Deposits, consentui.Option{
			Value: d.Number, Label: d.Number,
			Detail:  d.IBAN + " — " + d.Owner + " — موجودی " + grouped(d.Balance) + " ریال",
			Checked: true,
		})
		for _, card := range d.Cards {
			page.Cards = append(page.Cards, consentui.Option{Value: card, Label: cardGroups(card), Detail: "سپرده " + d.Number})
		}
	}
	return page
}

// faSandboxHint tells a person at the test bank's login page what to type, as
// Finnotech's page does: the documentation's test login and any valid national code.
const faSandboxHint = "محیط آزمایشی: نام کاربری ela و رمز عبور 1234 را با یک کد ملی معتبر (مثلاً 0012345679) وارد کنید."

// grouped writes an amount with thousands separators: 10,000,000,000.
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var sb strings.Builder
	if neg {
		sb.WriteByte('-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// cardGroups writes a card number in groups of four, as it is printed on the card.
func cardGroups(card string) string {
	var sb strings.Builder
	for i := range len(card) {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(card[i])
	}
	return sb.String()
}

// html renders a page with status 200; a form shown again with an error is still
// a page, not an API failure.
func html(c echo.Context, render func(io.Writer, consentui.Page) error, page consentui.Page) error {
	var buf bytes.Buffer
	if err := render(&buf, page); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}
