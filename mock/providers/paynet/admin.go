package paynet

import (
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
)

// Admin is the control plane under /_sandbox/paynet: the OTP a test cannot
// receive by SMS, the stored cards, and the BIN table with the test cards.
func (p *Provider) Admin() []api.AdminRoute {
	return []api.AdminRoute{
		{Method: http.MethodGet, Path: "/otp", Summary: "Latest OTP sent (?otp_session_id=&user_gsm=&key=)", Handler: p.adminOTP},
		{Method: http.MethodGet, Path: "/cards", Summary: "Card owners and their cards, deleted ones included (?key=&card_owner_id=)", Handler: p.adminCards},
		{Method: http.MethodGet, Path: "/bins", Summary: "BIN table, bank codes and test cards", Handler: p.adminBINs},
	}
}

type adminError struct {
	Error string `json:"error"`
}

type otpView struct {
	Key       string `json:"key"`
	SessionID string `json:"otp_session_id"`
	GSM       string `json:"user_gsm"`
	Code      string `json:"otp_code"`
	Expire    string `json:"otp_expire"`
	Verified  bool   `json:"verified"`
	Used      bool   `json:"used"`
}

func (p *Provider) tenants(key string) []string {
	if key != "" {
		return []string{key}
	}
	return p.otps.Tenants()
}

func (p *Provider) adminOTP(c echo.Context) error {
	sess, key := c.QueryParam("otp_session_id"), c.QueryParam("key")
	gsm := c.QueryParam("user_gsm")
	if gsm != "" {
		if gsm = normalizeGSM(gsm); gsm == "" {
			return c.JSON(http.StatusBadRequest, adminError{"user_gsm is not a Turkish mobile number (5XXXXXXXXX)"})
		}
	}
	if sess == "" && gsm == "" {
		return c.JSON(http.StatusBadRequest, adminError{"give otp_session_id or user_gsm"})
	}
	var best *otpView
	var bestAt int64
	for _, t := range p.tenants(key) {
		for _, it := range p.otps.List(t) {
			r := it.Value
			if (sess != "" && r.SessionID != sess) || (gsm != "" && r.GSM != gsm) {
				continue
			}
			if at := r.SentAt.UnixNano(); best == nil || at >= bestAt {
				best = &otpView{Key: t, SessionID: r.SessionID, GSM: r.GSM, Code: r.Code, Expire: r.Expires.In(istanbul).Format(dotnetTime), Verified: r.Verified, Used: r.Used}
				bestAt = at
			}
		}
	}
	if best == nil {
		return c.JSON(http.StatusNotFound, adminError{"no OTP sent for that session or number"})
	}
	return api.JSON(c, http.StatusOK, best)
}

func (p *Provider) adminCards(c echo.Context) error {
	key, ownerID := c.QueryParam("key"), c.QueryParam("card_owner_id")
	keys := []string{key}
	if key == "" {
		keys = p.owners.Tenants()
	}
	type ownerView struct {
		Key string `json:"key"`
		owner
	}
	out := []ownerView{}
	for _, t := range keys {
		for _, it := range p.owners.List(t) {
			if ownerID == "" || it.ID == ownerID {
				out = append(out, ownerView{Key: t, owner: it.Value})
			}
		}
	}
	return api.JSON(c, http.StatusOK, map[string]any{"owners": out})
}

func (p *Provider) adminBINs(c echo.Context) error {
	bins := make([]BIN, 0, len(p.cfg.bins))
	for _, b := range p.cfg.bins {
		bins = append(bins, b)
	}
	sort.Slice(bins, func(i, j int) bool { return bins[i].BIN < bins[j].BIN })
	banks := make([]Bank, 0, len(p.cfg.banks))
	for _, b := range p.cfg.banks {
		banks = append(banks, b)
	}
	sort.Slice(banks, func(i, j int) bool { return banks[i].ID < banks[j].ID })
	return api.JSON(c, http.StatusOK, map[string]any{"banks": banks, "bins": bins, "cards": p.cfg.cards})
}
