package finnotech

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/providers/finnotech/bank"
)

// Scopes of the services (§2.7).
const (
	scopeCardList      = "card:list:get"
	scopeCardInfo      = "card:information:get"
	scopeCharge        = "oak:card-charge:execute"
	scopeChargeInquiry = "oak:card-charge-inquiry:get"
	scopeValidCard     = "oak:valid-card:get"
	scopeCardBalance   = "oak:card-balance:get"
	scopeCardStatement = "oak:card-statement:get"
	scopeBalance       = "oak:balance:get"
	scopeTokens        = "boomrang:tokens:get"
	ayandeh            = "062" // bon cards are Ayandeh cards
)

// Routes is the route table. Paths are the same under every host and alias.
func (p *Provider) Routes() []api.Route {
	gateway := api.Outcomes{Failures: p.gateway, Unknown: []string{}}
	// Bon-card services answer result codes and in-doubt codes inside result
	// (HTTP 200, status DONE): those reach Run; a gateway code is answered by the
	// engine as an error.
	bon := api.Outcomes{Failures: append(append([]string{}, p.gateway...), p.results...), Unknown: bank.UnknownCodes(),
		InReply: append(append([]string{}, p.results...), bank.UnknownCodes()...)}
	r := func(op, method, path, summary string, auth func(c echo.Context) (string, error), h func(*api.Call) error, o api.Outcomes) api.Route {
		return api.Route{Operation: "finnotech." + op, Methods: []string{method}, Path: path, Auth: auth,
			Handler: h, TrackID: p.trackID, Outcomes: o, Summary: summary}
	}
	cc := func(scope string) func(echo.Context) (string, error) {
		return p.bearer(need{scope: scope, grant: typeCC})
	}
	code := func(scope, bank string) func(echo.Context) (string, error) {
		return p.bearer(need{scope: scope, grant: typeCode, bank: bank})
	}
	return []api.Route{
		r("token", http.MethodPost, "/dev/v2/oauth2/token", "Issue a token: client_credentials, authorization_code (also SMS) or refresh_token", p.basic, api.Handle(p.token()), gateway),
		r("authorize", http.MethodGet, "/dev/v2/oauth2/authorize", "Start the authorization-code dance (302 to the bank login), or text an OTP with auth_type=SMS", p.authorizeTenant, api.Handle(p.authorize()), gateway),
		r("bankLoginPage", http.MethodGet, loginPath, "Sandbox bank login page (HTML)", p.sessionTenant, api.Handle(p.bankLoginPage()), gateway),
		r("bankLogin", http.MethodPost, loginPath, "Sandbox bank login form post", p.sessionTenant, api.Handle(p.bankLogin()), gateway),
		r("bankConsentPage", http.MethodGet, consentPath, "Sandbox consent page: scopes and deposits (HTML)", p.sessionTenant, api.Handle(p.bankConsentPage()), gateway),
		r("bankConsent", http.MethodPost, consentPath, "Consent form post: approve (302 with code) or deny", p.sessionTenant, api.Handle(p.bankConsent()), gateway),
		r("verifySms", http.MethodPost, "/dev/v2/oauth2/verify/sms", "Exchange the SMS one-time password for a code", p.basic, api.Handle(p.verifySMS()), gateway),
		r("revokeToken", http.MethodDelete, "/dev/v2/clients/:clientId/token", "Revoke a token (JSON body on DELETE)", p.bearer(need{}), api.Handle(p.revokeToken()), gateway),
		r("listTokens", http.MethodGet, "/dev/v2/clients/:clientId/tokens", "List the client's tokens (?bank= for authorization-code tokens)", cc(scopeTokens), api.Handle(p.listTokens()), gateway),
		r("cardList", http.MethodGet, "/mpg/v2/clients/:clientId/cards", "Cards registered for a mobile number", cc(scopeCardList), api.Handle(p.cardList()), gateway),
		r("cardInfo", http.MethodGet, "/mpg/v2/clients/:clientId/cards/:card", "Card holder inquiry", cc(scopeCardInfo), api.Handle(p.cardInfo()), gateway),
		r("chargeCard", http.MethodPost, "/oak/v2/clients/:clientId/deposits/:deposit/chargeCard", "Charge an Ayandeh bon card from a granted deposit", code(scopeCharge, ayandeh), api.Handle(p.chargeCard()), bon),
		r("inquiryChargeCard", http.MethodPost, "/oak/v2/clients/:clientId/inquiryChargeCard", "Final state of a charge by its trackId", code(scopeChargeInquiry, ayandeh), api.Handle(p.inquiryChargeCard()), bon),
		r("getValidCard", http.MethodPost, "/oak/v2/clients/:clientId/getValidCard", "Current number of a (reissued) bon card", code(scopeValidCard, ayandeh), api.Handle(p.getValidCard()), bon),
		r("cardBalance", http.MethodPost, "/oak/v2/clients/:clientId/card/balance", "Bon card balance", cc(scopeCardBalance), api.Handle(p.cardBalance()), gateway),
		r("cardStatement", http.MethodPost, "/oak/v2/clients/:clientId/card/statement", "Bon card statement", cc(scopeCardStatement), api.Handle(p.cardStatement()), gateway),
		r("depositBalance", http.MethodGet, "/oak/v2/clients/:clientId/deposits/:deposit/balance", "Balance of a granted deposit", code(scopeBalance, ""), api.Handle(p.depositBalance()), gateway),
	}
}
