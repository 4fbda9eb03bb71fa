package sanbod

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/oauth"
)

// DefaultNationalCode is the national code the consent shortcut logs in with when
// the request names none: any checksum-valid code is the test user's (seed table).
const DefaultNationalCode = "0012345679"

// Admin is the control plane under /_sandbox/sanbod: pending consents and the CI
// shortcut that decides them without the HTML pages, and the token registry.
func (p *Provider) Admin() []api.AdminRoute {
	return []api.AdminRoute{
		{Method: http.MethodGet, Path: "/consents", Summary: "Consent sessions, oldest first (?all=1 includes decided and expired ones; ?client_id=)", Handler: p.adminConsents},
		{Method: http.MethodPost, Path: "/consents/:id/approve", Summary: `Approve without the pages: optional {"user","national_code","deposits":[...]} → {"redirect"}`, Handler: p.adminApprove},
		{Method: http.MethodPost, Path: "/consents/:id/deny", Summary: `Deny without the pages → {"redirect"} with error=access_denied`, Handler: p.adminDeny},
		{Method: http.MethodGet, Path: "/tokens", Summary: "Issued tokens (?client_id=; ?all=1 includes expired and revoked ones)", Handler: p.adminTokens},
	}
}

type adminError struct {
	Error string `json:"error"`
}

type consentView struct {
	ID           string    `json:"id"`
	Status       string    `json:"status"`
	ClientID     string    `json:"client_id"`
	ProviderCode string    `json:"provider_code"`
	Bank         string    `json:"bank"`
	Scopes       []string  `json:"scopes"`
	State        string    `json:"state"`
	RedirectURI  string    `json:"redirect_uri"`
	User         string    `json:"user,omitempty"`
	Deposits     []string  `json:"deposits"`
	Chosen       []string  `json:"chosen"`
	Created      time.Time `json:"created"`
	Expires      time.Time `json:"expires"`
	LoginURL     string    `json:"login_url"`
	Redirect     string    `json:"redirect,omitempty"`
}

// base is the provider's own mount on this server, for the login links the
// control plane hands out.
func (p *Provider) base(c echo.Context) string {
	return c.Scheme() + "://" + c.Request().Host + "/" + api.MainHost(p)
}

func (p *Provider) adminConsents(c echo.Context) error {
	client := c.QueryParam("client_id")
	out := []consentView{}
	for _, s := range p.consents.List(p.Name(), c.QueryParam("all") == "") {
		if client != "" && s.Request.ClientID != client {
			continue
		}
		name, _ := brand(s.Request.Bank)
		out = append(out, consentView{
			ID: s.ID, Status: s.Status, ClientID: s.Request.ClientID, ProviderCode: s.Request.Bank, Bank: name,
			Scopes: nonNil(s.Request.Scopes), State: s.Request.State, RedirectURI: s.Request.RedirectURI, User: s.User,
			Deposits: nonNil(s.Deposits), Chosen: nonNil(s.Chosen), Created: s.Created, Expires: s.Expires,
			LoginURL: p.base(c) + loginPath(s.ID), Redirect: s.Redirect,
		})
	}
	return api.JSON(c, http.StatusOK, map[string]any{"consents": out})
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

type approveRequest struct {
	User         string   `json:"user"`
	NationalCode string   `json:"national_code"`
	Deposits     []string `json:"deposits"`
}

// adminApprove decides a session as the user would on the pages. A session the
// user already logged into is approved for that user unless the body names
// another national code; deposits default to every deposit offered.
func (p *Provider) adminApprove(c echo.Context) error {
	var in approveRequest
	raw, _ := io.ReadAll(io.LimitReader(c.Request().Body, 1<<16))
	if len(strings.TrimSpace(string(raw))) > 0 {
		if err := json.Unmarshal(raw, &in); err != nil {
			return c.JSON(http.StatusBadRequest, adminError{`body must be {"user","national_code","deposits":[...]}: ` + err.Error()})
		}
	}
	id := c.Param("id")
	s, ok := p.consents.Get(id)
	if !ok {
		return c.JSON(http.StatusNotFound, adminError{"no consent session " + id})
	}
	var redirect string
	var err error
	if s.Status == oauth.StatusLoggedIn && in.NationalCode == "" {
		redirect, err = p.consents.Approve(id, in.Deposits)
	} else {
		nc := in.NationalCode
		if nc == "" {
			nc = DefaultNationalCode
		}
		if !iran.ValidNationalCode(nc) {
			return c.JSON(http.StatusBadRequest, adminError{"national_code " + nc + " is not a checksum-valid national code"})
		}
		var offered []string
		for _, d := range p.bank.UserDeposits(s.Request.ClientID, s.Request.Bank, nc) {
			offered = append(offered, d.Number)
		}
		redirect, err = p.consents.ApproveAs(id, nc, offered, in.Deposits)
	}
	return p.adminDecided(c, redirect, err)
}

func (p *Provider) adminDeny(c echo.Context) error {
	redirect, err := p.consents.Deny(c.Param("id"))
	return p.adminDecided(c, redirect, err)
}

func (p *Provider) adminDecided(c echo.Context, redirect string, err error) error {
	switch {
	case err == nil:
		return api.JSON(c, http.StatusOK, map[string]string{"redirect": redirect})
	case errors.Is(err, oauth.ErrSessionUnknown):
		return c.JSON(http.StatusNotFound, adminError{err.Error()})
	case errors.Is(err, oauth.ErrSessionDone), errors.Is(err, oauth.ErrSessionExpired):
		return c.JSON(http.StatusConflict, adminError{err.Error()})
	}
	return c.JSON(http.StatusBadRequest, adminError{err.Error()})
}

type tokenView struct {
	ID       string    `json:"uuid"`
	ClientID string    `json:"client_id"`
	Kind     string    `json:"type"`
	Grant    string    `json:"grant_type"`
	Scopes   []string  `json:"scope"`
	Subject  string    `json:"national_code,omitempty"`
	Issued   time.Time `json:"issued"`
	Expires  time.Time `json:"expires"`
	Revoked  bool      `json:"revoked"`
}

func (p *Provider) adminTokens(c echo.Context) error {
	out := []tokenView{}
	for _, t := range p.tokens.List(c.QueryParam("client_id"), c.QueryParam("all") != "") {
		out = append(out, tokenView{ID: t.ID, ClientID: t.ClientID, Kind: t.Kind, Grant: t.Grant, Scopes: nonNil(t.Scopes),
			Subject: t.Subject, Issued: t.Issued, Expires: t.Expires, Revoked: t.Revoked})
	}
	return api.JSON(c, http.StatusOK, map[string]any{"tokens": out})
}
