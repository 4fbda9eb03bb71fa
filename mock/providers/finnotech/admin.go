package finnotech

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/oauth"
)

// Admin is the control plane under /_sandbox/finnotech: the CI shortcut through
// the consent pages, the SMS outbox, and the issued tokens.
func (p *Provider) Admin() []api.AdminRoute {
	return []api.AdminRoute{
		{Method: http.MethodGet, Path: "/consents", Summary: "Pending consent sessions (?all=true for finished ones too)", Handler: p.adminConsents},
		{Method: http.MethodPost, Path: "/consents/:id/approve", Summary: `Approve a consent: optional {"user":"1111111111","deposits":[...]}; answers {"redirect"}`, Handler: p.adminApprove},
		{Method: http.MethodPost, Path: "/consents/:id/deny", Summary: `Deny a consent; answers {"redirect"}`, Handler: p.adminDeny},
		{Method: http.MethodGet, Path: "/otp", Summary: "SMS one-time passwords sent, newest first (?mobile=&client=)", Handler: p.adminOTP},
		{Method: http.MethodGet, Path: "/tokens", Summary: "Access tokens issued to ?client=", Handler: p.adminTokens},
	}
}

type adminError struct {
	Error string `json:"error"`
}

type consentView struct {
	ID          string    `json:"id"`
	Status      string    `json:"status"`
	ClientID    string    `json:"clientId"`
	RedirectURI string    `json:"redirectUri"`
	State       string    `json:"state"`
	Scopes      []string  `json:"scopes"`
	Bank        string    `json:"bank"`
	Limit       string    `json:"limit,omitempty"`
	Count       string    `json:"count,omitempty"`
	User        string    `json:"user,omitempty"`
	Deposits    []string  `json:"deposits"`
	Created     time.Time `json:"created"`
	Expires     time.Time `json:"expires"`
	LoginURL    string    `json:"loginUrl"`
	Redirect    string    `json:"redirect,omitempty"`
}

func (p *Provider) adminConsents(c echo.Context) error {
	all := c.QueryParam("all") == "true"
	out := []consentView{}
	base := c.Scheme() + "://" + c.Request().Host + "/" + p.Name()
	for _, s := range p.consents.List(p.Name(), !all) {
		deps := s.Deposits
		if deps == nil {
			deps = []string{}
		}
		out = append(out, consentView{ID: s.ID, Status: s.Status, ClientID: s.Request.ClientID, RedirectURI: s.Request.RedirectURI,
			State: s.Request.State, Scopes: s.Request.Scopes, Bank: s.Request.Bank, Limit: s.Request.Extra["limit"],
			Count: s.Request.Extra["count"], User: s.User, Deposits: deps, Created: s.Created, Expires: s.Expires,
			LoginURL: base + loginPath + "?session=" + url.QueryEscape(s.ID), Redirect: s.Redirect})
	}
	return api.JSON(c, http.StatusOK, map[string]any{"consents": out})
}

// adminApprove logs in and approves in one step. The user defaults to 1111111111
// and the deposits to all the user holds at the requested bank.
func (p *Provider) adminApprove(c echo.Context) error {
	var body struct {
		User     string   `json:"user"`
		Deposits []string `json:"deposits"`
	}
	raw, _ := io.ReadAll(c.Request().Body)
	if len(strings.TrimSpace(string(raw))) > 0 {
		if err := json.Unmarshal(raw, &body); err != nil {
			return c.JSON(http.StatusBadRequest, adminError{`body must be {"user": "...", "deposits": ["..."]}`})
		}
	}
	if body.User == "" {
		body.User = "1111111111"
	}
	s, found := p.consents.Get(c.Param("id"))
	if !found {
		return c.JSON(http.StatusNotFound, adminError{"no consent session " + c.Param("id")})
	}
	if !p.bank.KnownUser(body.User) {
		return c.JSON(http.StatusBadRequest, adminError{"user " + body.User + " is not a sandbox bank user"})
	}
	var offered []string
	if s.Request.Bank != "" {
		for _, d := range p.bank.UserDeposits(s.Request.ClientID, body.User, s.Request.Bank) {
			offered = append(offered, d.Number)
		}
	}
	redirect, err := p.consents.ApproveAs(s.ID, body.User, offered, body.Deposits)
	if err != nil {
		return consentError(c, err)
	}
	return api.JSON(c, http.StatusOK, map[string]string{"redirect": redirect})
}

func (p *Provider) adminDeny(c echo.Context) error {
	redirect, err := p.consents.Deny(c.Param("id"))
	if err != nil {
		return consentError(c, err)
	}
	return api.JSON(c, http.StatusOK, map[string]string{"redirect": redirect})
}

func consentError(c echo.Context, err error) error {
	status := http.StatusConflict
	switch {
	case errors.Is(err, oauth.ErrSessionUnknown):
		status = http.StatusNotFound
	case errors.Is(err, oauth.ErrNotOffered):
		status = http.StatusBadRequest
	}
	return c.JSON(status, adminError{strings.TrimPrefix(err.Error(), "oauth: ")})
}

func (p *Provider) adminOTP(c echo.Context) error {
	mobile, client := c.QueryParam("mobile"), c.QueryParam("client")
	out := []smsMessage{}
	for _, tenant := range p.smsOut.Tenants() {
		if client != "" && tenant != client {
			continue
		}
		items := p.smsOut.List(tenant)
		for i := len(items) - 1; i >= 0; i-- { // newest first, also within one instant
			if mobile == "" || items[i].Value.Mobile == mobile {
				out = append(out, items[i].Value)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return api.JSON(c, http.StatusOK, map[string]any{"messages": out})
}

type adminToken struct {
	tokenRow
	Active bool `json:"active"`
}

func (p *Provider) adminTokens(c echo.Context) error {
	client := c.QueryParam("client")
	if client == "" {
		return c.JSON(http.StatusBadRequest, adminError{"client is required"})
	}
	out := []adminToken{}
	now := p.clock.Now()
	for _, it := range p.tokens.List(client) {
		out = append(out, adminToken{it.Value, it.Value.active(now)})
	}
	return api.JSON(c, http.StatusOK, map[string]any{"tokens": out})
}
