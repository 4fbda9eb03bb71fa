package kavenegar

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
)

// Admin is the control plane under /_sandbox/kavenegar: what was sent, the last
// verification code per number, and the template registry.
func (p *Provider) Admin() []api.AdminRoute {
	return []api.AdminRoute{
		{Method: http.MethodGet, Path: "/outbox", Summary: "Messages sent, newest first (?receptor=&apikey=&limit=)", Handler: p.adminOutbox},
		{Method: http.MethodGet, Path: "/otp", Summary: "Latest verify/lookup token sent to ?receptor=", Handler: p.adminOTP},
		{Method: http.MethodGet, Path: "/templates", Summary: "verify/lookup templates", Handler: p.adminTemplates},
	}
}

type adminError struct {
	Error string `json:"error"`
}

func (p *Provider) adminOutbox(c echo.Context) error {
	receptor := c.QueryParam("receptor")
	if receptor != "" {
		n, good := normalizeMobile(receptor)
		if !good {
			return c.JSON(http.StatusBadRequest, adminError{"receptor is not an Iranian mobile number"})
		}
		receptor = n
	}
	limit := 100
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c.JSON(http.StatusBadRequest, adminError{"limit must be a positive integer"})
		}
		limit = n
	}
	out := p.recentMessages(c.QueryParam("apikey"), limit, func(m *message) bool {
		return receptor == "" || m.Receptor == receptor
	})
	return api.JSON(c, http.StatusOK, map[string]any{"messages": out})
}

type otpView struct {
	Receptor  string `json:"receptor"`
	Token     string `json:"token"`
	Template  string `json:"template"`
	MessageID int64  `json:"messageid"`
	Date      int64  `json:"date"`
	APIKey    string `json:"apikey"`
	Message   string `json:"message"`
}

func (p *Provider) adminOTP(c echo.Context) error {
	receptor, good := normalizeMobile(c.QueryParam("receptor"))
	if !good {
		return c.JSON(http.StatusBadRequest, adminError{"receptor is required and must be an Iranian mobile number"})
	}
	if found := p.recentMessages(c.QueryParam("apikey"), 1, func(m *message) bool {
		return m.Kind == kindLookup && m.Receptor == receptor
	}); len(found) > 0 {
		m := found[0]
		token := ""
		if len(m.Tokens) > 0 {
			token = m.Tokens[0]
		}
		return api.JSON(c, http.StatusOK, otpView{Receptor: receptor, Token: token, Template: m.Template, MessageID: m.MessageID, Date: m.Date, APIKey: m.APIKey, Message: m.Message})
	}
	return c.JSON(http.StatusNotFound, adminError{"no verify/lookup message sent to " + receptor})
}

type templateView struct {
	Name     string `json:"name"`
	Text     string `json:"text"`
	Approved bool   `json:"approved"`
	Type     string `json:"type"`
}

func (p *Provider) adminTemplates(c echo.Context) error {
	out := make([]templateView, 0, len(p.cfg.templateOrder))
	for _, n := range p.cfg.templateOrder {
		t := p.cfg.templates[n]
		out = append(out, templateView{Name: t.Name, Text: t.Text, Approved: t.approved(), Type: t.Type})
	}
	return api.JSON(c, http.StatusOK, map[string]any{"templates": out})
}
