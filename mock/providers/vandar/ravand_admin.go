package vandar

import (
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
)

// The Ravand control plane under /_sandbox/vandar/ravand: fund a card, finish
// a card page, hurry a card to delivered, read transfer OTPs (what the
// cardholder's phone would show).
func (p *Provider) ravandAdmin() []api.AdminRoute {
	return []api.AdminRoute{
		{Method: http.MethodPost, Path: "/ravand/cards/:card_number/deposit", Summary: `Fund an issued card's account: {"amount":1000000} (Rial) → balance`, Handler: p.adminCardDeposit},
		{Method: http.MethodPost, Path: "/ravand/pages/:token/complete", Summary: `Complete an activate, change-pin or block page without a browser ({"pin":"4826","reason":"lost"} optional)`, Handler: p.adminPageComplete},
		{Method: http.MethodPost, Path: "/ravand/deliver", Summary: `Deliver a card now: {"card_number":"6362…"} (issues it first if the bank is still processing)`, Handler: p.adminDeliver},
		{Method: http.MethodGet, Path: "/ravand/otp", Summary: "Open transfer OTPs (?transfer_id= or ?cardholder_id= to filter), newest first", Handler: p.adminOTP},
	}
}

// cardOwner finds an issued (or issuing) card across businesses.
func (p *Provider) cardOwner(card string) (slug string, h cardholder, ok bool) {
	slug, id, ok := p.rv.cards.Find(card)
	if !ok {
		return "", h, false
	}
	h, ok = p.rv.holders.Get(slug, id)
	return slug, h, ok
}

func (p *Provider) adminCardDeposit(c echo.Context) error {
	var req struct {
		Amount int64  `json:"amount"`
		Note   string `json:"description"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return c.JSON(http.StatusBadRequest, adminError{"body: " + err.Error()})
	}
	if req.Amount <= 0 || req.Amount > 1e15 {
		return c.JSON(http.StatusBadRequest, adminError{`amount: a positive number of Rials, e.g. {"amount":1000000}`})
	}
	now := p.clock.Now()
	slug, h, ok := p.cardOwner(c.Param("card_number"))
	if !ok || !h.issued(now) {
		return c.JSON(http.StatusNotFound, adminError{"no issued Ravand card " + c.Param("card_number")})
	}
	if req.Note == "" {
		req.Note = "واریز (sandbank)"
	}
	bal, err := p.moveCard(slug, h.ID, req.Amount, now, req.Note, p.ids.Digits(12))
	if err != nil {
		return c.JSON(http.StatusConflict, adminError{err.Error()})
	}
	return c.JSON(http.StatusOK, map[string]any{"business": slug, "cardholder_id": h.ID, "card_number": h.Card, "balance": bal, "currency": "IRR"})
}

func (p *Provider) adminPageComplete(c echo.Context) error {
	var req struct {
		PIN    string `json:"pin"`
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return c.JSON(http.StatusBadRequest, adminError{"body: " + err.Error()})
	}
	now := p.clock.Now()
	_, pg, ok := p.rv.pages.Find(c.Param("token"))
	if !ok || pg.Used || !now.Before(pg.Expires) {
		return c.JSON(http.StatusNotFound, adminError{"no open card page with this token (unknown, used or expired)"})
	}
	if pg.Action == "change-pin" && req.PIN != "" {
		if msg := checkPIN(req.PIN, req.PIN); msg != "" {
			return c.JSON(http.StatusBadRequest, adminError{"pin: " + msg})
		}
	}
	if err := p.completePage(pg, nil, now); err != nil {
		return c.JSON(http.StatusConflict, adminError{codes["RV_STEP_NOT_ALLOWED"].msg})
	}
	h, _ := p.rv.holders.Get(pg.Business, pg.Holder)
	return c.JSON(http.StatusOK, map[string]any{"cardholder_id": h.ID, "action": pg.Action, "card_number": h.Card, "status": h.cardStatus()})
}

func (p *Provider) adminDeliver(c echo.Context) error {
	var req struct {
		Card string `json:"card_number"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return c.JSON(http.StatusBadRequest, adminError{"body: " + err.Error()})
	}
	now := p.clock.Now()
	slug, h, ok := p.cardOwner(req.Card)
	if !ok {
		return c.JSON(http.StatusNotFound, adminError{`no Ravand card with this card_number, e.g. {"card_number":"6362140000000000"}`})
	}
	err := p.rv.holders.Update(slug, h.ID, func(x *cardholder) error {
		if now.Before(x.IssueAt) {
			x.IssueAt = now
		}
		x.Post = lifecycle.Plan{{Status: "registered", At: x.IssueAt}, {Status: "delivered", At: now}}
		x.PostForced = true
		h = *x
		return nil
	})
	if err != nil {
		return c.JSON(http.StatusConflict, adminError{err.Error()})
	}
	return c.JSON(http.StatusOK, map[string]any{"cardholder_id": h.ID, "card_number": h.Card, "state_string_code": "delivered", "do_date_time": jalali(now)})
}

type otpRow struct {
	Business     string `json:"business"`
	CardholderID string `json:"cardholder_id"`
	TransferID   string `json:"transfer_id"`
	Type         string `json:"type"`
	Amount       int64  `json:"amount"`
	OTP          string `json:"otp"`
	ExpiresAt    string `json:"expires_at"`
	Expired      bool   `json:"expired"`
	created      int64
}

func (p *Provider) adminOTP(c echo.Context) error {
	now := p.clock.Now()
	tid, hid := c.QueryParam("transfer_id"), c.QueryParam("cardholder_id")
	out := []otpRow{}
	for _, slug := range p.rv.transfers.Tenants() {
		for _, it := range p.rv.transfers.List(slug) {
			t := it.Value
			if t.Status != "OTP_SENT" || (tid != "" && t.ID != tid) || (hid != "" && t.Holder != hid) {
				continue
			}
			out = append(out, otpRow{Business: slug, CardholderID: t.Holder, TransferID: t.ID, Type: t.Type, Amount: t.Amount, OTP: t.OTP,
				ExpiresAt: jalali(t.OTPExpires), Expired: !now.Before(t.OTPExpires), created: t.Created.UnixNano()})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].created > out[j].created })
	return c.JSON(http.StatusOK, map[string]any{"otps": out})
}
