package sanbod

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/providers/sanbod/bank"
)

var (
	post       = []string{http.MethodPost}
	getAndPost = []string{http.MethodGet, http.MethodPost}
)

// buildRoutes is the route table. A service reachable by several paths is one
// operation: the main path first, the others as aliases, so a scenario naming
// sanbod.achtransfer applies whichever path a client uses, and the journal labels
// every call sanbod.achtransfer.
func (p *Provider) buildRoutes() []api.Route {
	authCodes := []string{
		"TRACEID_REQUIRED", "CLIENT_INVALID", "CLIENT_ID_REQUIRED", "CLIENT_ID_UNKNOWN", "PROVIDER_CODE_REQUIRED",
		"PROVIDER_CODE_INVALID", "RESPONSE_TYPE_INVALID", "SCOPE_REQUIRED", "SCOPE_INVALID", "REDIRECT_URI_INVALID",
		"STATE_INVALID", "BANK_UNAVAILABLE",
	}
	tokenCodes := []string{
		"TRACEID_REQUIRED", "CLIENT_INVALID", "GRANT_TYPE_INVALID", "CODE_REQUIRED", "CODE_INVALID",
		"REDIRECT_URI_MISMATCH", "REFRESH_TOKEN_REQUIRED", "REFRESH_TOKEN_INVALID", "SCOPE_REQUIRED", "SCOPE_INVALID",
		"PROVIDER_CODE_REQUIRED", "PROVIDER_CODE_INVALID", "BANK_UNAVAILABLE",
	}
	for _, code := range tokenCodes { // the documentation's AC token call is posted to the authorize path
		if !slices.Contains(authCodes, code) {
			authCodes = append(authCodes, code)
		}
	}
	revokeCodes := []string{"TRACEID_REQUIRED", "ACCESS_TOKEN_REQUIRED", "ACCESS_TOKEN_INVALID", "BANK_UNAVAILABLE"}
	pageCodes := []string{"SESSION_UNKNOWN", "SESSION_EXPIRED", "SESSION_DONE", "BANK_UNAVAILABLE"}
	plain := func(codes []string) api.Outcomes { return api.Outcomes{Failures: codes, Unknown: []string{}} }

	authorize := api.Route{
		Operation: "sanbod.authorize", Methods: getAndPost, Path: "/oautht/v1/authorize",
		Aliases: []string{"/oauth/v1/authorize"}, // the spelling of the token path
		Auth:    p.authorizeAuth, Handler: api.Handle(p.authorize()), TrackID: traceID, Outcomes: plain(authCodes),
		Summary: "Start the AC dance: 302 to the bank login page (the documented oautht spelling, and oauth)",
	}
	routes := []api.Route{
		authorize,
		{Operation: "sanbod.token", Methods: post, Path: "/oauth/v1/token", Auth: p.clientAuth, Handler: api.Handle(p.token()),
			TrackID: traceID, Outcomes: plain(tokenCodes), Summary: "Tokens: client_credentials, authorization_code, refresh_token (Basic auth)"},
		{Operation: "sanbod.revoke", Methods: post, Path: "/oauth/v1/revoke", Auth: p.revokeAuth, Handler: api.Handle(p.revoke()),
			TrackID: traceID, Outcomes: plain(revokeCodes), Summary: "Revoke a token (JSON or form body, no client auth)"},
		{Operation: "sanbod.bankLogin", Methods: getAndPost, Path: "/oauth/v1/login/:session", Auth: p.pageAuth, Handler: api.Handle(p.loginPage()),
			Outcomes: plain(pageCodes), Summary: "Bank login page (HTML form: username, password, national_code)"},
		{Operation: "sanbod.bankConsent", Methods: getAndPost, Path: "/oauth/v1/consent/:session", Auth: p.pageAuth, Handler: api.Handle(p.consentPage()),
			Outcomes: plain(pageCodes), Summary: "Consent page: scopes and deposits; approve or deny → 302 to redirect_uri"},
	}
	svcCodes := append(bank.FailureCodes(), "TRACEID_REQUIRED", "TOKEN_MISSING", "TOKEN_INVALID", "TOKEN_EXPIRED",
		"TOKEN_REVOKED", "SCOPE_DENIED", "GRANT_DENIED", "BODY_INVALID", "BANK_UNAVAILABLE")
	slices.Sort(svcCodes)
	unknown := bank.UnknownCodes()
	if unknown == nil {
		unknown = []string{}
	}
	for _, s := range services() {
		s := s
		out := api.Outcomes{Failures: svcCodes, Unknown: unknown, Statuses: s.statuses, AtKeywords: s.at}
		if s.custom {
			// Transfers need their own handling: the bank judges a transfer in its
			// own order (deposit, amount, limits, destination) inside the method and
			// only then applies a forced code, a timeline or an in-doubt answer, so
			// every code is answered in the bank's reply path.
			out.InReply = append(append([]string{}, svcCodes...), unknown...)
		}
		auth := func(c echo.Context) (string, error) { return p.bearer(c, &s) }
		paths := p.servicePaths(s)
		routes = append(routes, api.Route{
			Operation: "sanbod." + s.name, Methods: post, Path: paths[0], Aliases: paths[1:], Auth: auth, Handler: api.Handle(p.serve(&s)),
			TrackID: traceID, Outcomes: out, Summary: s.summary,
		})
	}
	return routes
}

// servicePaths lists a service's paths, the main one first.
func (p *Provider) servicePaths(s service) []string {
	var out []string
	if s.public != "" {
		out = append(out, s.public)
	}
	if s.prefixed {
		for _, pre := range p.cfg.prefixes {
			if path := pre + "/" + s.name; !slices.Contains(out, path) {
				out = append(out, path)
			}
		}
	}
	return out
}
