package vandar

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// Admin is the control plane under /_sandbox/vandar: businesses with their
// credentials (what the dashboard gives a real merchant), the magic cards, and
// headless pay/cancel of a payment token for tests that have no browser.
func (p *Provider) Admin() []api.AdminRoute {
	return append([]api.AdminRoute{
		{Method: http.MethodPost, Path: "/businesses", Summary: `Create (or return) a business: {"name":"acme"} → business, access_token, refresh_token, api_key, webhook_secret`, Handler: p.adminCreate},
		{Method: http.MethodGet, Path: "/businesses", Summary: "Businesses with their current credentials and wallet (Toman)", Handler: p.adminList},
		{Method: http.MethodGet, Path: "/cards", Summary: "Magic cards of the payment page: CVV2, expiry, OTP and outcome", Handler: p.adminCards},
		{Method: http.MethodGet, Path: "/ipg/:token", Summary: "A payment as the clock sees it now: state, reason, amounts, card, settle time", Handler: p.adminPayment},
		{Method: http.MethodPost, Path: "/ipg/:token/pay", Summary: `Pay a token without a browser: {"card":"6037990000000014"} (cvv2, expiry, otp optional) → the callback redirect`, Handler: p.adminPay},
		{Method: http.MethodPost, Path: "/cash-in", Summary: `Money arrives for a business: {"business":"acme","amount":<Rial>,"iban"?,"code"?}; a wrong code is a suspicious payment`, Handler: p.adminCashIn},
		{Method: http.MethodPost, Path: "/ipg/:token/cancel", Summary: "Cancel a token as the page's Cancel button does → the FAILED callback redirect", Handler: p.adminCancel},
	}, append(p.ravandAdmin(), p.adminRoutesDebit()...)...) // ravand_admin.go, debit.go
}

type adminError struct {
	Error string `json:"error"`
}

// credentials is what the control plane hands out.
type credentials struct {
	Business      string `json:"business"`
	AccessToken   string `json:"access_token"`
	RefreshToken  string `json:"refresh_token"`
	APIKey        string `json:"api_key"`
	WebhookSecret string `json:"webhook_secret"`
	Wallet        int64  `json:"wallet"` // Toman
	Created       bool   `json:"created"`
}

func decodeJSON(c echo.Context, into any) error {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, 1<<20))
	if err != nil {
		return err
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	return json.Unmarshal(body, into)
}

// adminCreate makes a business with a funded wallet and a JWT pair, or returns
// the existing one with its current credentials. In strict mode only declared
// businesses exist.
func (p *Provider) adminCreate(c echo.Context) error {
	var req struct {
		Name           string   `json:"name"`
		Title          string   `json:"title"`
		CallbackDomain string   `json:"callback_domain"`
		AllowedIPs     []string `json:"allowed_ips"`
		Wallet         *int64   `json:"wallet"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return c.JSON(http.StatusBadRequest, adminError{"body: " + err.Error()})
	}
	req.Name = strings.TrimSpace(req.Name)
	if !slugPattern.MatchString(req.Name) {
		return c.JSON(http.StatusBadRequest, adminError{`name: want an English slug (a-z, 0-9, - and _), e.g. {"name":"acme"}`})
	}
	if req.Wallet != nil && *req.Wallet < 0 {
		return c.JSON(http.StatusBadRequest, adminError{"wallet: must not be negative (Toman)"})
	}
	if b, ok := p.business(req.Name); ok {
		p.ensureWallet(b.Name)
		return c.JSON(http.StatusOK, p.creds4(b, false))
	}
	if p.strict {
		return c.JSON(http.StatusForbidden, adminError{"strict mode: business " + req.Name + " is not declared in the config"})
	}
	now := p.clock.Now()
	opening := p.cfg.openingToman
	if req.Wallet != nil {
		opening = *req.Wallet
	}
	row := businessRow{
		Name: req.Name, Title: req.Title, ID: p.businessID(req.Name), APIKey: p.ids.Hex(40), WebhookSecret: "whsec_" + p.ids.Hex(24),
		CallbackDomain: req.CallbackDomain, AllowedIPs: req.AllowedIPs, Role: "owner", OpeningRial: opening * 10, CreatedAt: now,
	}
	if row.Title == "" {
		row.Title = req.Name
	}
	if err := p.issuePair(&row, now); err != nil {
		return c.JSON(http.StatusInternalServerError, adminError{err.Error()})
	}
	if !p.businesses.Insert(row.Name, bizKey, row) {
		b, _ := p.business(req.Name) // made by a parallel call
		return c.JSON(http.StatusOK, p.creds4(b, false))
	}
	p.recordCreds(row)
	p.fund(row.Name, row.OpeningRial)
	return c.JSON(http.StatusCreated, p.creds4(row, true))
}

func (p *Provider) creds4(b businessRow, created bool) credentials {
	return credentials{Business: b.Name, AccessToken: b.Access, RefreshToken: b.Refresh, APIKey: b.APIKey,
		WebhookSecret: b.WebhookSecret, Wallet: toman(p.balance(b.Name)), Created: created}
}

func (p *Provider) adminList(c echo.Context) error {
	p.seedDeclared()
	out := []credentials{}
	for _, b := range p.allBusinesses() {
		out = append(out, p.creds4(b, false))
	}
	return c.JSON(http.StatusOK, out)
}

func (p *Provider) adminCards(c echo.Context) error {
	out := []MagicCard{}
	for _, n := range p.cfg.cardOrder {
		out = append(out, p.cfg.cards[n])
	}
	return c.JSON(http.StatusOK, out)
}

type payResult struct {
	Token         string `json:"token"`
	PaymentStatus string `json:"payment_status"`
	State         string `json:"state"`
	Reason        string `json:"reason,omitempty"`
	Redirect      string `json:"redirect"`
}

func result(pay payment) payResult {
	st := "FAILED"
	if pay.State == stPaid {
		st = "OK"
	}
	return payResult{Token: pay.Token, PaymentStatus: st, State: pay.State, Reason: pay.Reason, Redirect: callback(pay)}
}

// adminPay pays as the page would, with the card's magic outcome. CVV2, expiry
// and OTP are checked only when given.
func (p *Provider) adminPay(c echo.Context) error {
	var req struct {
		Card   string `json:"card"`
		CVV2   string `json:"cvv2"`
		Expiry string `json:"expiry"`
		OTP    string `json:"otp"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return c.JSON(http.StatusBadRequest, adminError{"body: " + err.Error()})
	}
	card := latin(strings.ReplaceAll(req.Card, " ", ""))
	if !iran.ValidCardLuhn(card) {
		return c.JSON(http.StatusBadRequest, adminError{`card: want a valid 16-digit card number, e.g. {"card":"6037990000000014"}`})
	}
	slug, ok := p.tokenBusiness(c.Param("token"))
	if !ok {
		return c.JSON(http.StatusNotFound, adminError{"no payment with token " + c.Param("token")})
	}
	in := cardInput{Number: card, CVV2: req.CVV2, Expiry: req.Expiry, OTP: req.OTP, checkOTP: req.OTP != ""}
	if in.checkOTP {
		if _, magic := p.cfg.cards[card]; !magic {
			in.checkOTP = false // no code was sent for a card off the table
		}
	}
	pay, err := p.settle(slug, c.Param("token"), in, scenario.Default())
	if errors.Is(err, errPageGone) {
		return c.JSON(http.StatusConflict, adminError{"payment " + c.Param("token") + " is no longer open (paid, cancelled or expired)"})
	}
	if err != nil {
		return c.JSON(http.StatusNotFound, adminError{err.Error()})
	}
	return api.JSON(c, http.StatusOK, result(pay))
}

func (p *Provider) adminCancel(c echo.Context) error {
	slug, ok := p.tokenBusiness(c.Param("token"))
	if !ok {
		return c.JSON(http.StatusNotFound, adminError{"no payment with token " + c.Param("token")})
	}
	pay, err := p.cancel(slug, c.Param("token"))
	if errors.Is(err, errPageGone) {
		return c.JSON(http.StatusConflict, adminError{"payment " + c.Param("token") + " is no longer open (paid, cancelled or expired)"})
	}
	if err != nil {
		return c.JSON(http.StatusNotFound, adminError{err.Error()})
	}
	return api.JSON(c, http.StatusOK, result(pay))
}

// adminPayment shows a payment's true state, in doubt or not.
func (p *Provider) adminPayment(c echo.Context) error {
	slug, ok := p.tokenBusiness(c.Param("token"))
	if !ok {
		return c.JSON(http.StatusNotFound, adminError{"no payment with token " + c.Param("token")})
	}
	pay, ok := p.payments.Get(slug, c.Param("token"))
	if !ok {
		return c.JSON(http.StatusNotFound, adminError{"no payment with token " + c.Param("token")})
	}
	pay = p.effective(pay, p.clock.Now())
	pay.OTP = ""
	return c.JSON(http.StatusOK, pay)
}
